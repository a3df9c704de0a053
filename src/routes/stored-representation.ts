// Answers a public read with the stored bytes of a published article, or a
// page of the public list assembled from stored items
// (src/services/public-articles.ts): sent as they are, never re-serialised,
// with their strong ETag; `If-None-Match` with a current ETag is a 304.
import { z } from 'zod'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CachedArticle, CachedList } from '../services/public-cache.ts'

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

export async function sendStored (request: FastifyRequest, reply: FastifyReply, stored: CachedArticle | CachedList): Promise<FastifyReply> {
  const { PUBLIC_MAX_AGE, PUBLIC_S_MAXAGE, PUBLIC_STALE_WHILE_REVALIDATE } = request.server.config
  void reply.headers({
    etag: stored.etag,
    ...('renderedAt' in stored && { 'last-modified': stored.renderedAt.toUTCString() }),
    'cache-control': `public, max-age=${PUBLIC_MAX_AGE}, s-maxage=${PUBLIC_S_MAXAGE}, stale-while-revalidate=${PUBLIC_STALE_WHILE_REVALIDATE}`,
    'surrogate-key': stored.surrogateKeys
  })
  if (matchesEtag(request.headers['if-none-match'], stored.etag)) return await reply.code(304).send()
  return await reply.type('application/json; charset=utf-8').send(stored.json)
}

/**
 * A read of one article: keys that can see drafts get it from the tables (the
 * live form, drafts included); everyone else its stored public JSON, or a 404.
 */
export async function readArticle<Live> (request: FastifyRequest, reply: FastifyReply, read: {
  live: () => Promise<Live>
  stored: () => Promise<CachedArticle | null>
  missing: () => Error
}): Promise<Live | FastifyReply> {
  if (request.canReadDrafts) return await read.live()
  const stored = await read.stored()
  if (stored === null) throw read.missing()
  return await sendStored(request, reply, stored)
}
