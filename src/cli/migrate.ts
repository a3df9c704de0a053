// `npm run db:migrate`: applies pending migrations and exits, for deploy
// pipelines that run migrations as their own step (then set MIGRATE_ON_START=false).
// Prints the engine, the database (never its password) and the migrations it
// applied, or that there were none to apply.
import { loadConfig, loadDotEnvFile, type Config } from '../config.ts'
import { describeDatabase, migrateDatabase } from '../db/migrate.ts'

function fail (message: string): void {
  console.error(message)
  process.exitCode = 1
}

/** The database, for an error message; a malformed DATABASE_URL is described by the error itself. */
function where (databaseUrl: string): string {
  try {
    return describeDatabase(databaseUrl)
  } catch {
    return 'the database'
  }
}

let config: Config | undefined
try {
  loadDotEnvFile()
  config = loadConfig()
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
}

if (config !== undefined) {
  try {
    process.stdout.write(await migrateDatabase(config.DATABASE_URL))
  } catch (error) {
    // Prisma's own account of a failed migration, or why the database could not be reached.
    const message = error instanceof Error ? error.message : String(error)
    fail(`Migrating ${where(config.DATABASE_URL)} failed: ${message}`)
  }
}
