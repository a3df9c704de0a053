import { z } from 'zod'
import { ArticleSummary } from './article.ts'
import { Timestamp, pageOf } from './common.ts'

export const TrashedArticle = ArticleSummary.extend({
  deletedAt: Timestamp.meta({ description: 'When it was moved to the trash; it is deleted for good TRASH_RETENTION_DAYS later (unless the server keeps the trash for good)' }),
  deletedBy: z.string().nullable().meta({ description: 'The name of the key that moved it there (the audit trail has the rest)' })
}).meta({ id: 'TrashedArticle', description: 'An article in the trash, without its body: hidden from everyone, restorable with `POST /v1/articles/{id}/restore`' })
export type TrashedArticle = z.infer<typeof TrashedArticle>

export const TrashPage = pageOf(TrashedArticle).meta({ id: 'TrashPage' })

/** DELETE /v1/articles/{id}: to the trash, or (admin) for good. */
export const ArticleDeleteQuery = z.strictObject({
  permanent: z.enum(['true', 'false']).default('false').transform((value) => value === 'true')
    .meta({ description: 'Delete for good instead of moving it to the trash (admin keys only; a trashed article too). Related links to it in other articles are removed in the same transaction.' })
})
