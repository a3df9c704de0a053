// tap `before` script: prepares the migrated template database(s) for the run,
// and for PostgreSQL starts a throw-away cluster unless TEST_DATABASE_URL names a server.
import { rmSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import { startPostgresCluster } from './postgres-cluster.ts'
import {
  databaseUrlFor, engineUnderTest, ensureStateDir, migrate, postgresStateFile, postgresTemplateName, sqliteTemplate, stateDir,
  type PostgresState
} from './test-databases.ts'

rmSync(stateDir, { recursive: true, force: true })
ensureStateDir()

if (engineUnderTest() === 'sqlite') {
  migrate(`file:${sqliteTemplate}`)
} else {
  let state: PostgresState
  const given = process.env.TEST_DATABASE_URL
  if (given !== undefined && given !== '') {
    state = { url: given }
  } else {
    const cluster = await startPostgresCluster()
    state = { url: cluster.url, dataDir: cluster.dataDir }
  }
  writeFileSync(postgresStateFile, JSON.stringify(state))
  const admin = new pg.Client({ connectionString: state.url })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${postgresTemplateName}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${postgresTemplateName}"`)
  } finally {
    await admin.end()
  }
  migrate(databaseUrlFor(state.url, postgresTemplateName))
}
