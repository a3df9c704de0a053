// `kill -9` of the server in the middle of concurrent writes: every write that
// was acknowledged has its change row (and so its audit line), and after a
// restart no stored public JSON differs from a fresh render.
import t from 'tap'
import { emptyDatabase, startServer } from './support/server-process.ts'
import { openDatabase } from '../src/db/client.ts'
import { rebuildPublicArticles } from '../src/services/public-articles.ts'
import { createServices } from '../src/plugins/app/services.ts'

const adminKey = 'cms_crash-test-admin-key-0123456789'

t.test('acknowledged writes survive kill -9 with their change rows; stored public JSON is not stale after restart', async (t) => {
  const databaseUrl = await emptyDatabase(t, 'crash')
  // info: the helper waits for the "listening" line
  // TRUST_PROXY: the x-request-id each write sends is kept (only a trusted proxy's is).
  const env = { DATABASE_URL: databaseUrl, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'info', TRUST_PROXY: 'loopback' }
  const first = await startServer(t, env)
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }
  const post = async (path: string, body: object, requestId: string): Promise<Response> =>
    await fetch(`${first.address}${path}`, { method: 'POST', headers: { ...headers, 'x-request-id': requestId }, body: JSON.stringify(body) })

  const author = await (await post('/v1/authors', { name: 'Crash Desk' }, 'setup-author')).json() as { id: string }
  const acknowledged: string[] = []
  let sent = 0
  let stop = false
  const writers = Array.from({ length: 6 }, async (_, writer) => {
    while (!stop) {
      const requestId = `crash-${writer}-${sent++}`
      try {
        const response = await post('/v1/articles', { headline: `Story ${requestId}`, status: 'published', bylines: [{ authorId: author.id }] }, requestId)
        if (response.status === 201) acknowledged.push(requestId)
      } catch {
        return // the server is gone
      }
    }
  })
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  await first.kill()
  stop = true
  await Promise.all(writers)
  t.ok(acknowledged.length > 5, `writes were acknowledged before the kill (${acknowledged.length} of ${sent} sent)`)

  // Restart on the same database: it starts, and every acknowledged write is there with its change.
  const second = await startServer(t, env)
  const health = await fetch(`${second.address}/health`)
  t.equal(health.status, 200, 'the restarted server is healthy')
  await second.stop()

  const db = await openDatabase({ databaseUrl })
  t.teardown(async () => { await db.close() })
  const logged = new Set((await db.prisma.change.findMany({ where: { resource: 'article', action: 'created' }, select: { requestId: true } })).map((change) => change.requestId))
  const missing = acknowledged.filter((requestId) => !logged.has(requestId))
  t.same(missing, [], 'every acknowledged write has its change row')
  const articles = await db.prisma.article.count()
  t.equal(await db.prisma.change.count({ where: { resource: 'article', action: 'created' } }), articles, 'and no change row without its article')
  const report = await rebuildPublicArticles({ prisma: db.prisma, writes: createServices(db).writes }, { verify: true })
  t.same({ stale: report.stale, orphaned: report.orphaned }, { stale: [], orphaned: [] }, `no stored public JSON is stale (${report.checked} checked)`)
})
