import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { BylineListResponse, BylinesReplace } from '../../../schemas/article.ts'
import { IdParams, problemResponses } from '../../../schemas/common.ts'
import { writeContextOf } from '../../write-context.ts'

const bylineRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { articles } = fastify.services

  fastify.get('/:id/bylines', {
    config: { access: 'read' },
    schema: {
      tags: ['Bylines'],
      operationId: 'listBylines',
      summary: 'Get an article\'s byline',
      description: 'The ordered byline, each entry with its author embedded.',
      params: IdParams,
      response: { 200: BylineListResponse, ...problemResponses(404) }
    }
  }, async (request) => ({ data: await articles.getBylines(request.params.id, { includeDrafts: request.canReadDrafts }) }))

  fastify.put('/:id/bylines', {
    config: { access: 'write' },
    schema: {
      tags: ['Bylines'],
      operationId: 'replaceBylines',
      summary: 'Replace an article\'s byline',
      description: 'Sets the whole ordered byline in one transaction. Unknown author ids are a 422 naming each entry.',
      params: IdParams,
      body: BylinesReplace,
      response: { 200: BylineListResponse, ...problemResponses(404, 422) }
    }
  }, async (request) => ({ data: await articles.replaceBylines(request.params.id, request.body.data, writeContextOf(request)) }))
}

export default bylineRoutes
