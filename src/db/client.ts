// Opens the database named by DATABASE_URL through the matching Prisma client.
import type BetterSqlite3 from 'better-sqlite3'
import { readReplicas } from '@prisma/extension-read-replicas'
import { createAdapterFactory, engineOf, type Engine } from './engine.ts'
import { openStoredArticleReads, type StoredArticleReads } from './stored-reads.ts'
import type { Prisma, PrismaClient } from '../generated/sqlite/client.ts'

// Both generated clients come from the same models (prisma/models.prisma), so
// their APIs are identical; the data layer is typed against the SQLite one.
export type Db = PrismaClient
export type { Prisma }
// Raw SQL fragments (sql-template-tag, shared by both generated clients' runtime).
import { empty, join, raw, sql, type Sql } from '../generated/sqlite/internal/prismaNamespace.ts'
export { empty, join, raw, sql, type Sql }
/** The client inside `prisma.$transaction(async (tx) => ...)`. */
export type Tx = Prisma.TransactionClient

/**
 * Where a read outside a transaction goes: a read replica when there are any
 * (DATABASE_REPLICA_URLS), picked once, else `prisma`. Prisma's read-replica
 * extension sends model reads to a replica but raw queries to the primary, so
 * a read that mixes the two (a page's ids by raw SQL, then their rows) takes
 * one client from here for both: they see the same database.
 */
export function readerOf (prisma: Db): Db {
  const extended = prisma as Db & { $replica?: () => Db }
  return typeof extended.$replica === 'function' ? extended.$replica() : prisma
}

// SQLite: statements of a write's transaction sent straight to the driver.
// Prisma runs each raw statement through its query pipeline (some 0.15 ms
// of CPU a statement, measured, against microseconds for the insert itself),
// and a story save sends a dozen. The adapter runs every statement, in a
// transaction or not, on its one connection, and lets one transaction run at
// a time (a mutex): a statement sent to that connection while the write's
// transaction is open belongs to it, as Prisma's own would. The write path
// names the transaction's client here (see runsOn); the helpers below use
// the connection when there is one and Prisma otherwise (PostgreSQL, or an
// adapter whose connection could not be reached).
const directConnections = new WeakMap<Tx, BetterSqlite3.Database>()

/** Statements `executeSql` is given for `tx` go to `connection` (the adapter's own) directly. */
export function runsOn (tx: Tx, connection: BetterSqlite3.Database | undefined): void {
  if (connection !== undefined) directConnections.set(tx, connection)
}

/** A value as the adapter would bind it (its mapArg: ISO 8601 with "+00:00", booleans as 1 and 0). */
function sqliteValue (value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00')
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

/**
 * `run` on `statement` bound on the transaction's driver connection; undefined
 * when there is none (Prisma then runs it) or when the driver refuses it (a
 * constraint, a busy database): Prisma then sends it again, fails the same way
 * and throws the error it would have (a failed statement leaves SQLite's
 * transaction open), so callers keep mapping Prisma's errors.
 */
function runDirectly<T> (tx: Tx, statement: Sql, run: (bound: BetterSqlite3.Statement) => T): T | undefined {
  const connection = directConnections.get(tx)
  if (connection === undefined) return undefined
  try {
    return run(connection.prepare(statement.sql).bind(statement.values.map(sqliteValue)))
  } catch {
    return undefined
  }
}

/** Runs a statement that returns no rows in `tx`; returns how many rows it changed. */
export async function executeSql (tx: Tx, statement: Sql): Promise<number> {
  return runDirectly(tx, statement, (bound) => bound.run().changes) ?? await tx.$executeRaw(statement)
}

/** Runs a statement whose rows hold one integer column (an `INSERT ... RETURNING` of ids) in `tx`; the integers. */
export async function queryIntegers (tx: Tx, statement: Sql, column: string): Promise<number[]> {
  // The adapter's connection reads integers as BigInt (safeIntegers); raw(): rows as arrays.
  return runDirectly(tx, statement, (bound) => (bound.raw().all() as unknown[][]).map((row) => Number(row[0]))) ??
    (await tx.$queryRaw<Array<Record<string, number | bigint>>>(statement)).map((row) => Number(row[column]))
}

// Under both engines' limit of parameters per statement (SQLite 32,766, PostgreSQL 65,535).
const maxParameters = 10_000

/**
 * Inserts `rows` with raw `INSERT INTO "table" (columns) VALUES ...`
 * statements, as many rows to a statement as the parameter limit allows, and
 * returns the `returning` column of them (an integer) in row order when asked. What hot
 * writes use instead of `create`/`createMany`, whose planning costs several
 * times the insert itself (README, Performance). Absent values are NULL and no
 * defaults apply, so every id and timestamp is given; Json columns take JSON text.
 */
export async function insertRows<Row extends object> (tx: Tx, table: string, columns: ReadonlyArray<keyof Row & string>, rows: Row[], returning?: string): Promise<number[]> {
  const returned: number[] = []
  const perStatement = Math.max(1, Math.floor(maxParameters / columns.length))
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = rows.slice(start, start + perStatement).map((row) => sql`(${join(columns.map((column) => (row as Record<string, unknown>)[column] ?? null))})`)
    const statement = sql`INSERT INTO ${raw(`"${table}"`)} (${raw(columns.map((column) => `"${column}"`).join(', '))}) VALUES ${join(values)}`
    if (returning === undefined) await executeSql(tx, statement)
    else returned.push(...await queryIntegers(tx, sql`${statement} RETURNING ${raw(`"${returning}"`)}`, returning))
  }
  return returned
}

export interface Database {
  engine: Engine
  prisma: Db
  /** The hot public read, through the driver (see stored-reads.ts). */
  storedArticles: StoredArticleReads
  /** SQLite: the adapter's driver connection, once Prisma has opened it (see executeSql). */
  sqliteConnection: () => BetterSqlite3.Database | undefined
  close: () => Promise<void>
}

export interface DatabaseOptions {
  databaseUrl: string
  /** PostgreSQL read replicas: see DATABASE_REPLICA_URLS in src/config.ts. */
  replicaUrls?: string[]
  poolMax?: number
  /** SQLite only: see SQLITE_SYNCHRONOUS in src/config.ts. */
  sqliteSynchronous?: 'FULL' | 'NORMAL'
}

export async function openDatabase (options: DatabaseOptions): Promise<Database> {
  const engine = engineOf(options.databaseUrl)
  const replicaUrls = options.replicaUrls ?? []
  if (engine === 'sqlite' && replicaUrls.length > 0) throw new Error('DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL')
  // Import only the engine's own client: each loads its own query compiler.
  const { PrismaClient: Client } = engine === 'sqlite'
    ? await import('../generated/sqlite/client.ts')
    : await import('../generated/postgresql/client.ts') as unknown as typeof import('../generated/sqlite/client.ts')
  let sqliteConnection: BetterSqlite3.Database | undefined
  const connect = (url: string): Db => new Client({ adapter: createAdapterFactory(url, { poolMax: options.poolMax, onSqliteConnection: (db) => { sqliteConnection = db } }) })
  let prisma = connect(options.databaseUrl)
  if (replicaUrls.length > 0) {
    // Prisma's read-replica extension: queries outside a transaction go to a
    // random replica, writes and transactions to the primary.
    // @see https://github.com/prisma/extension-read-replicas
    prisma = prisma.$extends(readReplicas({ replicas: replicaUrls.map(connect) })) as unknown as Db
  }
  if (engine === 'sqlite') {
    // WAL lets readers run beside a writer and persists in the file; synchronous
    // and busy_timeout are per connection. Foreign keys are what enforces
    // "an image still in use cannot vanish", so make sure they are on.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL')
    await prisma.$executeRawUnsafe(`PRAGMA synchronous = ${options.sqliteSynchronous ?? 'FULL'}`)
    await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 5000')
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON')
  }
  const storedArticles = openStoredArticleReads(engine, options.databaseUrl, replicaUrls)
  return {
    engine,
    prisma,
    storedArticles,
    sqliteConnection: () => sqliteConnection,
    close: async () => { await Promise.all([prisma.$disconnect(), storedArticles.close()]) }
  }
}
