// The text search's SQL, on both engines. What is searched is one row of
// "ArticleSearch" per article (its headline, dek and body text), written by
// the write path; each engine's migration keeps an index over it by triggers:
// - SQLite: the FTS5 table "ArticleSearchIndex" (external content), ranked by
//   bm25() with column weights, highlighted by highlight() and snippet();
// - PostgreSQL: "ArticleSearchVector", two tsvectors per row (headline weight
//   A, dek B, body C): "stemmed" in the article's language, what a search with
//   a `language` filter matches, and "exact", the words as written, what a
//   search without one matches; each under a GIN index, ranked by ts_rank(),
//   highlighted by ts_headline() with the same configuration.
// Highlights come back with the matched words between two control characters
// (markStart, markEnd), which the indexed text never holds: the service escapes
// the text and only then turns them into <mark> tags.
import { empty, executeSql, join, raw, sql, type Db, type Sql, type Tx } from './client.ts'
import type { Engine } from './engine.ts'
import { articleConditions, type ArticleFilters } from './article-filters.ts'
import type { ReadScope } from '../services/read-scope.ts'
import type { ParsedSearch } from '../services/search-query.ts'
import { toFts5Match, toTsquery } from '../services/search-query.ts'

export const markStart = '\u0002'
export const markEnd = '\u0003'

/** What the search finds an article by. */
export interface SearchText {
  articleId: string
  language: string
  headline: string
  dek: string
  body: string
}

/** The block types whose text is searched. */
const textBlockTypes = ['paragraph', 'heading', 'quote']

/** Text as indexed: the mark characters, if a story ever held one, become spaces. */
const indexable = (text: string): string => text.replace(/[\u0002\u0003]/g, ' ')

/** An article's search text, from the row the write path holds. */
export function searchTextOf (row: { id: string, language: string, headline: string, dek: string | null, body: Array<{ type: string, text: string | null, position: number }> }): SearchText {
  const blocks = row.body.filter((block) => textBlockTypes.includes(block.type) && block.text !== null).sort((a, b) => a.position - b.position)
  return {
    articleId: row.id,
    language: row.language,
    headline: indexable(row.headline),
    dek: indexable(row.dek ?? ''),
    body: indexable(blocks.map((block) => block.text).join('\n'))
  }
}

const searchColumns = ['articleId', 'language', 'headline', 'dek', 'body'] as const

// A row is rewritten only when its text changed: unchanged, the index is not touched.
const upsert = raw(`ON CONFLICT ("articleId") DO UPDATE SET ${searchColumns.slice(1).map((column) => `"${column}" = excluded."${column}"`).join(', ')}
  WHERE ${searchColumns.slice(1).map((column) => `"ArticleSearch"."${column}" <> excluded."${column}"`).join(' OR ')}`)

/** Stores the search text of these articles, inside the caller's transaction; returns how many rows changed. */
export async function storeSearchTexts (tx: Tx, texts: SearchText[]): Promise<number> {
  // One row per article: PostgreSQL refuses to update a row twice in one statement.
  const unique = [...new Map(texts.map((text) => [text.articleId, text])).values()]
  let changed = 0
  for (let start = 0; start < unique.length; start += 1000) {
    const rows = unique.slice(start, start + 1000).map((text) => sql`(${join(searchColumns.map((column) => text[column]))})`)
    changed += await executeSql(tx, sql`INSERT INTO "ArticleSearch" (${raw(searchColumns.map((column) => `"${column}"`).join(', '))}) VALUES ${join(rows)} ${upsert}`)
  }
  return changed
}

/**
 * Stores, set-based, the search text of the articles with ids in (`after`,
 * `through`] (all of them when `missingOnly` is false; else those without
 * one), computed by SQL exactly as searchTextOf computes it. Returns how many rows changed.
 */
export async function storeSearchTextsInRange (tx: Tx, engine: Engine, { after, through, missingOnly }: { after: string, through: string, missingOnly: boolean }): Promise<number> {
  const char = engine === 'sqlite' ? 'char' : 'chr'
  const clean = (expression: string): string => `replace(replace(${expression}, ${char}(2), ' '), ${char}(3), ' ')`
  const concat = engine === 'sqlite' ? 'group_concat' : 'string_agg'
  const body = `(SELECT ${concat}(b."text", ${char}(10) ORDER BY b."position", b."id") FROM "BodyBlock" b
    WHERE b."articleId" = a."id" AND b."type" IN (${textBlockTypes.map((type) => `'${type}'`).join(', ')}) AND b."text" IS NOT NULL)`
  return await tx.$executeRaw(sql`INSERT INTO "ArticleSearch" (${raw(searchColumns.map((column) => `"${column}"`).join(', '))})
    SELECT a."id", a."language", ${raw(clean('a."headline"'))}, ${raw(clean('COALESCE(a."dek", \'\')'))}, ${raw(clean(`COALESCE(${body}, '')`))}
    FROM "Article" a
    WHERE a."id" > ${after} AND a."id" <= ${through}
    ${missingOnly ? sql`AND NOT EXISTS (SELECT 1 FROM "ArticleSearch" s WHERE s."articleId" = a."id")` : empty}
    ${upsert}`)
}

/** Where a page of hits ends: the sort key of its last hit. */
export interface SearchPosition {
  /**
   * The score as the integer the hits are ordered by (score × 10¹², as
   * decimal digits): a float does not survive the trip through a cursor and
   * back into SQL exactly, an integer does.
   */
  rank: string
  /** ISO 8601; null for a story never published. */
  publishedAt: string | null
  articleId: string
}

export interface SearchMatch extends SearchPosition {
  /** The score, to 12 decimal places. */
  score: number
  /** Its "ArticleSearch" row (the FTS5 rowid), for highlighting. */
  searchId: number
  /** The stored public list item (public searches only). */
  summary: string | null
}

export interface MatchQuery {
  search: ParsedSearch
  filters: ArticleFilters
  scope: ReadScope
  /** The last hit of the previous page. */
  after?: SearchPosition
  limit: number
}

// Headline over dek over body. FTS5: bm25() weighs each column's matches
// (lower is better, hence negated); PostgreSQL: the weights of D, C, B, A.
const fts5Score = '-bm25("ArticleSearchIndex", 20.0, 5.0, 1.0)'
const tsRankScore = (vector: string): string => `ts_rank('{0.05, 0.1, 0.4, 1.0}', v."${vector}", q."query")::float8`

/**
 * The configuration a search's words are normalized with, and the vector
 * they are looked for in: the `language` filter's and the stemmed one, else
 * simple and the exact one (words as written).
 */
const tsConfig = (filters: ArticleFilters): Sql => sql`"article_search_config"(${filters.language ?? 'simple'})`
const tsVector = (filters: ArticleFilters): string => filters.language === undefined ? 'exact' : 'stemmed'

/**
 * How many of the best matches a search first takes from the index, how that
 * grows when too few pass, and past how many it takes them all; and how many
 * matches are ranked at most: the most recently added stories' (`ranked`).
 */
export interface CandidateBounds { first: number, growth: number, max: number, ranked: number }
// Ranking reads each match's text statistics from the index (PostgreSQL:
// its whole tsvector), so a word in half of a 100,000-story archive cost
// hundreds of ms on PostgreSQL (ts_rank over ~50,000 vectors) and ~25 ms on
// SQLite, per search. Past 2,000 matches, the 2,000 newest are ranked: a
// reader typing one common word finds the best of the recent stories
// (measured on 100,000 stories: 40-60 ms on PostgreSQL, 7-11 ms on SQLite).
// (PostgreSQL's manual: "it might be necessary to limit the number of
// documents ranked".) A narrower query (more words, a phrase, a filter: it
// applies before the bound) reaches further back.
const candidateBounds: CandidateBounds = { first: 200, growth: 16, max: 200 * 16 * 16, ranked: 2_000 }

/**
 * The articles matching a search, best first: by score, then latest
 * publication (never published last), then id; at most `limit`, after `after`.
 * Public searches (a scope without drafts) read the stored public forms:
 * only live stories have one, and each hit carries its list item.
 *
 * The best-scoring matches are taken from the index first (a few hundred:
 * ranking needs nothing but the index), and only those are joined to their
 * articles, filtered and ordered with the tie-breaks: a word found in half
 * the archive costs its ranking, not a join per match. The page is exact
 * when every match was a candidate, or when its last hit scores above the
 * lowest candidate (every better match was a candidate); otherwise (filters
 * that leave too few, ties at the edge) it is asked again with more, and
 * finally with every match.
 */
export async function findMatches (prisma: Db, engine: Engine, query: MatchQuery, bounds = candidateBounds): Promise<SearchMatch[]> {
  const tsquery = engine === 'postgresql' ? await normalizedTsquery(prisma, query) : null
  if (tsquery === undefined) return []
  for (let candidates = Math.max(bounds.first, query.limit); ; candidates *= bounds.growth) {
    const bounded = candidates <= bounds.max
    const { page, ...among } = await matchesAmong(prisma, engine, query, bounded ? candidates : null, bounds.ranked, tsquery)
    const last = page.at(-1)
    const aboveTheEdge = page.length === query.limit && last !== undefined && BigInt(last.rank) > BigInt(among.lowest!)
    if (!bounded || among.candidates < candidates || aboveTheEdge) {
      return page.map((row) => ({
        articleId: row.articleId,
        searchId: Number(row.searchId),
        score: Number(row.rank) / 1e12,
        rank: String(row.rank),
        publishedAt: row.publishedAt === null ? null : new Date(row.publishedAt).toISOString(),
        summary: row.summary
      }))
    }
  }
}

/**
 * PostgreSQL: the search's tsquery, normalized in its configuration, as
 * text; undefined when nothing is left to look for (every word a stop word:
 * `the -ferry` would otherwise match every story without "ferry").
 *
 * The ranking query then gets it as a constant, not as to_tsquery(…) of
 * parameters, which the planner cannot look into: estimating 500 matches for
 * a word in half the archive, it read and joined all 51,804 of them before
 * keeping the newest 2,000 (387 ms); knowing the word, it reads the newest
 * matches from the primary key until it has 2,000 (27 ms), and a rare word's
 * few from the GIN index.
 */
async function normalizedTsquery (prisma: Db, query: MatchQuery): Promise<string | undefined> {
  const [row] = await prisma.$queryRaw<Array<{ query: string, searchable: boolean }>>(sql`
    SELECT q::text AS "query", querytree(q) <> 'T' AS "searchable" FROM to_tsquery(${tsConfig(query.filters)}, ${toTsquery(query.search)}) AS q`)
  return row?.searchable === true ? row.query : undefined
}

interface MatchRow {
  articleId: string
  searchId: number
  rank: number | bigint | string
  publishedAt: Date | string | null
  summary: string | null
  /** How many matches were candidates, and the lowest rank among them (null: none). */
  candidates: number | bigint
  lowestCandidate: number | bigint | string | null
}

/** The page among the best `candidates` matches (null: among every match) of the `ranked` newest, and how many there were and the lowest rank among them. `tsquery`: PostgreSQL's, normalized (see normalizedTsquery). */
async function matchesAmong (prisma: Db, engine: Engine, query: MatchQuery, candidates: number | null, ranked: number, tsquery: string | null): Promise<{ page: MatchRow[], candidates: number, lowest: MatchRow['lowestCandidate'] }> {
  const isPublic = !query.scope.includeDrafts
  const published = raw(engine === 'sqlite' ? 'COALESCE(a."publishedAt", \'\')' : 'COALESCE(a."publishedAt", \'-infinity\'::timestamptz)')
  const after = query.after
  const rankAt = after === undefined ? empty : engine === 'sqlite' ? sql`CAST(${after.rank} AS INTEGER)` : sql`${after.rank}::bigint`
  const keyset = after === undefined
    ? empty
    : (() => {
        const at = after.publishedAt === null ? raw(engine === 'sqlite' ? "''" : "'-infinity'::timestamptz") : sql`${new Date(after.publishedAt)}`
        return sql`AND (m."rank" < ${rankAt} OR (m."rank" = ${rankAt} AND (${published} < ${at} OR (${published} = ${at} AND a."id" < ${after.articleId}))))`
      })()
  // A match's row, article and public form, in that order (SQLite: CROSS
  // JOIN fixes it, and the narrow index it would not pick by itself, see the
  // model: the planner, without statistics, could otherwise scan the articles
  // for every match), and the scope's and filters' conditions on them.
  const joinInOrder = raw(engine === 'sqlite' ? 'CROSS JOIN' : 'JOIN')
  const searchRow = raw(engine === 'sqlite' ? '"ArticleSearch" s INDEXED BY "ArticleSearch_id_articleId_idx"' : '"ArticleSearch" s')
  const storiesOf = (searchId: string): Sql => sql`${joinInOrder} ${searchRow} ON s."id" = ${raw(searchId)}
      ${joinInOrder} "Article" a ON a."id" = s."articleId"
      ${isPublic ? sql`${joinInOrder} "PublicArticle" p ON p."articleId" = a."id"` : empty}`
  const conditions = articleConditions(query.filters, query.scope, engine, { reachedById: true })
  // The candidates: the `ranked` newest matches the scope and filters let
  // through (the highest search rows: the stories most recently added, taken
  // from the index in row order, without reading their statistics), each with
  // its score, as the integer the hits are ordered by; those after the
  // cursor's score only.
  const vector = raw(`"${tsVector(query.filters)}"`)
  const scored = engine === 'sqlite'
    ? sql`SELECT "ArticleSearchIndex"."rowid" AS "id", CAST(round(${raw(fts5Score)} * 1e12) AS INTEGER) AS "rank"
        FROM "ArticleSearchIndex" ${storiesOf('"ArticleSearchIndex"."rowid"')}
        WHERE "ArticleSearchIndex" MATCH ${toFts5Match(query.search)} AND ${conditions}
        ORDER BY "ArticleSearchIndex"."rowid" DESC LIMIT ${ranked}`
    : sql`SELECT v."id" AS "id", round(${raw(tsRankScore(tsVector(query.filters)))} * 1e12::float8)::bigint AS "rank"
        FROM (SELECT ${tsquery}::tsquery AS "query") AS q
        CROSS JOIN LATERAL (SELECT v."id", v.${vector} FROM "ArticleSearchVector" v ${storiesOf('v."id"')}
          WHERE v.${vector} @@ q."query" AND ${conditions}
          ORDER BY v."id" DESC LIMIT ${ranked}) v`
  const best = sql`SELECT "id", "rank" FROM (${scored}) c ${after === undefined ? empty : sql`WHERE c."rank" <= ${rankAt}`}
    ORDER BY "rank" DESC ${candidates === null ? empty : sql`LIMIT ${candidates}`}`
  // One row at least, the candidates' count and lowest rank, with no hit when none passes.
  const rows = await prisma.$queryRaw<Array<MatchRow | Pick<MatchRow, 'candidates' | 'lowestCandidate'> & { articleId: null }>>(sql`
    WITH m AS MATERIALIZED (${best}),
    page AS (
      SELECT s."articleId" AS "articleId", s."id" AS "searchId", m."rank" AS "rank", a."publishedAt" AS "publishedAt", ${published} AS "publishedOrder",
        ${isPublic ? raw('p."summary"') : raw('NULL')} AS "summary"
      FROM m ${storiesOf('m."id"')}
      WHERE ${conditions} ${keyset}
      ORDER BY m."rank" DESC, ${published} DESC, a."id" DESC
      LIMIT ${query.limit})
    SELECT c."candidates", c."lowestCandidate", page."articleId", page."searchId", page."rank", page."publishedAt", page."summary"
    FROM (SELECT count(*) AS "candidates", min("rank") AS "lowestCandidate" FROM m) c
    LEFT JOIN page ON ${raw(engine === 'sqlite' ? '1' : 'true')}
    ORDER BY page."rank" DESC, page."publishedOrder" DESC, page."articleId" DESC`)
  return { candidates: Number(rows[0]!.candidates), lowest: rows[0]!.lowestCandidate, page: rows.filter((row): row is MatchRow => row.articleId !== null) }
}

/** An article's fields with the matched words between markStart and markEnd (the body: an excerpt). */
export interface MarkedFields {
  headline: string
  dek: string
  body: string
}

// ts_headline's options: the whole headline or dek, or up to two fragments of the body.
// @see https://www.postgresql.org/docs/current/textsearch-controls.html#TEXTSEARCH-HEADLINE
const wholeField = `StartSel=${markStart}, StopSel=${markEnd}, HighlightAll=true`
const excerpt = `StartSel=${markStart}, StopSel=${markEnd}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`

/**
 * Highlights of these matches (a page of hits: each costs a pass over its
 * text), looked up by their rows: FTS5 then reads only those, not every match.
 */
export async function markMatches (prisma: Db, engine: Engine, search: ParsedSearch, filters: ArticleFilters, matches: Array<Pick<SearchMatch, 'searchId'>>): Promise<Map<string, MarkedFields>> {
  if (matches.length === 0) return new Map()
  const searchIds = join(matches.map((match) => match.searchId))
  const rows = engine === 'sqlite'
    ? await prisma.$queryRaw<Array<{ articleId: string } & MarkedFields>>(sql`
        SELECT s."articleId" AS "articleId",
          highlight("ArticleSearchIndex", 0, char(2), char(3)) AS "headline",
          highlight("ArticleSearchIndex", 1, char(2), char(3)) AS "dek",
          snippet("ArticleSearchIndex", 2, char(2), char(3), '…', 32) AS "body"
        FROM "ArticleSearchIndex" JOIN "ArticleSearch" s ON s."id" = "ArticleSearchIndex"."rowid"
        WHERE "ArticleSearchIndex" MATCH ${toFts5Match(search)} AND "ArticleSearchIndex"."rowid" IN (${searchIds})`)
    : await prisma.$queryRaw<Array<{ articleId: string } & MarkedFields>>(sql`
        SELECT s."articleId" AS "articleId",
          ts_headline(q."config", s."headline", q."query", ${wholeField}) AS "headline",
          ts_headline(q."config", s."dek", q."query", ${wholeField}) AS "dek",
          ts_headline(q."config", s."body", q."query", ${excerpt}) AS "body"
        FROM (SELECT c."config", to_tsquery(c."config", ${toTsquery(search)}) AS "query" FROM (SELECT ${tsConfig(filters)} AS "config") c) q,
          "ArticleSearch" s
        WHERE s."id" IN (${searchIds})`)
  return new Map(rows.map(({ articleId, ...fields }) => [articleId, fields]))
}
