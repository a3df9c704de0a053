// `npm run bench`: requests per second on the public read path, reported as
// ratios against a bare Fastify route serving constant JSON of similar size,
// measured in the same run (absolute numbers drift between machines; see
// ../shared/PERFORMANCE.md). Loopback only, bounded in time. Not part of the tests.
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildServer } from '../src/app.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { loadConfig } from '../src/config.ts'
import { migrateDatabase } from '../src/db/migrate.ts'
import { demoArticleSlug } from '../src/demo/demo-content.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

async function measure (url: string): Promise<{ rps: number, p99: number }> {
  const result = await autocannon({ url, connections, duration: seconds })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}

const scratch = mkdtempSync(join(tmpdir(), 'cms-bench-'))
const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${join(scratch, 'bench.db')}`
try {
  await migrateDatabase(databaseUrl)
  const app = await buildServer(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEMO_CONTENT: 'true', MIGRATE_ON_START: 'false', RATE_LIMIT_MAX: '100000000', ADMIN_API_KEY: 'cms_bench-admin-key-0123456789abcdef' }))
  await app.ready()
  await bootstrap(app)
  const appAddress = await app.listen({ host: '127.0.0.1', port: 0 })
  const story = await (await fetch(`${appAddress}/v1/article-by-slug/${demoArticleSlug}`)).text()

  const bare = Fastify()
  const constant = JSON.parse(story) as unknown
  bare.get('/story', async () => constant)
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 })

  const rows: Array<[string, { rps: number, p99: number }]> = [
    ['bare Fastify, the same JSON as a constant', await measure(`${bareAddress}/story`)],
    ['GET /v1/article-by-slug/{slug} (demo article)', await measure(`${appAddress}/v1/article-by-slug/${demoArticleSlug}`)],
    ['GET /v1/articles?limit=3', await measure(`${appAddress}/v1/articles?limit=3`)],
    ['GET /health', await measure(`${appAddress}/health`)]
  ]
  const baseline = rows[0]![1].rps
  console.log(`\n${connections} connections, ${seconds} s each, ${databaseUrl.split(':')[0]}\n`)
  console.log('| what | req/s | p99 ms | vs bare |\n|---|---|---|---|')
  for (const [name, { rps, p99 }] of rows) console.log(`| ${name} | ${Math.round(rps)} | ${p99} | ${(rps / baseline).toFixed(2)} |`)
  await app.close()
  await bare.close()
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
