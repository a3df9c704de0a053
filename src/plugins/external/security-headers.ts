// Security headers and CORS from the official plugins.
// @see https://github.com/fastify/fastify-helmet  https://github.com/fastify/fastify-cors
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import type { Config } from '../../config.ts'

export default fp<{ config: Config }>(async function securityHeaders (fastify, { config }) {
  await fastify.register(helmet, {
    // The API answers JSON, where a CSP has nothing to govern; the one HTML
    // page, Swagger UI at /docs, needs inline scripts that helmet's default
    // policy would block.
    contentSecurityPolicy: false,
    // Swagger UI's "Try it out" and front ends on other origins load our JSON.
    crossOriginResourcePolicy: { policy: 'cross-origin' }
  })
  if (config.CORS_ORIGINS.length === 0) return
  await fastify.register(cors, {
    origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    maxAge: 600
  })
}, { name: 'security-headers' })
