// `npm run db:migrate`: applies pending migrations and exits, for deploy
// pipelines that run migrations as their own step (then set MIGRATE_ON_START=false).
import { loadConfig, loadDotEnvFile } from '../config.ts'
import { migrateDatabase } from '../db/migrate.ts'

loadDotEnvFile()
const config = loadConfig()
process.stdout.write(await migrateDatabase(config.DATABASE_URL))
