// The audit trail: one event per successful change, naming the key that made
// it; nothing for reads or rejected writes; filterable, paged, admin only.
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, testAdminKey } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

const auditFields = ['id', 'createdAt', 'apiKeyId', 'apiKeyName', 'role', 'action', 'resource', 'resourceId', 'method', 'path', 'status', 'requestId'].sort()

interface Expected {
  apiKeyId: string | null
  apiKeyName: string | null
  role: string | null
  action: string
  resource: string
  resourceId: string
  method: Method | null
  path: string | null
  status: number | null
  requestId: string | null
}

interface Caller { id: string, name: string, role: string, secret: string }

/** Sends requests as a key with a request id of our own, and keeps the audit events the successful writes should leave. */
function recorder (t: Test, app: FastifyInstance) {
  const expected: Expected[] = []
  let counter = 0
  async function send (who: Caller | null, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> {
    const requestId = `audit-test-${++counter}`
    await pause(3) // events in distinct milliseconds, so "newest first" is unambiguous
    return await app.inject({
      method,
      url,
      headers: { 'x-request-id': requestId, ...(who !== null && { authorization: `Bearer ${who.secret}` }) },
      ...(payload !== undefined && { payload })
    })
  }
  return {
    expected,
    send,
    /** A write that must succeed and leave one event. */
    async change (who: Caller, method: Method, url: string, payload: object | undefined, event: { action: string, resource: string, resourceId?: string }, status: number): Promise<Json> {
      const response = await send(who, method, url, payload)
      t.equal(response.statusCode, status, `${method} ${url} → ${status} (${response.body.slice(0, 200)})`)
      const body = response.body === '' ? undefined : response.json()
      expected.push({
        apiKeyId: who.id,
        apiKeyName: who.name,
        role: who.role,
        action: event.action,
        resource: event.resource,
        resourceId: event.resourceId ?? body.id,
        method,
        path: url.split('?')[0] ?? url,
        status,
        requestId: `audit-test-${counter}` // the x-request-id this request was sent with
      })
      return body
    },
    /** A request that must answer `status` and leave no event. */
    async refused (who: Caller | null, method: Method, url: string, payload: object | undefined, status: number): Promise<void> {
      const response = await send(who, method, url, payload)
      t.equal(response.statusCode, status, `${method} ${url} → ${status} (${response.body.slice(0, 200)})`)
    },
    async read (who: Caller | null, url: string): Promise<void> {
      const response = await send(who, 'GET', url)
      t.equal(response.statusCode, 200, `GET ${url} → 200 (${response.body.slice(0, 200)})`)
    }
  }
}

async function auditPage (app: FastifyInstance, query = ''): Promise<Json> {
  const response = await app.inject({ method: 'GET', url: `/v1/audit${query}`, headers: { authorization: `Bearer ${testAdminKey}` } })
  if (response.statusCode !== 200) throw new Error(`GET /v1/audit${query} answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

async function setup (t: Test) {
  // The recorder's own x-request-id is kept only from a trusted proxy (app.inject's peer is 127.0.0.1).
  const app = await buildTestApp(t, { TRUST_PROXY: '127.0.0.1' }, { as: 'anonymous' })
  const admin: Caller = { id: '', name: 'Admin (ADMIN_API_KEY)', role: 'admin', secret: testAdminKey }
  admin.id = (await app.db.prisma.apiKey.findFirstOrThrow({ where: { name: admin.name } })).id
  const log = recorder(t, app)
  // The server's own first change: storing ADMIN_API_KEY at start, made by no key and no request.
  log.expected.push({ apiKeyId: null, apiKeyName: null, role: null, action: 'created', resource: 'api-key', resourceId: admin.id, method: null, path: null, status: null, requestId: null })
  const newKey = async (name: string, role: string): Promise<Caller> => {
    const key = await log.change(admin, 'POST', '/v1/api-keys', { name, role }, { action: 'created', resource: 'api-key' }, 201)
    return { id: key.id, name, role, secret: key.secret }
  }
  return { app, admin, log, newKey }
}

t.test('every successful change leaves one event naming the key, newest first; reads and rejected writes leave none', async (t) => {
  const { app, admin, log, newKey } = await setup(t)
  const editor = await newKey('Night desk', 'editor')
  const reader = await newKey('Homepage', 'reader')
  const { change, refused, read } = log

  // Authors and images.
  const author = await change(editor, 'POST', '/v1/authors', { name: 'Hedda Marsh', organization: 'The Vellmoor Ledger' }, { action: 'created', resource: 'author' }, 201)
  const coauthor = await change(editor, 'POST', '/v1/authors', { name: 'Pim Tarrow' }, { action: 'created', resource: 'author' }, 201)
  await change(editor, 'PATCH', `/v1/authors/${author.id}`, { title: 'Harbour Correspondent' }, { action: 'updated', resource: 'author', resourceId: author.id }, 200)
  await change(editor, 'PUT', `/v1/authors/${coauthor.id}`, { name: 'Pim Tarrow', organization: 'Eastmarch Wire' }, { action: 'replaced', resource: 'author', resourceId: coauthor.id }, 200)
  const image = await change(editor, 'POST', '/v1/images', { url: 'https://images.example.test/ferry.jpg', alt: 'A ferry', credit: { photographer: 'Ines Varga' } }, { action: 'created', resource: 'image' }, 201)
  await change(editor, 'PATCH', `/v1/images/${image.id}`, { caption: 'The ferry leaves port.' }, { action: 'updated', resource: 'image', resourceId: image.id }, 200)

  // An article, its bylines and related links.
  const article = await change(editor, 'POST', '/v1/articles', {
    headline: 'Ferry strike ends after nine days',
    slug: 'ferry-strike-ends',
    leadImageId: image.id,
    bylines: [{ authorId: author.id }],
    body: [{ type: 'paragraph', text: 'The ferries run again.' }, { type: 'paragraph', text: 'Unions agreed on Friday.' }]
  }, { action: 'created', resource: 'article' }, 201)
  const other = await change(editor, 'POST', '/v1/articles', { headline: 'Background: the strike began', slug: 'strike-began' }, { action: 'created', resource: 'article' }, 201)
  await change(editor, 'PATCH', `/v1/articles/${article.id}`, { status: 'published' }, { action: 'published', resource: 'article', resourceId: article.id }, 200)
  await change(editor, 'PUT', `/v1/articles/${other.id}`, { headline: 'Background: how the strike began' }, { action: 'replaced', resource: 'article', resourceId: other.id }, 200)
  await change(editor, 'PUT', `/v1/articles/${article.id}/bylines`, { data: [{ authorId: coauthor.id }, { authorId: author.id, role: 'photographer' }] },
    { action: 'replaced', resource: 'byline', resourceId: article.id }, 200)
  const link = await change(editor, 'POST', `/v1/articles/${article.id}/related-links`, { articleId: other.id, text: 'Background' },
    { action: 'created', resource: 'related-link' }, 201)
  t.type(link.id, 'string')
  await change(editor, 'PATCH', `/v1/articles/${article.id}/related-links/${link.id}`, { position: 0 },
    { action: 'updated', resource: 'related-link', resourceId: link.id }, 200)
  const external = await change(editor, 'POST', `/v1/articles/${article.id}/related-links`, { url: 'https://example.org/strike', text: 'Elsewhere' },
    { action: 'created', resource: 'related-link' }, 201)
  await change(editor, 'DELETE', `/v1/articles/${article.id}/related-links/${external.id}`, undefined,
    { action: 'deleted', resource: 'related-link', resourceId: external.id }, 204)

  // Rejected writes, of every kind, and reads: no events.
  await refused(editor, 'POST', '/v1/articles', { headline: '' }, 400)
  await refused(editor, 'POST', '/v1/articles', { headline: 'Unknown field', colour: 'red' }, 400)
  await refused(editor, 'PATCH', '/v1/articles/no-such-article', { headline: 'Nothing here' }, 404)
  await refused(editor, 'DELETE', '/v1/authors/no-such-author', undefined, 404)
  await refused(editor, 'DELETE', `/v1/articles/${article.id}/related-links/no-such-link`, undefined, 404)
  await refused(editor, 'POST', '/v1/articles', { headline: 'Same slug', slug: 'ferry-strike-ends' }, 409)
  await refused(editor, 'DELETE', `/v1/authors/${author.id}`, undefined, 409)
  await refused(editor, 'POST', '/v1/articles', { headline: 'Ghost byline', bylines: [{ authorId: 'no-such-author' }] }, 422)
  await refused(editor, 'PUT', `/v1/articles/${article.id}/bylines`, { data: [{ authorId: 'no-such-author' }] }, 422)
  await refused(reader, 'POST', '/v1/authors', { name: 'Not allowed' }, 403)
  await refused(editor, 'POST', '/v1/api-keys', { name: 'Escalation', role: 'admin' }, 403)
  await refused(null, 'DELETE', `/v1/articles/${article.id}`, undefined, 401)
  await refused(admin, 'POST', '/v1/api-keys', { name: 'Bad', role: 'superuser' }, 400)
  await refused(admin, 'DELETE', '/v1/api-keys/no-such-key', undefined, 404)
  await read(editor, `/v1/articles/${article.id}`)
  await read(null, '/v1/articles')
  await read(editor, `/v1/articles/${article.id}/bylines`)
  await read(editor, `/v1/articles/${article.id}/related-links`)
  await read(admin, '/v1/api-keys')
  await read(admin, '/v1/audit')

  // Deletes.
  await change(editor, 'DELETE', `/v1/images/${image.id}?force=true`, undefined, { action: 'deleted', resource: 'image', resourceId: image.id }, 204)
  await change(editor, 'DELETE', `/v1/articles/${other.id}`, undefined, { action: 'trashed', resource: 'article', resourceId: other.id }, 204)
  await change(editor, 'POST', `/v1/articles/${other.id}/restore`, undefined, { action: 'restored', resource: 'article', resourceId: other.id }, 200)
  await refused(editor, 'DELETE', `/v1/articles/${other.id}?permanent=true`, undefined, 403)
  await change(admin, 'DELETE', `/v1/articles/${other.id}?permanent=true`, undefined, { action: 'deleted', resource: 'article', resourceId: other.id }, 204)
  await change(editor, 'DELETE', `/v1/authors/${author.id}?force=true`, undefined, { action: 'deleted', resource: 'author', resourceId: author.id }, 204)

  // Keys: an admin creates and revokes one.
  const temp = await newKey('Temporary', 'integrator')
  await change(admin, 'DELETE', `/v1/api-keys/${temp.id}`, undefined, { action: 'revoked', resource: 'api-key', resourceId: temp.id }, 204)

  const page = await auditPage(app, '?limit=100')
  t.equal(page.nextCursor, null, 'one page holds them all')
  const events = page.data
  for (const event of events) {
    t.same(Object.keys(event).sort(), auditFields, 'each event has exactly the documented fields')
    t.ok(Math.abs(Date.parse(event.createdAt) - Date.now()) < 60_000, 'createdAt is now')
  }
  const strip = (event: Json): Expected => {
    const { id, createdAt, ...rest } = event
    return rest
  }
  t.equal(events.length, log.expected.length, `one event per successful change (${log.expected.length})`)
  t.same(events.map(strip), [...log.expected].reverse(), 'the events, newest first, with the key, action, resource, id, method, path, status and request id')
  t.equal(new Set(events.map((event: Json) => event.id)).size, events.length, 'distinct event ids')
  const times = events.map((event: Json) => Date.parse(event.createdAt))
  t.same(times, [...times].sort((a, b) => b - a), 'createdAt descending')

  const requestIds = new Set(events.map((event: Json) => event.requestId))
  for (let i = 1; i <= 200; i++) {
    const id = `audit-test-${i}`
    if (!log.expected.some((event) => event.requestId === id) && requestIds.has(id)) t.fail(`${id}: a read or rejected request left an event`)
  }
})

t.test('the audit event of a key creation holds no secret', async (t) => {
  const { app, log, newKey } = await setup(t)
  const key = await newKey('Syndication partner', 'integrator')
  const events = (await auditPage(app)).data
  t.equal(events.length, 2, 'the key, and before it the server storing ADMIN_API_KEY')
  t.match(events[0], { action: 'created', resource: 'api-key', resourceId: key.id, status: 201, apiKeyName: 'Admin (ADMIN_API_KEY)', role: 'admin' })
  t.match(events[1], { action: 'created', resource: 'api-key', apiKeyId: null, method: null, status: null, requestId: null })
  const serialised = JSON.stringify(events)
  t.notOk(serialised.includes(key.secret), 'the secret is not in the event')
  t.notOk(serialised.includes(key.secret.slice(12)), 'nor any long part of it')
  t.notOk(serialised.includes(testAdminKey), 'nor the admin key that made it')
  const rows = await app.db.prisma.change.findMany()
  t.notOk(JSON.stringify(rows).includes(key.secret), 'nor any stored audit row')
  t.equal(log.expected.length, 2)
})

t.test('filters by resource, resourceId and apiKeyId, and pages', async (t) => {
  const { app, admin, log, newKey } = await setup(t)
  const editor = await newKey('Desk A', 'editor')
  const other = await newKey('Desk B', 'editor')
  const { change } = log
  const a1 = await change(editor, 'POST', '/v1/articles', { headline: 'First story' }, { action: 'created', resource: 'article' }, 201)
  const a2 = await change(other, 'POST', '/v1/articles', { headline: 'Second story' }, { action: 'created', resource: 'article' }, 201)
  const author = await change(editor, 'POST', '/v1/authors', { name: 'Some Writer' }, { action: 'created', resource: 'author' }, 201)
  await change(other, 'PATCH', `/v1/articles/${a1.id}`, { dek: 'Now with a summary.' }, { action: 'updated', resource: 'article', resourceId: a1.id }, 200)
  await change(editor, 'PUT', `/v1/articles/${a1.id}/bylines`, { data: [{ authorId: author.id }] }, { action: 'replaced', resource: 'byline', resourceId: a1.id }, 200)
  await change(editor, 'DELETE', `/v1/articles/${a2.id}`, undefined, { action: 'deleted', resource: 'article', resourceId: a2.id }, 204)
  const newest = [...log.expected].reverse()
  const pick = (events: Json[]): string[] => events.map((event) => event.requestId)
  const expect = (filter: (event: Expected) => boolean): string[] => pick(newest.filter(filter))

  const articles = await auditPage(app, '?resource=article')
  t.same(pick(articles.data), expect((event) => event.resource === 'article'), 'resource=article')
  t.equal(articles.data.length, 4)
  t.same(pick((await auditPage(app, '?resource=api-key')).data), expect((event) => event.resource === 'api-key'), 'resource=api-key')
  t.equal((await auditPage(app, '?resource=api-key')).data.length, 3)

  const aboutA1 = (await auditPage(app, `?resourceId=${a1.id}`)).data
  t.same(pick(aboutA1), expect((event) => event.resourceId === a1.id), `resourceId=${a1.id}`)
  t.same(aboutA1.map((event: Json) => `${event.resource} ${event.action}`), ['byline replaced', 'article updated', 'article created'])
  t.same(pick((await auditPage(app, `?resource=article&resourceId=${a1.id}`)).data), expect((event) => event.resource === 'article' && event.resourceId === a1.id), 'resource and resourceId together')

  const byEditor = (await auditPage(app, `?apiKeyId=${editor.id}`)).data
  t.same(pick(byEditor), expect((event) => event.apiKeyId === editor.id), 'apiKeyId=editor')
  t.equal(byEditor.length, 4)
  t.ok(byEditor.every((event: Json) => event.apiKeyName === 'Desk A' && event.role === 'editor'))
  t.same(pick((await auditPage(app, `?apiKeyId=${other.id}`)).data), expect((event) => event.apiKeyId === other.id), 'apiKeyId=other')
  t.same(pick((await auditPage(app, `?apiKeyId=${admin.id}`)).data), expect((event) => event.apiKeyId === admin.id), 'apiKeyId=admin')
  t.same(pick((await auditPage(app, `?apiKeyId=${editor.id}&resource=author`)).data), expect((event) => event.apiKeyId === editor.id && event.resource === 'author'))

  t.same((await auditPage(app, '?resource=no-such-resource')).data, [], 'an unknown resource matches nothing')
  t.same((await auditPage(app, '?apiKeyId=no-such-key')).data, [])

  // Paging: pages of 3 cover everything once, newest first; and filters hold across pages.
  const all = (await auditPage(app, '?limit=100')).data
  t.equal(all.length, 9)
  const paged: Json[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page = await auditPage(app, `?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
    t.ok(page.data.length <= 3)
    paged.push(...page.data)
    cursor = page.nextCursor
    pages++
  } while (cursor !== null && pages < 10)
  t.equal(pages, 3, '9 events in pages of 3')
  t.same(paged, all, 'the pages together are the whole list, in order')

  const firstArticles = await auditPage(app, '?resource=article&limit=3')
  t.equal(firstArticles.data.length, 3)
  t.type(firstArticles.nextCursor, 'string')
  const restArticles = await auditPage(app, `?resource=article&limit=3&cursor=${encodeURIComponent(firstArticles.nextCursor)}`)
  t.same(pick([...firstArticles.data, ...restArticles.data]), pick(articles.data), 'a filtered list pages too')
  t.equal(restArticles.nextCursor, null)

  const bad = await app.inject({ method: 'GET', url: '/v1/audit?cursor=garbage', headers: { authorization: `Bearer ${testAdminKey}` } })
  assertProblem(t, bad, 400, 'VALIDATION_FAILED', ['query.cursor'])
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/audit?limit=101', headers: { authorization: `Bearer ${testAdminKey}` } }), 400, 'VALIDATION_FAILED', ['query.limit'])
})

t.test('only admin keys read the audit trail', async (t) => {
  const { app, newKey } = await setup(t)
  for (const role of ['reader', 'editor', 'integrator']) {
    const key = await newKey(`A ${role}`, role)
    const response = await app.inject({ method: 'GET', url: '/v1/audit', headers: { authorization: `Bearer ${key.secret}` } })
    assertProblem(t, response, 403, 'FORBIDDEN')
  }
  const anonymous = await app.inject({ method: 'GET', url: '/v1/audit' })
  assertProblem(t, anonymous, 401, 'AUTHENTICATION_REQUIRED')
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  const events = (await auditPage(app)).data
  t.equal(events.length, 4, 'only the key creations (the server\'s and three): refused reads of the trail leave nothing')
})
