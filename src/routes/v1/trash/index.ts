import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ListQuery } from '../../../schemas/common.ts'
import { TrashPage } from '../../../schemas/trash.ts'

const trashRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Articles'],
      operationId: 'listTrash',
      summary: 'List the trash',
      description: 'Articles moved to the trash (`DELETE /v1/articles/{id}`), most recently trashed first, without their bodies, each with `deletedAt` and who trashed it. Nowhere else are they found; restore one with `POST /v1/articles/{id}/restore`. The server deletes them for good TRASH_RETENTION_DAYS after `deletedAt`. Page with `limit` and the `nextCursor` of the previous page.',
      querystring: ListQuery,
      response: { 200: TrashPage }
    }
  }, async (request) => await fastify.services.articles.listTrash(request.query))
}

export default trashRoutes
