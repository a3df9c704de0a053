// Conditional writes, so that no editor overwrites a change unseen (RFC 9110
// §13.1.1). Whatever a key that sees drafts reads or writes of an article,
// author or image comes with the resource's version as a strong ETag,
// `"<id>.v<version>"`; a PUT, PATCH or DELETE that sends it back in If-Match
// changes the resource only if it is still at that version (412 otherwise,
// decided in the write's transaction: services/version-check.ts).
//
// Not to be confused with the ETag of a public read (stored-representation.ts):
// that one is a hash of the stored public bytes, for caches and If-None-Match;
// it names no version and never matches an If-Match.
import { z } from 'zod'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Precondition } from '../services/version-check.ts'

export const IfMatchHeaders = z.object({
  'if-match': z.string().max(1000).optional()
    .meta({ description: 'The `ETag` your copy came with (`"<id>.v<version>"`; several, comma-separated, or `*` for any version): the write is done only if the resource is still at that version, and answers 412 with the current version otherwise. Optional unless the server requires it (REQUIRE_IF_MATCH: 428 without it). Weak ETags (`W/"…"`) and the ETags of public reads never match.' })
})

/** The strong ETag of a resource at a version. */
export function versionEtag (id: string, version: number): string {
  return `"${id}.v${version}"`
}

const versionTag = /^(.+)\.v([1-9]\d{0,14})$/

/**
 * The versions of resource `id` an If-Match header names: `any` for `*`, else
 * those of its strong ETags that are this resource's. Weak ETags, other
 * resources' and anything malformed name none, so the write answers 412:
 * strong comparison, as RFC 9110 asks for If-Match.
 */
export function expectedVersions (header: string | undefined, id: string): Precondition['expected'] {
  if (header === undefined) return undefined
  if (header.trim() === '*') return 'any'
  const versions: number[] = []
  // One entity-tag of the list and the comma after it (RFC 9110 §8.8.3; empty
  // list elements are allowed, §5.6.1).
  const listedTag = /(?:\s*,)*\s*(W\/)?"([^"]*)"\s*(?:,|$)/y
  while (!/^[\s,]*$/.test(header.slice(listedTag.lastIndex))) {
    const match = listedTag.exec(header)
    if (match === null) return [] // not a list of entity-tags: nothing in it counts
    const named = versionTag.exec(match[2]!)
    if (match[1] === undefined && named?.[1] === id) versions.push(Number(named[2]))
  }
  return versions
}

/** What a write to resource `id` expects of its version, and whether it had to say (REQUIRE_IF_MATCH). */
export function preconditionOf (request: FastifyRequest, id: string): Precondition {
  return { expected: expectedVersions(request.headers['if-match'], id), required: request.server.config.REQUIRE_IF_MATCH }
}

/** Sends the version ETag of `item` with the answer; returns the item. */
export function withVersionEtag<T extends { id: string, version: number }> (reply: FastifyReply, item: T): T {
  void reply.header('etag', versionEtag(item.id, item.version))
  return item
}
