// The bulk export: every author, image and story as NDJSON records (see
// schemas/bulk.ts), read in batches in creation order, so that memory stays
// the same however large the database is. Records hold what is stored, ids
// and dates included; `POST /v1/import` reads them back.
import type { Db } from '../db/client.ts'
import { correctionsOf } from '../db/article-mapper.ts'
import { toAuthor } from '../db/author-mapper.ts'
import { toImage } from '../db/image-mapper.ts'
import { everything } from './read-scope.ts'
import { oldestFirst } from '../db/pagination.ts'
import type { Prisma } from '../db/client.ts'
import type { Author as AuthorRow, Image as ImageRow } from '../generated/sqlite/client.ts'
import { bulkFormat, bulkFormatVersion, type BulkType } from '../schemas/bulk.ts'
import type { ArticleStatus, BlockInput, BylineRole } from '../schemas/article.ts'

const batchSize = 200

export const articleRecordInclude = {
  bylines: { orderBy: { position: 'asc' }, select: { authorId: true, role: true } },
  body: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
  previousSlugs: { select: { slug: true }, orderBy: [{ createdAt: 'asc' }, { slug: 'asc' }] }
} satisfies Prisma.ArticleInclude

export type ArticleRecordRow = Prisma.ArticleGetPayload<{ include: typeof articleRecordInclude }>

/** An author as a record: what a staff read shows, but the version (each database counts its own edits). */
export function authorRecord (row: AuthorRow) {
  const { version: _version, ...record } = toAuthor(row, everything)
  return record
}

/** An image as a record: the stored fields, without the version and the derived credit line. */
export function imageRecord (row: ImageRow) {
  const { version: _version, creditLine: _creditLine, ...record } = toImage(row)
  return record
}

function blockRecord (row: ArticleRecordRow['body'][number]): BlockInput {
  const id = row.id
  switch (row.type) {
    case 'heading': return { id, type: 'heading', text: row.text ?? '', level: row.level ?? 2 }
    case 'quote': return { id, type: 'quote', text: row.text ?? '', attribution: row.attribution }
    case 'ad_slot': return { id, type: 'ad_slot', slot: row.slot }
    case 'image': return { id, type: 'image', imageId: row.imageId ?? '' }
    case 'related_link': return { id, type: 'related_link', articleId: row.targetArticleId, url: row.url, text: row.text ?? '' }
    default: return { id, type: 'paragraph', text: row.text ?? '' }
  }
}

/** An article as a record, with its old slugs and when it was trashed (the export's form). */
export function articleRecord (row: ArticleRecordRow) {
  const { id, slug, ...content } = articleContent(row)
  return { id, slug, previousSlugs: row.previousSlugs.map((previous) => previous.slug), ...content, deletedAt: row.deletedAt?.toISOString() ?? null }
}

/** An article's own content as a record, referring to what it shows by id (a revision's form; the export adds the old slugs). */
export function articleContent (row: Omit<ArticleRecordRow, 'previousSlugs' | 'bylines'> & { bylines: Array<{ authorId: string, role: string }> }) {
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    seoTitle: row.seoTitle,
    dek: row.dek,
    section: row.section,
    tags: Array.isArray(row.tags) ? row.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    dateline: row.dateline,
    language: row.language,
    status: row.status as ArticleStatus,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    displayUpdatedAt: row.displayUpdatedAt?.toISOString() ?? null,
    editorsNote: row.editorsNote,
    corrections: correctionsOf(row.corrections),
    externalUri: row.externalUri,
    translationGroupId: row.translationGroupId,
    leadImageId: row.leadImageId,
    bylines: row.bylines.map((byline) => ({ authorId: byline.authorId, role: byline.role as BylineRole })),
    body: row.body.map(blockRecord),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

export type AuthorRecordOut = ReturnType<typeof authorRecord>
export type ImageRecordOut = ReturnType<typeof imageRecord>
export type ArticleRecordOut = ReturnType<typeof articleRecord>

export type ExportLine =
  | { type: 'header', data: { format: typeof bulkFormat, version: typeof bulkFormatVersion, exportedAt: string, syncToken: string } }
  | { type: 'author', data: AuthorRecordOut }
  | { type: 'image', data: ImageRecordOut }
  | { type: 'article', data: ArticleRecordOut }
  | { type: 'end', data: Record<`${BulkType}s`, number> }

/** Reads a whole table in creation order, `batchSize` rows at a time. */
async function * batches<T extends { createdAt: Date, id: string }> (read: (after: Record<string, unknown>, take: number) => Promise<T[]>): AsyncGenerator<T> {
  let cursor: string | undefined
  for (;;) {
    const rows = await read(oldestFirst.after(cursor), batchSize)
    yield * rows
    if (rows.length < batchSize) return
    cursor = oldestFirst.encode(rows.at(-1)!)
  }
}

export function createBulkExport ({ prisma, tokenForNow }: { prisma: Db, tokenForNow: () => Promise<string> }) {
  return {
    /** The export, line by line: a header, the records of `types`, an end line with the counts. */
    async * lines (types: readonly BulkType[]): AsyncGenerator<ExportLine> {
      // Taken first: a change made while the export runs is in the sync feed after this token.
      const syncToken = await tokenForNow()
      yield { type: 'header', data: { format: bulkFormat, version: bulkFormatVersion, exportedAt: new Date().toISOString(), syncToken } }
      const counts = { authors: 0, images: 0, articles: 0 }
      const { orderBy } = oldestFirst
      if (types.includes('author')) {
        for await (const row of batches((where, take) => prisma.author.findMany({ where, orderBy, take }))) {
          counts.authors++
          yield { type: 'author', data: authorRecord(row) }
        }
      }
      if (types.includes('image')) {
        for await (const row of batches((where, take) => prisma.image.findMany({ where, orderBy, take }))) {
          counts.images++
          yield { type: 'image', data: imageRecord(row) }
        }
      }
      if (types.includes('article')) {
        for await (const row of batches((where, take) => prisma.article.findMany({ where, orderBy, take, include: articleRecordInclude }))) {
          counts.articles++
          yield { type: 'article', data: articleRecord(row) }
        }
      }
      yield { type: 'end', data: counts }
    }
  }
}

export type BulkExport = ReturnType<typeof createBulkExport>
