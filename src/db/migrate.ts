// Applies the committed migrations (prisma/<engine>/migrations) with Prisma's
// own `migrate deploy`, run through the same driver adapter as the app, and
// says what it did in its own words.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import pg from 'pg'
import { engineOf, sqliteFilePath, type Engine } from './engine.ts'

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// Any constant will do, as long as every instance uses the same one.
const migrationLockKey = 4_207_310_001

const appliedMigrationsQuery =
  'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name'

export interface MigrationReport {
  engine: Engine
  /** The database, without its password: a file path, or user@host:port/name. */
  database: string
  /** Migrations this run applied, oldest first. */
  applied: string[]
  /** Migrations recorded in the database afterwards, these included. */
  recorded: number
}

/**
 * Lines of Prisma's output that mislead here: the schema's datasource `url` is
 * a placeholder (the driver adapter connects to DATABASE_URL), yet Prisma names
 * it ("SQLite database "unused.db"") and warns that it is not used. Also the
 * config banner and "N migrations found in prisma/migrations" (the folder is
 * prisma/<engine>/migrations).
 */
const misleadingLines = [
  /^Loaded Prisma config from /,
  /^Prisma config detected, skipping environment variable loading/,
  /^Prisma schema loaded from /,
  /^Datasource "/,
  /^WARNING: Your schema specifies the following datasource properties/,
  /^- url$/,
  /^The values from your schema will NOT be used!/,
  /^We recommend you to remove those properties from your schema/,
  /^\d+ migrations? found in prisma\/migrations/
]

/** Prisma's output without the lines above, for error messages. */
export function withoutMisleadingLines (output: string): string {
  return output
    .split('\n')
    .filter((line) => !misleadingLines.some((pattern) => pattern.test(line.trim())))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The database a URL names, fit to print: never its password (nor query parameters, which may hold one). */
export function describeDatabase (databaseUrl: string): string {
  if (engineOf(databaseUrl) === 'sqlite') return sqliteFilePath(databaseUrl)
  const url = new URL(databaseUrl)
  const user = url.username === '' ? '' : `${decodeURIComponent(url.username)}@`
  return `${user}${url.host}${url.pathname}`
}

async function runPrismaMigrateDeploy (databaseUrl: string): Promise<void> {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js')
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${withoutMisleadingLines(output)}`))
    })
  })
}

function sqliteMigrations (path: string): string[] {
  if (!existsSync(path)) return []
  const database = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const table = database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get()
    if (table === undefined) return []
    return (database.prepare(appliedMigrationsQuery).all() as Array<{ migration_name: string }>).map((row) => row.migration_name)
  } finally {
    database.close()
  }
}

async function postgresMigrations (client: pg.Client): Promise<string[]> {
  const { rows: [table] } = await client.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present")
  if (table?.present !== true) return []
  return (await client.query<{ migration_name: string }>(appliedMigrationsQuery)).rows.map((row) => row.migration_name)
}

function report (engine: Engine, databaseUrl: string, before: string[], after: string[]): MigrationReport {
  const earlier = new Set(before)
  return { engine, database: describeDatabase(databaseUrl), applied: after.filter((name) => !earlier.has(name)), recorded: after.length }
}

/**
 * Brings the database schema up to date. On PostgreSQL several instances may
 * start at once: a session advisory lock lets one migrate while the others wait,
 * and then find nothing left to do. What was applied is read from Prisma's
 * `_prisma_migrations` table before and after, not from Prisma's console output.
 */
export async function applyMigrations (databaseUrl: string): Promise<MigrationReport> {
  if (engineOf(databaseUrl) === 'sqlite') {
    const path = sqliteFilePath(databaseUrl)
    mkdirSync(dirname(path), { recursive: true })
    const before = sqliteMigrations(path)
    await runPrismaMigrateDeploy(databaseUrl)
    return report('sqlite', databaseUrl, before, sqliteMigrations(path))
  }
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey])
    const before = await postgresMigrations(client)
    await runPrismaMigrateDeploy(databaseUrl)
    return report('postgresql', databaseUrl, before, await postgresMigrations(client))
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {})
    await client.end()
  }
}

const engineNames: Record<Engine, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' }

function migrations (count: number): string {
  return `${count} migration${count === 1 ? '' : 's'}`
}

/** What a migration run did, in a few lines. */
export function describeMigration ({ engine, database, applied, recorded }: MigrationReport): string {
  const lines = [`${engineNames[engine]} database ${database}`]
  if (applied.length === 0) {
    lines.push(`No pending migrations: already up to date (${migrations(recorded)} applied before).`)
  } else {
    lines.push(`${applied.length === 1 ? '1 migration has' : `${applied.length} migrations have`} been applied:`)
    lines.push(...applied.map((name) => `  ${name}`))
    if (recorded > applied.length) lines.push(`(${migrations(recorded - applied.length)} applied before.)`)
  }
  return `${lines.join('\n')}\n`
}

/** Applies pending migrations and returns what was done, as text (see describeMigration). */
export async function migrateDatabase (databaseUrl: string): Promise<string> {
  return describeMigration(await applyMigrations(databaseUrl))
}
