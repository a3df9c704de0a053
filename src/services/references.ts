// Checks that what a write points at exists, so that a bad id is a 422 naming
// the field rather than a foreign key error. The foreign keys still stand
// behind it for writers racing a delete.
import { join, raw, sql, type Tx } from '../db/client.ts'
import { linkTargetSelect, type AuthorRow, type ImageRow, type LinkTargetRow, type ReferencedRows } from '../db/article-mapper.ts'
import { unknownReferences, validationFailed, type FieldError } from '../errors.ts'
import type { ArticleCreate, ArticleUpdate, BylineInput } from '../schemas/article.ts'

export interface Reference {
  kind: 'author' | 'image' | 'article'
  id: string
  /** The request field that holds the id, e.g. `body.bylines.0.authorId`. */
  path: string
}

export interface LinkTarget { articleId?: string | null, url?: string | null }

/** A related link points either at one of our articles or at a URL: exactly one. */
export function checkLinkTarget (link: LinkTarget, path: string): void {
  const hasArticle = link.articleId !== undefined && link.articleId !== null
  const hasUrl = link.url !== undefined && link.url !== null
  if (hasArticle === hasUrl) {
    throw validationFailed([{ path, message: 'a related link needs exactly one of articleId or url' }])
  }
}

export function bylineReferences (bylines: BylineInput[], path: string): Reference[] {
  return bylines.map((byline, index) => ({ kind: 'author', id: byline.authorId, path: `${path}.${index}.authorId` }))
}

/** Every id an article write refers to; also checks the related links' shape. */
export function articleReferences (input: ArticleCreate | ArticleUpdate, path = 'body'): Reference[] {
  const references: Reference[] = []
  if (input.leadImageId !== undefined && input.leadImageId !== null) {
    references.push({ kind: 'image', id: input.leadImageId, path: `${path}.leadImageId` })
  }
  references.push(...bylineReferences(input.bylines ?? [], `${path}.bylines`))
  input.body?.forEach((block, index) => {
    const blockPath = `${path}.body.${index}`
    if (block.type === 'image') references.push({ kind: 'image', id: block.imageId, path: `${blockPath}.imageId` })
    if (block.type === 'related_link') {
      checkLinkTarget(block, blockPath)
      if (block.articleId !== undefined && block.articleId !== null) {
        references.push({ kind: 'article', id: block.articleId, path: `${blockPath}.articleId` })
      }
    }
  })
  return references
}

const tables: Record<Reference['kind'], string> = { author: '"Author"', image: '"Image"', article: '"Article"' }

const idsOf = (references: Reference[], kind: Reference['kind']): string[] =>
  [...new Set(references.filter((ref) => ref.kind === kind).map((ref) => ref.id))]

/**
 * Throws 422 naming every reference not in `found`, links of an article to
 * itself, and new links to stories in the trash (`trashed`: a link to one would
 * not resolve; the story's editors must restore it first).
 */
function assertFound (references: Reference[], found: Record<Reference['kind'], ReadonlySet<string> | ReadonlyMap<string, unknown>>, selfArticleId?: string, trashed: ReadonlySet<string> = new Set()): void {
  const errors: FieldError[] = []
  for (const ref of references) {
    if (ref.kind === 'article' && ref.id === selfArticleId) {
      errors.push({ path: ref.path, message: 'an article cannot link to itself' })
    } else if (ref.kind === 'article' && trashed.has(ref.id)) {
      errors.push({ path: ref.path, message: `the article "${ref.id}" is in the trash: restore it before linking to it` })
    } else if (!found[ref.kind].has(ref.id)) {
      errors.push({ path: ref.path, message: `no ${ref.kind} has the id "${ref.id}"` })
    }
  }
  if (errors.length > 0) throw unknownReferences(errors)
}

/**
 * Throws 422 naming every reference that does not resolve (and links of an
 * article to itself, or to a trashed story). `keepsOwnLinks`: a save of the
 * whole body of `selfArticleId`, which may keep the links to trashed stories it
 * already has (what its editors read and send back).
 */
export async function assertReferencesExist (tx: Tx, references: Reference[], selfArticleId?: string, { keepsOwnLinks = false } = {}): Promise<void> {
  const found = { author: new Set<string>(), image: new Set<string>(), article: new Set<string>(), trashed: new Set<string>() }
  // One statement for all three tables (a raw query: Prisma's per-query
  // planning costs several times what SQLite or PostgreSQL take to answer it).
  const lookups = (Object.keys(tables) as Array<Reference['kind']>).flatMap((kind) => {
    const ids = idsOf(references, kind)
    const kindOf = kind === 'article' ? raw(`CASE WHEN "deletedAt" IS NULL THEN 'article' ELSE 'trashed' END`) : sql`${kind}`
    return ids.length === 0 ? [] : [sql`SELECT ${kindOf} AS "kind", "id" FROM ${raw(tables[kind])} WHERE "id" IN (${join(ids)})`]
  })
  if (lookups.length > 0) {
    for (const row of await tx.$queryRaw<Array<{ kind: Reference['kind'] | 'trashed', id: string }>>(join(lookups, ' UNION ALL '))) found[row.kind].add(row.id)
  }
  if (keepsOwnLinks && selfArticleId !== undefined && found.trashed.size > 0) {
    const kept = await tx.bodyBlock.findMany({ where: { articleId: selfArticleId, targetArticleId: { in: [...found.trashed] } }, select: { targetArticleId: true } })
    for (const { targetArticleId } of kept) {
      found.trashed.delete(targetArticleId!)
      found.article.add(targetArticleId!)
    }
  }
  assertFound(references, found, selfArticleId, found.trashed)
}

/**
 * Like assertReferencesExist, and returns the rows referred to, as an article
 * embeds them (see assembleArticleRow): a new article's row is then built
 * without reading it back. Raw queries, one per table referred to.
 * `linksToTrash`: whether links to trashed stories are fine (a preview, where
 * the renderer leaves them out) rather than refused (a new article's).
 */
export async function loadReferences (tx: Tx, references: Reference[], { linksToTrash = false } = {}): Promise<ReferencedRows> {
  const rowsOf = async <Row extends { id: string }>(kind: Reference['kind'], columns: string): Promise<Map<string, Row>> => {
    const ids = idsOf(references, kind)
    if (ids.length === 0) return new Map()
    const rows = await tx.$queryRaw<Row[]>(sql`SELECT ${raw(columns)} FROM ${raw(tables[kind])} WHERE "id" IN (${join(ids)})`)
    return new Map(rows.map((row) => [row.id, row]))
  }
  const found: ReferencedRows = {
    authors: await rowsOf<AuthorRow>('author', '*'),
    images: await rowsOf<ImageRow>('image', '*'),
    articles: await rowsOf<LinkTargetRow>('article', Object.keys(linkTargetSelect).map((column) => `"${column}"`).join(', '))
  }
  const trashed = new Set(linksToTrash ? [] : [...found.articles.values()].filter((row) => row.deletedAt !== null).map((row) => row.id))
  assertFound(references, { author: found.authors, image: found.images, article: found.articles }, undefined, trashed)
  return found
}
