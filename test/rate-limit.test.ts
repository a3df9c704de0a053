// The rate limit: RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW per API key, and
// RATE_LIMIT_ANONYMOUS_MAX per IP without a valid one; 429 problem+json with
// Retry-After beyond; public routes (health) are not limited.
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, testAdminKey } from './helper.ts'
import { loadConfig } from '../src/config.ts'

const limited = { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '1 minute' }

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'GET', url, headers, ...(remoteAddress !== undefined && { remoteAddress }) })
}

function assertRateLimited (t: Test, response: LightMyRequestResponse): void {
  assertProblem(t, response, 429, 'RATE_LIMITED')
  const retryAfter = response.headers['retry-after']
  t.match(retryAfter, /^\d+$/, `retry-after is a whole number of seconds (${String(retryAfter)})`)
  t.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 60, 'retry-after is within the window')
  t.match(response.json().detail, /Too many requests/)
}

t.test('a burst of anonymous reads: the first RATE_LIMIT_MAX pass, the rest get 429', async (t) => {
  const app = await buildTestApp(t, limited, { as: 'anonymous' })
  const statuses: number[] = []
  const responses: LightMyRequestResponse[] = []
  for (let i = 0; i < 8; i++) {
    const response = await get(app, '/v1/articles')
    statuses.push(response.statusCode)
    responses.push(response)
  }
  t.same(statuses, [200, 200, 200, 200, 200, 429, 429, 429], 'five pass, then 429')
  for (const response of responses.slice(0, 5)) {
    t.equal(response.headers['x-ratelimit-limit'], '5', 'x-ratelimit-limit on allowed responses')
  }
  t.same(responses.slice(0, 5).map((response) => response.headers['x-ratelimit-remaining']), ['4', '3', '2', '1', '0'], 'x-ratelimit-remaining counts down')
  for (const response of responses.slice(5)) assertRateLimited(t, response)

  // The budget is the caller's, across routes.
  assertRateLimited(t, await get(app, '/v1/authors'))
  assertRateLimited(t, await get(app, '/v1/articles/slug/anything'))

  // Another address has its own budget.
  t.equal((await get(app, '/v1/articles', {}, '198.51.100.7')).statusCode, 200, 'another IP is not limited by the first')
})

t.test('limits are per key: a key keeps its own budget when the anonymous IP is exhausted', async (t) => {
  const app = await buildTestApp(t, limited, { as: 'anonymous' })
  // The admin key's requests count against the admin key, not the IP.
  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${testAdminKey}` }, payload: { name: 'Front end', role: 'reader' } })
  t.equal(created.statusCode, 201)
  const secret = created.json().secret as string
  const keyHeaders = { authorization: `Bearer ${secret}` }

  for (let i = 0; i < 5; i++) t.equal((await get(app, '/v1/articles')).statusCode, 200, `anonymous ${i + 1}`)
  assertRateLimited(t, await get(app, '/v1/articles'))

  // Same IP, but with a valid key: its own budget of 5.
  const keyStatuses: number[] = []
  for (let i = 0; i < 7; i++) keyStatuses.push((await get(app, '/v1/articles', keyHeaders)).statusCode)
  t.same(keyStatuses, [200, 200, 200, 200, 200, 429, 429], 'the key gets five of its own, then 429')
  assertRateLimited(t, await get(app, '/v1/articles', keyHeaders))

  // The admin key (one request so far) is still under its own limit.
  t.equal((await get(app, '/v1/api-keys', { authorization: `Bearer ${testAdminKey}` })).statusCode, 200, 'the admin key has its own budget too')
  assertRateLimited(t, await get(app, '/v1/articles'))
})

t.test('/health is not rate limited', async (t) => {
  const app = await buildTestApp(t, limited, { as: 'anonymous' })
  for (let i = 0; i < 6; i++) await get(app, '/v1/articles')
  assertRateLimited(t, await get(app, '/v1/articles'))
  const statuses: number[] = []
  for (let i = 0; i < 10; i++) statuses.push((await get(app, '/health')).statusCode)
  t.same(statuses, Array(10).fill(200), '10 health checks from an exhausted IP all answer 200')
  const health = await get(app, '/health')
  t.equal(health.headers['x-ratelimit-limit'], undefined, 'no rate-limit headers on /health')
})

t.test('requests with an invalid key count against the IP: 401 until the limit, then 429', async (t) => {
  const app = await buildTestApp(t, limited, { as: 'anonymous' })
  const bad = { authorization: 'Bearer cms_this-key-does-not-exist-0123456789' }
  const statuses: number[] = []
  const responses: LightMyRequestResponse[] = []
  for (let i = 0; i < 8; i++) {
    const response = await get(app, '/v1/articles', bad)
    statuses.push(response.statusCode)
    responses.push(response)
  }
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429], 'guessing keys is limited like any request')
  for (const response of responses.slice(0, 5)) assertProblem(t, response, 401, 'INVALID_API_KEY')
  // (the statuses above already say whether these are 429s; the details are checked on those that are)
  for (const response of responses.slice(5)) if (response.statusCode === 429) assertRateLimited(t, response)
  // They used up the IP's budget: an anonymous read from it is limited too.
  const after = await get(app, '/v1/articles')
  t.equal(after.statusCode, 429, `an anonymous read from the same IP is then limited (${after.body.slice(0, 100)})`)
})

t.test('malformed, anonymous and revoked-key 401s share the IP budget; 403s count against the key', async (t) => {
  const app = await buildTestApp(t, limited, { as: 'anonymous' })
  const admin = { authorization: `Bearer ${testAdminKey}` }
  const revoked = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'Old', role: 'editor' } })).json()
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${revoked.id}`, headers: admin })).statusCode, 204)
  const reader = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'Reader', role: 'reader' } })).json()

  const statuses: number[] = []
  for (let i = 0; i < 2; i++) statuses.push((await get(app, '/v1/articles', { authorization: 'Basic dXNlcjpwYXNzd29yZA==' })).statusCode)
  for (let i = 0; i < 2; i++) statuses.push((await get(app, '/v1/api-keys')).statusCode)
  statuses.push((await get(app, '/v1/articles', { authorization: `Bearer ${revoked.secret}` })).statusCode)
  statuses.push((await get(app, '/v1/articles', { authorization: `Bearer ${revoked.secret}` })).statusCode)
  t.same(statuses, [401, 401, 401, 401, 401, 429], 'five 401s of any kind from one IP, then 429')

  const forbidden: number[] = []
  for (let i = 0; i < 6; i++) forbidden.push((await get(app, '/v1/api-keys', { authorization: `Bearer ${reader.secret}` })).statusCode)
  t.same(forbidden, [403, 403, 403, 403, 403, 429], 'a key that keeps trying what it may not do is limited too')
})

t.test('RATE_LIMIT_ANONYMOUS_MAX: requests without a key have a limit of their own', async (t) => {
  t.equal(loadConfig({ RATE_LIMIT_MAX: '42' }).RATE_LIMIT_ANONYMOUS_MAX, 42, 'unset, it is RATE_LIMIT_MAX (one limit, as before)')
  t.equal(loadConfig({}).RATE_LIMIT_ANONYMOUS_MAX, 600, 'both 600 by default')

  for (const [anonymousMax, keyedMax] of [[2, 4], [4, 2]] as const) {
    await t.test(`${anonymousMax} without a key, ${keyedMax} per key`, async (t) => {
      const app = await buildTestApp(t, { RATE_LIMIT_MAX: String(keyedMax), RATE_LIMIT_ANONYMOUS_MAX: String(anonymousMax) }, { as: 'anonymous' })
      const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${testAdminKey}` }, payload: { name: 'Front end', role: 'reader' } })
      const keyHeaders = { authorization: `Bearer ${created.json().secret as string}` }
      const invalidKey = { authorization: 'Bearer cms_this-key-does-not-exist-0123456789' }

      const anonymous: LightMyRequestResponse[] = []
      for (let i = 0; i <= anonymousMax; i++) anonymous.push(await get(app, '/v1/articles'))
      t.same(anonymous.map((response) => response.statusCode), [...Array(anonymousMax).fill(200), 429], `${anonymousMax} anonymous reads, then 429`)
      t.equal(anonymous[0]!.headers['x-ratelimit-limit'], String(anonymousMax), 'x-ratelimit-limit is the anonymous limit')
      assertRateLimited(t, anonymous[anonymousMax]!)
      t.match(anonymous[anonymousMax]!.json().detail, new RegExp(`at most ${anonymousMax} per`), 'the detail names the limit that applied')
      t.equal((await get(app, '/v1/articles', invalidKey)).statusCode, 429, 'an invalid key counts as anonymous')

      const keyed: LightMyRequestResponse[] = []
      for (let i = 0; i <= keyedMax; i++) keyed.push(await get(app, '/v1/articles', keyHeaders))
      t.same(keyed.map((response) => response.statusCode), [...Array(keyedMax).fill(200), 429], `${keyedMax} with the key, then 429`)
      t.equal(keyed[0]!.headers['x-ratelimit-limit'], String(keyedMax), 'x-ratelimit-limit is the keyed limit')
      t.match(keyed[keyedMax]!.json().detail, new RegExp(`at most ${keyedMax} per`))
    })
  }
})
