// `npm run seed`: loads the demo article on demand (migrating first if needed).
import { loadConfig, loadDotEnvFile } from '../config.ts'
import { migrateDatabase } from '../db/migrate.ts'
import { openDatabase } from '../db/client.ts'
import { createServices } from '../plugins/app/services.ts'
import { demoArticleSlug, loadDemoContent } from '../demo/demo-content.ts'

loadDotEnvFile()
const config = loadConfig()
if (config.MIGRATE_ON_START) await migrateDatabase(config.DATABASE_URL)
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, sqliteSynchronous: config.SQLITE_SYNCHRONOUS, replicaUrls: config.DATABASE_REPLICA_URLS, poolMax: config.DATABASE_POOL_MAX })
try {
  const loaded = await loadDemoContent(createServices(db))
  console.log(loaded ? `Loaded the demo article: /v1/article-by-slug/${demoArticleSlug}` : `The demo article is already there: /v1/article-by-slug/${demoArticleSlug}`)
} finally {
  await db.close()
}
