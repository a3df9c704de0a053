// Ranked full-text search over articles' headlines, deks and body text (the
// SQL is in src/db/search-index.ts, the query language in search-query.ts).
//
// Who finds what: the public (no key, or a reader key) finds live stories
// only, and gets each as the stored list item public lists send (never
// rendered per request), the page's bytes with a strong ETag, kept in the
// in-process cache as list pages are (until a published story changes);
// keys that see drafts find every story not in the trash, read live from the tables.
//
// Paging is by keyset on (score, publication, id): a cursor holds the last
// hit's, and the search it belongs to (a cursor of another search is refused).
// No depth limit, and no duplicates or gaps from stories matched meanwhile.
import { createHash } from 'node:crypto'
import pLimit from 'p-limit'
import type { Db } from '../db/client.ts'
import type { Engine } from '../db/engine.ts'
import type { ArticleFilters } from '../db/article-filters.ts'
import { summaryInclude, toArticleSummary } from '../db/article-mapper.ts'
import { findMatches, markEnd, markMatches, markStart, storeSearchTextsInRange, type MarkedFields, type SearchMatch, type SearchPosition } from '../db/search-index.ts'
import { validationFailed } from '../errors.ts'
import type { SearchHighlights, SearchHit, SearchQuery } from '../schemas/search.ts'
import type { Page } from '../schemas/common.ts'
import { parseSearch, type ParsedSearch } from './search-query.ts'
import { everything, type ReadScope } from './read-scope.ts'
import { answerOf, listSurrogateKeys } from './public-articles.ts'
import type { CachedList, PublicCache } from './public-cache.ts'
import { changeLogLockKey } from './write-path.ts'

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

/** Marked text as HTML: everything escaped, then the marks made <mark> elements. */
export function markedHtml (marked: string): string {
  return marked.replace(/[&<>"']/g, (character) => htmlEscapes[character]!).replaceAll(markStart, '<mark>').replaceAll(markEnd, '</mark>')
}

/** The fields the search matched in, as HTML: those without a match are left out. */
function highlightsOf (fields: MarkedFields | undefined): SearchHighlights {
  const highlights: SearchHighlights = {}
  for (const field of ['headline', 'dek', 'body'] as const) {
    const marked = fields?.[field]
    if (marked?.includes(markStart) === true) highlights[field] = markedHtml(marked)
  }
  return highlights
}

function filtersOf (query: SearchQuery): ArticleFilters {
  return {
    status: query.status,
    section: query.section,
    language: query.language,
    tags: query.tag,
    authorId: query.authorId,
    publishedAfter: query.publishedAfter === undefined ? undefined : new Date(query.publishedAfter),
    publishedBefore: query.publishedBefore === undefined ? undefined : new Date(query.publishedBefore)
  }
}

const cursorLabel = 'search'

/** What a cursor is bound to: the search's terms and filters, and whether it sees drafts. */
function fingerprintOf (search: ParsedSearch, filters: ArticleFilters, scope: ReadScope): string {
  return createHash('sha256').update(JSON.stringify([search.terms, filters, scope.includeDrafts])).digest('base64url').slice(0, 16)
}

function invalidCursor (message = 'is not a cursor this search issued') {
  return validationFailed([{ path: 'query.cursor', message }], 'Invalid cursor')
}

function encodeCursor (fingerprint: string, position: SearchPosition): string {
  return Buffer.from(JSON.stringify([cursorLabel, fingerprint, position.rank, position.publishedAt, position.articleId])).toString('base64url')
}

function decodeCursor (cursor: string, fingerprint: string): SearchPosition {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (!Array.isArray(decoded) || decoded.length !== 5 || decoded[0] !== cursorLabel) throw invalidCursor()
  const [, boundTo, rank, publishedAt, articleId] = decoded as unknown[]
  if (boundTo !== fingerprint) throw invalidCursor('belongs to another search: page with the cursors of this one (same q and filters)')
  const validDate = typeof publishedAt === 'string' && !Number.isNaN(new Date(publishedAt).getTime())
  if (typeof rank !== 'string' || !/^-?\d{1,19}$/.test(rank) || !(publishedAt === null || validDate) || typeof articleId !== 'string' || articleId === '') throw invalidCursor()
  return { rank, publishedAt: publishedAt as string | null, articleId }
}

/**
 * A public search page's cache key: the search as parsed (so `Ferry  harbour`
 * and `ferry harbour` share a page), its filters, size and cursor.
 */
function cacheKeyOf (search: ParsedSearch, filters: ArticleFilters, query: SearchQuery): string {
  return `search:${JSON.stringify([search.terms, filters, query.limit, query.cursor ?? null])}`
}

export function createSearchService ({ prisma, engine, cache, concurrency = 2 }: { prisma: Db, engine: Engine, cache: PublicCache, concurrency?: number }) {
  // At most `concurrency` searches ranked at once, the rest queued in order of
  // arrival: a burst of uncached searches (each a ranking over the index)
  // then costs the database a few at a time instead of all at once, and
  // leaves it, and the event loop, to the reads and writes around them.
  const ranking = pLimit(concurrency)
  /** A page of matches, its highlights, and the cursor of the next. */
  async function searchPage (query: SearchQuery, scope: ReadScope, search = parseSearch(query.q), filters = filtersOf(query)): Promise<{ matches: SearchMatch[], highlights: Map<string, MarkedFields>, nextCursor: string | null }> {
    const fingerprint = fingerprintOf(search, filters, scope)
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint)
    const { rows, highlights } = await ranking(async () => {
      const rows = await findMatches(prisma, engine, { search, filters, scope, after, limit: query.limit + 1 })
      return { rows, highlights: await markMatches(prisma, engine, search, filters, rows.slice(0, query.limit)) }
    })
    const matches = rows.slice(0, query.limit)
    const last = matches.at(-1)
    return { matches, highlights, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(fingerprint, last) : null }
  }

  return {
    /** For keys that see drafts: every story not in the trash, read live. */
    async search (query: SearchQuery, scope: ReadScope = everything): Promise<Page<SearchHit>> {
      const { matches, highlights, nextCursor } = await searchPage(query, scope)
      const rows = new Map((await prisma.article.findMany({ where: { id: { in: matches.map((match) => match.articleId) } }, include: summaryInclude }))
        .map((row) => [row.id, row]))
      const data = matches.flatMap((match) => {
        const row = rows.get(match.articleId)
        // Gone between the two reads (deleted for good meanwhile): left out.
        return row === undefined ? [] : [{ article: toArticleSummary(row, scope), score: match.score, highlights: highlightsOf(highlights.get(match.articleId)) }]
      })
      return { data, nextCursor }
    },

    /**
     * For the public: live stories only, each as its stored list item; the
     * page's bytes (the stored items as they are) with their strong ETag.
     * Cached like a list page: a published story's change drops every page,
     * as a story's text only changes with its public form. (A draft's text
     * changes the corpus's statistics, and so scores, by a hair: a cached
     * page keeps its scores until the next published change.)
     */
    async searchPublished (query: SearchQuery): Promise<CachedList> {
      const search = parseSearch(query.q)
      const filters = filtersOf(query)
      return await cache.readList(cacheKeyOf(search, filters, query), async () => {
        const { matches, highlights, nextCursor } = await searchPage(query, { includeDrafts: false }, search, filters)
        const hits = matches.map((match) => `{"article":${match.summary!},"score":${JSON.stringify(match.score)},"highlights":${JSON.stringify(highlightsOf(highlights.get(match.articleId)))}}`)
        return answerOf(`{"data":[${hits.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`, listSurrogateKeys(matches.map((match) => match.summary!)))
      })
    },

    /**
     * Rebuilds the search index (see rebuildSearchIndex); when it wrote
     * anything, this instance forgets the search pages it cached. Written
     * outside the change log: used at start, before the instance serves.
     */
    async rebuildIndex (options: { missingOnly?: boolean, batchSize?: number } = {}): Promise<number> {
      const written = await rebuildSearchIndex({ prisma, engine }, options)
      if (written > 0) cache.clear()
      return written
    }
  }
}

export type SearchService = ReturnType<typeof createSearchService>

/**
 * (Re)builds the search text of every article, or with `missingOnly` of those
 * that have none (at start: a database from before the search), in batches of
 * `batchSize` articles, each one set-based statement under the write lock (so
 * no write's newer text is overwritten by an older read). Unchanged rows are
 * not rewritten. Returns how many rows were written.
 */
async function rebuildSearchIndex ({ prisma, engine }: { prisma: Db, engine: Engine }, { missingOnly = false, batchSize = 500 }: { missingOnly?: boolean, batchSize?: number } = {}): Promise<number> {
  let written = 0
  let after = ''
  for (;;) {
    const batch = await prisma.article.findMany({
      where: { id: { gt: after }, ...(missingOnly && { searchText: { is: null } }) },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: batchSize
    })
    const through = batch.at(-1)?.id
    if (through === undefined) return written
    written += await prisma.$transaction(async (tx) => {
      if (engine === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${changeLogLockKey})`)
      return await storeSearchTextsInRange(tx, engine, { after, through, missingOnly })
    }, { timeout: 60_000 })
    after = through
  }
}
