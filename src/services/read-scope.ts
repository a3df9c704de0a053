/** What a read may see: drafts only for keys whose role may read them (plugins/app/access.ts). */
export interface ReadScope { includeDrafts: boolean }

/** The editing paths, and services calling each other: drafts included. */
export const everything: ReadScope = Object.freeze({ includeDrafts: true })

/**
 * A draft is "not found" to whoever may not read drafts, so that its existence
 * does not leak. A trashed article is not found by anyone: it is listed at
 * GET /v1/trash until it is restored or purged.
 */
export function visible (article: { status: string, deletedAt: Date | null }, scope: ReadScope): boolean {
  return article.deletedAt === null && (scope.includeDrafts || article.status === 'published')
}

/** Not in the trash: for queries of articles (every list and lookup but the trash's). */
export const notTrashed = { deletedAt: null } as const

/** What the public sees: published and not in the trash. */
export const live = { status: 'published', deletedAt: null } as const

/**
 * An author's contact details (email) are for the newsroom: the keys that
 * may read drafts. The public and reader keys get the byline without them.
 */
export function seesContactDetails (scope: ReadScope): boolean {
  return scope.includeDrafts
}
