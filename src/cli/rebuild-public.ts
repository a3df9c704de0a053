// `npm run public:rebuild`: renders every published article's public JSON
// afresh from the tables and rewrites the stored forms that differ (after an
// upgrade that changes the rendering, or a repair). With `-- --verify` it only
// reports, and exits 1 when anything differs.
import { loadConfig, loadDotEnvFile } from '../config.ts'
import { openDatabase } from '../db/client.ts'
import { rebuildPublicArticles } from '../services/public-articles.ts'
import { createServices } from '../plugins/app/services.ts'

loadDotEnvFile()
const config = loadConfig()
const verify = process.argv.includes('--verify')
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, sqliteSynchronous: config.SQLITE_SYNCHRONOUS, poolMax: config.DATABASE_POOL_MAX })
try {
  const report = await rebuildPublicArticles({ prisma: db.prisma, writes: createServices(db).writes }, { verify })
  const differing = report.stale.length + report.orphaned.length
  console.log(`${report.checked} published article(s) checked: ${report.stale.length} stale or missing, ${report.orphaned.length} stored for articles no longer published.`)
  for (const id of report.stale) console.log(`  stale: ${id}`)
  for (const id of report.orphaned) console.log(`  orphaned: ${id}`)
  if (differing > 0) console.log(verify ? 'Nothing was written (--verify).' : 'Rewritten from the tables.')
  process.exitCode = verify && differing > 0 ? 1 : 0
} finally {
  await db.close()
}
