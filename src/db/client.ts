// Opens the database named by DATABASE_URL through the matching Prisma client.
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

// Under both engines' limit of parameters per statement (SQLite 32,766, PostgreSQL 65,535).
const maxParameters = 10_000

/**
 * Inserts `rows` with raw `INSERT INTO "table" (columns) VALUES ...`
 * statements, as many rows to a statement as the parameter limit allows, and
 * returns the `returning` columns of them in row order when asked. What hot
 * writes use instead of `create`/`createMany`, whose planning costs several
 * times the insert itself (README, Performance). Absent values are NULL and no
 * defaults apply, so every id and timestamp is given; Json columns take JSON text.
 */
export async function insertRows<Row extends object, Returned = never> (tx: Tx, table: string, columns: ReadonlyArray<keyof Row & string>, rows: Row[], returning?: string): Promise<Returned[]> {
  const returned: Returned[] = []
  const perStatement = Math.max(1, Math.floor(maxParameters / columns.length))
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = rows.slice(start, start + perStatement).map((row) => sql`(${join(columns.map((column) => (row as Record<string, unknown>)[column] ?? null))})`)
    const statement = sql`INSERT INTO ${raw(`"${table}"`)} (${raw(columns.map((column) => `"${column}"`).join(', '))}) VALUES ${join(values)}`
    if (returning === undefined) await tx.$executeRaw(statement)
    else returned.push(...await tx.$queryRaw<Returned[]>(sql`${statement} RETURNING ${raw(returning)}`))
  }
  return returned
}

export interface Database {
  engine: Engine
  prisma: Db
  /** The hot public read, through the driver (see stored-reads.ts). */
  storedArticles: StoredArticleReads
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
  const connect = (url: string): Db => new Client({ adapter: createAdapterFactory(url, { poolMax: options.poolMax }) })
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
    close: async () => { await Promise.all([prisma.$disconnect(), storedArticles.close()]) }
  }
}
