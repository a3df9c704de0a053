import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { BylineListResponse, BylinesReplace } from '../../../schemas/article.ts'
import { IdParams, problemResponses } from '../../../schemas/common.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { writeContextOf } from '../../write-context.ts'
import { IfMatchHeaders, preconditionOf, versionEtag } from '../../if-match.ts'

// The byline is part of its article: reading it gives the article's ETag, and
// replacing it is an edit of the article (If-Match takes the article's ETag).
const bylineRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { articles } = fastify.services

  fastify.get('/:id/bylines', {
    config: { access: 'read' },
    schema: {
      tags: ['Bylines'],
      operationId: 'listBylines',
      summary: 'Get an article\'s byline',
      description: 'The ordered byline, each entry with its author embedded. With a key that sees drafts, the `ETag` is the article\'s.',
      params: IdParams,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: BylineListResponse, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const { bylines, version } = await articles.getBylines(request.params.id, { includeDrafts: request.canReadDrafts })
    if (request.canReadDrafts) void reply.header('etag', versionEtag(request.params.id, version))
    return { data: bylines }
  })

  fastify.put('/:id/bylines', {
    config: { access: 'write' },
    schema: {
      tags: ['Bylines'],
      operationId: 'replaceBylines',
      summary: 'Replace an article\'s byline',
      description: 'Sets the whole ordered byline in one transaction. Unknown author ids are a 422 naming each entry. An edit of the article: `If-Match` takes the article\'s `ETag`, and the answer carries its new one.',
      params: IdParams,
      headers: IfMatchHeaders,
      body: BylinesReplace,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: BylineListResponse, ...problemResponses(404, 412, 428, 422) }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const { bylines, version } = await articles.replaceBylines(id, request.body.data, writeContextOf(request), preconditionOf(request, id))
    return await reply.header('etag', versionEtag(id, version)).send({ data: bylines })
  })
}

export default bylineRoutes
