// The application as a Fastify plugin: external plugins, then the app's own
// (config, database, services, errors), then the routes. server.ts only listens;
// tests register the same plugin on a fresh database.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import pino from 'pino'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.ts'
import { proxyTrust, requestIdGenerator } from './request-origin.ts'
import openApi from './plugins/external/swagger.ts'
import securityHeaders from './plugins/external/security-headers.ts'
import access from './plugins/app/access.ts'
import earlyPublicReads from './plugins/app/early-public-reads.ts'
import apiKeyRoutes from './routes/v1/api-keys/index.ts'
import auditRoutes from './routes/v1/audit/index.ts'
import syncRoutes from './routes/v1/sync/index.ts'
import webhookRoutes from './routes/v1/webhooks/index.ts'
import database from './plugins/app/database.ts'
import services from './plugins/app/services.ts'
import errorHandler, { fastifyErrorCode, sendProblem } from './plugins/app/error-handler.ts'
import inputHygiene from './plugins/app/input-hygiene.ts'
import routeContract from './plugins/app/route-contract.ts'
import healthRoutes from './routes/health.ts'
import rootRoutes from './routes/root.ts'
import authorRoutes from './routes/v1/authors/index.ts'
import imageRoutes from './routes/v1/images/index.ts'
import articleRoutes from './routes/v1/articles/index.ts'
import articleBySlugRoutes from './routes/v1/article-by-slug/index.ts'
import incomingLinkRoutes from './routes/v1/related-links/index.ts'
import trashRoutes from './routes/v1/trash/index.ts'
import sitemapRoutes from './routes/v1/sitemap/index.ts'
import feedRoutes from './routes/v1/feeds/index.ts'
import importRoutes from './routes/v1/import/index.ts'
import exportRoutes from './routes/v1/export/index.ts'
import searchRoutes from './routes/v1/search/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export interface AppOptions {
  config: Config
}

export async function app (fastify: FastifyInstance, options: AppOptions): Promise<void> {
  fastify.setValidatorCompiler(validatorCompiler)
  fastify.setSerializerCompiler(serializerCompiler)
  // The API speaks JSON only: anything else is a 415, not a string body.
  fastify.removeContentTypeParser('text/plain')
  // Many HTTP clients send `Content-Type: application/json` on every request,
  // DELETE included, with no body: that is no body, not malformed JSON.
  const parseJson = fastify.getDefaultJsonParser('error', 'error') // Fastify's defaults: refuse __proto__ and constructor.prototype
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (text === '' && request.method === 'DELETE') {
      done(null, undefined)
      return
    }
    parseJson(request, text as string, done) // parseAs: 'string'
  })
  // The id that the logs and problem bodies carry, for clients to quote.
  fastify.addHook('onRequest', async (request, reply) => { void reply.header('x-request-id', request.id) })

  // external
  await fastify.register(securityHeaders, { config: options.config })
  await fastify.register(openApi)

  // app
  await fastify.register(fp(async (instance) => { instance.decorate('config', options.config) }, { name: 'config' }))
  await fastify.register(database)
  await fastify.register(services)
  await fastify.register(errorHandler)
  await fastify.register(access)
  await fastify.register(earlyPublicReads)
  await fastify.register(inputHygiene)
  await fastify.register(routeContract)

  // routes
  await fastify.register(rootRoutes)
  await fastify.register(healthRoutes)
  await fastify.register(async (v1) => {
    await v1.register(articleRoutes, { prefix: '/articles' })
    await v1.register(articleBySlugRoutes, { prefix: '/article-by-slug' })
    await v1.register(authorRoutes, { prefix: '/authors' })
    await v1.register(imageRoutes, { prefix: '/images' })
    await v1.register(incomingLinkRoutes, { prefix: '/related-links' })
    await v1.register(trashRoutes, { prefix: '/trash' })
    await v1.register(feedRoutes, { prefix: '/feeds' })
    await v1.register(sitemapRoutes)
    await v1.register(searchRoutes, { prefix: '/search' })
    await v1.register(importRoutes, { prefix: '/import' })
    await v1.register(exportRoutes, { prefix: '/export' })
    await v1.register(apiKeyRoutes, { prefix: '/api-keys' })
    await v1.register(auditRoutes, { prefix: '/audit' })
    await v1.register(syncRoutes, { prefix: '/sync' })
    await v1.register(webhookRoutes, { prefix: '/webhooks' })
  }, { prefix: '/v1' })
}

/**
 * The access log: one line per request, when it completes, with what both of
 * Fastify's own lines carried (the request, the status, the time taken): half
 * the logging cost of every request.
 */
class AccessLog extends LogController {
  override incomingRequest (): void {}

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    const entry = { req: request, res: reply, responseTime: reply.elapsedTime }
    if (error != null) reply.log.error({ ...entry, err: error }, 'request errored')
    else reply.log.info(entry, 'request completed')
  }
}

export function serverOptions (config: Config): FastifyServerOptions {
  const trust = proxyTrust(config.TRUST_PROXY)
  return {
    logger: config.LOG_LEVEL === 'silent'
      ? false
      : {
          level: config.LOG_LEVEL,
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          // Lines are written to stdout asynchronously: one write(2) per line,
          // made by the request that logs it (pino's default), was about 10 µs
          // of a cached story's ~70 µs of CPU (measured here: npm run bench and
          // the server's CPU time per request). Written as soon as the previous
          // write is done, so lines batch under load and never wait when idle;
          // pino flushes what is pending when the process exits (a crash
          // included), so only a SIGKILL can lose the last lines.
          // @see https://getpino.io/#/docs/asynchronous
          stream: pino.destination({ dest: 1, sync: false })
        },
    logController: new AccessLog(),
    bodyLimit: config.BODY_LIMIT,
    // Slow clients must not hold connections open forever.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // request.ip (the key of the anonymous rate limit) comes from X-Forwarded-For
    // only as far as trusted proxies vouch for it.
    trustProxy: trust,
    // A UUID per request, or a trusted proxy's X-Request-Id; Fastify's
    // requestIdHeader would take anyone's.
    requestIdHeader: false,
    genReqId: requestIdGenerator(trust),
    // Long ids reach the route's own validation (a 400 naming the parameter)
    // instead of the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors the router raises before any route runs (bad percent-encoding...)
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400
      sendProblem(request, reply, { status, code: fastifyErrorCode(error, status), detail: error.message })
    }
  }
}

/** A Fastify server with the app registered, not yet listening. */
export async function buildServer (config: Config): Promise<FastifyInstance> {
  const server = Fastify(serverOptions(config)).withTypeProvider<ZodTypeProvider>()
  await server.register(fp(app), { config })
  return server
}
