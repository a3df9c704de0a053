// Behind a load balancer: the client's address comes from X-Forwarded-For only
// when TRUST_PROXY names the peer that sent it; request ids are UUIDs, unique
// across instances, unless a trusted proxy sends a well-formed X-Request-Id.
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp, createArticle, freshTestDatabase, testAdminKey } from './helper.ts'
import { ConfigError, loadConfig } from '../src/config.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** An anonymous read, from `remoteAddress` (app.inject's default: 127.0.0.1). */
async function read (app: FastifyInstance, headers: Record<string, string>, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'GET', url: '/v1/articles', headers: { authorization: '', ...headers }, ...(remoteAddress !== undefined && { remoteAddress }) })
}

const remaining = (response: LightMyRequestResponse): string | undefined => response.headers['x-ratelimit-remaining'] as string | undefined

t.test('TRUST_PROXY: the values it takes', async (t) => {
  const trustOf = (value: string | undefined): unknown => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY
  t.equal(trustOf(undefined), false, 'unset: no proxy is trusted')
  t.equal(trustOf(''), false, 'empty is unset')
  t.equal(trustOf('false'), false)
  t.equal(trustOf('true'), true)
  t.same(trustOf('10.0.0.0/8, 192.168.1.7,loopback,::1'), ['10.0.0.0/8', '192.168.1.7', 'loopback', '::1'], 'a list of IPs, CIDRs and names')
  t.throws(() => loadConfig({ TRUST_PROXY: '2' }), { constructor: ConfigError, message: /TRUST_PROXY: a hop count is not supported/ }, 'a hop count is refused, not silently ignored')
  t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.1,lb.internal' }), { constructor: ConfigError, message: /TRUST_PROXY: invalid IP address: lb\.internal/ })
  t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), { constructor: ConfigError, message: /TRUST_PROXY: invalid range/ })
})

t.test('without TRUST_PROXY, X-Forwarded-For is ignored: two "clients" behind it share one budget', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '2' }, { as: 'anonymous' })
  const first = await read(app, { 'x-forwarded-for': '203.0.113.1' })
  const second = await read(app, { 'x-forwarded-for': '203.0.113.2' })
  t.same([first.statusCode, second.statusCode], [200, 200])
  t.same([remaining(first), remaining(second)], ['1', '0'], 'both counted against the peer, 127.0.0.1')
  t.equal((await read(app, { 'x-forwarded-for': '203.0.113.3' })).statusCode, 429, 'a third forwarded address does not escape the limit')
})

t.test('with TRUST_PROXY naming the peer, each forwarded client has its own budget', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '2', TRUST_PROXY: '127.0.0.1' }, { as: 'anonymous' })
  const first = await read(app, { 'x-forwarded-for': '203.0.113.1' })
  const second = await read(app, { 'x-forwarded-for': '203.0.113.2' })
  t.same([remaining(first), remaining(second)], ['1', '1'], 'separate buckets')
  t.equal(remaining(await read(app, { 'x-forwarded-for': '203.0.113.1' })), '0', 'the first client\'s second request')
  t.equal((await read(app, { 'x-forwarded-for': '203.0.113.1' })).statusCode, 429, 'the first client is limited')
  t.equal((await read(app, { 'x-forwarded-for': '203.0.113.2' })).statusCode, 200, 'the second is not')
  // Only the trusted peer's word counts: a client connecting directly cannot pick its address.
  const direct = [await read(app, { 'x-forwarded-for': '203.0.113.50' }, '198.51.100.9'), await read(app, { 'x-forwarded-for': '203.0.113.51' }, '198.51.100.9')]
  t.same(direct.map(remaining), ['1', '0'], 'an untrusted peer\'s X-Forwarded-For is ignored')
})

t.test('request ids are UUIDs, different on every instance', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const first = await buildTestApp(t, { DATABASE_URL: databaseUrl })
  const second = await buildTestApp(t, { DATABASE_URL: databaseUrl })
  const ids = [
    (await first.inject({ url: '/health' })).headers['x-request-id'],
    (await second.inject({ url: '/health' })).headers['x-request-id'],
    (await first.inject({ url: '/health' })).headers['x-request-id']
  ]
  for (const id of ids) t.match(id, uuid, `${String(id)} is a UUID`)
  t.equal(new Set(ids).size, 3, 'no id repeats, across instances or within one')
})

t.test('X-Request-Id is kept only from a trusted proxy, and only when well formed', async (t) => {
  const sent = 'lb-7f3a.2026:abc_DEF-9'
  const direct = await buildTestApp(t)
  const notThisPeer = await buildTestApp(t, { TRUST_PROXY: '10.0.0.0/8' })
  const behindProxy = await buildTestApp(t, { TRUST_PROXY: '127.0.0.1' })
  const idFrom = async (app: FastifyInstance, id: string): Promise<unknown> => (await app.inject({ url: '/health', headers: { 'x-request-id': id } })).headers['x-request-id']

  t.match(await idFrom(direct, sent), uuid, 'without TRUST_PROXY a client\'s id is replaced')
  t.match(await idFrom(notThisPeer, sent), uuid, 'from a peer TRUST_PROXY does not name, too')
  t.equal(await idFrom(behindProxy, sent), sent, 'a trusted proxy\'s id is kept')
  t.equal(await idFrom(behindProxy, 'x'.repeat(200)), 'x'.repeat(200), '200 characters are fine')

  const malformed: Record<string, string> = {
    'too long': 'x'.repeat(201),
    'a space': 'abc 123',
    'a tab': 'abc\t123',
    'a comma (two headers joined)': 'abc,def',
    'a slash': '../etc',
    'non-ASCII': 'café',
    'a quote': 'abc"def'
  }
  for (const [name, id] of Object.entries(malformed)) t.match(await idFrom(behindProxy, id), uuid, `${name}: replaced by a UUID`)

  // The problem body quotes the kept id.
  const missing = await behindProxy.inject({ url: '/v1/articles/nope', headers: { 'x-request-id': sent } })
  t.equal(missing.json().requestId, sent, 'problem.requestId')
})

t.test('the id a write answers with is the one in its audit entry', async (t) => {
  const app = await buildTestApp(t, { TRUST_PROXY: '127.0.0.1' })
  const audited = async (resourceId: string): Promise<unknown> => {
    const response = await app.inject({ url: `/v1/audit?resourceId=${resourceId}`, headers: { authorization: `Bearer ${testAdminKey}` } })
    return response.json().data.map((entry: { requestId: string }) => entry.requestId)
  }

  const made = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Ida Generated' } })
  t.equal(made.statusCode, 201)
  const generated = made.headers['x-request-id']
  t.match(generated, uuid)
  t.same(await audited(made.json().id), [generated], 'a generated id')

  const forwarded = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Ola Forwarded' }, headers: { 'x-request-id': 'edge-42' } })
  t.equal(forwarded.headers['x-request-id'], 'edge-42')
  t.same(await audited(forwarded.json().id), ['edge-42'], 'a trusted proxy\'s id')

  const article = await createArticle(app)
  t.equal((await audited(article.id) as string[]).length, 1, 'one entry per write')
})
