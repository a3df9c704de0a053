import { z } from 'zod'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article, SlugParams } from '../../../schemas/article.ts'
import { problemResponses } from '../../../schemas/common.ts'
import { AppError, notFound } from '../../../errors.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { ConditionalReadHeaders, articleInFormats, notModified, readArticle, storedReadHeaders } from '../../stored-representation.ts'
import { FormatQuery } from '../../../schemas/formats.ts'
import { negotiatedFormat } from '../../../formats/negotiation.ts'

/** The schema parts shared with the deprecated `/v1/articles/slug/{slug}`. */
const movedPermanently = z.undefined().describe('Moved Permanently: the story\'s slug changed since; `Location` has its current URL (query string kept)')

export const articleBySlugSchema = {
  params: SlugParams,
  querystring: FormatQuery,
  headers: ConditionalReadHeaders,
  [routeHeadersKey]: { 200: storedReadHeaders, 301: ['Location'], 304: storedReadHeaders },
  response: { 200: articleInFormats(Article), 301: movedPermanently, 304: notModified, ...problemResponses(404) }
}

/**
 * Editors get the article from the tables, drafts included; everyone else its
 * stored public JSON. A slug the story had before answers 301 to its current one.
 */
export function readArticleBySlug (fastify: FastifyInstance) {
  return async (request: FastifyRequest<{ Params: { slug: string }, Querystring: FormatQuery }>, reply: FastifyReply) => {
    const { slug } = request.params
    try {
      return await readArticle(request, reply, {
        format: negotiatedFormat(request.query.format, request.headers.accept),
        live: async () => await fastify.services.articles.getBySlug(slug, { includeDrafts: true }),
        stored: async () => await fastify.services.publicArticles.bySlug(slug),
        missing: () => notFound('Article', `with slug "${slug}"`)
      })
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error
      const current = await fastify.services.articles.currentSlug(slug, { includeDrafts: request.canReadDrafts })
      if (current === null) throw error
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
      const path = (request.routeOptions.url ?? '/v1/article-by-slug/:slug').replace(':slug', encodeURIComponent(current))
      return await reply.code(301).header('location', `${path}${query}`).send()
    }
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
      description: 'What a front end calls to render a story page: the article with its bylines, lead image and body. A slug the story had when it was published before an editor changed it answers 301 with the current URL in `Location`, so links already shared keep working. Published articles read without a key (or with a reader key) come from their stored public JSON, with an `ETag`: send it back in `If-None-Match` for a 304. `?format=` (or `Accept: application/ld+json`) answers the same story as IPTC ninjs 3.1 or 2.2, or schema.org NewsArticle in JSON-LD, under the same rules: drafts only for keys that see drafts.',
      ...articleBySlugSchema
    }
  }, readArticleBySlug(fastify))
}

export default articleBySlugRoutes
