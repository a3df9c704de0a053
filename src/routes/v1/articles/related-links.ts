import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { IdParams, problemResponses } from '../../../schemas/common.ts'
import { writeContextOf } from '../../write-context.ts'
import { LinkParams, RelatedLink, RelatedLinkCreate, RelatedLinkListResponse, RelatedLinkUpdate } from '../../../schemas/related-link.ts'

const tags = ['Related links']

const relatedLinkRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { relatedLinks } = fastify.services

  fastify.get('/:id/related-links', {
    config: { access: 'read' },
    schema: {
      tags,
      operationId: 'listRelatedLinks',
      summary: 'List the related links in an article\'s body',
      description: 'In body order; `position` is each link\'s index in the body.',
      params: IdParams,
      response: { 200: RelatedLinkListResponse, ...problemResponses(404) }
    }
  }, async (request) => ({ data: await relatedLinks.list(request.params.id, { includeDrafts: request.canReadDrafts }) }))

  fastify.post('/:id/related-links', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'createRelatedLink',
      summary: 'Add a related link to an article\'s body',
      description: 'Inserts the link at `position` (a body index; last when omitted). It points at one of our articles (`articleId`) or an external `url`, exactly one.',
      params: IdParams,
      body: RelatedLinkCreate,
      response: { 201: RelatedLink, ...problemResponses(404, 422) }
    }
  }, async (request, reply) => {
    const link = await relatedLinks.create(request.params.id, request.body, writeContextOf(request))
    return await reply.code(201).header('location', `/v1/articles/${request.params.id}/related-links/${link.id}`).send(link)
  })

  fastify.patch('/:id/related-links/:linkId', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'updateRelatedLink',
      summary: 'Change or move a related link',
      description: 'Changes the text or target, or moves the link to another body `position`. Setting `articleId` clears `url` and the other way round.',
      params: LinkParams,
      body: RelatedLinkUpdate,
      response: { 200: RelatedLink, ...problemResponses(404, 422) }
    }
  }, async (request) => await relatedLinks.update(request.params.id, request.params.linkId, request.body, writeContextOf(request)))

  fastify.delete('/:id/related-links/:linkId', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'deleteRelatedLink',
      summary: 'Remove a related link from an article\'s body',
      description: 'The other blocks keep their order.',
      params: LinkParams,
      response: { 204: z.undefined().describe('Deleted'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    await relatedLinks.remove(request.params.id, request.params.linkId, writeContextOf(request))
    return await reply.code(204).send()
  })
}

export default relatedLinkRoutes
