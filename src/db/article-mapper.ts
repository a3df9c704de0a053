import type { Prisma } from './client.ts'
import type { Article as ArticleColumns, Author as AuthorRow, Byline as BylineColumns, BodyBlock as BlockColumns, Image as ImageRow } from '../generated/sqlite/client.ts'
import { toAuthor } from './author-mapper.ts'
import { toImage } from './image-mapper.ts'
import type { Article, ArticleSummary, Block, BlockInput, Byline, Correction } from '../schemas/article.ts'
import type { RelatedLink } from '../schemas/related-link.ts'
import type { ArticleReference } from '../errors.ts'
import { everything, type ReadScope } from '../services/read-scope.ts'

/** What an embedded link target shows: enough to render the link (status decides who may see it). */
export const linkTargetSelect = { id: true, slug: true, headline: true, status: true, deletedAt: true } satisfies Prisma.ArticleSelect

export type LinkTargetRow = Prisma.ArticleGetPayload<{ select: typeof linkTargetSelect }>
type LinkTarget = LinkTargetRow | null
export type { AuthorRow, ImageRow }

/**
 * Drafts and trashed stories are invisible to the public: a link to one is left
 * out of what they see (and comes back when the story is published or restored).
 * Staff see every link the body holds, so that a save of what they read keeps it.
 */
export function visibleTarget (target: LinkTarget, includeDrafts: boolean): boolean {
  return target === null || includeDrafts || (target.status === 'published' && target.deletedAt === null)
}

function reference (target: LinkTarget): ArticleReference | null {
  return target === null ? null : { id: target.id, slug: target.slug, headline: target.headline }
}

export const bodyInclude = {
  orderBy: [{ position: 'asc' }, { id: 'asc' }],
  include: { image: true, targetArticle: { select: linkTargetSelect } }
} satisfies Prisma.Article$bodyArgs

export const bylinesInclude = {
  orderBy: { position: 'asc' },
  include: { author: true }
} satisfies Prisma.Article$bylinesArgs

/** What a translation shows, and what decides who may see it. */
export const translationSelect = { id: true, language: true, slug: true, headline: true, status: true, deletedAt: true } satisfies Prisma.ArticleSelect
export type TranslationRow = Prisma.ArticleGetPayload<{ select: typeof translationSelect }>

/** The article's translation group with every version (itself included). */
export const translationGroupInclude = { select: { articles: { select: translationSelect } } } satisfies Prisma.Article$translationGroupArgs

/** What a list item embeds: the article without its body. */
export const summaryInclude = {
  leadImage: true,
  bylines: bylinesInclude,
  translationGroup: translationGroupInclude
} satisfies Prisma.ArticleInclude

/** The one read shape of an article: everything the response embeds. */
export const articleInclude = {
  ...summaryInclude,
  body: bodyInclude
} satisfies Prisma.ArticleInclude

export type SummaryRow = Prisma.ArticleGetPayload<{ include: typeof summaryInclude }>
export type ArticleRow = Prisma.ArticleGetPayload<{ include: typeof articleInclude }>
export type BlockRow = ArticleRow['body'][number]
type BylineRow = ArticleRow['bylines'][number]

/** The rows an article's bylines, images and related links point at, by id. */
export interface ReferencedRows {
  authors: ReadonlyMap<string, AuthorRow>
  images: ReadonlyMap<string, ImageRow>
  articles: ReadonlyMap<string, LinkTargetRow>
}

/**
 * The row `findUnique({ include: articleInclude })` would read, built from the
 * columns just written (bylines and blocks in position order) and the rows
 * they refer to, all of which the write has checked exist.
 */
export function assembleArticleRow (article: ArticleColumns, bylines: BylineColumns[], blocks: BlockColumns[], referenced: ReferencedRows, translations: TranslationRow[] = []): ArticleRow {
  const found = <T>(rows: ReadonlyMap<string, T>, id: string | null): T | null => id === null ? null : rows.get(id) ?? null
  return {
    ...article,
    translationGroup: article.translationGroupId === null ? null : { articles: translations },
    leadImage: found(referenced.images, article.leadImageId),
    bylines: bylines.map((byline) => ({ ...byline, author: referenced.authors.get(byline.authorId)! })),
    body: blocks.map((block) => ({ ...block, image: found(referenced.images, block.imageId), targetArticle: found(referenced.articles, block.targetArticleId) }))
  }
}

export function toByline (row: BylineRow, scope: ReadScope = everything): Byline {
  return { authorId: row.authorId, role: row.role as Byline['role'], author: toAuthor(row.author, scope) }
}

export function toBlock (row: BlockRow): Block | null {
  switch (row.type) {
    case 'paragraph': return { id: row.id, type: 'paragraph', text: row.text ?? '' }
    case 'heading': return { id: row.id, type: 'heading', text: row.text ?? '', level: row.level ?? 2 }
    case 'quote': return { id: row.id, type: 'quote', text: row.text ?? '', attribution: row.attribution }
    case 'ad_slot': return { id: row.id, type: 'ad_slot', slot: row.slot }
    case 'image':
      // The foreign key keeps the image while the block exists.
      return row.image === null ? null : { id: row.id, type: 'image', imageId: row.image.id, image: toImage(row.image) }
    case 'related_link':
      return { id: row.id, type: 'related_link', articleId: row.targetArticleId, url: row.url, text: row.text ?? '', article: reference(row.targetArticle) }
    default:
      return null // a block type this version does not know: leave it out rather than fail the page
  }
}

export function toRelatedLink (row: BlockRow, position: number): RelatedLink {
  return { id: row.id, position, articleId: row.targetArticleId, url: row.url, text: row.text ?? '', article: reference(row.targetArticle) }
}

/** The tags column: the list as written (JSON). */
export function tagsOf (value: unknown): string[] {
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : []
}

/** The corrections column: null (none yet) or the list as written. */
export function correctionsOf (value: unknown): Correction[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is Correction => typeof entry?.text === 'string' && typeof entry?.date === 'string')
    : []
}

/**
 * The other versions of the article's story the reader may see, by language:
 * never one in the trash; for the public, published ones only.
 */
function translationsOf (row: SummaryRow, scope: ReadScope): Article['translations'] {
  return (row.translationGroup?.articles ?? [])
    .filter((version) => version.id !== row.id && version.deletedAt === null && (scope.includeDrafts || version.status === 'published'))
    .sort((a, b) => a.language < b.language ? -1 : a.language > b.language ? 1 : 0)
    .map(({ id, language, slug, headline }) => ({ id, language, slug, headline }))
}

/** A list item: the article without its body (the same fields, in the same order). */
export function toArticleSummary (row: SummaryRow, scope: ReadScope = everything): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    seoTitle: row.seoTitle,
    dek: row.dek,
    section: row.section,
    tags: tagsOf(row.tags),
    dateline: row.dateline,
    language: row.language,
    status: row.status as Article['status'],
    publishedAt: row.publishedAt?.toISOString() ?? null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    displayUpdatedAt: row.displayUpdatedAt?.toISOString() ?? null,
    editorsNote: row.editorsNote,
    corrections: correctionsOf(row.corrections),
    leadImageId: row.leadImageId,
    leadImage: row.leadImage === null ? null : toImage(row.leadImage),
    bylines: row.bylines.map((byline) => toByline(byline, scope)),
    translationGroupId: row.translationGroupId,
    translations: translationsOf(row, scope),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

export function toArticle (row: ArticleRow, scope: ReadScope = everything): Article {
  const { version, createdAt, updatedAt, ...summary } = toArticleSummary(row, scope)
  return {
    ...summary,
    body: row.body
      .filter((block) => visibleTarget(block.targetArticle, scope.includeDrafts))
      .map(toBlock)
      .filter((block): block is Block => block !== null),
    version,
    createdAt,
    updatedAt
  }
}

/** The columns of a BodyBlock, in the order raw inserts name them. */
export const bodyColumns = ['id', 'articleId', 'position', 'type', 'text', 'level', 'attribution', 'slot', 'url', 'imageId', 'targetArticleId'] as const

/** A body block as a complete row (every column, null where the block has none). */
export function blockRow (block: BlockInput, articleId: string, position: number, id: string): BlockColumns {
  const columns = blockColumns(block, articleId, position, id)
  return Object.fromEntries(bodyColumns.map((column) => [column, columns[column] ?? null])) as BlockColumns
}

/** The row for one body block as stored; `position` is its index in the body. */
export function blockColumns (block: BlockInput, articleId: string, position: number, id: string | undefined): Prisma.BodyBlockCreateManyInput {
  const base = { ...(id !== undefined && { id }), articleId, position, type: block.type }
  switch (block.type) {
    case 'paragraph': return { ...base, text: block.text }
    case 'heading': return { ...base, text: block.text, level: block.level ?? 2 }
    case 'quote': return { ...base, text: block.text, attribution: block.attribution ?? null }
    case 'ad_slot': return { ...base, slot: block.slot ?? null }
    case 'image': return { ...base, imageId: block.imageId }
    case 'related_link': return { ...base, text: block.text, targetArticleId: block.articleId ?? null, url: block.url ?? null }
  }
}
