/** What a read may see: drafts only for keys whose role may read them (plugins/app/access.ts). */
export interface ReadScope { includeDrafts: boolean }

/** The editing paths, and services calling each other: drafts included. */
export const everything: ReadScope = Object.freeze({ includeDrafts: true })

/** A draft is "not found" to whoever may not read drafts, so that its existence does not leak. */
export function visible (article: { status: string }, scope: ReadScope): boolean {
  return scope.includeDrafts || article.status === 'published'
}

/**
 * An author's contact details (email) are for the newsroom: the keys that
 * may read drafts. The public and reader keys get the byline without them.
 */
export function seesContactDetails (scope: ReadScope): boolean {
  return scope.includeDrafts
}
