// Security headers (helmet) and CORS (the official plugin).
// @see https://helmetjs.github.io  https://github.com/fastify/fastify-cors
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'

/** Where @fastify/swagger-ui serves Swagger UI: its page, its assets (/docs/static/...) and its copy of the document. */
export const docsPrefix = '/docs'

// JSON responses (everything but Swagger UI's page and assets) carry the
// headers the OWASP REST Security Cheat Sheet lists for API responses: a
// browser that opens one renders no markup, runs no script, loads nothing,
// sniffs no other type, lets no page frame it, and keeps to HTTPS. The
// others helmet sets (Referrer-Policy, Cross-Origin-Opener-Policy,
// Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options,
// X-Permitted-Cross-Domain-Policies, X-XSS-Protection) govern HTML documents:
// they protect nothing on JSON and cost every response its bytes and header
// checks (the cached story's headers are a large part of its time). The CSP
// does not affect clients that fetch the JSON, Swagger UI included (a CSP
// governs the document that carries it, not who reads it).
// @see https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers
const apiHeaders: Array<[string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY']
]

// Swagger UI: @fastify/swagger-ui 6 serves the page, its scripts
// (swagger-initializer.js included) and its styles from /docs/static, with no
// inline script, so 'self' is enough. `swaggerCSP` is the plugin's own list of
// hashes for whatever it inlines (the list its `staticCSP` option uses; empty
// in 6.x): if a version inlines something, its hash comes in with it. "Try it
// out" calls the API on this origin (connect-src); the UI's icons are data:
// URIs (img-src). One inline stylesheet is allowed by its hash: the one in
// Swagger's own logo, which the standalone layout renders for a moment before
// @fastify/swagger-ui swaps in its logo (the plugin's hash list misses it).
// Not taken from the plugin's `staticCSP: true` policy: its
// `https:` styles and fonts, validator.swagger.io images and
// upgrade-insecure-requests (which breaks the page on plain-HTTP hosts other
// than localhost) are more than the page needs.
const swaggerLogoStyle = '.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}'
const styleHash = (css: string): string => `'sha256-${createHash('sha256').update(css).digest('base64')}'`

function docsPolicy (swaggerCSP: { script: string[], style: string[] } = { script: [], style: [] }): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'", ...swaggerCSP.script],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", styleHash(swaggerLogoStyle), ...swaggerCSP.style],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"]
  }
}

function helmetOptions (directives: Record<string, string[]>): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    // Swagger UI's "Try it out" and front ends on other origins load our JSON.
    crossOriginResourcePolicy: { policy: 'cross-origin' }
  }
}

export default fp<{ config: Config }>(async function securityHeaders (fastify, { config }) {
  // Swagger UI gets all of helmet's headers (an HTML page), its middleware built
  // once: @fastify/helmet builds it again on every request (parsing the CSP
  // directives each time), which measured 4% of the CPU of a cached public read.
  let docsHeaders: ReturnType<typeof helmet> | undefined // built on first use: swaggerCSP is decorated after this plugin
  fastify.addHook('onRequest', function (this: FastifyInstance, request, reply, done) {
    const route = request.routeOptions.url ?? ''
    if (route === docsPrefix || route.startsWith(`${docsPrefix}/`)) {
      const swaggerCSP = (this as FastifyInstance & { swaggerCSP?: { script: string[], style: string[] } }).swaggerCSP
      docsHeaders ??= helmet(helmetOptions(docsPolicy(swaggerCSP)))
      docsHeaders(request.raw, reply.raw, (error) => { done(error as Error | undefined) })
      return
    }
    for (const [name, value] of apiHeaders) reply.raw.setHeader(name, value)
    done()
  })
  if (config.CORS_ORIGINS.length === 0) return
  await fastify.register(cors, {
    origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // An editor in the browser reads the ETag of what it loads and sends it back in If-Match.
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    maxAge: 600
  })
}, { name: 'security-headers' })
