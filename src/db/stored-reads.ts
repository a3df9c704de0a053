// The public read of a stored article by slug or id, straight through the
// database driver with a prepared statement: the one query of the hot read
// path when the in-process cache misses (a story read for the first time, the
// long tail of an archive, every story a change has just evicted). Prisma
// plans and interprets each call (~0.5 ms of CPU measured here, against a few
// microseconds for the lookup itself), which is right for everything else and
// too much for this. Read-only; it shares nothing with Prisma's connections.
//
// SQLite: a read-only connection to the same file (WAL lets it read beside the
// writer). PostgreSQL: a small pool of its own, on the read replicas when there
// are any (as Prisma's own reads outside transactions are), named statements
// prepared once per connection.
import Database from 'better-sqlite3'
import pg from 'pg'
import { sqliteFilePath, type Engine } from './engine.ts'

export interface StoredArticleRow {
  articleId: string
  /** The stored JSON's UTF-8 bytes, as they are sent (read as bytes: never decoded into a string). */
  body: Buffer
  etag: string
  renderedAt: Date
  /** The Surrogate-Key header's value, stored with the JSON ("" in rows from before it was). */
  surrogateKeys: string
}

export interface StoredArticleReads {
  byId: (id: string) => Promise<StoredArticleRow | null>
  bySlug: (slug: string) => Promise<StoredArticleRow | null>
  close: () => Promise<void>
}

function sqliteReads (databaseUrl: string): StoredArticleReads {
  let connection: { db: Database.Database, byId: Database.Statement<[string], Row>, bySlug: Database.Statement<[string], Row> } | undefined
  interface Row { articleId: string, body: Buffer, etag: string, renderedAt: string, surrogateKeys: string }
  function open (): NonNullable<typeof connection> {
    const db = new Database(sqliteFilePath(databaseUrl), { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
    const select = 'SELECT "articleId", CAST("json" AS BLOB) AS "body", "etag", "renderedAt", "surrogateKeys" FROM "PublicArticle" WHERE'
    return { db, byId: db.prepare<[string], Row>(`${select} "articleId" = ?`), bySlug: db.prepare<[string], Row>(`${select} "slug" = ?`) }
  }
  const read = (statement: 'byId' | 'bySlug', key: string): StoredArticleRow | null => {
    try {
      connection ??= open()
      const row = connection[statement].get(key)
      return row === undefined ? null : { ...row, renderedAt: new Date(row.renderedAt) }
    } catch (error) {
      // Opened again on the next read (the file may have been away).
      connection?.db.close()
      connection = undefined
      throw error
    }
  }
  return {
    byId: async (id) => read('byId', id),
    bySlug: async (slug) => read('bySlug', slug),
    close: async () => {
      connection?.db.close()
      connection = undefined
    }
  }
}

function postgresReads (urls: string[]): StoredArticleReads {
  // Opened on the first read, like Prisma's own pool, and again after a close.
  // Two connections each: the lookups are short, and every instance's pools
  // count against max_connections.
  let pools: pg.Pool[] | undefined
  function open (): pg.Pool[] {
    return urls.map((connectionString) => {
      const pool = new pg.Pool({ connectionString, max: 2 })
      pool.on('error', () => {}) // an idle connection that drops is replaced on the next read
      return pool
    })
  }
  const read = async (name: string, where: string, key: string): Promise<StoredArticleRow | null> => {
    pools ??= open()
    const pool = pools[Math.floor(Math.random() * pools.length)]!
    // renderedAt is a timestamptz: read as the instant it is. The JSON as bytea: its UTF-8 bytes.
    const text = `SELECT "articleId", convert_to("json", 'UTF8') AS "body", "etag", "renderedAt", "surrogateKeys" FROM "PublicArticle" WHERE ${where} = $1`
    const result = await pool.query<StoredArticleRow>({ name, text, values: [key] })
    return result.rows[0] ?? null
  }
  return {
    byId: async (id) => await read('public-article-by-id', '"articleId"', id),
    bySlug: async (slug) => await read('public-article-by-slug', '"slug"', slug),
    close: async () => {
      const closing = pools ?? []
      pools = undefined
      await Promise.all(closing.map(async (pool) => { await pool.end() }))
    }
  }
}

export function openStoredArticleReads (engine: Engine, databaseUrl: string, replicaUrls: string[] = []): StoredArticleReads {
  return engine === 'sqlite' ? sqliteReads(databaseUrl) : postgresReads(replicaUrls.length > 0 ? replicaUrls : [databaseUrl])
}
