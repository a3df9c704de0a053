// Where the test run's databases live. The before-script (global-setup.ts)
// prepares one migrated template per engine; every test file then gets its own
// copy of it, so files run in parallel and never see each other's rows.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import pg from 'pg'
import type { Engine } from '../../src/db/engine.ts'

// Child processes the tests start (Prisma's CLI, which loads prisma.config.ts
// and so src/ through its own transpiler, and the server under test) must not
// report coverage: their copies of src/ map lines differently, and merged
// with this process's they corrupt the report. tap's processinfo reads this
// variable once at start, so this process keeps its coverage; children inherit "off".
process.env._TAPJS_PROCESSINFO_COVERAGE_ = '0'

// One folder per tap run (the before-script and the test files are all children
// of the runner), so that runs side by side never share or delete each other's files.
export const stateDir = resolve('.tap', 'cms-test', `run-${process.ppid}`)
export const sqliteTemplate = join(stateDir, 'template.db')
export const postgresStateFile = join(stateDir, 'postgres.json')
export const postgresTemplateName = 'cms_template'

export interface PostgresState {
  /** Server URL (any database); test databases are made beside the template. */
  url: string
  /** Set when the setup started its own cluster (and the teardown must stop it). */
  dataDir?: string
}

/** The engine under test: TEST_ENGINE=postgresql, or a postgres TEST_DATABASE_URL; SQLite otherwise. */
export function engineUnderTest (): Engine {
  if (process.env.TEST_ENGINE === 'postgresql' || /^postgres/.test(process.env.TEST_DATABASE_URL ?? '')) return 'postgresql'
  return 'sqlite'
}

export function ensureStateDir (): void {
  mkdirSync(stateDir, { recursive: true })
}

export function readPostgresState (): PostgresState {
  if (!existsSync(postgresStateFile)) throw new Error(`${postgresStateFile} is missing: run the tests with \`npm test\` (its before-script starts PostgreSQL)`)
  return JSON.parse(readFileSync(postgresStateFile, 'utf8')) as PostgresState
}

export function databaseUrlFor (serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

export function migrate (databaseUrl: string): void {
  execFileSync(process.execPath, [join('node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
}

export interface FreshDatabase {
  url: string
  drop: () => Promise<void>
}

/** An empty, migrated database of its own for one test file (or one test). */
export async function freshDatabase (): Promise<FreshDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`
  if (engineUnderTest() === 'sqlite') {
    if (!existsSync(sqliteTemplate)) throw new Error(`${sqliteTemplate} is missing: run the tests with \`npm test\``)
    const file = join(stateDir, `${name}.db`)
    copyFileSync(sqliteTemplate, file)
    return {
      url: `file:${file}`,
      drop: async () => { for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true }) }
    }
  }
  const { url } = readPostgresState()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${postgresTemplateName}"`)
  } finally {
    await admin.end()
  }
  return {
    url: databaseUrlFor(url, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await client.end()
      }
    }
  }
}
