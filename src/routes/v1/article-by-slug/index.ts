import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article, SlugParams } from '../../../schemas/article.ts'
import { problemResponses } from '../../../schemas/common.ts'

/**
 * A story page's read: the article by its slug. Its own path, because
 * `/v1/articles/slug/{slug}` (kept, deprecated) can also be read as
 * `/v1/articles/{id}/bylines` when the slug is "bylines".
 */
const articleBySlugRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/:slug', {
    config: { access: 'read' },
    schema: {
      tags: ['Articles'],
      operationId: 'getArticleBySlug',
      summary: 'Get an article by slug',
      description: 'What a front end calls to render a story page: the article with its bylines, lead image and body. Drafts are visible to editor, integrator and admin keys only.',
      params: SlugParams,
      response: { 200: Article, ...problemResponses(404) }
    }
  }, async (request) => await fastify.services.articles.getBySlug(request.params.slug, { includeDrafts: request.canReadDrafts }))
}

export default articleBySlugRoutes
