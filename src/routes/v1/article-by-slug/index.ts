import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article, SlugParams } from '../../../schemas/article.ts'
import { problemResponses } from '../../../schemas/common.ts'
import { notFound } from '../../../errors.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { ConditionalReadHeaders, articleInFormats, notModified, readArticle, storedReadHeaders } from '../../stored-representation.ts'
import { FormatQuery } from '../../../schemas/formats.ts'
import { negotiatedFormat } from '../../../formats/negotiation.ts'

/** The schema parts shared with the deprecated `/v1/articles/slug/{slug}`. */
export const articleBySlugSchema = {
  params: SlugParams,
  querystring: FormatQuery,
  headers: ConditionalReadHeaders,
  [routeHeadersKey]: { 200: storedReadHeaders, 304: storedReadHeaders },
  response: { 200: articleInFormats(Article), 304: notModified, ...problemResponses(404) }
}

/** Editors get the article from the tables, drafts included; everyone else its stored public JSON. */
export function readArticleBySlug (fastify: FastifyInstance) {
  return async (request: FastifyRequest<{ Params: { slug: string }, Querystring: FormatQuery }>, reply: FastifyReply) => {
    const { slug } = request.params
    return await readArticle(request, reply, {
      format: negotiatedFormat(request.query.format, request.headers.accept),
      live: async () => await fastify.services.articles.getBySlug(slug, { includeDrafts: true }),
      stored: async () => await fastify.services.publicArticles.bySlug(slug),
      missing: () => notFound('Article', `with slug "${slug}"`)
    })
  }
}

/**
 * A story page's read: the article by its slug. Its own path, because
 * `/v1/articles/slug/{slug}` (kept, deprecated) can also be read as
 * `/v1/articles/{id}/bylines` when the slug is "bylines".
 */
const articleBySlugRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/:slug', {
    config: { access: 'read', storedRead: 'by-slug' },
    schema: {
      tags: ['Articles'],
      operationId: 'getArticleBySlug',
      summary: 'Get an article by slug',
      description: 'What a front end calls to render a story page: the article with its bylines, lead image and body. Published articles read without a key (or with a reader key) come from their stored public JSON, with an `ETag`: send it back in `If-None-Match` for a 304. `?format=` (or `Accept: application/ld+json`) answers the same story as IPTC ninjs 3.1 or 2.2, or schema.org NewsArticle in JSON-LD, under the same rules: drafts only for keys that see drafts.',
      ...articleBySlugSchema
    }
  }, readArticleBySlug(fastify))
}

export default articleBySlugRoutes
