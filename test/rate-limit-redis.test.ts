// RATE_LIMIT_REDIS_URL: the rate limit's counters in a real redis-server, shared
// by every instance; without it each instance counts on its own. A Redis outage
// lets requests through (logged) instead of refusing them, and limits resume
// when Redis is back.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { buildTestApp, freshTestDatabase, testAdminKey } from './helper.ts'
import { ConfigError, loadConfig } from '../src/config.ts'
import { freePort } from './support/postgres-cluster.ts'
import { redisServerInstalled, startRedisServer } from './support/redis-server.ts'
import { emptyDatabase, startServer } from './support/server-process.ts'

// Only where redis-server is missing (.ci/run installs it, so CI never skips).
const skip = redisServerInstalled() ? false : 'redis-server is not installed: apt-get install -y redis-server'

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function until (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await pause(50)
  }
}

/** Status and X-RateLimit-Remaining of one GET /v1/articles on each instance in turn. */
async function alternate (instances: FastifyInstance[], count: number, headers: Record<string, string> = {}): Promise<Array<[number, unknown]>> {
  const answers: Array<[number, unknown]> = []
  for (let i = 0; i < count; i++) {
    const response = await instances[i % instances.length]!.inject({ method: 'GET', url: '/v1/articles', headers })
    answers.push([response.statusCode, response.headers['x-ratelimit-remaining']])
  }
  return answers
}

t.test('RATE_LIMIT_REDIS_URL is a redis:// or rediss:// URL', async (t) => {
  t.equal(loadConfig({}).RATE_LIMIT_REDIS_URL, undefined, 'unset by default')
  t.equal(loadConfig({ RATE_LIMIT_REDIS_URL: 'rediss://:secret@cache.internal:6380/2' }).RATE_LIMIT_REDIS_URL, 'rediss://:secret@cache.internal:6380/2')
  t.throws(() => loadConfig({ RATE_LIMIT_REDIS_URL: 'cache.internal:6379' }), { constructor: ConfigError, message: /RATE_LIMIT_REDIS_URL: must be redis:\/\/ or rediss:\/\// })
})

t.test('with RATE_LIMIT_REDIS_URL two instances share each budget', { skip }, async (t) => {
  const redis = await startRedisServer(t)
  const databaseUrl = await freshTestDatabase(t)
  const env = { DATABASE_URL: databaseUrl, RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_ANONYMOUS_MAX: '4', RATE_LIMIT_MAX: '3' }
  const instances = [await buildTestApp(t, env, { as: 'anonymous' }), await buildTestApp(t, env, { as: 'anonymous' })]

  t.same(await alternate(instances, 6), [[200, '3'], [200, '2'], [200, '1'], [200, '0'], [429, '0'], [429, '0']],
    'anonymous: four requests across both instances, then 429 on both')

  const created = await instances[0]!.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${testAdminKey}` }, payload: { name: 'Front end', role: 'reader' } })
  t.equal(created.statusCode, 201)
  const key = { authorization: `Bearer ${created.json().secret as string}` }
  t.same(await alternate(instances, 5, key), [[200, '2'], [200, '1'], [200, '0'], [429, '0'], [429, '0']],
    'a key: three requests across both instances, then 429 on both')
})

t.test('without RATE_LIMIT_REDIS_URL each instance counts on its own', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const env = { DATABASE_URL: databaseUrl, RATE_LIMIT_ANONYMOUS_MAX: '2' }
  const instances = [await buildTestApp(t, env, { as: 'anonymous' }), await buildTestApp(t, env, { as: 'anonymous' })]
  t.same((await alternate(instances, 6)).map(([status]) => status), [200, 200, 200, 200, 429, 429], 'two per instance')
})

t.test('the server closes its Redis connection when it closes', { skip }, async (t) => {
  const redis = await startRedisServer(t)
  const observer = new Redis(redis.url)
  t.teardown(() => { observer.disconnect() })
  const connections = async (): Promise<number> => (await observer.client('LIST') as string).trim().split('\n').length
  t.equal(await connections(), 1, 'only the test\'s own connection')

  const app = await buildTestApp(t, { RATE_LIMIT_REDIS_URL: redis.url })
  t.equal(await connections(), 2, 'the app connected')
  await app.close()
  await until('the app\'s connection closed', async () => await connections() === 1)
  t.pass('closed with the server')
})

t.test('a server starts while Redis is unreachable, and does not limit', { skip }, async (t) => {
  const nothingListens = `redis://127.0.0.1:${await freePort()}`
  const started = Date.now()
  const app = await buildTestApp(t, { RATE_LIMIT_REDIS_URL: nothingListens, RATE_LIMIT_ANONYMOUS_MAX: '1' }, { as: 'anonymous' })
  t.ok(Date.now() - started < 10_000, 'it did not wait for Redis')
  const statuses = (await alternate([app], 3)).map(([status]) => status)
  t.same(statuses, [200, 200, 200], 'requests pass (fail open) rather than being refused')
})

t.test('a Redis outage: requests pass, the log says so, and limits resume when Redis is back', { skip }, async (t) => {
  const redis = await startRedisServer(t)
  // info: the helper waits for the "listening" line
  const server = await startServer(t, { DATABASE_URL: await emptyDatabase(t, 'redis'), LOG_LEVEL: 'info', RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_ANONYMOUS_MAX: '2' })
  const statuses = async (count: number): Promise<number[]> => {
    const answers: number[] = []
    for (let i = 0; i < count; i++) answers.push((await fetch(`${server.address}/v1/articles`)).status)
    return answers
  }
  const logged = (message: RegExp): Array<{ level: number, msg: string }> => server.logLines().filter((entry) => message.test(entry.msg ?? ''))

  t.same(await statuses(3), [200, 200, 429], 'limited through Redis')

  await redis.kill()
  await until('the outage logged', () => logged(/Redis\) unreachable/).length > 0)
  t.same(await statuses(4), [200, 200, 200, 200], 'while Redis is down: every request passes, none fails')
  const warnings = logged(/Redis\) unreachable/)
  t.equal(warnings.length, 1, 'one warning for the outage, not one per reconnection attempt')
  t.equal(warnings[0]?.level, 40, 'at warn level')

  await redis.start()
  await until('the recovery logged', () => logged(/Redis\) reachable again/).length > 0)
  t.same(await statuses(3), [200, 200, 429], 'limited again (the restarted Redis starts empty)')
  t.equal(await server.stop(), 0, 'closes cleanly')
})
