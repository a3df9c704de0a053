// How the app answers requests it cannot serve: malformed JSON, wrong content
// types, bodies over the limit, unknown routes and bad parameters. Every answer
// is RFC 9457 problem+json that quotes the request id and the path, never a 500,
// and never stores anything.
import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle } from './helper.ts'

const requestId = 'abc-123'
// The tests send their own x-request-id, which the app keeps only from a trusted
// proxy (app.inject's peer is 127.0.0.1).
const fromTrustedProxy = { TRUST_PROXY: '127.0.0.1' }

/** assertProblem plus the fields every problem must carry, exactly. */
function assertFullProblem (t: Test, response: LightMyRequestResponse, status: number, code: string, instance: string, paths: string[] = []): void {
  assertProblem(t, response, status, code, paths)
  t.not(response.statusCode, 500, 'never a 500')
  const problem = response.json()
  t.match(problem.type, /^urn:/, 'type is a URN')
  t.ok(problem.title.length > 0, 'title is not empty')
  t.ok(problem.detail.length > 0, 'detail is not empty')
  t.equal(problem.status, response.statusCode, 'problem.status equals the HTTP status')
  t.equal(problem.requestId, requestId, 'problem.requestId is the x-request-id sent')
  t.equal(problem.instance, instance, 'problem.instance is the path')
}

async function post (app: FastifyInstance, url: string, payload: string | Buffer, contentType: string | undefined): Promise<LightMyRequestResponse> {
  return await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'x-request-id': requestId, ...(contentType !== undefined && { 'content-type': contentType }) }
  })
}

/** Routes with an id or slug in the path, for the given raw (already encoded) value. */
function paramUrls (value: string): string[] {
  return [`/v1/articles/${value}`, `/v1/authors/${value}`, `/v1/images/${value}`, `/v1/articles/slug/${value}`,
    `/v1/articles/${value}/bylines`, `/v1/articles/${value}/related-links`]
}

async function assertNoArticles (t: Test, app: FastifyInstance, after: string): Promise<void> {
  const list = await call(app, 'GET', '/v1/articles')
  t.equal(list.status, 200)
  t.same(list.body.data, [], `no article stored after ${after}`)
}

t.test('malformed JSON is a 400 problem, not a 500', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const malformed: Record<string, string> = {
    truncated: '{"headline": "x"',
    'a lone brace': '{',
    'trailing garbage': '{"headline": "A valid headline"} garbage',
    'single quotes': "{'headline': 'x'}",
    'a trailing comma': '{"headline": "x",}'
  }
  for (const [name, payload] of Object.entries(malformed)) {
    const response = await post(app, '/v1/articles', payload, 'application/json')
    assertFullProblem(t, response, 400, 'MALFORMED_JSON', '/v1/articles')
    t.same(response.json().errors?.map((error: { path: string }) => error.path), ['body'], `${name}: the error names the body`)
    await assertNoArticles(t, app, name)
  }

  // The same holds on other write routes.
  const article = await createArticle(app)
  const patch = await app.inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, payload: '{"dek": ', headers: { 'content-type': 'application/json', 'x-request-id': requestId } })
  assertFullProblem(t, patch, 400, 'MALFORMED_JSON', `/v1/articles/${article.id}`)
  t.equal((await call(app, 'GET', `/v1/articles/${article.id}`)).body.dek, null, 'the rejected PATCH changed nothing')
})

t.test('an empty JSON body is a 400', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const empty = await post(app, '/v1/articles', '', 'application/json')
  assertFullProblem(t, empty, 400, 'MALFORMED_JSON', '/v1/articles')
  await assertNoArticles(t, app, 'an empty JSON body')

  // No body and no content type: the body is missing, which validation reports.
  const missing = await app.inject({ method: 'POST', url: '/v1/articles', headers: { 'x-request-id': requestId } })
  t.equal(missing.statusCode, 400, `no body at all: 400 (${missing.body.slice(0, 200)})`)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.equal(missing.json().requestId, requestId)
  await assertNoArticles(t, app, 'no body')

  // JSON that parses but is not an object.
  for (const payload of ['null', '[]', '"headline"', '42']) {
    const response = await post(app, '/v1/articles', payload, 'application/json')
    assertFullProblem(t, response, 400, 'VALIDATION_FAILED', '/v1/articles')
  }
  await assertNoArticles(t, app, 'JSON that is not an object')
})

t.test('a content type other than JSON is a 415', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const bodies: Array<[string, string]> = [
    ['application/xml', '<article><headline>x</headline></article>'],
    ['multipart/form-data; boundary=----cms', '------cms\r\nContent-Disposition: form-data; name="headline"\r\n\r\nx\r\n------cms--\r\n'],
    ['application/x-www-form-urlencoded', 'headline=x'],
    ['image/jpeg', '\xff\xd8\xff\xe0'],
    ['text/plain', 'headline: x'],
    ['text/plain; charset=utf-8', '{"headline": "Sent as text"}']
  ]
  for (const [contentType, payload] of bodies) {
    const response = await post(app, '/v1/articles', payload, contentType)
    await t.test(contentType, async (t) => {
      assertFullProblem(t, response, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/articles')
      t.match(response.json().detail, /Content-Type: application\/json/, 'the detail says what to send')
    })
    await assertNoArticles(t, app, contentType)
  }

  // JSON with a charset parameter is still JSON.
  const withCharset = await post(app, '/v1/articles', '{"headline": "Charset is fine"}', 'application/json; charset=utf-8')
  t.equal(withCharset.statusCode, 201, 'application/json; charset=utf-8 is accepted')
})

t.test('a body over BODY_LIMIT is a 413', async (t) => {
  const app = await buildTestApp(t, { ...fromTrustedProxy, BODY_LIMIT: '2048' })
  const big = JSON.stringify({ headline: 'Too long to store', body: [{ type: 'paragraph', text: 'x'.repeat(5 * 1024) }] })
  t.ok(Buffer.byteLength(big) > 5000, 'the payload is about 5 KB')
  const response = await post(app, '/v1/articles', big, 'application/json')
  assertFullProblem(t, response, 413, 'BODY_TOO_LARGE', '/v1/articles')
  t.match(response.json().detail, /at most 2048 bytes/, 'the detail says the limit')
  await assertNoArticles(t, app, 'a body over the limit')

  // Just under the limit is fine.
  const small = JSON.stringify({ headline: 'Fits', body: [{ type: 'paragraph', text: 'y'.repeat(1500) }] })
  t.ok(Buffer.byteLength(small) < 2048)
  t.equal((await post(app, '/v1/articles', small, 'application/json')).statusCode, 201, 'a body under the limit is stored')
})

t.test('an unknown route is a 404 ROUTE_NOT_FOUND problem', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const cases: Array<[string, string, string]> = [
    ['GET', '/v1/nothing-here', '/v1/nothing-here'],
    ['GET', '/v2/articles?limit=5', '/v2/articles'],
    ['POST', '/v1/articles/slug/anything', '/v1/articles/slug/anything'],
    ['DELETE', '/v1/articles', '/v1/articles'],
    ['GET', '/v1', '/v1']
  ]
  for (const [method, url, path] of cases) {
    const response = await app.inject({ method: method as 'GET', url, headers: { 'x-request-id': requestId } })
    assertFullProblem(t, response, 404, 'ROUTE_NOT_FOUND', path)
    t.match(response.json().detail, path, `${method} ${url}: the detail names the path`)
  }
  await assertNoArticles(t, app, 'unknown routes')
})

t.test('ids and slugs that cannot exist are a 400 or 404, never a 500', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  await createArticle(app, { slug: 'a-real-article' })
  const strange = [
    encodeURIComponent("'; DROP TABLE Article; --"),
    encodeURIComponent('../../etc/passwd'),
    encodeURIComponent('ünïcödé-🙂'),
    '%00',
    '%25%25',
    'x'.repeat(64),
    'x'.repeat(65),
    encodeURIComponent('a b\tc\nd')
  ]
  for (const id of strange) {
    for (const url of paramUrls(id)) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-request-id': requestId } })
      t.ok([400, 404].includes(response.statusCode), `GET ${url.slice(0, 60)} → ${response.statusCode}`)
      t.match(response.headers['content-type'], /^application\/problem\+json/)
      t.equal(response.json().requestId, requestId)
    }
    const del = await app.inject({ method: 'DELETE', url: `/v1/articles/${id}`, headers: { 'x-request-id': requestId } })
    t.ok([400, 404].includes(del.statusCode), `DELETE /v1/articles/${id.slice(0, 40)} → ${del.statusCode}`)
  }

  // One over the 64-character id limit: a validation error that names the parameter.
  assertFullProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${'x'.repeat(65)}`, headers: { 'x-request-id': requestId } }),
    400, 'VALIDATION_FAILED', `/v1/articles/${'x'.repeat(65)}`, ['params.id'])
  // A plausible id that does not exist: a plain 404.
  assertFullProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/cmi4v1x0d0000qz8k3f2a9b1c', headers: { 'x-request-id': requestId } }),
    404, 'NOT_FOUND', '/v1/articles/cmi4v1x0d0000qz8k3f2a9b1c')

  t.equal((await call(app, 'GET', '/v1/articles')).body.data.length, 1, 'the one article is untouched')
})

t.test('a 200-character id is a 400 or 404 problem, like any other bad id', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const id = 'x'.repeat(200)
  for (const url of paramUrls(id)) {
    const response = await app.inject({ method: 'GET', url, headers: { 'x-request-id': requestId } })
    t.ok([400, 404].includes(response.statusCode), `GET ${url.slice(0, 40)}… → ${response.statusCode} (${response.body.slice(0, 80)})`)
    t.match(response.headers['content-type'], /^application\/problem\+json/, 'problem+json')
    t.equal(response.body.startsWith('{') ? response.json().requestId : undefined, requestId, 'quotes the request id')
  }
  for (const method of ['PATCH', 'DELETE'] as const) {
    const response = await app.inject({ method, url: `/v1/articles/${id}`, ...(method === 'PATCH' && { payload: { dek: 'x' } }), headers: { 'x-request-id': requestId } })
    t.ok([400, 404].includes(response.statusCode), `${method} → ${response.statusCode}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/, 'problem+json')
  }
})

t.test('a path with broken percent-encoding is a 400 problem', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  const response = await app.inject({ method: 'GET', url: '/v1/articles/%E0%A4%A', headers: { 'x-request-id': requestId } })
  t.equal(response.statusCode, 400, `400 (${response.body.slice(0, 120)})`)
  t.match(response.headers['content-type'], /^application\/problem\+json/, 'problem+json')
  t.equal(response.body.startsWith('{') ? response.json().requestId : undefined, requestId, 'quotes the request id')
})

t.test('a NUL character anywhere in a request is never a 500', async (t) => {
  // PostgreSQL refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00");
  // the API must answer for the client's input with a 4xx (or store it), not fail.
  const app = await buildTestApp(t, fromTrustedProxy)
  const article = await createArticle(app)
  const requests: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object }> = [
    { method: 'GET', url: '/v1/articles/%00' },
    { method: 'GET', url: '/v1/authors/a%00b' },
    { method: 'GET', url: '/v1/articles/slug/%00' },
    { method: 'DELETE', url: '/v1/images/%00' },
    { method: 'GET', url: '/v1/articles?section=%00' },
    { method: 'GET', url: '/v1/related-links?articleId=%00' },
    { method: 'POST', url: '/v1/authors', payload: { name: 'Nul\u0000Byte' } },
    { method: 'POST', url: '/v1/articles', payload: { headline: 'Nul\u0000Byte' } },
    { method: 'POST', url: '/v1/articles', payload: { headline: 'Fine', bylines: [{ authorId: '\u0000' }] } },
    { method: 'PATCH', url: `/v1/articles/${article.id}`, payload: { dek: 'Nul\u0000Byte' } }
  ]
  for (const request of requests) {
    const response = await app.inject({ ...request, headers: { 'x-request-id': requestId } })
    const label = `${request.method} ${request.url}${request.payload !== undefined ? ` ${JSON.stringify(request.payload)}` : ''}`
    t.ok(response.statusCode < 500, `${label} → ${response.statusCode}`)
    if (response.statusCode >= 400) t.match(response.headers['content-type'], /^application\/problem\+json/, `${label}: problem+json`)
  }
})

t.test('query string validation names the parameter', async (t) => {
  const app = await buildTestApp(t, fromTrustedProxy)
  for (const query of ['limit=-1', 'limit=0', 'limit=101', 'limit=ten', 'limit=1.5']) {
    for (const resource of ['articles', 'authors', 'images']) {
      const response = await app.inject({ method: 'GET', url: `/v1/${resource}?${query}`, headers: { 'x-request-id': requestId } })
      assertFullProblem(t, response, 400, 'VALIDATION_FAILED', `/v1/${resource}`, ['query.limit'])
    }
  }
  assertFullProblem(t, await app.inject({ method: 'GET', url: '/v1/articles?status=retracted', headers: { 'x-request-id': requestId } }),
    400, 'VALIDATION_FAILED', '/v1/articles', ['query.status'])
  t.equal((await call(app, 'GET', '/v1/articles?limit=1')).status, 200, 'a valid limit is accepted')
})

t.test('without x-request-id the problem still carries a request id', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/v1/articles/nope' })
  assertProblem(t, response, 404, 'NOT_FOUND')
  t.ok(response.json().requestId.length > 0, 'a generated request id')
  t.equal(response.json().instance, '/v1/articles/nope')
})
