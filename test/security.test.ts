// Security at the edges: helmet's headers, CORS, error bodies that leak
// nothing, logs that never carry a secret (checked on the real server process),
// the first-run admin key printed on stderr only, and the OpenAPI security scheme.
import t, { type Test } from 'tap'
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, engineUnderTest, testAdminKey } from './helper.ts'
import { emptyDatabase, startServer } from './support/server-process.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const admin = { authorization: `Bearer ${testAdminKey}` }

/** The headers the OWASP REST Security Cheat Sheet lists for API responses, and none of the HTML-only ones. */
function assertHelmetHeaders (t: Test, response: LightMyRequestResponse, what: string): void {
  const { headers } = response
  t.equal(headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", `${what}: content-security-policy`)
  t.equal(headers['x-content-type-options'], 'nosniff', `${what}: x-content-type-options`)
  t.match(headers['strict-transport-security'], /^max-age=\d{7,}; includeSubDomains/, `${what}: strict-transport-security, at least ~4 months`)
  t.equal(headers['x-frame-options'], 'DENY', `${what}: x-frame-options`)
  for (const htmlOnly of ['referrer-policy', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-download-options', 'x-xss-protection']) {
    t.equal(headers[htmlOnly], undefined, `${what}: no ${htmlOnly} (for HTML documents)`)
  }
  t.equal(headers['x-powered-by'], undefined, `${what}: no x-powered-by`)
}

t.test('every kind of JSON response carries the API security headers', async (t) => {
  const app = await buildTestApp(t)
  assertHelmetHeaders(t, await app.inject({ method: 'GET', url: '/v1/articles' }), 'a list')
  const created = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Helmet Author' } })
  t.equal(created.statusCode, 201)
  assertHelmetHeaders(t, created, 'a 201')
  assertHelmetHeaders(t, await app.inject({ method: 'GET', url: '/v1/authors/no-such-author' }), 'a 404 problem')
  assertHelmetHeaders(t, await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: '' } }), 'a 400 problem')
  assertHelmetHeaders(t, await app.inject({ method: 'POST', url: '/v1/authors', headers: { authorization: 'Bearer cms_not-a-key-0123456789abcdef' }, payload: { name: 'X' } }), 'a 401 problem')
  assertHelmetHeaders(t, await app.inject({ method: 'GET', url: '/v1/no-such-route' }), 'an unknown route')
  assertHelmetHeaders(t, await app.inject({ method: 'GET', url: '/health' }), '/health')
  assertHelmetHeaders(t, await app.inject({ method: 'GET', url: '/openapi.json' }), '/openapi.json')
  // Swagger UI is an HTML page: helmet's whole set, and a policy that lets it run.
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers, { 'content-type': /text\/html/, 'referrer-policy': 'no-referrer', 'x-frame-options': 'SAMEORIGIN', 'cross-origin-opener-policy': 'same-origin', 'x-content-type-options': 'nosniff', 'content-security-policy': /script-src 'self'/ })
})

t.test('CORS by default: any origin, with a preflight that allows Authorization', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const get = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://front.example' } })
  t.equal(get.statusCode, 200)
  t.equal(get.headers['access-control-allow-origin'], '*')
  t.equal(get.headers['access-control-allow-credentials'], undefined, 'no credentials with a wildcard origin')
  const exposed = String(get.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/)
  for (const header of ['location', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining']) t.ok(exposed.includes(header), `exposes ${header}`)

  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/articles',
    headers: { origin: 'https://front.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
  })
  t.equal(preflight.statusCode, 204, 'the preflight answers 204')
  t.equal(preflight.body, '')
  t.equal(preflight.headers['access-control-allow-origin'], '*')
  const allowedHeaders = String(preflight.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/)
  t.ok(allowedHeaders.includes('authorization'), `Authorization is allowed (${String(preflight.headers['access-control-allow-headers'])})`)
  t.ok(allowedHeaders.includes('content-type'), 'Content-Type is allowed')
  const methods = String(preflight.headers['access-control-allow-methods']).split(/,\s*/)
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) t.ok(methods.includes(method), `${method} is allowed`)
  t.equal(preflight.headers['access-control-max-age'], '600')

  // A preflight for a write needs no key and is not a write.
  const keyed = await app.inject({
    method: 'OPTIONS',
    url: '/v1/api-keys',
    headers: { origin: 'https://front.example', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' }
  })
  t.equal(keyed.statusCode, 204, 'a preflight of an admin route needs no key')
  t.equal(await app.db.prisma.change.count({ where: { method: { not: null } } }), 0, 'no change made by a request')
})

t.test('CORS_ORIGINS lists the origins allowed', async (t) => {
  const app = await buildTestApp(t, { CORS_ORIGINS: 'https://news.example, https://app.news.example' }, { as: 'anonymous' })
  const good = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://news.example' } })
  t.equal(good.statusCode, 200)
  t.equal(good.headers['access-control-allow-origin'], 'https://news.example', 'a listed origin is echoed')
  t.match(String(good.headers.vary), /origin/i, 'vary: Origin, so caches keep answers per origin')
  const second = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://app.news.example' } })
  t.equal(second.headers['access-control-allow-origin'], 'https://app.news.example', 'the second listed origin too')

  const evil = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://evil.example' } })
  t.equal(evil.statusCode, 200, 'the request itself is answered (CORS is enforced by the browser)')
  t.equal(evil.headers['access-control-allow-origin'], undefined, 'an unlisted origin gets no allow-origin header')
  const lookalike = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://news.example.evil.example' } })
  t.equal(lookalike.headers['access-control-allow-origin'], undefined, 'nor does a look-alike origin')

  const preflightEvil = await app.inject({
    method: 'OPTIONS',
    url: '/v1/articles',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' }
  })
  t.equal(preflightEvil.headers['access-control-allow-origin'], undefined, 'no preflight approval for an unlisted origin')
  const preflightGood = await app.inject({
    method: 'OPTIONS',
    url: '/v1/articles',
    headers: { origin: 'https://news.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' }
  })
  t.equal(preflightGood.statusCode, 204)
  t.equal(preflightGood.headers['access-control-allow-origin'], 'https://news.example')
})

t.test('CORS_ORIGINS empty turns CORS off, as documented', async (t) => {
  // src/config.ts: 'Origins allowed by CORS: "*" (any), or a comma-separated list; empty turns CORS off.'
  const app = await buildTestApp(t, { CORS_ORIGINS: '' }, { as: 'anonymous' })
  const get = await app.inject({ method: 'GET', url: '/v1/articles', headers: { origin: 'https://front.example' } })
  t.equal(get.statusCode, 200)
  t.equal(get.headers['access-control-allow-origin'], undefined, 'no allow-origin header with CORS off')
})

t.test('a 500 tells the client nothing about the code or the database', async (t) => {
  const app = await buildTestApp(t)
  const author = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Before The Failure' } })
  t.equal(author.statusCode, 201)
  // Break the database under the app: the Author table is gone.
  await app.db.prisma.$executeRawUnsafe('ALTER TABLE "Author" RENAME TO "Author_renamed_by_test"')

  const failures = [
    await app.inject({ method: 'GET', url: '/v1/authors' }),
    await app.inject({ method: 'GET', url: `/v1/authors/${author.json().id as string}` }),
    await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'During The Failure' } })
  ]
  for (const response of failures) {
    assertProblem(t, response, 500, 'INTERNAL_ERROR')
    const problem = response.json()
    t.same(Object.keys(problem).sort(), ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'], 'only the problem fields: no stack, no cause, no meta')
    t.equal(problem.detail, 'An unexpected error occurred; it has been logged')
    for (const text of [problem.detail, response.body]) {
      t.notMatch(text, /\bat [\w.<>]+ \(|\bat file:|\bat node:/, 'no stack frames')
      t.notMatch(text, /prisma/i, 'no mention of Prisma')
      t.notMatch(text, /\b(SELECT|INSERT|UPDATE|DELETE FROM|FROM)\b/, 'no SQL')
      t.notMatch(text, /Author_renamed_by_test|"Author"|main\.Author|public\.Author|no such table|does not exist/, 'no table names or database messages')
      t.notMatch(text, /\/work\/|node_modules|\.ts:\d|\.js:\d|[A-Z]:\\/, 'no file paths')
      t.notMatch(text, /P\d{4}|SQLITE_|ECONN/, 'no driver error codes')
    }
  }
  assertHelmetHeaders(t, failures[0] as LightMyRequestResponse, 'a 500')

  // The rest of the API keeps answering.
  t.equal((await app.inject({ method: 'GET', url: '/v1/images' })).statusCode, 200, 'routes that do not touch the table still work')
})

t.test('the OpenAPI document declares bearer auth, per operation', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200, '/openapi.json needs no key')
  const doc = response.json()
  t.match(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' })

  const operations: Array<{ path: string, method: string, op: Json }> = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) operations.push({ path, method, op })
  }
  const op = (path: string, method: string): Json => doc.paths[path]?.[method]
  const writes = operations.filter(({ path, method }) => path.startsWith('/v1') && method !== 'get')
  t.ok(writes.length >= 15, `every write operation (${writes.length})`)
  for (const { path, method, op } of writes) {
    t.same(op.security, [{ bearerAuth: [] }], `${method.toUpperCase()} ${path}: needs the bearer key`)
    for (const status of ['401', '403', '429']) t.ok(op.responses?.[status], `${method.toUpperCase()} ${path}: documents ${status}`)
  }
  const publicReads = [
    ['/v1/articles', 'get'], ['/v1/articles/{id}', 'get'], ['/v1/articles/slug/{slug}', 'get'], ['/v1/article-by-slug/{slug}', 'get'],
    ['/v1/articles/{id}/bylines', 'get'], ['/v1/articles/{id}/related-links', 'get'], ['/v1/authors', 'get'], ['/v1/authors/{id}', 'get']
  ]
  for (const [path = '', method = ''] of publicReads) {
    t.same(op(path, method)?.security, [{}, { bearerAuth: [] }], `GET ${path}: the key is optional`)
    t.ok(op(path, method)?.responses?.['401'], `GET ${path}: documents 401 (a bad key is refused)`)
    t.notOk(op(path, method)?.responses?.['403'], `GET ${path}: no 403`)
  }
  for (const path of ['/v1/api-keys', '/v1/audit']) {
    t.same(op(path, 'get')?.security, [{ bearerAuth: [] }], `GET ${path}: needs the bearer key`)
    t.ok(op(path, 'get')?.responses?.['403'], `GET ${path}: documents 403`)
  }
  t.same(op('/health', 'get')?.security, [], '/health needs no key: an empty requirement, not the default')
  t.notOk(doc.paths['/openapi.json'], 'the document does not describe itself')
  t.equal(doc.security, undefined, 'no global requirement that would hide the per-operation ones')
})

// ---------------------------------------------------------------------------
// The real server process: what it writes to stdout (the logs) and stderr.

t.test('the server\'s logs (trace level) never contain an API key', async (t) => {
  const adminKey = `cms_security-test-${randomBytes(18).toString('base64url')}`
  const server = await startServer(t, { DATABASE_URL: await emptyDatabase(t, 'logs'), LOG_LEVEL: 'trace', ADMIN_API_KEY: adminKey })
  const { address } = server
  const send = async (method: string, path: string, secret: string | null, payload?: object): Promise<Response> =>
    await fetch(`${address}${path}`, {
      method,
      headers: { ...(secret !== null && { authorization: `Bearer ${secret}` }), ...(payload !== undefined && { 'content-type': 'application/json' }) },
      ...(payload !== undefined && { body: JSON.stringify(payload) })
    })

  t.equal((await send('GET', '/v1/api-keys', adminKey)).status, 200, 'the admin key works')
  const createdResponse = await send('POST', '/v1/api-keys', adminKey, { name: 'Log test editor', role: 'editor' })
  t.equal(createdResponse.status, 201)
  const created = await createdResponse.json() as { id: string, secret: string }
  t.match(created.secret, /^cms_/)
  const author = await send('POST', '/v1/authors', created.secret, { name: 'Logged Author' })
  t.equal(author.status, 201, 'the new key works')
  t.equal((await send('GET', '/v1/articles', created.secret)).status, 200)
  t.equal((await send('POST', '/v1/api-keys', created.secret, { name: 'Escalation', role: 'admin' })).status, 403, 'a refused request')
  t.equal((await send('POST', '/v1/authors', created.secret, { name: '' })).status, 400, 'an invalid request')
  t.equal((await send('DELETE', `/v1/api-keys/${created.id}`, adminKey)).status, 204, 'revoked')
  t.equal((await send('GET', '/v1/articles', created.secret)).status, 401, 'a revoked key is refused')
  t.equal((await send('GET', '/v1/articles', `${adminKey}x`)).status, 401, 'a wrong key is refused')

  t.equal(await server.stop(), 0, 'closes cleanly')
  const stdout = server.stdout()
  const entries = server.logLines()
  t.notOk(entries.some((entry) => 'unparsable' in entry), 'every stdout line is a JSON log entry')
  const completed = entries.filter((entry) => entry.msg === 'request completed')
  t.equal(completed.length, 9, 'every request was logged, once (so the checks below are not vacuous)')
  t.ok(completed.every((entry) => typeof entry.req?.method === 'string' && typeof entry.req?.url === 'string' && typeof entry.res?.statusCode === 'number' && typeof entry.responseTime === 'number' && typeof entry.reqId === 'string'),
    'each line names the request, its status, the time taken and the request id')
  t.notOk(entries.some((entry) => entry.msg === 'incoming request'), 'no second line when the request comes in')
  t.ok(stdout.includes('/v1/api-keys'), 'the logs name the routes called')

  for (const [name, secret] of [['the admin key', adminKey], ['the created key', created.secret]] as const) {
    t.notOk(stdout.includes(secret), `${name} is nowhere in stdout`)
    t.notOk(stdout.includes(secret.slice(12)), `${name}: not even its part after the prefix`)
    t.notOk(server.stderr().includes(secret), `${name} is nowhere in stderr`)
  }
  t.notOk(/bearer\s+cms_/i.test(stdout), 'no Authorization header value in the logs')
})

t.test('first start without ADMIN_API_KEY: the generated admin key is printed on stderr, not logged', async (t) => {
  const server = await startServer(t, { DATABASE_URL: await emptyDatabase(t, 'firstrun'), LOG_LEVEL: 'trace', ADMIN_API_KEY: '' })
  const match = /^ {4}(cms_\S+)$/m.exec(server.stderr())
  t.ok(match, `stderr shows the key on a line of its own, indented by four spaces:\n${server.stderr()}`)
  const secret = match?.[1] ?? 'no key printed'
  t.match(secret, /^cms_[A-Za-z0-9_-]{40}$/)

  const keys = await fetch(`${server.address}/v1/api-keys`, { headers: { authorization: `Bearer ${secret}` } })
  t.equal(keys.status, 200, 'the printed key is a working admin key')
  const listed = await keys.json() as { data: Array<{ name: string, role: string }> }
  t.match(listed.data, [{ name: 'Admin (first run)', role: 'admin' }])
  t.equal(listed.data.length, 1)
  const created = await fetch(`${server.address}/v1/api-keys`, {
    method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Made by the first key', role: 'reader' })
  })
  t.equal(created.status, 201)

  t.equal(await server.stop(), 0)
  const stdout = server.stdout()
  t.notOk(stdout.includes(secret), 'the key is nowhere in the logs')
  t.notOk(stdout.includes(secret.slice(12)), 'not even its part after the prefix')
  t.ok(server.logLines().some((entry) => entry.level === 40 && /first admin API key/.test(entry.msg)), 'the logs say a key was created (without it)')
  t.equal((server.stderr().match(/cms_/g) ?? []).length, 1, 'stderr shows it once')
})
