import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ApiKeyCreate, ApiKeyPage, CreatedApiKey } from '../../../schemas/api-key.ts'
import { IdParams, ListQuery, problemResponses } from '../../../schemas/common.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { writeContextOf } from '../../write-context.ts'

const tags = ['API keys']

const apiKeyRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { apiKeys } = fastify.services

  fastify.get('/', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'listApiKeys',
      summary: 'List API keys',
      description: 'Newest first, revoked and expired keys included. Secrets are never shown again.',
      querystring: ListQuery,
      response: { 200: ApiKeyPage }
    }
  }, async (request) => await apiKeys.list(request.query))

  fastify.post('/', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description: 'The response holds the secret, once: only its hash is stored. Roles: `reader` (published content), `editor` (reads drafts, writes content), `integrator` (reads everything), `admin` (also keys and the audit trail).',
      body: ApiKeyCreate,
      [routeHeadersKey]: { 201: ['Cache-Control'] },
      response: { 201: CreatedApiKey, ...problemResponses() }
    }
  }, async (request, reply) => {
    const key = await apiKeys.create(request.body, writeContextOf(request))
    return await reply.code(201).header('cache-control', 'private, no-store').send(key)
  })

  fastify.delete('/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description: 'The key stops working at once. It stays listed (with `revokedAt`) for the audit trail.',
      params: IdParams,
      response: { 204: z.undefined().describe('Revoked'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    await apiKeys.revoke(request.params.id, writeContextOf(request))
    return await reply.code(204).send()
  })
}

export default apiKeyRoutes
