// Applies the committed migrations (prisma/<engine>/migrations) with Prisma's
// own `migrate deploy`, run through the same driver adapter as the app.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { engineOf, sqliteFilePath } from './engine.ts'

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// Any constant will do, as long as every instance uses the same one.
const migrationLockKey = 4_207_310_001

async function runPrismaMigrateDeploy (databaseUrl: string): Promise<string> {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js')
  return await new Promise((resolve, reject) => {
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
      if (code === 0) resolve(output)
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`))
    })
  })
}

/**
 * Brings the database schema up to date. On PostgreSQL several instances may
 * start at once: a session advisory lock lets one migrate while the others wait,
 * and then find nothing left to do.
 */
export async function migrateDatabase (databaseUrl: string): Promise<string> {
  if (engineOf(databaseUrl) === 'sqlite') {
    mkdirSync(dirname(sqliteFilePath(databaseUrl)), { recursive: true })
    return await runPrismaMigrateDeploy(databaseUrl)
  }
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey])
    return await runPrismaMigrateDeploy(databaseUrl)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {})
    await client.end()
  }
}
