// Two real instances on one database, both delivering: a receiver that
// counts gets every event exactly once, and each story's events in commit order.
import t from 'tap'
import { buildTestApp, call, createArticle, freshTestDatabase } from './helper.ts'
import { eventually, startReceiver } from './support/webhook-receiver.ts'

t.test('two instances deliver each event exactly once between them, in commit order', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  // A slow receiver widens the window in which both instances look for work.
  const receiver = await startReceiver(t, { delayMs: 5 })
  const env = { DATABASE_URL: databaseUrl, WEBHOOK_POLL_MS: '10', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '50' }
  const instances = [await buildTestApp(t, env), await buildTestApp(t, env)]
  const webhook = (await call(instances[0]!, 'POST', '/v1/webhooks', { url: receiver.url, events: ['article.published', 'article.updated'] })).body
  // Every seventh request fails once: retries must not break the order either.
  let requests = 0
  receiver.answer(() => ++requests % 7 === 0 ? 503 : 200)

  const stories = 6
  const edits = 8
  await Promise.all(Array.from({ length: stories }, async (_, story) => {
    const article = await createArticle(instances[story % 2]!, { status: 'published', headline: `Story ${story}` })
    for (let edit = 1; edit <= edits; edit++) {
      const response = await call(instances[(story + edit) % 2]!, 'PATCH', `/v1/articles/${article.id}`, { headline: `Story ${story}, version ${edit}` })
      t.equal(response.status, 200)
    }
  }))

  const expected = stories * (1 + edits)
  await eventually(30_000, () => receiver.verified(webhook.secret).length >= expected, `${expected} deliveries`)
  // Give a duplicate, if any, time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const delivered = receiver.verified(webhook.secret)
  t.equal(delivered.length, expected, `every event delivered once (${expected})`)
  t.equal(new Set(delivered.map((entry) => entry.id)).size, delivered.length, 'no webhook-id twice')
  const ids = delivered.map((entry) => Number(entry.id))
  t.same(ids, [...ids].sort((a, b) => a - b), 'in commit order')
  const byStory = new Map<string, Array<{ type: string, position: number }>>()
  for (const entry of delivered) {
    const list = byStory.get(entry.payload.data.id) ?? []
    list.push({ type: entry.payload.type, position: entry.payload.data.changePosition })
    byStory.set(entry.payload.data.id, list)
  }
  t.equal(byStory.size, stories)
  for (const events of byStory.values()) {
    t.same(events.map((event) => event.type), ['article.published', ...Array.from({ length: edits }, () => 'article.updated')], 'published, then its edits')
    t.same(events.map((event) => event.position), events.map((event) => event.position).sort((a, b) => a - b), 'each story in commit order')
  }
  t.ok(receiver.received.some((entry) => entry.status === 503), 'some attempts failed and were retried')
  const pending = (await call(instances[1]!, 'GET', `/v1/webhooks/${webhook.id}/deliveries?status=pending`)).body.data
  t.same(pending, [], 'nothing left pending')
})
