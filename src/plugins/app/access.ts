// Who may do what. Every /v1 route declares `config.access`; the bearer key
// (or its absence) resolves to a role, and roles grant access levels:
//
//   read         published content        anonymous (unless PUBLIC_READS=false), every key
//   read:drafts  also drafts and images   editor, integrator, admin
//   write        change content           editor, admin
//   admin        keys and audit trail     admin
//
// Drafts are filtered by the services from `request.canReadDrafts`, so that a
// draft's URL answers 404 (not 403) to the public.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'
import { forbidden, rateLimited, unauthorized, type AppError } from '../../errors.ts'
import { anonymous, type Actor, type KeyCheck } from '../../services/api-key-service.ts'
import type { ApiKeyRole } from '../../schemas/api-key.ts'
import { problemResponses } from '../../schemas/common.ts'
import { connectRateLimitRedis } from './rate-limit-redis.ts'

export type Access = 'public' | 'read' | 'read:drafts' | 'write' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    actor: Actor
    canReadDrafts: boolean
    authFailure: AppError | null
  }
}

const grants: Record<ApiKeyRole, Access[]> = {
  reader: ['read'],
  editor: ['read', 'read:drafts', 'write'],
  integrator: ['read', 'read:drafts'],
  admin: ['read', 'read:drafts', 'write', 'admin']
}

const keyFailures: Record<Exclude<KeyCheck, { ok: true }>['reason'], () => AppError> = {
  unknown: () => unauthorized('INVALID_API_KEY', 'The API key is not valid'),
  revoked: () => unauthorized('API_KEY_REVOKED', 'The API key has been revoked'),
  expired: () => unauthorized('API_KEY_EXPIRED', 'The API key has expired')
}

function accessOf (request: FastifyRequest): Access {
  return request.routeOptions.config.access ?? 'public'
}

/**
 * Whether the caller, as identified by the first onRequest hook, may read
 * published content and nothing more: no key (when PUBLIC_READS allows it) or
 * a valid key that sees no drafts. What it reads is the stored public form.
 */
export function readsPublishedOnly (request: FastifyRequest): boolean {
  if (request.authFailure !== null) return false
  const { role } = request.actor
  return role === 'anonymous' ? request.server.config.PUBLIC_READS : !grants[role].includes('read:drafts')
}

export default fp(async function access (fastify) {
  const { config } = fastify
  fastify.decorateRequest('actor', null as unknown as Actor)
  fastify.decorateRequest('canReadDrafts', false)
  fastify.decorateRequest('authFailure', null)

  // A /v1 route without a declared access level is a mistake, not a public route.
  fastify.addHook('onRoute', (route) => {
    const level = route.config?.access
    if (route.url.startsWith('/v1') && level === undefined) throw new Error(`${route.method} ${route.url} declares no config.access`)
    if (level === undefined || level === 'public' || route.schema === undefined || route.schema.hide === true) return
    route.schema.security = level === 'read' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }]
    // Swagger UI draws a lock on every route that takes a key: say who needs one.
    const who: Record<Exclude<Access, 'public'>, string> = {
      read: 'No key needed for published content (unless the server sets PUBLIC_READS=false); editor, integrator and admin keys also see drafts.',
      'read:drafts': 'Needs an editor, integrator or admin key.',
      write: 'Needs an editor or admin key.',
      admin: 'Needs an admin key.'
    }
    route.schema.description = [route.schema.description, `**Access:** ${who[level]}`].filter(Boolean).join('\n\n')
    route.schema.response = { ...problemResponses(401, ...(level === 'read' ? [] : [403]), 429), ...(route.schema.response as object) }
  })

  // 1. Who is calling. Failures are kept, not thrown, so that the rate limit counts them too.
  fastify.addHook('onRequest', async (request) => {
    request.actor = anonymous
    if (accessOf(request) === 'public') return
    const header = request.headers.authorization
    if (header === undefined) return
    const match = /^Bearer ([\x21-\x7E]{16,512})$/.exec(header)
    if (match?.[1] === undefined) {
      request.authFailure = unauthorized('MALFORMED_AUTHORIZATION', 'Send the key as "Authorization: Bearer <key>"')
      return
    }
    const result = await fastify.services.apiKeys.check(match[1])
    if (result.ok) request.actor = result.actor
    else request.authFailure = keyFailures[result.reason]()
  })

  // 2. How often: per key (RATE_LIMIT_MAX), or per IP without a valid key
  // (RATE_LIMIT_ANONYMOUS_MAX): an app's key and an IP shared by many readers
  // need different budgets. Counted in this instance's memory, or in Redis for
  // all instances at once (rate-limit-redis.ts).
  // @see https://github.com/fastify/fastify-rate-limit#options
  const redis = config.RATE_LIMIT_REDIS_URL === undefined ? undefined : await connectRateLimitRedis(fastify, config.RATE_LIMIT_REDIS_URL)
  await fastify.register(rateLimit, {
    ...(redis !== undefined && { redis, nameSpace: 'cms-rate-limit:', skipOnError: true }),
    max: (request) => request.actor.apiKeyId !== null ? config.RATE_LIMIT_MAX : config.RATE_LIMIT_ANONYMOUS_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW,
    hook: 'onRequest',
    keyGenerator: (request) => request.actor.apiKeyId !== null ? `key:${request.actor.apiKeyId}` : `ip:${request.ip}`,
    allowList: (request) => accessOf(request) === 'public',
    errorResponseBuilder: (_request, context) => rateLimited(`Too many requests: at most ${context.max} per ${config.RATE_LIMIT_WINDOW}; retry in ${context.after}`)
  })

  // 3. Whether it may. In preParsing, after every onRequest hook: the rate
  // limit's own hook is added per route, so it runs after global onRequest
  // hooks, and refused requests (401, 403) must count against it too. Still
  // before the body is read.
  fastify.addHook('preParsing', async (request) => {
    const level = accessOf(request)
    if (level === 'public') return
    if (request.authFailure !== null) throw request.authFailure
    const { role } = request.actor
    if (role === 'anonymous') {
      if (level === 'read' && config.PUBLIC_READS) return
      throw unauthorized('AUTHENTICATION_REQUIRED', 'This needs an API key: send "Authorization: Bearer <key>"')
    }
    if (!grants[role].includes(level)) {
      throw forbidden(`${/^[aeiou]/.test(role) ? 'An' : 'A'} ${role} key cannot do this (needs ${level} access)`)
    }
    request.canReadDrafts = grants[role].includes('read:drafts')
  })

  // What a key that sees drafts reads must not end up in a shared cache.
  fastify.addHook('onSend', async (request, reply) => {
    if (request.canReadDrafts && request.method === 'GET') void reply.header('cache-control', 'private, no-store')
  })
}, { name: 'access', dependencies: ['services'] })
