// Answers a public read with the stored bytes of a published article
// (src/services/public-articles.ts): sent as they are, never re-serialised,
// with their strong ETag; `If-None-Match` with a current ETag is a 304.
import { z } from 'zod'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StoredArticle } from '../services/public-articles.ts'

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

export async function sendStored (request: FastifyRequest, reply: FastifyReply, stored: StoredArticle): Promise<FastifyReply> {
  void reply.header('etag', stored.etag)
  if (matchesEtag(request.headers['if-none-match'], stored.etag)) return await reply.code(304).send()
  return await reply.type('application/json; charset=utf-8').send(stored.json)
}
