// Which database engine a DATABASE_URL names, and the Prisma driver adapter for it.
// Used by the app and by prisma.config.ts (the migration CLI), so both always
// connect the same way.
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import type BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'

export type Engine = 'sqlite' | 'postgresql'

export function engineOf (databaseUrl: string): Engine {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return 'postgresql'
  if (databaseUrl.startsWith('file:')) return 'sqlite'
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres(ql):// (PostgreSQL), got "${databaseUrl.split(':')[0]}:…"`)
}

/** `file:./data/cms.db` → an absolute path, relative to the working directory (not to the schema file, as Prisma's CLI would). */
export function sqliteFilePath (databaseUrl: string): string {
  const path = databaseUrl.slice('file:'.length).split('?')[0] ?? ''
  if (path === '') throw new Error('DATABASE_URL "file:" names no file')
  return resolve(path)
}

/**
 * Prisma 6.19's pg adapter cannot map the catalogue types `name` (oid 19) and
 * `"char"` (oid 18) that the schema engine's introspection queries return
 * ("Column type 'name' could not be deserialized"). Reporting those columns as
 * text (oid 25) lets `migrate deploy` and `migrate diff` run. Only the
 * migration path needs it.
 */
function reportNameColumnsAsText (pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>
  pool.query = (async (...args: unknown[]) => {
    const result = await query(...args)
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25
    }
    return result
  }) as typeof pool.query
  return pool
}

/**
 * The schema engine sends a whole migration script to the shadow database
 * through `executeRaw`, but better-sqlite3 runs one statement per call
 * ("External error", P3006 in `migrate diff --from-migrations` / `migrate dev`).
 * A parameterless executeRaw on the shadow connection goes to executeScript instead.
 */
function scriptsOnSqliteShadow (factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connectToShadowDb = factory.connectToShadowDb.bind(factory)
  factory.connectToShadowDb = async () => {
    const shadow = await connectToShadowDb()
    const executeRaw = shadow.executeRaw.bind(shadow)
    shadow.executeRaw = async (query) => {
      if (query.args.length > 0) return await executeRaw(query)
      await shadow.executeScript(query.sql)
      return 0
    }
    return shadow
  }
  return factory
}

/**
 * Prisma 6.19's pg adapter builds the shadow database's pool from the main
 * config, where a connectionString wins over the database name (so it reached
 * the main database), and drops the shadow database before closing its pool.
 * This one connects to the shadow database by URL and closes before dropping.
 */
function separatePostgresShadow (factory: PrismaPg, databaseUrl: string): PrismaPg {
  factory.connectToShadowDb = async () => {
    const main = await factory.connect()
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`
    await main.executeScript(`CREATE DATABASE "${name}"`)
    const shadowUrl = new URL(databaseUrl)
    shadowUrl.pathname = `/${name}`
    const shadow = await new PrismaPg(reportNameColumnsAsText(new pg.Pool({ connectionString: shadowUrl.toString(), max: 1 })), { disposeExternalPool: true }).connect()
    const dispose = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await dispose()
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}"`)
      await main.dispose()
    }
    return shadow
  }
  return factory
}

/**
 * Prisma 6.19's pg adapter runs a migration script (`migrate deploy`) by
 * splitting it at every `;`, which cuts a function body apart (the search
 * index's trigger, prisma/postgresql/migrations/*_article_search). Sent whole,
 * as one simple query (no parameters), PostgreSQL runs its statements in
 * order, in one implicit transaction: what the shadow database of
 * `migrate diff` already does with the same scripts.
 */
function wholeMigrationScripts (factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    adapter.executeScript = async (script) => { await adapter.executeRaw({ sql: script, args: [], argTypes: [] }) }
    return adapter
  }
  return factory
}

/**
 * Prisma's query interpreter runs the independent queries of one operation
 * (the relations of an `include`) at the same time; inside a transaction they
 * all go to the transaction's one pg client, which queues them and warns
 * ("Calling client.query() when the client is already executing a query",
 * an error from pg 9 on). A transaction here sends its queries one at a time.
 */
function oneQueryAtATimeInTransactions (factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    const startTransaction = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel)
      let previous: Promise<unknown> = Promise.resolve()
      const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
        const next = previous.then(run, run)
        previous = next.catch(() => undefined)
        return next
      }
      const queryRaw = transaction.queryRaw.bind(transaction)
      const executeRaw = transaction.executeRaw.bind(transaction)
      transaction.queryRaw = async (query) => await inTurn(async () => await queryRaw(query))
      transaction.executeRaw = async (query) => await inTurn(async () => await executeRaw(query))
      return transaction
    }
    return adapter
  }
  return factory
}

/**
 * A prepared statement kept for reuse. The adapter binds each statement it
 * prepares once (`prepare(sql).bind(args).run()`), which better-sqlite3
 * allows only once per statement: a reused one gets a view per call that
 * passes the arguments when it runs instead.
 */
class ReusedStatement {
  readonly #statement: BetterSqlite3.Statement
  readonly #args: unknown[]
  constructor (statement: BetterSqlite3.Statement, args: unknown[] = []) {
    this.#statement = statement
    this.#args = args
  }

  get reader (): boolean { return this.#statement.reader }
  get readonly (): boolean { return this.#statement.readonly }
  bind (args: unknown[]): ReusedStatement { return new ReusedStatement(this.#statement, args) }
  run (): BetterSqlite3.RunResult { return this.#statement.run(this.#args) }
  columns (): BetterSqlite3.ColumnDefinition[] { return this.#statement.columns() }
  raw (): { all: () => unknown[] } {
    this.#statement.raw(true)
    return { all: () => this.#statement.all(this.#args) }
  }
}

const reusedStatements = 500

/**
 * Prisma 6.19's SQLite adapter prepares every statement it runs afresh
 * (better-sqlite3 parses and plans the SQL each time: some 5% of a story
 * save's CPU, measured), while Prisma sends the same few SQL texts again and
 * again. The connection keeps the last ones used, prepared. Reaches into the
 * adapter's `client` (its better-sqlite3 connection); without one (another
 * adapter version) it stays as it is.
 */
function reuseStatements (factory: PrismaBetterSQLite3, onConnection?: (db: BetterSqlite3.Database) => void): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    const db = (adapter as unknown as { client?: BetterSqlite3.Database }).client
    if (typeof db?.prepare !== 'function') return adapter
    onConnection?.(db)
    const prepare = db.prepare.bind(db)
    const cache = new Map<string, ReusedStatement>() // in order of last use
    db.prepare = ((source: string) => {
      const statement = cache.get(source) ?? new ReusedStatement(prepare(source))
      cache.delete(source)
      cache.set(source, statement)
      if (cache.size > reusedStatements) cache.delete(cache.keys().next().value!)
      return statement
    }) as unknown as typeof db.prepare
    return adapter
  }
  return factory
}

/**
 * SQLite: reads sent outside a transaction go to a second, read-only
 * connection to the file. The adapter runs every statement on its one
 * connection and only makes transactions wait for each other, so a read sent
 * while a write's transaction was open ran inside it: it saw rows the write
 * could still roll back (a staff read showed them; a public list page read
 * then could be cached with them). WAL gives the second connection the last
 * committed state, beside the writer. Only SELECT and WITH statements that
 * SQLite reports read-only move; PRAGMAs (per connection), writes and every
 * statement of a transaction stay on the writer's connection.
 */
function readsBesideTheWriter (factory: PrismaBetterSQLite3, readerFactory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    const reader = await readerFactory.connect()
    const readerDb = (reader as unknown as { client?: BetterSqlite3.Database }).client
    if (typeof readerDb?.prepare !== 'function') {
      await reader.dispose()
      return adapter
    }
    readerDb.pragma('busy_timeout = 5000')
    const readsOnly = (source: string): boolean => {
      if (!/^\s*(SELECT|WITH)\b/i.test(source)) return false
      try {
        const statement = readerDb.prepare(source)
        return statement.reader && statement.readonly
      } catch {
        return false // the writer's connection reports the error, as before
      }
    }
    const queryRaw = adapter.queryRaw.bind(adapter)
    adapter.queryRaw = async (query) => readsOnly(query.sql) ? await reader.queryRaw(query) : await queryRaw(query)
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      await reader.dispose()
      await dispose()
    }
    return adapter
  }
  return factory
}

export interface AdapterOptions {
  /** For the migration CLI (schema engine), which needs the `name`-type fix. */
  forMigrations?: boolean
  /** PostgreSQL pool size. */
  poolMax?: number
  /** SQLite: told of the driver connection the adapter opens (see client.ts, executeSql). */
  onSqliteConnection?: (db: BetterSqlite3.Database) => void
}

export function createAdapterFactory (databaseUrl: string, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (engineOf(databaseUrl) === 'sqlite') {
    const url = sqliteFilePath(databaseUrl)
    const factory = new PrismaBetterSQLite3({ url })
    if (options.forMigrations === true) return scriptsOnSqliteShadow(factory)
    return readsBesideTheWriter(reuseStatements(factory, options.onSqliteConnection), reuseStatements(new PrismaBetterSQLite3({ url, readonly: true, fileMustExist: true })))
  }
  if (options.forMigrations === true) {
    const factory = new PrismaPg(reportNameColumnsAsText(new pg.Pool({ connectionString: databaseUrl })), { disposeExternalPool: true })
    return separatePostgresShadow(wholeMigrationScripts(factory), databaseUrl)
  }
  // Given a config rather than a pool, the adapter owns the pool and ends it on $disconnect.
  return oneQueryAtATimeInTransactions(new PrismaPg({ connectionString: databaseUrl, max: options.poolMax ?? 10 }))
}
