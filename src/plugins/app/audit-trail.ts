// Records every successful change in the audit trail, before the response
// leaves, so that a client that got its 2xx finds the event. The route says
// what it changes in `config.audit`.
import fp from 'fastify-plugin'

const actions: Record<string, string> = { POST: 'created', PUT: 'replaced', PATCH: 'updated', DELETE: 'deleted' }

function idInResponse (payload: unknown): string | null {
  if (typeof payload !== 'string') return null
  try {
    const { id } = JSON.parse(payload) as { id?: unknown }
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

export default fp(async function auditTrail (fastify) {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const spec = request.routeOptions.config.audit
    if (spec === undefined || reply.statusCode >= 300) return payload
    const params = request.params as Record<string, string | undefined>
    try {
      await fastify.services.audit.record({
        actor: request.actor,
        action: spec.action ?? actions[request.method] ?? request.method.toLowerCase(),
        resource: spec.resource,
        resourceId: spec.idFrom === 'response' ? idInResponse(payload) : params[spec.idFrom] ?? null,
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        status: reply.statusCode,
        requestId: request.id
      })
    } catch (error) {
      // The change itself is committed; losing its audit line must not turn it into an error.
      request.log.error({ err: error }, 'could not record the audit event')
    }
    return payload
  })
}, { name: 'audit-trail', dependencies: ['services', 'access'] })
