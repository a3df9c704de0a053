import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { problemResponses } from '../../../schemas/common.ts'
import { IncomingLinkPage, IncomingLinkQuery } from '../../../schemas/related-link.ts'

const incomingLinkRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'read' },
    schema: {
      tags: ['Related links'],
      operationId: 'listIncomingLinks',
      summary: 'Which articles link to an article',
      description: 'Every related link whose target is `articleId`, with the article that holds it. Useful before unpublishing or deleting a story.',
      querystring: IncomingLinkQuery,
      response: { 200: IncomingLinkPage, ...problemResponses(404) }
    }
  }, async (request) => await fastify.services.relatedLinks.incoming(request.query, { includeDrafts: request.canReadDrafts }))
}

export default incomingLinkRoutes
