// No lost updates. Every article, author and image has a version (1 when
// created, one more with every change), and a write may say which versions it
// expects to change (the routes read them from If-Match). The check runs in
// the write's own transaction, after the write path's lock (write-path.ts): no
// other write can come between the check and the change, so of many writers
// that read the same version exactly one gets to change it.
import type { Config } from '../config.ts'
import { preconditionFailed, preconditionRequired } from '../errors.ts'

/** Which writes must say what they expect (REQUIRE_IF_MATCH). */
export type VersionRequirement = Config['REQUIRE_IF_MATCH']

export interface Precondition {
  /**
   * The versions the writer has seen, any one of which it may change (none:
   * nothing matches); 'any' for any version; undefined when it did not say.
   */
  expected: readonly number[] | 'any' | undefined
  required: VersionRequirement
}

/** Writes that expect nothing: the server's own, imports. */
export const unconditional: Precondition = Object.freeze({ expected: undefined, required: 'never' })

/**
 * Throws unless a write may change the resource as it is now: 428 when it had
 * to say which version it expects and did not, 412 when it expects another.
 */
export function checkVersion (resource: 'Article' | 'Author' | 'Image', id: string, current: { version: number, published: boolean }, precondition: Precondition): void {
  const { expected, required } = precondition
  if (expected === undefined) {
    if (required === 'always') throw preconditionRequired(resource, id, `${resource.toLowerCase()}s`)
    if (required === 'published' && current.published) throw preconditionRequired(resource, id, 'published articles')
    return
  }
  if (expected !== 'any' && !expected.includes(current.version)) throw preconditionFailed(resource, id, current.version)
}
