// Public reads answered as soon as the caller is known. A published story (by
// id or slug), a page of the public list or of public search results is sent from an onRequest hook,
// from the in-process cache or else its one stored-form lookup, skipping what
// cannot change the answer: the route's validation (run here on what the read
// uses: the parameters, the query string), the handler, the access check of a
// caller who may read published content. Still done: the rate limit (the
// route's own limiter, counted once), the security and CORS headers and the
// request id (earlier hooks), onSend and the access log. The bytes and
// headers are the route's own (sendStored); anything else (a story that is
// not there, a bad parameter, a key that sees drafts) takes the route.
// Measured (npm run bench): about twice the throughput of answering in the
// handler; ../shared/PERFORMANCE.md predicted it.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { ArticleListQuery, SlugParams } from '../../schemas/article.ts'
import { SearchQuery } from '../../schemas/search.ts'
import { IdParams } from '../../schemas/common.ts'
import { unstorableFields } from './input-hygiene.ts'
import { sendStored } from '../../routes/stored-representation.ts'
import type { CachedArticle, CachedList } from '../../services/public-cache.ts'
import { readsPublishedOnly } from './access.ts'
import { prefersJsonLd } from '../../formats/negotiation.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which stored public read the route answers (see early-public-reads.ts). */
    storedRead?: 'by-id' | 'by-slug' | 'list' | 'search'
  }
}

export default fp(async function earlyPublicReads (fastify) {
  const { publicArticles, search } = fastify.services
  const checkRateLimit = fastify.rateLimit()

  /** The stored form the route would send, or undefined to leave the request to the route (which then answers its 400 or 404). */
  async function storedFor (request: FastifyRequest, kind: 'by-id' | 'by-slug' | 'list' | 'search'): Promise<CachedArticle | CachedList | undefined> {
    if (unstorableFields(request.params, 'params').length > 0 || unstorableFields(request.query, 'query').length > 0) return undefined
    if (kind === 'list') {
      const query = ArticleListQuery.safeParse(request.query)
      return query.success ? await publicArticles.list(query.data) : undefined
    }
    if (kind === 'search') {
      // A query the search refuses (nothing to find in q, another search's
      // cursor) throws its 400 here, as it would in the route.
      const query = SearchQuery.safeParse(request.query)
      return query.success ? await search.searchPublished(query.data) : undefined
    }
    // Only our own JSON: another format (`?format=`, or JSON-LD asked for in
    // Accept) and anything in the query the route must refuse take the long way.
    if (Object.keys(request.query as object).length > 0 || prefersJsonLd(request.headers.accept)) return undefined
    if (kind === 'by-id') {
      const params = IdParams.safeParse(request.params)
      return params.success ? await publicArticles.byId(params.data.id) ?? undefined : undefined
    }
    const params = SlugParams.safeParse(request.params)
    return params.success ? await publicArticles.bySlug(params.data.slug) ?? undefined : undefined
  }

  fastify.addHook('onRequest', async (request, reply) => {
    const kind = request.routeOptions.config.storedRead
    if (kind === undefined || request.method !== 'GET' || !readsPublishedOnly(request)) return
    if ((request.headers['if-none-match']?.length ?? 0) > 1000) return // the route's validation answers that
    // Counted before any read, so a client over its limit costs no lookup. Throws the 429; marks
    // the request, so the route's limiter does not count it again if the route answers.
    await checkRateLimit.call(fastify, request, reply)
    const stored = await storedFor(request, kind)
    if (stored === undefined) return
    await sendStored(request, reply, stored)
    return reply
  })
}, { name: 'early-public-reads', dependencies: ['access', 'services'] })
