// Bulk NDJSON: `GET /v1/export` writes one record per line, `POST /v1/import`
// reads the same records back. A record holds what is stored, ids and dates
// included, and refers to other records by id (no embedded copies), so that an
// export imported into an empty database gives the same content.
import { z } from 'zod'
import { ArticleStatus, BlockInput, BylineInput, articleFields } from './article.ts'
import { authorFields } from './author.ts'
import { imageFields } from './image.ts'
import { Id, Problem, Slug, Timestamp, problemExamples } from './common.ts'
import { errorCodes } from '../errors.ts'

export const bulkFormat = 'newsroom-cms-ndjson'
export const bulkFormatVersion = 1

const identity = {
  id: Id.meta({ description: 'Kept as given: a record with the id of an existing item replaces it, otherwise it is created with that id' }),
  createdAt: Timestamp.optional().meta({ description: 'Kept as given; now (or the existing item\'s) when absent' }),
  updatedAt: Timestamp.optional().meta({ description: 'Kept as given; the time of the import when absent and the item changes' })
}

export const AuthorRecord = z.strictObject({ ...authorFields, ...identity })
  .meta({ id: 'AuthorRecord', description: 'An author; `slug` derived from the name when absent (an existing author keeps its own)' })
export type AuthorRecord = z.infer<typeof AuthorRecord>

export const ImageRecord = z.strictObject({ ...imageFields, ...identity })
  .meta({ id: 'ImageRecord', description: 'An image with its credit' })
export type ImageRecord = z.infer<typeof ImageRecord>

// A record names its translation group by id (translationOf is the API's way in; translations are read from the group).
const { translationOf, translations, ...recordFields } = articleFields

export const ArticleRecord = z.strictObject({
  ...recordFields,
  translationGroupId: Id.nullable().optional()
    .meta({ description: 'The story\'s translation group: records with the same one are language versions of one story (one per language). Kept when absent' }),
  ...identity,
  status: ArticleStatus.optional().meta({ description: '"draft" when absent' }),
  publishedAt: Timestamp.nullable().optional()
    .meta({ description: 'The first publication, kept as given (a backdated story keeps its date); the time of the import for a published story that has none' }),
  previousSlugs: z.array(Slug).max(100).optional()
    .meta({ description: 'Slugs the story had before: each answers 301 to the current one. Kept when absent' }),
  externalUri: z.string().min(1).max(2000).nullable().optional()
    .meta({ description: 'The uri of the ninjs document the story was imported from; kept when absent' }),
  deletedAt: Timestamp.nullable().optional()
    .meta({ description: 'When the story was moved to the trash (null: it is not in the trash); kept when absent. A story imported with one is in the trash, as it was exported' }),
  bylines: z.array(BylineInput).max(50).optional(),
  body: z.array(BlockInput).max(1000).optional()
    .meta({ description: 'Ordered blocks; each keeps its `id` when given. A related link may point at a story later in the same import.' })
}).meta({ id: 'ArticleRecord', description: 'A story with its bylines and body, referring to authors, images and other stories by id' })
export type ArticleRecord = z.infer<typeof ArticleRecord>

export const BulkHeader = z.object({
  format: z.literal(bulkFormat),
  version: z.literal(bulkFormatVersion),
  exportedAt: Timestamp,
  syncToken: z.string().meta({ description: 'A `GET /v1/sync` token from just before the export began: sync from it to get every change made since (some may already be in the export; applying them again is harmless)' })
}).meta({ id: 'BulkHeader' })

export const BulkEnd = z.object({
  authors: z.number().int(),
  images: z.number().int(),
  articles: z.number().int()
}).meta({ id: 'BulkEnd', description: 'How many records of each kind came before: a file without this line was cut short' })

export const ExportLine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), data: BulkHeader }),
  z.object({ type: z.literal('author'), data: AuthorRecord }),
  z.object({ type: z.literal('image'), data: ImageRecord }),
  z.object({ type: z.literal('article'), data: ArticleRecord }),
  z.object({ type: z.literal('end'), data: BulkEnd })
]).meta({
  id: 'BulkLine',
  description: 'One line of the NDJSON: a header first, then every author, every image and every story (oldest first), then an end line with the counts',
  examples: [{ type: 'author', data: { id: 'cmi4v1x0d0000qz8k3f2a9b1c', slug: 'mara-lindqvist', name: 'Mara Lindqvist', title: 'Correspondent', organization: 'Continental Press', bio: null, email: null, url: null, createdAt: '2026-11-24T09:30:00.000Z', updatedAt: '2026-11-24T09:30:00.000Z' } }]
})

export const ImportRecord = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('author'), data: AuthorRecord }),
  z.strictObject({ type: z.literal('image'), data: ImageRecord }),
  z.strictObject({ type: z.literal('article'), data: ArticleRecord }),
  // An export's own header and end lines are read and skipped.
  z.strictObject({ type: z.literal('header'), data: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('end'), data: z.record(z.string(), z.unknown()) })
])
export type ImportRecord = z.infer<typeof ImportRecord>

export const bulkTypes = ['author', 'image', 'article'] as const
export type BulkType = typeof bulkTypes[number]

export const ExportQuery = z.strictObject({
  types: z.string().max(100).optional()
    .transform((value, context) => {
      if (value === undefined) return [...bulkTypes]
      const types = value.split(',').map((type) => type.trim())
      const unknown = types.filter((type) => !(bulkTypes as readonly string[]).includes(type))
      if (unknown.length > 0) {
        context.addIssue({ code: 'custom', message: `must be a comma-separated list of ${bulkTypes.join(', ')}` })
        return z.NEVER
      }
      return bulkTypes.filter((type) => types.includes(type))
    })
    .meta({ description: 'Only these kinds of records, e.g. `article` (default: all three)', example: 'author,image,article' })
})

export const ImportQuery = z.strictObject({
  atomic: z.enum(['true', 'false']).default('false').transform((value) => value === 'true')
    .meta({ description: '`true`: all or nothing; every line is checked first, and one bad line means nothing is written (422 naming each). Default: every good line is written, each in its own transaction, and the bad ones reported.' })
})

export const lineStatuses = ['created', 'replaced', 'unchanged', 'skipped', 'failed'] as const

export const LineProblem = z.object({
  code: z.enum(errorCodes).meta({ example: 'UNKNOWN_REFERENCE' }),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string().meta({ example: 'data.bylines.0.authorId' }), message: z.string() })).optional()
}).meta({ id: 'ImportLineProblem' })

export const ImportLineResult = z.object({
  line: z.number().int().meta({ description: 'Line number in the body, from 1' }),
  type: z.string().nullable().meta({ description: 'The record\'s type, when the line had one' }),
  id: z.string().nullable(),
  status: z.enum(lineStatuses).meta({ description: '`unchanged`: the record matched what is stored (nothing written); `skipped`: a header or end line; with `atomic=true`, `failed` lines mean nothing was written' }),
  problem: LineProblem.optional()
}).meta({ id: 'ImportLineResult' })
export type ImportLineResult = z.infer<typeof ImportLineResult>

export const ImportReport = z.object({
  atomic: z.boolean(),
  counts: z.object(Object.fromEntries(lineStatuses.map((status) => [status, z.number().int()])) as Record<typeof lineStatuses[number], z.ZodNumber>),
  lines: z.array(ImportLineResult)
}).meta({
  id: 'ImportReport',
  examples: [{
    atomic: false,
    counts: { created: 2, replaced: 0, unchanged: 0, skipped: 0, failed: 1 },
    lines: [
      { line: 1, type: 'author', id: 'cmi4v1x0d0000qz8k3f2a9b1c', status: 'created' },
      { line: 2, type: 'article', id: 'cmi4v3c8l0004qz8kd2e3f4g5', status: 'created' },
      { line: 3, type: 'article', id: 'story-3', status: 'failed', problem: { code: 'UNKNOWN_REFERENCE', detail: 'The record refers to items that are neither stored nor on a good line of this import', errors: [{ path: 'data.bylines.0.authorId', message: 'no author has the id "nobody", stored or on a good line of this import' }] } }
    ]
  }]
})
export type ImportReport = z.infer<typeof ImportReport>

export const ImportRejected = Problem.extend({
  lines: z.array(ImportLineResult).meta({ description: 'The lines that cannot be imported, each with its problem' })
}).meta({ id: 'ImportRejected', description: 'RFC 9457 problem details: an all-or-nothing import refused, nothing written' })

export const importRejectedExample = {
  ...problemExamples[422]!,
  type: 'urn:cms:problem:import-rejected',
  code: 'IMPORT_REJECTED' as const,
  detail: 'Nothing was imported: 1 line(s) cannot be (line 3: UNKNOWN_REFERENCE)',
  instance: '/v1/import',
  errors: undefined,
  lines: [{ line: 3, type: 'article', id: 'story-3', status: 'failed' as const, problem: { code: 'UNKNOWN_REFERENCE' as const, detail: 'The record refers to items that are neither stored nor on a good line of this import', errors: [{ path: 'data.bylines.0.authorId', message: 'no author has the id "nobody", stored or on a good line of this import' }] } }]
}
