// The filters a reader can narrow a set of articles by (status, section,
// language, tags, author, publication window), as SQL conditions over the
// "Article" table: one definition, for the raw queries that need them (the
// search; the article list's Prisma query could share it later).
import { join, raw, sql, type Sql } from './client.ts'
import type { Engine } from './engine.ts'
import type { ArticleStatus } from '../schemas/article.ts'
import type { ReadScope } from '../services/read-scope.ts'

export interface ArticleFilters {
  /** Only stories with this status; staff only (the public only ever gets published stories). */
  status?: ArticleStatus
  section?: string
  /** A BCP 47 tag: stories in it or in a regional variant of it (`es` finds `es-MX` too), in any case. */
  language?: string
  /** Stories with any of these tags. */
  tags?: string[]
  /** Stories with this author in their byline (any role). */
  authorId?: string
  /** First published at or after this time. */
  publishedAfter?: Date
  /** First published before this time. */
  publishedBefore?: Date
}

/**
 * The conditions, AND-ed, over the articles aliased `alias`: never a trashed
 * story, and for a scope that sees no drafts, published ones only (whatever
 * `status` asks for). `reachedById`: the query finds each article by its id
 * (the search, from its matches); on SQLite its columns are then written
 * `+column`, which keeps them from being used for an index: without
 * statistics, the planner would otherwise take the index on status (or
 * section, or deletedAt) and scan it for every match instead of looking the
 * article up by id (measured: minutes instead of a quarter second at 100,000 stories).
 */
export function articleConditions (filters: ArticleFilters, scope: ReadScope, engine: Engine, { alias = 'a', reachedById = false }: { alias?: string, reachedById?: boolean } = {}): Sql {
  const noIndex = reachedById && engine === 'sqlite' ? '+' : ''
  const column = (name: string): Sql => raw(`${noIndex}${alias}."${name}"`)
  const conditions: Sql[] = [sql`${column('deletedAt')} IS NULL`]
  const status = scope.includeDrafts ? filters.status : 'published'
  if (filters.status !== undefined && filters.status !== status) conditions.push(sql`1 = 0`)
  if (status !== undefined) conditions.push(sql`${column('status')} = ${status}`)
  if (filters.section !== undefined) conditions.push(sql`${column('section')} = ${filters.section}`)
  // BCP 47 tags are not case-sensitive. The schema lets only letters, digits
  // and dashes through: nothing LIKE would read as a wildcard.
  if (filters.language !== undefined) {
    const language = filters.language.toLowerCase()
    conditions.push(sql`(lower(${column('language')}) = ${language} OR lower(${column('language')}) LIKE ${`${language}-%`})`)
  }
  if (filters.tags !== undefined && filters.tags.length > 0) {
    // Tags are a JSON array of strings (jsonb on PostgreSQL).
    const elements = engine === 'sqlite' ? sql`json_each(${column('tags')}) AS t` : sql`jsonb_array_elements_text(${column('tags')}) AS t("value")`
    conditions.push(sql`EXISTS (SELECT 1 FROM ${elements} WHERE t."value" IN (${join(filters.tags)}))`)
  }
  if (filters.authorId !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM "Byline" b WHERE b."articleId" = ${column('id')} AND b."authorId" = ${filters.authorId})`)
  }
  if (filters.publishedAfter !== undefined) conditions.push(sql`${column('publishedAt')} >= ${filters.publishedAfter}`)
  if (filters.publishedBefore !== undefined) conditions.push(sql`${column('publishedAt')} < ${filters.publishedBefore}`)
  return join(conditions, ' AND ')
}
