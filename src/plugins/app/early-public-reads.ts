// Public reads answered from the in-process cache as soon as the caller is
// known. A published story (by id or slug) or a page of the public list whose
// stored bytes this instance holds is sent from an onRequest hook, skipping
// what cannot change the answer: the validation of parameters that the cache
// key already proves valid (only what a validated read put there is cached),
// the handler, the access check of a caller who may read published content.
// Still done: the rate limit (the route's own limiter, counted once), the
// security and CORS headers and the request id (earlier hooks), onSend and
// the access log. The bytes and headers are the route's own (sendStored), and
// the API contract check in the tests sees every answer from both paths.
// Measured (npm run bench): the difference between ~0.4 × and ~0.7–0.9 × a
// bare Fastify route for a cached story; ../shared/PERFORMANCE.md predicted it.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { ArticleListQuery } from '../../schemas/article.ts'
import { sendStored } from '../../routes/stored-representation.ts'
import type { CachedArticle, CachedList } from '../../services/public-cache.ts'
import { readsPublishedOnly } from './access.ts'
import { prefersJsonLd } from '../../formats/negotiation.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which stored public read the route answers (see early-public-reads.ts). */
    storedRead?: 'by-id' | 'by-slug' | 'list'
  }
}

export default fp(async function earlyPublicReads (fastify) {
  const { cached } = fastify.services.publicArticles
  const checkRateLimit = fastify.rateLimit()

  function cachedFor (request: FastifyRequest, kind: 'by-id' | 'by-slug' | 'list'): CachedArticle | CachedList | undefined {
    if (kind === 'list') {
      const query = ArticleListQuery.safeParse(request.query)
      return query.success ? cached.list(query.data) : undefined // an invalid query takes the long way, to its 400
    }
    // Only the stored JSON itself is cached: another format (`?format=`, or
    // JSON-LD asked for in Accept) and anything the route must refuse take the long way.
    if (Object.keys(request.query as object).length > 0 || prefersJsonLd(request.headers.accept)) return undefined
    const params = request.params as { id?: string, slug?: string }
    return kind === 'by-id' ? cached.byId(params.id ?? '') : cached.bySlug(params.slug ?? '')
  }

  fastify.addHook('onRequest', async (request, reply) => {
    const kind = request.routeOptions.config.storedRead
    if (kind === undefined || request.method !== 'GET' || !readsPublishedOnly(request)) return
    if ((request.headers['if-none-match']?.length ?? 0) > 1000) return // the route's validation answers that
    const stored = cachedFor(request, kind)
    if (stored === undefined) return
    await checkRateLimit.call(fastify, request, reply) // throws the 429; marks the request so the route's limiter does not count it again
    await sendStored(request, reply, stored)
    return reply
  })
}, { name: 'early-public-reads', dependencies: ['access', 'services'] })
