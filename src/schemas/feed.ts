import { z } from 'zod'
import { Id } from './common.ts'
import { LanguageTag } from './article.ts'

export const FeedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'How many stories (1–100)' }),
  section: z.string().min(1).max(100).optional().meta({ description: 'Only stories in this section' }),
  tag: z.string().min(1).max(100).optional().meta({ description: 'Only stories with this tag' }),
  authorId: Id.optional().meta({ description: 'Only stories with this author in their byline (any role)' }),
  language: LanguageTag.optional().meta({ description: 'Only stories in this language (a feed per language: the feed then says its language)', example: 'es' })
})
export type FeedQuery = z.infer<typeof FeedQuery>

/** A feed's 200, for a route's `response`: XML of the given media type. */
export function feedResponse (mediaType: 'application/rss+xml' | 'application/atom+xml', description: string) {
  return { description, content: { [mediaType]: { schema: z.string().meta({ description: `An XML document (${mediaType}; charset=utf-8)` }) } } }
}
