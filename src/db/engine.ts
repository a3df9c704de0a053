// Which database engine a DATABASE_URL names, and the Prisma driver adapter for it.
// Used by the app and by prisma.config.ts (the migration CLI), so both always
// connect the same way.
import { resolve } from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
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
 * Prisma 6.19's pg adapter cannot map PostgreSQL's `name` type (oid 19), which
 * the schema engine's catalogue queries return ("Column type 'name' could not be
 * deserialized"). Reporting those columns as text (oid 25) lets `migrate deploy`
 * run. Only the migration path needs it.
 */
function reportNameColumnsAsText (pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>
  pool.query = (async (...args: unknown[]) => {
    const result = await query(...args)
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === 19) field.dataTypeID = 25
    }
    return result
  }) as typeof pool.query
  return pool
}

export interface AdapterOptions {
  /** For the migration CLI (schema engine), which needs the `name`-type fix. */
  forMigrations?: boolean
}

export function createAdapterFactory (databaseUrl: string, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (engineOf(databaseUrl) === 'sqlite') {
    return new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl) })
  }
  if (options.forMigrations === true) {
    return new PrismaPg(reportNameColumnsAsText(new pg.Pool({ connectionString: databaseUrl })), { disposeExternalPool: true })
  }
  // Given a config rather than a pool, the adapter owns the pool and ends it on $disconnect.
  return new PrismaPg({ connectionString: databaseUrl })
}
