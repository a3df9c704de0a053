// The SQL of article lists, for both read paths: public lists from the stored
// public forms (PublicArticle and its tag and author rows), staff lists live
// from the tables (Article, ArticleTag, Byline).
//
// Public pages stay constant-time at any depth for the main shapes: each is a
// range of one index, read from the cursor on, `take` rows long.
//   unfiltered        PublicArticle (publishedAt, articleId), likewise updatedAt, createdAt, headline
//   section           PublicArticle (section, publishedAt, articleId)
//   language          PublicArticle (language, publishedAt, articleId)
//   tag               PublicArticleTag (tag, publishedAt, articleId)
//   tag + section     PublicArticleTag (tag, section, publishedAt, articleId)
//   author            PublicArticleAuthor (authorId, publishedAt, articleId)
// Several tags (any) or authors: one such range per value, `take` rows each,
// merged (UNION) and cut to `take`; the first `take` stories of the merge are
// among the first `take` of each range. Other filters are checked on the rows
// the range reads (the fewer match, the further it reads). Measured with
// EXPLAIN on 20,000 stories, on both engines (bench/list-plans.ts, its last
// output in bench/results/list-plans.txt): every shape above is an index
// range from the cursor, first page and a page at 90 % alike (0.2–0.6 ms).
//
// Staff lists filter tags and authors with EXISTS on ArticleTag and Byline,
// read in the order's index.
import { empty, join, raw, sql, type Sql } from './client.ts'
import { listOrder, pageSql, countSql, whereClause, orderClause, type ListSql } from './list-sql.ts'
import type { Keyset } from './pagination.ts'

export type ArticleListColumn = 'publishedAt' | 'updatedAt' | 'headline' | 'createdAt'

export interface ArticleListFilter {
  /** Staff lists only: public lists hold published stories. */
  status?: string
  section?: string
  /** Empty: any. */
  tags: string[]
  tagMatch: 'any' | 'all'
  /** Empty: any. */
  authorIds: string[]
  language?: string
  publishedAfter?: Date
  publishedBefore?: Date
  updatedSince?: Date
}

/** An article list in one order: what its pages and count read. */
export interface ArticleList {
  filter: ArticleListFilter
  column: ArticleListColumn
  order: Keyset
}

/**
 * The list of `sort` (`-publishedAt`, `headline`, …) with `filter`. Public
 * lists and staff lists of published stories share orders and so cursors.
 */
export function articleList (sort: string, filter: ArticleListFilter): ArticleList {
  const column = sort.replace(/^-/, '') as ArticleListColumn
  const filters = {
    ...filter,
    tags: [...filter.tags].sort(),
    authorIds: [...filter.authorIds].sort(),
    publishedAfter: filter.publishedAfter?.toISOString(),
    publishedBefore: filter.publishedBefore?.toISOString(),
    updatedSince: filter.updatedSince?.toISOString()
  }
  return { filter, column, order: listOrder(sort, { field: column, kind: column === 'headline' ? 'string' : 'date' }, filters) }
}

interface Source {
  table: 'PublicArticle' | 'Article'
  id: 'articleId' | 'id'
  tags: 'PublicArticleTag' | 'ArticleTag'
  authors: 'PublicArticleAuthor' | 'Byline'
  staff: boolean
}

const publicSource: Source = { table: 'PublicArticle', id: 'articleId', tags: 'PublicArticleTag', authors: 'PublicArticleAuthor', staff: false }
const staffSource: Source = { table: 'Article', id: 'id', tags: 'ArticleTag', authors: 'Byline', staff: true }

/** The index rows a public list reads in publication order: a tag's or an author's. */
interface Driver {
  kind: 'tag' | 'author'
  table: 'PublicArticleTag' | 'PublicArticleAuthor'
  key: 'tag' | 'authorId'
  /** One range per value. */
  values: string[]
}

/** Authors first: a byline is the narrower set, as a rule. With every tag required, the first tag's range, checked for the others. */
function driverOf (filter: ArticleListFilter): Driver | undefined {
  if (filter.authorIds.length > 0) return { kind: 'author', table: 'PublicArticleAuthor', key: 'authorId', values: filter.authorIds }
  if (filter.tags.length > 0) return { kind: 'tag', table: 'PublicArticleTag', key: 'tag', values: filter.tagMatch === 'all' ? filter.tags.slice(0, 1) : filter.tags }
  return undefined
}

const m = (column: string): Sql => raw(`m."${column}"`)
const d = (column: string): Sql => raw(`d."${column}"`)

/** The filter as conditions on the list's table (`m`), but what the driver's range (`d`) already says. */
function conditions (source: Source, filter: ArticleListFilter, column: ArticleListColumn, driver?: Driver): Sql[] {
  const where: Sql[] = []
  const id = m(source.id)
  if (source.staff) {
    where.push(sql`m."deletedAt" IS NULL`)
    if (filter.status !== undefined) where.push(sql`m."status" = ${filter.status}`)
    // Never-published stories have no place in a publication order.
    if (column === 'publishedAt') where.push(sql`m."publishedAt" IS NOT NULL`)
  }
  // In a driver's range, its own copy of the publication time (and of the section, for tags): the index bounds the range.
  const publishedAt = driver === undefined ? m('publishedAt') : d('publishedAt')
  if (filter.section !== undefined) where.push(sql`${driver?.kind === 'tag' ? d('section') : m('section')} = ${filter.section}`)
  if (filter.language !== undefined) where.push(sql`m."language" = ${filter.language}`)
  if (filter.publishedAfter !== undefined) where.push(sql`${publishedAt} >= ${filter.publishedAfter}`)
  if (filter.publishedBefore !== undefined) where.push(sql`${publishedAt} < ${filter.publishedBefore}`)
  if (filter.updatedSince !== undefined) where.push(sql`m."updatedAt" >= ${filter.updatedSince}`)
  const tags = driver?.kind === 'tag' ? filter.tags.filter((tag) => !driver.values.includes(tag)) : filter.tags
  const tagRows = raw(`"${source.tags}"`)
  if (filter.tagMatch === 'all') {
    for (const tag of tags) where.push(sql`EXISTS (SELECT 1 FROM ${tagRows} t WHERE t."articleId" = ${id} AND t."tag" = ${tag})`)
  } else if (tags.length > 0) {
    where.push(sql`EXISTS (SELECT 1 FROM ${tagRows} t WHERE t."articleId" = ${id} AND t."tag" IN (${join(tags)}))`)
  }
  if (driver?.kind !== 'author' && filter.authorIds.length > 0) {
    where.push(sql`EXISTS (SELECT 1 FROM ${raw(`"${source.authors}"`)} b WHERE b."articleId" = ${id} AND b."authorId" IN (${join(filter.authorIds)}))`)
  }
  return where
}

/** The list read from its table (`m`) in the order's index: `select` names the columns. */
function tableList (source: Source, list: ArticleList, select: Sql): ListSql {
  // (column, id) as the order and the cursor: an index on ([filter,] column, id) read from the cursor (EXPLAIN: SQLite "SEARCH m USING INDEX", PostgreSQL "Index Scan [Backward]").
  return {
    select,
    from: raw(`"${source.table}" m`),
    where: conditions(source, list.filter, list.column),
    keyColumns: [m(list.column), m(source.id)]
  }
}

/** One range of a driver, joined to the stored forms for the other filters. */
function driverRange (list: ArticleList, driver: Driver, value: string, select: Sql): ListSql {
  // The driver's own publishedAt in the order and the cursor: its index read backwards from the cursor (SQLite "SEARCH d USING COVERING INDEX", PostgreSQL "Index Only Scan Backward"); m's would sort every match.
  return {
    select,
    from: raw(`"${driver.table}" d JOIN "PublicArticle" m ON m."articleId" = d."articleId"`),
    where: [sql`${d(driver.key)} = ${value}`, ...conditions(publicSource, list.filter, 'publishedAt', driver)],
    keyColumns: [d('publishedAt'), d('articleId')]
  }
}

/** Rows of a public page: the story's id, its value of the sort key, its stored list item. */
export interface PublicListRow {
  id: string
  summary: string
  [key: string]: unknown
}

/** A page of a public list: `take` rows from `cursor` on. */
export function publicPageSql (list: ArticleList, cursor: string | undefined, take: number): Sql {
  const key = raw(`"${list.column}"`)
  const driver = list.column === 'publishedAt' ? driverOf(list.filter) : undefined
  if (driver === undefined) return pageSql(tableList(publicSource, list, sql`m."articleId" AS "id", m.${key} AS ${key}, m."summary"`), list.order, cursor, take)
  const [only, ...more] = driver.values
  if (more.length === 0) return pageSql(driverRange(list, driver, only!, sql`d."articleId" AS "id", d."publishedAt", m."summary"`), list.order, cursor, take)
  // Several ranges: the first `take` of each, merged (UNION drops a story
  // that two of them hold), cut to `take`; then their stored items.
  const ranges = driver.values.map((value, index) =>
    sql`SELECT * FROM (${pageSql(driverRange(list, driver, value, sql`d."articleId" AS "id", d."publishedAt"`), list.order, cursor, take)}) ${raw(`r${index}`)}`)
  const u = [raw('u."publishedAt"'), raw('u."id"')]
  return sql`SELECT u."id", u."publishedAt", m."summary" FROM (${join(ranges, ' UNION ')}) u JOIN "PublicArticle" m ON m."articleId" = u."id" ${orderClause(list.order, u)} LIMIT ${take}`
}

/** How many stories a public list holds. */
export function publicCountSql (list: ArticleList): Sql {
  const driver = driverOf(list.filter)
  if (driver === undefined) return countSql(tableList(publicSource, list, empty))
  // All of the driver's ranges at once: a story in two of them counts once.
  const where = [sql`${d(driver.key)} IN (${join(driver.values)})`, ...conditions(publicSource, list.filter, 'publishedAt', driver)]
  return sql`SELECT COUNT(DISTINCT d."articleId") AS "count" FROM ${raw(`"${driver.table}" d JOIN "PublicArticle" m ON m."articleId" = d."articleId"`)} ${whereClause(where)}`
}

/** The ids of a staff page (and each one's sort key, for the cursor): `take` rows from `cursor` on. */
export function staffPageSql (list: ArticleList, cursor: string | undefined, take: number): Sql {
  const key = raw(`"${list.column}"`)
  return pageSql(tableList(staffSource, list, sql`m."id" AS "id", m.${key} AS ${key}`), list.order, cursor, take)
}

export function staffCountSql (list: ArticleList): Sql {
  return countSql(tableList(staffSource, list, empty))
}
