// Answers a public read with the stored bytes of a published article, or a
// page of the public list assembled from stored items
// (src/services/public-articles.ts): sent as they are, never re-serialised,
// with their strong ETag; `If-None-Match` with a current ETag is a 304.
import { z } from 'zod'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CachedArticle, StoredAnswer } from '../services/public-cache.ts'
import { answerOf } from '../services/public-articles.ts'
import type { Article } from '../schemas/article.ts'
import { NewsArticleJsonLd, Ninjs22, Ninjs31, type ArticleFormat } from '../schemas/formats.ts'
import { formatRenderers, ninjsMediaTypes } from '../formats/negotiation.ts'
import { storyUrlFrom } from '../formats/story-url.ts'
import { withVersionEtag } from './if-match.ts'

export const ConditionalReadHeaders = z.object({
  'if-none-match': z.string().max(1000).optional()
    .meta({ description: 'An ETag from an earlier answer (or several, comma-separated): 304 when it is still current. Public reads of published articles only.' })
})

export const notModified = z.undefined().describe('Not Modified: the ETag sent in If-None-Match is current; reuse the copy you have')

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag))
}

/** The headers a public read of an article sends on its 200 and its 304. */
export const storedReadHeaders = ['ETag', 'Last-Modified', 'Cache-Control', 'Surrogate-Key']
/** The same for a page of the public list (assembled from many stories: no one modification time). */
export const storedListHeaders = ['ETag', 'Cache-Control', 'Surrogate-Key']

/** A story's read answers in the format `Accept` asks for (see formats/negotiation.ts): caches must key on it. */
function varyOnAccept (reply: FastifyReply): void {
  const vary = reply.getHeader('vary')
  void reply.header('vary', vary === undefined ? 'Accept' : `${String(vary)}, Accept`)
}

export async function sendStored (request: FastifyRequest, reply: FastifyReply, stored: StoredAnswer | CachedArticle, contentType = 'application/json; charset=utf-8'): Promise<FastifyReply> {
  const { PUBLIC_MAX_AGE, PUBLIC_S_MAXAGE, PUBLIC_STALE_WHILE_REVALIDATE } = request.server.config
  const article = 'lastModified' in stored
  if (article) varyOnAccept(reply)
  void reply.header('etag', stored.etag)
  if (article) void reply.header('last-modified', stored.lastModified)
  void reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE}, s-maxage=${PUBLIC_S_MAXAGE}, stale-while-revalidate=${PUBLIC_STALE_WHILE_REVALIDATE}`)
  void reply.header('surrogate-key', stored.surrogateKeys)
  if (matchesEtag(request.headers['if-none-match'], stored.etag)) return await reply.code(304).send()
  return await reply.type(contentType).send(stored.body)
}

/**
 * A read of one article: keys that can see drafts get it from the tables (the
 * live form, drafts included); everyone else its stored public JSON, or a 404.
 * Another format is rendered from the same Article: the live one, or the
 * stored one (with an ETag of its own bytes).
 */
export async function readArticle (request: FastifyRequest, reply: FastifyReply, read: {
  live: () => Promise<Article>
  stored: () => Promise<CachedArticle | null>
  missing: () => Error
  format: ArticleFormat
}): Promise<Article | FastifyReply> {
  if (read.format === 'json') {
    if (request.canReadDrafts) {
      varyOnAccept(reply)
      // The version's ETag (see if-match.ts): what an editor sends back in If-Match.
      return withVersionEtag(reply, await read.live())
    }
    const stored = await read.stored()
    if (stored === null) throw read.missing()
    return await sendStored(request, reply, stored)
  }
  const { contentType, render } = formatRenderers[read.format]
  const template = request.server.config.STORY_URL_TEMPLATE
  const rendered = (article: Article): string => JSON.stringify(render(article, template === undefined ? undefined : storyUrlFrom(template, article)))
  if (request.canReadDrafts) {
    const article = await read.live()
    varyOnAccept(reply)
    return await reply.type(contentType).send(rendered(article))
  }
  const stored = await read.stored()
  if (stored === null) throw read.missing()
  const { body, etag } = answerOf(rendered(JSON.parse(stored.body.toString()) as Article), stored.surrogateKeys)
  return await sendStored(request, reply, { ...stored, body, etag }, contentType)
}

/** The 200 of a story's read, in each format `?format=` (or `Accept`) can ask for. */
export function articleInFormats (article: z.ZodType) {
  return {
    description: 'The article: our JSON by default; `?format=ninjs` or `?format=ninjs-2.2` an IPTC ninjs document (JSON, with a `profile` naming its schema); `?format=jsonld`, or `Accept: application/ld+json`, schema.org NewsArticle. A client generated from this document picks the shape by content type (with openapi-fetch: `createClient<paths, \'application/json\' | \'application/problem+json\'>` for our JSON and the problems).',
    content: {
      'application/json': { schema: article },
      [ninjsMediaTypes['3.1']]: { schema: Ninjs31 },
      [ninjsMediaTypes['2.2']]: { schema: Ninjs22 },
      'application/ld+json': { schema: NewsArticleJsonLd }
    }
  }
}
