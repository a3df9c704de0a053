// GET /health: 200 while the database answers, 503 while it does not.
//
// Closing the app's database client is not an outage: Prisma reconnects on the
// next query. So the outage here is real: the client is closed and the database
// itself is made unreachable under it (the SQLite file's path becomes a
// directory; the PostgreSQL database is renamed), then put back.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { existsSync, mkdirSync, renameSync, rmdirSync } from 'node:fs'
import pg from 'pg'
import { sqliteFilePath } from '../src/db/engine.ts'
import { buildTestApp, call, createArticle, engineUnderTest, getWithoutKey } from './helper.ts'
import { readPostgresState } from './support/test-databases.ts'

/** Makes the app's database unreachable; returns how to bring it back. */
async function takeDatabaseAway (app: FastifyInstance): Promise<() => Promise<void>> {
  const url = app.config.DATABASE_URL
  if (app.db.engine === 'sqlite') {
    const file = sqliteFilePath(url)
    const moved = ['', '-wal', '-shm'].filter((suffix) => existsSync(`${file}${suffix}`))
    for (const suffix of moved) renameSync(`${file}${suffix}`, `${file}${suffix}.away`)
    mkdirSync(file) // SQLite cannot open a directory, and will not create a file in its place
    return async () => {
      rmdirSync(file)
      for (const suffix of moved) renameSync(`${file}${suffix}.away`, `${file}${suffix}`)
    }
  }
  const name = new URL(url).pathname.slice(1)
  const rename = async (from: string, to: string): Promise<void> => {
    const admin = new pg.Client({ connectionString: readPostgresState().url })
    await admin.connect()
    try {
      // The app reconnects on its own (its change-log follower polls), so end
      // its sessions and rename before it comes back; a few tries at most.
      for (let attempt = 1; ; attempt++) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [from])
        try {
          await admin.query(`ALTER DATABASE "${from}" RENAME TO "${to}"`)
          return
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error
        }
      }
    } finally {
      await admin.end()
    }
  }
  await rename(name, `${name}_away`)
  return async () => { await rename(`${name}_away`, name) }
}

t.test('GET /health answers 200 with the engine and latency while the database is up', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/health' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const health = response.json()
  t.match(health, { status: 'ok', database: { engine: engineUnderTest(), status: 'up' } })
  t.equal(typeof health.database.latencyMs, 'number', 'latencyMs is a number')
  t.ok(health.database.latencyMs >= 0 && health.database.latencyMs < 5000, `latencyMs is plausible (${health.database.latencyMs})`)
  t.ok(Number.isInteger(health.uptimeSeconds) && health.uptimeSeconds >= 0, 'uptimeSeconds is a whole number')
  t.same(Object.keys(health).sort(), ['database', 'status', 'uptimeSeconds'], 'nothing else is exposed')
})

t.test('GET /health answers 503 while the database is unreachable, and 200 once it is back', async (t) => {
  const app = await buildTestApp(t)
  t.equal((await call(app, 'GET', '/health')).status, 200, 'up at first')
  const story = await createArticle(app, { status: 'published', headline: 'Read before the outage' })
  t.equal((await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)).statusCode, 200, 'a reader has it in the cache')

  await app.db.close()
  const bringBack = await takeDatabaseAway(app)
  let restored = false
  t.teardown(async () => { if (!restored) await bringBack() })

  const down = await app.inject({ method: 'GET', url: '/health' })
  t.equal(down.statusCode, 503, `503 while the database is away (${down.body})`)
  t.match(down.headers['content-type'], /^application\/json/)
  const health = down.json()
  t.equal(health.status, 'unavailable')
  t.same(health.database, { engine: engineUnderTest(), status: 'down', latencyMs: null })
  t.ok(Number.isInteger(health.uptimeSeconds), 'uptime is still reported')

  t.equal(down.headers['retry-after'], '5', 'with Retry-After')

  // Routes that need the database answer 503 with Retry-After, a problem that leaks no driver details.
  for (const [method, url, payload] of [
    ['GET', '/v1/articles', undefined],
    ['GET', `/v1/articles/${story.id}`, undefined],
    ['POST', '/v1/authors', { name: 'Written during the outage' }],
    ['PATCH', `/v1/articles/${story.id}`, { dek: 'Not now' }]
  ] as const) {
    const response = await app.inject({ method, url, ...(payload !== undefined && { payload }) })
    t.equal(response.statusCode, 503, `${method} ${url} → 503`)
    t.equal(response.headers['retry-after'], '5')
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { code: 'SERVICE_UNAVAILABLE', status: 503 })
    t.notMatch(response.body, /SQLITE|prisma|ECONN|database ".*" does not exist/i, 'no driver details')
  }
  // A published story already in the cache is still served.
  const cached = await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)
  t.equal(cached.statusCode, 200, 'the cached story is still served')
  t.equal(cached.json().headline, 'Read before the outage')

  await bringBack()
  restored = true
  const up = await call(app, 'GET', '/health')
  t.equal(up.status, 200, 'up again once the database is back')
  t.match(up.body, { status: 'ok', database: { status: 'up' } })
  t.equal((await call(app, 'GET', '/v1/articles')).status, 200, 'and the API answers again')
})
