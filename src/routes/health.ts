import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { retryAfterOutageSeconds } from '../plugins/app/error-handler.ts'

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    engine: z.enum(['sqlite', 'postgresql']),
    status: z.enum(['up', 'down']),
    latencyMs: z.number().nullable()
  }),
  uptimeSeconds: z.number().int()
}).meta({ id: 'Health' })

const healthRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['System'],
      operationId: 'getHealth',
      summary: 'Server and database state',
      description: '200 when the database answers, 503 when it does not: fit for load balancer checks.',
      response: { 200: Health, 503: Health }
    }
  }, async (_request, reply) => {
    const health = await fastify.services.health.check()
    if (health.status !== 'ok') void reply.header('retry-after', String(retryAfterOutageSeconds))
    return await reply.code(health.status === 'ok' ? 200 : 503).send(health)
  })
}

export default healthRoutes
