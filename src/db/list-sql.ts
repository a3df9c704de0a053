// Lists as raw SQL: filters, a keyset order and its cursor, a page, a count.
// Used where a list's filters and orders outgrow what Prisma's `where` says
// well (article, author and image lists): one row-value comparison for the
// cursor (see rowsAfter), and queries the engines plan as index range scans.
import { createHash } from 'node:crypto'
import { empty, join, raw, sql, type Db, type Sql } from './client.ts'
import { keyset, rowsAfter, type Keyset, type SortKey } from './pagination.ts'

export interface ListSql {
  /** What a page selects: at least each key of the order, under its field's name. */
  select: Sql
  /** The FROM clause, joins included. */
  from: Sql
  where: Sql[]
  /** The columns of the order's keys, in key order. */
  keyColumns: Sql[]
}

export function whereClause (conditions: Sql[]): Sql {
  return conditions.length === 0 ? empty : sql`WHERE ${join(conditions, ' AND ')}`
}

export function orderClause (order: Keyset, columns: Sql[]): Sql {
  return sql`ORDER BY ${join(columns.map((column, index) => sql`${column} ${raw(order.keys[index]!.direction === 'asc' ? 'ASC' : 'DESC')}`), ', ')}`
}

/**
 * One page, from `cursor` on: `take` rows at most. The cursor's condition
 * comes first: when a filter bounds the same column on the same side
 * (`publishedBefore` in a newest-first list), SQLite takes the first of the
 * two as the index range, and with the filter's it read every row between
 * the filter's bound and the cursor (a page 5,000 deep in the archive: 15×
 * the newest page's time). The cursor's bound is the tighter one.
 */
export function pageSql (list: ListSql, order: Keyset, cursor: string | undefined, take: number): Sql {
  const after = rowsAfter(order, list.keyColumns, cursor)
  return sql`SELECT ${list.select} FROM ${list.from} ${whereClause(after === undefined ? list.where : [after, ...list.where])} ${orderClause(order, list.keyColumns)} LIMIT ${take}`
}

/**
 * A page by its keys: `query(take)` gives the ids (and sort keys) of up to
 * `take` rows in the list's order, `load` reads those rows (by id, in any
 * order), both through `reader` (see readerOf). One read after the other: a
 * row deleted in between is left out.
 */
export async function keysetPage<Row extends { id: string }> (reader: Db, order: Keyset, limit: number, query: (take: number) => Sql, load: (ids: string[]) => Promise<Row[]>): Promise<{ rows: Row[], nextCursor: string | null }> {
  const keys = await reader.$queryRaw<Array<{ id: string } & Record<string, unknown>>>(query(limit + 1))
  const page = keys.slice(0, limit)
  const byId = new Map((await load(page.map((key) => key.id))).map((row) => [row.id, row]))
  const last = page.at(-1)
  return {
    rows: page.flatMap((key) => byId.get(key.id) ?? []),
    nextCursor: keys.length > limit && last !== undefined ? order.encode(last) : null
  }
}

/** How many rows match, every page together. */
export function countSql (list: Pick<ListSql, 'from' | 'where'>): Sql {
  return sql`SELECT COUNT(*) AS "count" FROM ${list.from} ${whereClause(list.where)}`
}

/** The single count a count query answers (both engines give COUNT(*) as a bigint). */
export async function readCount (reader: Db, query: Sql): Promise<number> {
  const rows = await reader.$queryRaw<Array<{ count: bigint | number }>>(query)
  return Number(rows[0]!.count)
}

/**
 * The keyset of a list in one sort order, `id` breaking ties in the same
 * direction. Its cursors carry the sort's name and a digest of the filters,
 * so a cursor is refused (400) by a list in another order or with other
 * filters instead of being read as a position in it.
 */
export function listOrder (sort: string, key: Omit<SortKey, 'direction'>, filters: Record<string, unknown>): Keyset {
  const direction = sort.startsWith('-') ? 'desc' : 'asc'
  const digest = createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 10)
  return keyset([{ ...key, direction }, { field: 'id', direction, kind: 'string' }], `${sort}~${digest}`)
}

/**
 * `column` contains `text` (`prefix`: starts with it), in any case: LOWER on
 * both sides (SQLite's folds A–Z only, PostgreSQL's every letter), its % and
 * _ matched as themselves.
 */
export function containsText (column: Sql, text: string, { prefix = false }: { prefix?: boolean } = {}): Sql {
  const escaped = text.replace(/[\\%_]/g, (character) => `\\${character}`)
  return sql`LOWER(${column}) LIKE LOWER(${`${prefix ? '' : '%'}${escaped}%`}) ESCAPE '\\'`
}
