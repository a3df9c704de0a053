// Webhooks: managing them, the SSRF guard, and deliveries to a real receiver
// that is down for a while (signatures checked with the standardwebhooks
// package, as integrators will), retries, ordering and turning a webhook off.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, freshTestDatabase } from './helper.ts'
import { eventually, startReceiver } from './support/webhook-receiver.ts'

const allEvents = ['article.published', 'article.updated', 'article.unpublished', 'article.deleted', 'author.created', 'author.updated', 'author.deleted', 'image.created', 'image.updated', 'image.deleted']
const fast = { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_POLL_MS: '30', WEBHOOK_TIMEOUT_MS: '2000' }

t.test('webhooks are created (secret shown once), listed, read, changed and deleted by admins; bad input is refused', async (t) => {
  const app = await buildTestApp(t)
  const created = await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/cms', events: ['article.published'], description: 'Search index' })
  t.equal(created.status, 201)
  t.match(created.body.secret, /^whsec_[A-Za-z0-9+/]+=*$/, 'a Standard Webhooks secret')
  t.ok(Buffer.from(created.body.secret.slice(6), 'base64').length >= 24, 'of 24 random bytes or more')
  t.equal(created.response.headers.location, `/v1/webhooks/${created.body.id}`)
  t.equal(created.response.headers['cache-control'], 'private, no-store')
  t.match(created.body, { url: 'https://hooks.newsroom.example/cms', events: ['article.published'], active: true, disabledReason: null, description: 'Search index' })

  const read = await call(app, 'GET', `/v1/webhooks/${created.body.id}`)
  t.equal(read.status, 200)
  t.notOk('secret' in read.body, 'the secret is not shown again')
  const listed = await call(app, 'GET', '/v1/webhooks')
  t.same(listed.body.data.map((webhook: { id: string }) => webhook.id), [created.body.id])
  t.notOk(JSON.stringify(listed.body).includes(created.body.secret), 'nor listed')

  const patched = await call(app, 'PATCH', `/v1/webhooks/${created.body.id}`, { events: ['article.updated', 'author.updated'], active: false })
  t.equal(patched.status, 200)
  t.same(patched.body.events, ['article.updated', 'author.updated'])
  t.equal(patched.body.active, false)

  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { events: ['article.published'] })).response, 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { url: 'ftp://hooks.newsroom.example/', events: ['article.published'] })).response, 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/', events: ['article.created'] })).response, 400, 'VALIDATION_FAILED', ['body.events.0'])
  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/', events: [] })).response, 400, 'VALIDATION_FAILED', ['body.events'])
  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/', events: ['article.updated', 'article.updated'] })).response, 400, 'VALIDATION_FAILED', ['body.events'])
  assertProblem(t, (await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/', events: ['article.updated'], secret: 'mine' })).response, 400, 'VALIDATION_FAILED', ['body.secret'])
  assertProblem(t, (await call(app, 'PATCH', '/v1/webhooks/nope', { active: true })).response, 404, 'NOT_FOUND')
  assertProblem(t, (await call(app, 'GET', '/v1/webhooks/nope/deliveries')).response, 404, 'NOT_FOUND')
  assertProblem(t, (await call(app, 'POST', `/v1/webhooks/${created.body.id}/deliveries/12345/retry`)).response, 404, 'NOT_FOUND')

  const editor = await call(app, 'POST', '/v1/api-keys', { name: 'Desk', role: 'editor' })
  const asEditor = await app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: `Bearer ${editor.body.secret}` } })
  assertProblem(t, asEditor, 403, 'FORBIDDEN')

  t.equal((await call(app, 'DELETE', `/v1/webhooks/${created.body.id}`)).status, 204)
  assertProblem(t, (await call(app, 'GET', `/v1/webhooks/${created.body.id}`)).response, 404, 'NOT_FOUND')
  assertProblem(t, (await call(app, 'DELETE', `/v1/webhooks/${created.body.id}`)).response, 404, 'NOT_FOUND')

  const audit = await call(app, 'GET', `/v1/audit?resource=webhook&resourceId=${created.body.id}`)
  t.same(audit.body.data.map((event: { action: string }) => event.action), ['deleted', 'updated', 'created'], 'the audit trail has every change to it')
})

t.test('the SSRF guard: URLs on loopback, private and link-local addresses are refused, when saved and when sent', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const guarded = await buildTestApp(t, { DATABASE_URL: databaseUrl, WEBHOOKS_ALLOW_PRIVATE: 'false', ...fast })
  for (const url of ['http://127.0.0.1:8080/', 'http://localhost/hook', 'http://[::1]/', 'http://10.1.2.3/', 'http://172.16.5.4/', 'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0/', 'http://[fe80::1]/', 'http://[fd12::1]/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/']) {
    const refused = await call(guarded, 'POST', '/v1/webhooks', { url, events: ['article.published'] })
    assertProblem(t, refused.response, 422, 'URL_NOT_ALLOWED', ['body.url'])
  }
  const unresolvable = await call(guarded, 'POST', '/v1/webhooks', { url: 'https://no-such-host.invalid/', events: ['article.published'] })
  assertProblem(t, unresolvable.response, 422, 'URL_NOT_ALLOWED', ['body.url'])
  const publicAddress = await call(guarded, 'POST', '/v1/webhooks', { url: 'https://93.184.215.14/hooks', events: ['article.published'], active: false })
  t.equal(publicAddress.status, 201, 'a public address is allowed')
  assertProblem(t, (await call(guarded, 'PATCH', `/v1/webhooks/${publicAddress.body.id}`, { url: 'http://127.0.0.1/' })).response, 422, 'URL_NOT_ALLOWED', ['body.url'])

  // A webhook saved where private addresses were allowed is still not sent to one by a guarded instance.
  const receiver = await startReceiver(t)
  const permissive = await buildTestApp(t, { DATABASE_URL: databaseUrl, WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '60000' })
  const webhook = (await call(permissive, 'POST', '/v1/webhooks', { url: receiver.url, events: ['article.published'] })).body
  await createArticle(guarded, { status: 'published' })
  await eventually(5_000, async () => (await call(guarded, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data[0]?.attempts > 0, 'an attempt')
  const delivery = (await call(guarded, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data[0]
  t.match(delivery, { status: 'pending', lastResponseStatus: null, lastError: /refused: 127\.0\.0\.1 is a loopback/ })
  t.equal(receiver.received.length, 0, 'nothing reached the receiver')
})

t.test('a receiver down for a while, then failing, then up gets every event once, signed, in commit order', async (t) => {
  const receiver = await startReceiver(t, { listening: false })
  const app = await buildTestApp(t, fast)
  const webhook = (await call(app, 'POST', '/v1/webhooks', { url: receiver.url, events: allEvents })).body
  const onlyPublished = (await call(app, 'POST', '/v1/webhooks', { url: receiver.url.replace('/hooks', '/published'), events: ['article.published'] })).body

  const author = await createAuthor(app, { name: 'Ada Reporter' })
  await createArticle(app, { headline: 'A draft makes no event' })
  const story = await createArticle(app, { status: 'published', bylines: [{ authorId: author.id }] })
  await call(app, 'PATCH', `/v1/articles/${story.id}`, { headline: 'Corrected headline' })
  await call(app, 'PATCH', `/v1/authors/${author.id}`, { name: 'Ada Correspondent' })
  await call(app, 'PATCH', `/v1/articles/${story.id}`, { status: 'draft' })
  await call(app, 'PATCH', `/v1/articles/${story.id}`, { status: 'published' })
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id}`)).status, 204)
  const expected = [
    ['author.created', author.id],
    ['article.published', story.id],
    ['article.updated', story.id],
    ['author.updated', author.id],
    ['article.updated', story.id],
    ['article.unpublished', story.id],
    ['article.published', story.id],
    ['article.deleted', story.id]
  ]

  // Down: connections refused; the deliveries wait, the first retried with back-off.
  await eventually(5_000, async () => (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=pending`)).body.data.some((delivery: { attempts: number }) => delivery.attempts >= 2), 'retries')
  const pending = (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?limit=100`)).body.data
  t.equal(pending.length, expected.length, 'one delivery per event')
  t.ok(pending.every((delivery: { status: string }) => delivery.status === 'pending'), 'all pending')
  const first = pending.at(-1)
  t.match(first, { eventType: 'author.created', lastResponseStatus: null, lastError: /ECONNREFUSED/ })
  t.ok(pending.slice(0, -1).every((delivery: { attempts: number }) => delivery.attempts === 0), 'later ones wait for the first: none tried yet')

  // Up, but failing twice more; then working.
  let failures = 2
  receiver.answer((request) => request.path === '/hooks' && failures-- > 0 ? 500 : 200)
  await receiver.up()
  await eventually(10_000, async () => (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=pending`)).body.data.length === 0 &&
    (await call(app, 'GET', `/v1/webhooks/${onlyPublished.id}/deliveries?status=pending`)).body.data.length === 0, 'every delivery sent')

  const delivered = receiver.verified(webhook.secret, '/hooks')
  t.same(delivered.map((entry) => [entry.payload.type, entry.payload.data.id]), expected, 'every event once, in commit order, each signature verified')
  t.same(delivered.map((entry) => entry.id), [...new Set(delivered.map((entry) => entry.id))], 'no event twice')
  const ids = delivered.map((entry) => Number(entry.id))
  t.same(ids, [...ids].sort((a, b) => a - b), 'webhook-ids rise with commit order')
  const positions = delivered.map((entry) => entry.payload.data.changePosition)
  t.same(positions, [...positions].sort((a, b) => a - b), 'and so do change positions')
  t.match(delivered[4]!.payload.data, { resource: 'article', id: story.id, cause: { resource: 'author', id: author.id, action: 'updated' } }, 'the author\'s rename updated the story: the cause is named')
  t.equal(receiver.received.filter((entry) => entry.path === '/hooks' && entry.status === 500).length, 2, 'the two failures were retried')
  t.throws(() => receiver.verified(onlyPublished.secret, '/hooks'), 'another webhook\'s secret does not verify')

  const published = receiver.verified(onlyPublished.secret, '/published')
  t.same(published.map((entry) => entry.payload.type), ['article.published', 'article.published'], 'a webhook gets only the events it subscribes to')

  const sent = (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?limit=3`)).body
  t.equal(sent.data.length, 3, 'paged')
  t.type(sent.nextCursor, 'string')
  t.match(sent.data[0], { status: 'succeeded', lastResponseStatus: 200, lastError: null, nextAttemptAt: null, eventType: 'article.deleted' })
  t.match(pending.at(-1), { id: String, payload: { type: 'author.created', data: { id: author.id } } })
  const oldest = (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=succeeded&limit=100`)).body.data.at(-1)
  t.ok(oldest.attempts >= 4, `the first delivery took several attempts (${oldest.attempts})`)
})

t.test('a delivery failing every attempt turns its webhook off; turned on again, the rest follow; a retry sends the failed one', async (t) => {
  const receiver = await startReceiver(t)
  receiver.answer(500)
  const app = await buildTestApp(t, { ...fast, WEBHOOK_MAX_ATTEMPTS: '3' })
  const webhook = (await call(app, 'POST', '/v1/webhooks', { url: receiver.url, events: ['article.published'] })).body
  const first = await createArticle(app, { status: 'published' })
  const second = await createArticle(app, { status: 'published' })

  await eventually(10_000, async () => (await call(app, 'GET', `/v1/webhooks/${webhook.id}`)).body.active === false, 'the webhook turned off')
  const off = (await call(app, 'GET', `/v1/webhooks/${webhook.id}`)).body
  t.match(off.disabledReason, /failed 3 attempts in a row; the last: HTTP 500/)
  t.type(off.disabledAt, 'string')
  const [later, failed] = (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data
  t.match(failed, { status: 'failed', attempts: 3, lastResponseStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null, payload: { data: { id: first.id } } })
  t.match(later, { status: 'pending', attempts: 0, payload: { data: { id: second.id } } }, 'the later one was never sent out of order')
  t.equal(receiver.received.length, 3, 'three attempts reached the receiver')
  const audit = (await call(app, 'GET', `/v1/audit?resource=webhook&resourceId=${webhook.id}`)).body.data
  t.match(audit[0], { action: 'updated', apiKeyId: null }, 'turning it off is in the audit trail, as the server\'s change')

  await createArticle(app, { status: 'published' })
  t.equal((await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data.length, 2, 'a webhook that is off gets no new deliveries')

  receiver.answer(200)
  const on = await call(app, 'PATCH', `/v1/webhooks/${webhook.id}`, { active: true })
  t.match(on.body, { active: true, disabledReason: null, disabledAt: null })
  await eventually(5_000, () => receiver.verified(webhook.secret).length === 1, 'the pending delivery sent')
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.same(receiver.verified(webhook.secret).map((entry) => entry.payload.data.id), [second.id], 'the failed one is not sent again by itself')

  const retried = await call(app, 'POST', `/v1/webhooks/${webhook.id}/deliveries/${failed.id}/retry`)
  t.equal(retried.status, 202)
  t.match(retried.body, { id: failed.id, status: 'pending', attempts: 0 })
  await eventually(5_000, () => receiver.verified(webhook.secret).length === 2, 'the retried delivery sent')
  const resent = receiver.verified(webhook.secret)[1]!
  t.same([resent.id, resent.payload.data.id], [failed.id, first.id], 'with its own webhook-id and payload')
  // The receiver has the request before the worker records the answer: wait for the record.
  const succeededIds = async () => (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=succeeded`)).body.data.map((d: { id: string }) => d.id).sort()
  await eventually(5_000, async () => (await succeededIds()).length === 2, 'both recorded as succeeded')
  t.same(await succeededIds(), [failed.id, later.id].sort())
  assertProblem(t, (await call(app, 'POST', `/v1/webhooks/${webhook.id}/deliveries/99999/retry`)).response, 404, 'NOT_FOUND')
})

t.test('a receiver that does not answer within WEBHOOK_TIMEOUT_MS counts as a failed attempt', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 2_000 })
  const app = await buildTestApp(t, { ...fast, WEBHOOK_TIMEOUT_MS: '200', WEBHOOK_RETRY_BASE_MS: '60000', WEBHOOK_RETRY_MAX_MS: '60000' })
  const webhook = (await call(app, 'POST', '/v1/webhooks', { url: receiver.url, events: ['article.published'] })).body
  await createArticle(app, { status: 'published' })
  await eventually(5_000, async () => (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data[0]?.attempts === 1, 'one attempt')
  const delivery = (await call(app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`)).body.data[0]
  t.match(delivery, { status: 'pending', lastResponseStatus: null, lastError: 'no answer within 200 ms' })
  t.ok(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt) >= 30_000, 'the next attempt after the back-off (half of it at least, with jitter)')
  t.equal(receiver.received.length, 1, 'the receiver got the request')
})
