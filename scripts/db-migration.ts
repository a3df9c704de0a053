// Authors a new migration for both engines from the change to prisma/models.prisma:
//   npm run db:schemas && npm run db:migration -- add_something
// `prisma migrate dev` cannot run here (its shadow database fails through the
// driver adapters), so this diffs the committed schema (git HEAD) against the
// working one with `prisma migrate diff`, which works offline. PostgreSQL's
// schema engine insists on a reachable server, so a throw-away cluster is started.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { providers, schemaPath } from '../prisma/derive-schemas.ts'
import { startPostgresCluster } from '../test/support/postgres-cluster.ts'

const name = process.argv[2]
if (name === undefined || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <snake_case_name>')
  process.exit(2)
}

const scratch = mkdtempSync(join(tmpdir(), 'cms-migration-'))
const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
const cluster = await startPostgresCluster()
try {
  for (const provider of providers) {
    const relative = `prisma/${provider}/schema.prisma`
    let from = ['--from-empty']
    try {
      const previous = execFileSync('git', ['show', `HEAD:${relative}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      const previousFile = join(scratch, `${provider}.prisma`)
      writeFileSync(previousFile, previous)
      from = ['--from-schema-datamodel', previousFile]
    } catch { /* first migration: diff from an empty database */ }
    const databaseUrl = provider === 'sqlite' ? `file:${join(scratch, 'diff.db')}` : cluster.url
    const sql = execFileSync('npx', ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', schemaPath(provider), '--script'],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' })
    if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|PRAGMA)/im.test(sql)) {
      console.log(`${provider}: no change`)
      continue
    }
    const folder = join('prisma', provider, 'migrations', `${timestamp}_${name}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'migration.sql'), sql)
    console.log(`${provider}: wrote ${folder}/migration.sql`)
  }
} finally {
  cluster.stop()
}
