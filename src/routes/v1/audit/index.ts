import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { AuditPage, AuditQuery } from '../../../schemas/api-key.ts'
import { problemResponses } from '../../../schemas/common.ts'

const auditRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'admin' },
    schema: {
      tags: ['Audit'],
      operationId: 'listAuditEvents',
      summary: 'The audit trail',
      description: 'Every successful change, newest first: which key (and role) created, changed, deleted or revoked what, and when. Filter by `resource`, `resourceId` or `apiKeyId`.',
      querystring: AuditQuery,
      response: { 200: AuditPage }
    }
  }, async (request) => await fastify.services.audit.list(request.query))
}

export default auditRoutes
