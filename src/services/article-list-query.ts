// What a GET /v1/articles query asks for, as both read paths understand it:
// which stories (visibility included), in which order, which fields of each.
import { articleList, type ArticleList } from '../db/article-lists.ts'
import { canonicalLanguageTag, type ArticleListQuery, type ArticleSummary } from '../schemas/article.ts'
import type { ReadScope } from './read-scope.ts'

/** A time bound of the query: a date alone is its midnight UTC. */
const instant = (value: string | undefined): Date | undefined => value === undefined ? undefined : new Date(value)

/**
 * The list a query names for `scope`, or null when it can hold nothing: a
 * status other than `published` asked for by someone who may not see drafts.
 */
export function articleListOf (query: ArticleListQuery, scope: ReadScope): ArticleList | null {
  const status = scope.includeDrafts ? query.status : 'published'
  if (query.status !== undefined && query.status !== status) return null
  // Published stories by publication; lists with drafts (which have none) by creation.
  const sort = query.sort ?? (status === 'published' ? '-publishedAt' : '-createdAt')
  return articleList(sort, {
    status,
    section: query.section,
    tags: query.tag ?? [],
    tagMatch: query.tagMatch ?? 'any',
    authorIds: query.authorId ?? [],
    // Stored canonical (pt-BR): "pt-br" finds it too.
    language: query.language === undefined ? undefined : canonicalLanguageTag(query.language) ?? query.language,
    publishedAfter: instant(query.publishedAfter),
    publishedBefore: instant(query.publishedBefore),
    updatedSince: instant(query.updatedSince)
  })
}

/** A list item with only the `fields` asked for (in the item's own order; every field without them). */
export function withFields (item: ArticleSummary, fields: Array<keyof ArticleSummary> | undefined): Partial<ArticleSummary> & { id: string } {
  return fields === undefined ? item : { id: item.id, ...Object.fromEntries(fields.map((field) => [field, item[field]])) }
}

/**
 * The same for a stored list item, as JSON: its values keep the bytes they
 * were stored with (JSON.stringify writes a parsed value back as it was).
 */
export function storedWithFields (summary: string, fields: Array<keyof ArticleSummary> | undefined): string {
  return fields === undefined ? summary : JSON.stringify(withFields(JSON.parse(summary) as ArticleSummary, fields))
}
