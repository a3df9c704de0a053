import type { FastifyRequest } from 'fastify'
import type { WriteContext } from '../services/write-path.ts'

/** Who is writing, for the services' change log: the request's key, id, method and path. */
export function writeContextOf (request: FastifyRequest): WriteContext {
  return { actor: request.actor, requestId: request.id, method: request.method, path: request.url.split('?')[0] ?? request.url }
}
