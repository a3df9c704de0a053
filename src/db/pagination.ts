// Keyset ("cursor") paging. A cursor holds the sort key of the last row served,
// so rows inserted while a client pages never shift what it has not seen yet:
// no gaps, no duplicates. Every order is total: its last key is unique (`id`).
import { validationFailed, type AppError } from '../errors.ts'
import type { Page } from '../schemas/common.ts'
import { join, sql, type Sql } from './client.ts'

export type KeyValue = Date | string | number

export interface SortKey {
  field: string
  direction: 'asc' | 'desc'
  kind: 'date' | 'string' | 'number'
}

export interface Keyset {
  keys: readonly SortKey[]
  orderBy: Array<Record<string, 'asc' | 'desc'>>
  /** The Prisma `where` for the rows after `cursor` (none when undefined). */
  after: (cursor: string | undefined) => Record<string, unknown>
  /** The sort keys a cursor holds (undefined: no cursor, the first page); a 400 for one this order did not issue. */
  decode: (cursor: string | undefined) => KeyValue[] | undefined
  /** The cursor of a row: its values of the keys' fields (a date as a Date or as the text of one). */
  encode: (row: Record<string, unknown>) => string
}

function invalidCursor (): AppError {
  return validationFailed([{ path: 'query.cursor', message: 'is not a cursor this list issued' }], 'Invalid cursor')
}

/**
 * A total order for keyset paging. `label`, when given, is written into its
 * cursors, so that a cursor of another order with keys of the same kinds is
 * refused instead of read as the wrong position.
 */
export function keyset (keys: SortKey[], label?: string): Keyset {
  const prefix = label === undefined ? [] : [label]
  const decode = (cursor: string): KeyValue[] => {
    let decoded: unknown
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    } catch {
      throw invalidCursor()
    }
    if (!Array.isArray(decoded) || decoded.length !== prefix.length + keys.length) throw invalidCursor()
    if (prefix.some((part, index) => decoded[index] !== part)) throw invalidCursor()
    return keys.map((key, index) => {
      const value: unknown = decoded[prefix.length + index]
      if (typeof value !== 'string' || value === '') throw invalidCursor()
      if (key.kind === 'string') return value
      if (key.kind === 'number') {
        if (!/^\d{1,15}$/.test(value)) throw invalidCursor()
        return Number(value)
      }
      const date = new Date(value)
      if (Number.isNaN(date.getTime())) throw invalidCursor()
      return date
    })
  }

  return {
    keys,
    orderBy: keys.map((key) => ({ [key.field]: key.direction })),
    decode: (cursor) => cursor === undefined ? undefined : decode(cursor),
    after (cursor) {
      if (cursor === undefined) return {}
      const values = decode(cursor)
      // (a, b) after (x, y)  ⇔  a > x  OR  (a = x AND b > y), for any number of keys
      return {
        OR: keys.map((key, index) => ({
          ...Object.fromEntries(keys.slice(0, index).map((earlier, i) => [earlier.field, values[i]])),
          [key.field]: { [key.direction === 'asc' ? 'gt' : 'lt']: values[index] }
        }))
      }
    },
    encode (row) {
      const values = keys.map((key) => {
        const value = row[key.field]
        // Raw SQL can hand back a date as text (SQLite, through a UNION): the
        // cursor holds the same ISO form either way.
        if (key.kind === 'date') return (value instanceof Date ? value : new Date(String(value))).toISOString()
        return String(value)
      })
      return Buffer.from(JSON.stringify([...prefix, ...values])).toString('base64url')
    }
  }
}

/**
 * The rows after `cursor` in raw SQL, for the keyset's keys in `columns`:
 * one row-value comparison, `(a, b) < (x, y)` (`>` ascending). SQLite (3.15+)
 * and PostgreSQL both make it the start of a range of an index on (a, b);
 * the `a < x OR (a = x AND b < y)` that `after` gives Prisma is only a filter
 * to PostgreSQL, which then reads every row before the cursor (12,001 rows at
 * 60 % of 20,000 stories: bench/list-plans.ts). Every key of the order runs
 * the way the first does (as in listOrder's orders).
 */
export function rowsAfter (order: Keyset, columns: Sql[], cursor: string | undefined): Sql | undefined {
  const values = order.decode(cursor)
  if (values === undefined) return undefined
  return order.keys[0]?.direction === 'asc'
    ? sql`(${join(columns)}) > (${join(values)})`
    : sql`(${join(columns)}) < (${join(values)})`
}

/** Newest first; `id` breaks ties between rows created in the same millisecond. */
export const newestFirst = keyset([
  { field: 'createdAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'string' }
])

/**
 * Published articles, latest publication first (drafts have no publishedAt).
 * Public lists (stored forms, keyed by `articleId`) and editors' lists of
 * published articles (the table, keyed by `id`) share the order and so the
 * cursors, hence the label.
 */
export function latestPublishedFirst (idField: 'id' | 'articleId'): Keyset {
  return keyset([
    { field: 'publishedAt', direction: 'desc', kind: 'date' },
    { field: idField, direction: 'desc', kind: 'string' }
  ], 'published')
}

/**
 * Runs a list query for one page: asks for one row more than the page to learn
 * whether another page follows.
 */
export async function pageBy<Row extends Record<string, unknown>, Item> (
  order: Keyset,
  limit: number,
  fetch: (take: number) => Promise<Row[]>,
  toItem: (row: Row) => Item
): Promise<Page<Item>> {
  const rows = await fetch(limit + 1)
  const pageRows = rows.slice(0, limit)
  const last = pageRows.at(-1)
  return {
    data: pageRows.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? order.encode(last) : null
  }
}

/** Creation order, for reading a whole table in batches (the bulk export). */
export const oldestFirst = keyset([
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'string' }
], 'oldest')
