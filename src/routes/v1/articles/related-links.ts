import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { IdParams, problemResponses } from '../../../schemas/common.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { writeContextOf } from '../../write-context.ts'
import { IfMatchHeaders, preconditionOf, versionEtag } from '../../if-match.ts'
import { LinkParams, RelatedLink, RelatedLinkCreate, RelatedLinkListResponse, RelatedLinkUpdate } from '../../../schemas/related-link.ts'

const tags = ['Related links']

// Related links are blocks of their article's body: reading them gives the
// article's ETag, and changing one is an edit of the article.
const asEdit = 'An edit of the article: `If-Match` takes the article\'s `ETag`, and the answer carries its new one.'

const relatedLinkRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { relatedLinks } = fastify.services

  fastify.get('/:id/related-links', {
    config: { access: 'read' },
    schema: {
      tags,
      operationId: 'listRelatedLinks',
      summary: 'List the related links in an article\'s body',
      description: 'In body order; `position` is each link\'s index in the body. With a key that sees drafts, the `ETag` is the article\'s.',
      params: IdParams,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: RelatedLinkListResponse, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const { links, version } = await relatedLinks.list(request.params.id, { includeDrafts: request.canReadDrafts })
    if (request.canReadDrafts) void reply.header('etag', versionEtag(request.params.id, version))
    return { data: links }
  })

  fastify.post('/:id/related-links', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'createRelatedLink',
      summary: 'Add a related link to an article\'s body',
      description: `Inserts the link at \`position\` (a body index; last when omitted). It points at one of our articles (\`articleId\`) or an external \`url\`, exactly one. ${asEdit}`,
      params: IdParams,
      headers: IfMatchHeaders,
      body: RelatedLinkCreate,
      [routeHeadersKey]: { 201: ['ETag'] },
      response: { 201: RelatedLink, ...problemResponses(404, 412, 428, 422) }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const { link, version } = await relatedLinks.create(id, request.body, writeContextOf(request), preconditionOf(request, id))
    return await reply.code(201).header('location', `/v1/articles/${id}/related-links/${link.id}`).header('etag', versionEtag(id, version)).send(link)
  })

  fastify.patch('/:id/related-links/:linkId', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'updateRelatedLink',
      summary: 'Change or move a related link',
      description: `Changes the text or target, or moves the link to another body \`position\`. Setting \`articleId\` clears \`url\` and the other way round. ${asEdit}`,
      params: LinkParams,
      headers: IfMatchHeaders,
      body: RelatedLinkUpdate,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: RelatedLink, ...problemResponses(404, 412, 428, 422) }
    }
  }, async (request, reply) => {
    const { id, linkId } = request.params
    const { link, version } = await relatedLinks.update(id, linkId, request.body, writeContextOf(request), preconditionOf(request, id))
    return await reply.header('etag', versionEtag(id, version)).send(link)
  })

  fastify.delete('/:id/related-links/:linkId', {
    config: { access: 'write' },
    schema: {
      tags,
      operationId: 'deleteRelatedLink',
      summary: 'Remove a related link from an article\'s body',
      description: 'The other blocks keep their order. An edit of the article: `If-Match` takes the article\'s `ETag`.',
      params: LinkParams,
      headers: IfMatchHeaders,
      response: { 204: z.undefined().describe('Deleted'), ...problemResponses(404, 412, 428) }
    }
  }, async (request, reply) => {
    const { id, linkId } = request.params
    await relatedLinks.remove(id, linkId, writeContextOf(request), preconditionOf(request, id))
    return await reply.code(204).send()
  })
}

export default relatedLinkRoutes
