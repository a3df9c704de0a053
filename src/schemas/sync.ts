// The sync feed: everything an integrator needs to keep a copy in step, read
// from the change log (src/services/sync-service.ts).
import { z } from 'zod'
import { Id, Timestamp } from './common.ts'
import { Article } from './article.ts'
import { Author } from './author.ts'
import { Image } from './image.ts'

export const syncTypes = ['article', 'author', 'image'] as const
export const SyncType = z.enum(syncTypes)
export type SyncType = z.infer<typeof SyncType>

const Token = z.string().min(1).max(512)

export const SyncQuery = z.strictObject({
  syncToken: Token.optional()
    .meta({ description: 'The `nextSyncToken` of your last sync: only what changed since. Without it (and without `pageToken`), the first sync: everything there is.' }),
  pageToken: Token.optional()
    .meta({ description: 'The `nextPageToken` of the previous page of this sync' }),
  types: z.string().max(100).optional()
    .transform((value, context) => {
      if (value === undefined) return undefined
      const types = value.split(',').map((type) => type.trim())
      const unknown = types.filter((type) => !(syncTypes as readonly string[]).includes(type))
      if (unknown.length > 0 || types.length === 0) {
        context.addIssue({ code: 'custom', message: `must be a comma-separated list of ${syncTypes.join(', ')}` })
        return z.NEVER
      }
      return [...new Set(types)] as SyncType[]
    })
    .pipe(z.array(SyncType).optional())
    .meta({ description: 'Only these kinds of items, e.g. `article` or `article,author` (default: every kind you may read; images need a staff key). Send the same value with every call of one sync.', example: 'article,author' }),
  drafts: z.enum(['true', 'false']).optional().transform((value) => value === 'true')
    .meta({ description: 'Integrator, editor and admin keys: drafts too, as they are now (default: published stories only, as the public sees them)' }),
  limit: z.coerce.number().int().min(1).max(500).default(100)
    .meta({ description: 'Items per page (1–500) on the first sync; on later syncs, changes read per page' })
})
export type SyncQuery = z.output<typeof SyncQuery>

const upsert = <T extends z.ZodType>(type: SyncType, data: T) => z.object({
  type: z.literal(type),
  id: Id,
  data: data.meta({ description: `The ${type} as it is now` })
})

export const SyncArticle = upsert('article', Article).meta({ id: 'SyncArticle', description: 'A story created or changed since the last sync (its current public form, or its live form with `drafts=true`)' })
export const SyncAuthor = upsert('author', Author).meta({ id: 'SyncAuthor', description: 'An author created or changed since the last sync' })
export const SyncImage = upsert('image', Image).meta({ id: 'SyncImage', description: 'An image created or changed since the last sync (staff keys only)' })
export const SyncDeleted = z.object({ type: SyncType, id: Id, deletedAt: Timestamp })
  .meta({ id: 'SyncDeleted', description: 'Gone: remove your copy' })
export const SyncUnpublished = z.object({ type: z.literal('article'), id: Id, unpublishedAt: Timestamp })
  .meta({ id: 'SyncUnpublished', description: 'A story no longer published (it may come back): remove your public copy' })

export const SyncItem = z.union([SyncArticle, SyncAuthor, SyncImage, SyncDeleted, SyncUnpublished])
export type SyncItem = z.infer<typeof SyncItem>

export const SyncPage = z.object({
  items: z.array(SyncItem).meta({ description: 'In commit order on later syncs (each item once per page, at its last change); by kind and id on the first' }),
  nextPageToken: Token.nullable().meta({ description: 'More of this sync follows: call again with `pageToken` set to this' }),
  nextSyncToken: Token.nullable().meta({ description: 'On the last page: keep it, and send it as `syncToken` next time for what changed since' })
}).meta({
  id: 'SyncPage',
  examples: [{
    items: [
      { type: 'author', id: 'cmi4v1x0d0001qz8k5d7e2f4a', data: { id: 'cmi4v1x0d0001qz8k5d7e2f4a', slug: 'mara-lindqvist', name: 'Mara Lindqvist', title: 'Correspondent', organization: 'Continental Press', bio: null, url: null, version: 2, createdAt: '2026-11-24T09:30:00.000Z', updatedAt: '2026-11-25T08:00:00.000Z' } },
      { type: 'article', id: 'cmi4v1x0d0000qz8k3f2a9b1c', unpublishedAt: '2026-11-25T08:05:00.000Z' },
      { type: 'article', id: 'cmi4v1x0d0009qz8k1a2b3c4d', deletedAt: '2026-11-25T08:06:00.000Z' }
    ],
    nextPageToken: null,
    nextSyncToken: 'eyJwIjo0Mn0'
  }]
})
