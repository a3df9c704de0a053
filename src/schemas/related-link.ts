import { z } from 'zod'
import { ArticleReference, Id, exampleIds, ListQuery, linkTargetOneOf, pageOf, readOnly } from './common.ts'
import { RelatedLinkFields } from './article.ts'

export const RelatedLink = z.object({
  id: Id.meta({ description: 'The link\'s id; it is also the id of its block in the body' }),
  position: z.number().int().meta({ description: 'Zero-based index of the link in the article body' }),
  articleId: Id.nullable(),
  url: z.string().nullable(),
  text: z.string(),
  article: ArticleReference.nullable()
}).meta({ ...linkTargetOneOf, id: 'RelatedLink', description: 'An embedded link to another story, placed between paragraphs' })
export type RelatedLink = z.infer<typeof RelatedLink>

const position = z.number().int().min(0).max(10_000)
  .meta({ description: 'Zero-based index in the body to place the link at; past the end means last' })

const relatedLinkExample = { position: 3, articleId: exampleIds.linkedArticle, text: 'Read more: how the viaduct was rebuilt' }

export const RelatedLinkCreate = z.strictObject({ position: position.optional(), ...RelatedLinkFields })
  .meta({ ...linkTargetOneOf, id: 'RelatedLinkCreate', examples: [relatedLinkExample] })
export type RelatedLinkCreate = z.infer<typeof RelatedLinkCreate>

export const RelatedLinkUpdate = z.strictObject({
  position: position.optional(),
  articleId: RelatedLinkFields.articleId,
  url: RelatedLinkFields.url,
  text: RelatedLinkFields.text.optional(),
  // What a GET adds: a link from the list can be edited and sent back as it is.
  id: readOnly(Id),
  article: readOnly(ArticleReference.nullable())
}).meta({ id: 'RelatedLinkUpdate', examples: [{ text: 'Background: the landslide in March' }, { position: 0 }] })
export type RelatedLinkUpdate = z.infer<typeof RelatedLinkUpdate>

export const RelatedLinkListResponse = z.object({ data: z.array(RelatedLink) }).meta({ id: 'RelatedLinkList' })

export const LinkParams = z.object({ id: Id, linkId: Id })

export const IncomingLink = z.object({
  id: Id.meta({ description: 'The link\'s id' }),
  text: z.string(),
  source: ArticleReference.meta({ description: 'The article whose body holds the link' })
}).meta({ id: 'IncomingLink' })
export type IncomingLink = z.infer<typeof IncomingLink>

export const IncomingLinkQuery = ListQuery.extend({
  articleId: Id.meta({ description: 'The linked-to article' })
})
export type IncomingLinkQuery = z.infer<typeof IncomingLinkQuery>
export const IncomingLinkPage = pageOf(IncomingLink).meta({ id: 'IncomingLinkPage' })
