// Public representations, rendered at write time. For every published article
// the exact JSON a reader without a key receives is stored beside it, in the
// same transaction as any change that alters it (its own edits, its authors,
// its images, the stories it links to: the write path passes every article a
// change affects), and removed when it is unpublished, trashed or deleted. A public
// read is then one indexed lookup returning the stored bytes as they are.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { insertRows, readerOf, type Db, type Tx } from '../db/client.ts'
import type { StoredArticleReads, StoredArticleRow } from '../db/stored-reads.ts'
import { articleInclude, tagsOf, toArticle, toArticleSummary, type ArticleRow } from '../db/article-mapper.ts'
import { publicCountSql, publicPageSql, type PublicListRow } from '../db/article-lists.ts'
import { readCount } from '../db/list-sql.ts'
import { Article, ArticleSummary, type ArticleListQuery } from '../schemas/article.ts'
import { live, type ReadScope } from './read-scope.ts'
import { articleListOf, storedWithFields } from './article-list-query.ts'
import type { CachedArticle, CachedList, PublicCache, StoredAnswer } from './public-cache.ts'
import { serverContext, type WritePath } from './write-path.ts'

/** What a reader without a key (or with a reader key) may see: the one visibility rule the renderer applies. */
export const publicScope: ReadScope = Object.freeze({ includeDrafts: false })

export interface PublicForms {
  /** The article, byte for byte as the API sends it (the response schema's encoding). */
  json: string
  /** Its list item (the article without its body), as public lists send it. */
  summary: string
  /** The ids of everything the article shows, as its Surrogate-Key header. */
  surrogateKeys: string
}

/** The public forms of a published article. */
export function renderPublicArticle (row: ArticleRow): PublicForms {
  const article = toArticle(row, publicScope)
  return {
    json: JSON.stringify(z.encode(Article, article)),
    summary: JSON.stringify(z.encode(ArticleSummary, toArticleSummary(row, publicScope))),
    surrogateKeys: surrogateKeysOfArticle(article)
  }
}

/** The columns stored beside the forms, for lists to filter and sort on: the row's own. */
function listColumns (row: ArticleRow) {
  return {
    slug: row.slug,
    section: row.section,
    language: row.language,
    headline: row.headline,
    publishedAt: row.publishedAt ?? row.updatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  }
}

type ListColumns = ReturnType<typeof listColumns>
const storedColumns = { json: true, summary: true, surrogateKeys: true, slug: true, section: true, language: true, headline: true, publishedAt: true, createdAt: true, updatedAt: true } as const

/** Whether what is stored for an article matches a fresh render and the row's own columns. */
function storedIsCurrent (stored: (PublicForms & ListColumns) | null, row: ArticleRow, forms: PublicForms): boolean {
  if (stored === null || stored.json !== forms.json || stored.summary !== forms.summary || stored.surrogateKeys !== forms.surrogateKeys) return false
  const columns = listColumns(row)
  return (Object.keys(columns) as Array<keyof ListColumns>).every((column) => {
    const [a, b] = [stored[column], columns[column]]
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b
  })
}

/**
 * The index rows of a published article: one per tag (with its section) and
 * one per author of its byline, each with its publication time, so that tag
 * and author pages are ranges of an index (see db/article-lists.ts).
 */
function indexRows (row: ArticleRow) {
  const { publishedAt, section } = listColumns(row)
  return {
    tags: [...new Set(tagsOf(row.tags))].map((tag) => ({ tag, articleId: row.id, publishedAt, section })),
    authors: [...new Set(row.bylines.map((byline) => byline.authorId))].map((authorId) => ({ authorId, articleId: row.id, publishedAt }))
  }
}

type IndexRows = ReturnType<typeof indexRows>
const tagColumns = ['tag', 'articleId', 'publishedAt', 'section'] as const
const authorColumns = ['authorId', 'articleId', 'publishedAt'] as const

async function storedIndexRows (client: Db | Tx, articleId: string): Promise<IndexRows> {
  return {
    tags: await client.publicArticleTag.findMany({ where: { articleId }, select: { tag: true, articleId: true, publishedAt: true, section: true }, orderBy: { tag: 'asc' } }),
    authors: await client.publicArticleAuthor.findMany({ where: { articleId }, select: { authorId: true, articleId: true, publishedAt: true }, orderBy: { authorId: 'asc' } })
  }
}

/** Whether two sets of index rows hold the same rows (in any order). */
function sameIndexRows (a: IndexRows, b: IndexRows): boolean {
  const key = (rows: IndexRows): string => JSON.stringify([
    rows.tags.map((tag) => [tag.tag, tag.publishedAt.getTime(), tag.section]).sort(),
    rows.authors.map((author) => [author.authorId, author.publishedAt.getTime()]).sort()
  ])
  return key(a) === key(b)
}

async function writeIndexRows (tx: Tx, articleId: string, rows: IndexRows, { replace }: { replace: boolean }): Promise<void> {
  if (replace) {
    await tx.publicArticleTag.deleteMany({ where: { articleId } })
    await tx.publicArticleAuthor.deleteMany({ where: { articleId } })
  }
  await insertRows(tx, 'PublicArticleTag', tagColumns, rows.tags) // raw: see insertRows
  await insertRows(tx, 'PublicArticleAuthor', authorColumns, rows.authors)
}

/** A strong ETag for stored bytes (a string: its UTF-8 bytes, the same digest). */
export function etagOf (json: string | Buffer): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`
}

/** A document assembled for the public (a page, a feed) as it is sent: encoded once, the ETag taken from those bytes. */
export function answerOf (text: string, surrogateKeys: string): StoredAnswer {
  const body = Buffer.from(text)
  return { body, etag: etagOf(body), surrogateKeys }
}

const publicColumns = ['articleId', 'slug', 'section', 'language', 'headline', 'publishedAt', 'createdAt', 'updatedAt', 'json', 'summary', 'surrogateKeys', 'etag', 'renderedAt'] as const

/** An article the write already holds, as its work left it (see ChangeEvent.current). */
export interface KnownArticle {
  row: ArticleRow
  /** Created in this transaction: nothing is stored for it yet. */
  isNew: boolean
}

/**
 * Brings the stored representations of `articleIds` in line with the tables,
 * inside the caller's transaction: rendered for the published ones (with
 * their tag and author rows), removed for the others (theirs go with them).
 * Unchanged bytes are not rewritten (their renderedAt, the Last-Modified of
 * reads, stays). Articles in `known` are not read again. For `repairs` (a
 * rebuild's), the tag and author rows are compared too when the forms are current.
 */
export async function refreshPublicArticles (tx: Tx, articleIds: Iterable<string>, known: ReadonlyMap<string, KnownArticle> = new Map(), repairs: ReadonlySet<string> = new Set()): Promise<void> {
  for (const id of [...new Set(articleIds)].sort()) {
    const row = known.get(id)?.row ?? await tx.article.findUnique({ where: { id }, include: articleInclude })
    const isNew = known.get(id)?.isNew === true
    if (row === null || row.status !== 'published' || row.deletedAt !== null) {
      if (!isNew) await tx.publicArticle.deleteMany({ where: { articleId: id } }) // its tag and author rows cascade
      continue
    }
    const forms = renderPublicArticle(row)
    const columns = { ...listColumns(row), ...forms, etag: etagOf(forms.json), renderedAt: new Date() }
    const rows = indexRows(row)
    if (isNew) {
      await insertRows(tx, 'PublicArticle', publicColumns, [{ articleId: id, ...columns }]) // raw: see insertRows
      await writeIndexRows(tx, id, rows, { replace: false })
      continue
    }
    const stored = await tx.publicArticle.findUnique({ where: { articleId: id }, select: storedColumns })
    if (storedIsCurrent(stored, row, forms)) {
      // Written with the forms, so current with them; a repair checks them all the same.
      if (repairs.has(id) && !sameIndexRows(await storedIndexRows(tx, id), rows)) await writeIndexRows(tx, id, rows, { replace: true })
      continue
    }
    await tx.publicArticle.upsert({ where: { articleId: id }, create: { articleId: id, ...columns }, update: columns })
    await writeIndexRows(tx, id, rows, { replace: true })
  }
}

/** Adds the ids of everything a public article or list item shows to `keys`, as `Surrogate-Key` values. */
function addSurrogateKeys (keys: Set<string>, article: z.output<typeof ArticleSummary> & { body?: z.output<typeof Article>['body'] }): void {
  keys.add(`article-${article.id}`)
  for (const byline of article.bylines) keys.add(`author-${byline.authorId}`)
  if (article.leadImageId !== null) keys.add(`image-${article.leadImageId}`)
  for (const block of article.body ?? []) {
    if (block.type === 'image') keys.add(`image-${block.imageId}`)
    if (block.type === 'related_link' && block.articleId !== null) keys.add(`article-${block.articleId}`)
  }
}

/** The ids of everything a public article shows, as `Surrogate-Key` values (stored with it at write time). */
function surrogateKeysOfArticle (article: z.output<typeof Article>): string {
  const keys = new Set<string>()
  addSurrogateKeys(keys, article)
  return [...keys].join(' ')
}

/**
 * What a page of the public list (or of public search results) is tagged
 * with: `articles` (purge it when any story is published or unpublished) and
 * the ids of what its items show.
 */
export function listSurrogateKeys (summaries: string[]): string {
  const keys = new Set<string>(['articles'])
  for (const summary of summaries) addSurrogateKeys(keys, JSON.parse(summary) as z.output<typeof ArticleSummary>)
  return [...keys].join(' ')
}

/** A page's JSON: the items as they are, then the cursor and, when asked for, the count. */
function pageJson (items: string[], nextCursor: string | null, totalCount: number | undefined): string {
  return `{"data":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}${totalCount === undefined ? '' : `,"totalCount":${totalCount}`}}`
}

/** The public never sees a draft: a list of any other status than published is empty. */
function emptyList (count: boolean): CachedList {
  return answerOf(pageJson([], null, count ? 0 : undefined), 'articles')
}

/** A stored row as it is sent; one from before the keys were stored with it ("") gets them from its JSON. */
function cachedArticleOf (row: StoredArticleRow | null): CachedArticle | null {
  if (row === null) return null
  const { articleId, body, etag, renderedAt } = row
  const surrogateKeys = row.surrogateKeys !== '' ? row.surrogateKeys : surrogateKeysOfArticle(JSON.parse(body.toString()) as z.output<typeof Article>)
  return { articleId, body, etag, lastModified: renderedAt.toUTCString(), surrogateKeys }
}

/** Every parameter of the query: pages differ in any of them. */
const listKey = (query: ArticleListQuery): string => `list:${JSON.stringify(query)}`

/** Reads of the stored representations: from the in-process cache, else one indexed lookup, no relations. */
export function createPublicArticleReader ({ prisma, storedArticles, cache }: { prisma: Db, storedArticles: StoredArticleReads, cache: PublicCache }) {
  return {
    async byId (id: string): Promise<CachedArticle | null> {
      return await cache.read(`id:${id}`, async () => cachedArticleOf(await storedArticles.byId(id)))
    },
    async bySlug (slug: string): Promise<CachedArticle | null> {
      return await cache.read(`slug:${slug}`, async () => cachedArticleOf(await storedArticles.bySlug(slug)))
    },
    /**
     * A page of published articles, assembled from their stored list items by
     * one query (see db/article-lists.ts): the response's bytes are the stored
     * items joined, never re-serialised (with `fields`, the fields picked
     * from each). `count`: one more query.
     */
    async list (query: ArticleListQuery): Promise<CachedList> {
      const list = articleListOf(query, publicScope)
      if (list === null) return emptyList(query.count === true)
      return await cache.readList(listKey(query), async () => {
        const reader = readerOf(prisma)
        const rows = await reader.$queryRaw<PublicListRow[]>(publicPageSql(list, query.cursor, query.limit + 1))
        const page = rows.slice(0, query.limit)
        const last = page.at(-1)
        const nextCursor = rows.length > query.limit && last !== undefined ? list.order.encode(last) : null
        const summaries = page.map((row) => row.summary)
        const totalCount = query.count === true ? await readCount(reader, publicCountSql(list)) : undefined
        // Tagged with everything the items show, whichever fields are sent.
        return answerOf(pageJson(summaries.map((summary) => storedWithFields(summary, query.fields)), nextCursor, totalCount), listSurrogateKeys(summaries))
      })
    }
  }
}

export type PublicArticleReader = ReturnType<typeof createPublicArticleReader>

export interface RebuildReport {
  /** Published articles checked. */
  checked: number
  /** Published articles whose stored form was missing or differed from a fresh render. */
  stale: string[]
  /** Stored forms of articles that are no longer published. */
  orphaned: string[]
}

/**
 * Stores afresh, through the write path (so that the change log, and every
 * instance's cache following it, hears of it), the public forms of these
 * articles: re-rendered when published, removed otherwise.
 */
async function restore (writes: WritePath, articleIds: string[]): Promise<void> {
  if (articleIds.length === 0) return
  await writes.write(serverContext, async ({ record }) => {
    for (const id of articleIds) record({ resource: 'article', resourceId: id, action: 'updated', alsoAffects: [id], rerendered: true })
  })
}

/**
 * Renders every published article afresh from the tables and compares it
 * (and its tag and author rows) with what is stored (for upgrades and
 * repairs): with `verify` it only reports, otherwise it rewrites what differs.
 */
export async function rebuildPublicArticles ({ prisma, writes }: { prisma: Db, writes: WritePath }, { verify }: { verify: boolean }): Promise<RebuildReport> {
  const report: RebuildReport = { checked: 0, stale: [], orphaned: [] }
  const published = await prisma.article.findMany({ where: live, select: { id: true }, orderBy: { id: 'asc' } })
  for (const { id } of published) {
    const row = await prisma.article.findUnique({ where: { id }, include: articleInclude })
    if (row === null || row.status !== 'published' || row.deletedAt !== null) continue // unpublished since the list was read
    report.checked++
    const stored = await prisma.publicArticle.findUnique({ where: { articleId: id }, select: storedColumns })
    if (!storedIsCurrent(stored, row, renderPublicArticle(row)) || !sameIndexRows(await storedIndexRows(prisma, id), indexRows(row))) report.stale.push(id)
  }
  const publishedIds = new Set(published.map((article) => article.id))
  report.orphaned = (await prisma.publicArticle.findMany({ select: { articleId: true }, orderBy: { articleId: 'asc' } }))
    .map((stored) => stored.articleId).filter((id) => !publishedIds.has(id))
  if (!verify) await restore(writes, [...report.stale, ...report.orphaned])
  return report
}

/** At start: published articles without a stored form (a database from before the table existed) get one. */
export async function storeMissingPublicArticles ({ prisma, writes }: { prisma: Db, writes: WritePath }): Promise<number> {
  const missing = await prisma.article.findMany({ where: { ...live, publicForm: null }, select: { id: true } })
  await restore(writes, missing.map((article) => article.id))
  return missing.length
}
