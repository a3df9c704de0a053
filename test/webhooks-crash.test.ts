// `kill -9` of the server between changes and their deliveries loses none:
// the deliveries were written in the changes' own transactions, and the
// restarted server sends them, signed, in commit order.
import t from 'tap'
import { emptyDatabase, startServer } from './support/server-process.ts'
import { eventually, startReceiver } from './support/webhook-receiver.ts'

const adminKey = 'cms_webhook-crash-admin-key-0123456789'

t.test('deliveries not yet sent when the server is killed are sent after a restart', async (t) => {
  const databaseUrl = await emptyDatabase(t, 'webhooks_crash')
  // Down until after the crash: nothing can be delivered before it.
  const receiver = await startReceiver(t, { listening: false })
  const env = {
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'info', // the helper waits for the "listening" line
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_POLL_MS: '50'
  }
  const first = await startServer(t, env)
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }
  const post = async (path: string, body: object): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${first.address}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    t.equal(response.status, 201, `POST ${path}`)
    return await response.json()
  }
  const webhook = await post('/v1/webhooks', { url: receiver.url, events: ['article.published'] })
  const stories = []
  for (let story = 0; story < 3; story++) stories.push(await post('/v1/articles', { headline: `Story ${story} before the crash`, status: 'published' }))
  // Killed at once: the first delivery may be in the middle of an attempt (its claim then lapses).
  await first.kill()
  t.equal(receiver.received.length, 0, 'nothing was delivered before the crash')

  await receiver.up()
  await startServer(t, env)
  await eventually(30_000, () => receiver.verified(webhook.secret).length >= 3, 'the three deliveries after the restart')
  const delivered = receiver.verified(webhook.secret)
  t.same(delivered.map((entry) => entry.payload.data.id), stories.map((story) => story.id), 'every event, signed, in commit order')
  t.equal(new Set(delivered.map((entry) => entry.id)).size, 3, 'each once')
})
