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
  /** A BCP 47 tag: stories in it or in a regional variant of it (`es` finds `es-MX` too). */
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
 * `status` asks for).
 */
export function articleConditions (filters: ArticleFilters, scope: ReadScope, engine: Engine, alias = 'a'): Sql {
  const column = (name: string): Sql => raw(`${alias}."${name}"`)
  const conditions: Sql[] = [sql`${column('deletedAt')} IS NULL`]
  const status = scope.includeDrafts ? filters.status : 'published'
  if (filters.status !== undefined && filters.status !== status) conditions.push(sql`1 = 0`)
  if (status !== undefined) conditions.push(sql`${column('status')} = ${status}`)
  if (filters.section !== undefined) conditions.push(sql`${column('section')} = ${filters.section}`)
  // The schema lets only letters, digits and dashes through: nothing LIKE would read as a wildcard.
  if (filters.language !== undefined) conditions.push(sql`(${column('language')} = ${filters.language} OR ${column('language')} LIKE ${`${filters.language}-%`})`)
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
