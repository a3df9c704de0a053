// CHANGE_LOG_RETENTION_DAYS: rows older than the retention are deleted (as a
// change of its own in the log); sync tokens from before them answer 410.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, getWithoutKey } from './helper.ts'
import { pruneChangeLog } from '../src/services/change-log-retention.ts'

const daysAgo = (days: number): Date => new Date(Date.now() - days * 86_400_000)

t.test('old rows are deleted, the deletion is logged, and a sync token from before them is a 410', async (t) => {
  const app = await buildTestApp(t, { CHANGE_LOG_RETENTION_DAYS: '30' })
  await createArticle(app, { status: 'published' })
  const early = (await getWithoutKey(app, '/v1/sync')).json().nextSyncToken as string
  await createAuthor(app)
  await createArticle(app, { status: 'published' })
  const { position: lastOld } = await app.db.prisma.change.findFirstOrThrow({ orderBy: { position: 'desc' } })
  await app.db.prisma.change.updateMany({ data: { createdAt: daysAgo(40) } }) // everything so far is 40 days old
  const story = await createArticle(app, { status: 'published' })
  const recent = (await getWithoutKey(app, '/v1/sync')).json().nextSyncToken as string

  t.equal(await pruneChangeLog(app.services, 30), lastOld, 'deleted through the last old row')
  t.equal(await app.db.prisma.change.count({ where: { position: { lte: lastOld } } }), 0, 'the old rows are gone')
  t.ok(await app.db.prisma.change.count({ where: { resourceId: story.id } }) > 0, 'the recent ones are kept')
  const audit = (await call(app, 'GET', '/v1/audit?resource=change-log')).body.data
  t.match(audit, [{ resource: 'change-log', action: 'deleted', resourceId: String(lastOld), apiKeyId: null }], 'the deletion is in the audit trail')
  t.equal(await pruneChangeLog(app.services, 30), null, 'a second pruning finds nothing to delete and writes nothing')

  assertProblem(t, await getWithoutKey(app, `/v1/sync?syncToken=${early}`), 410, 'SYNC_TOKEN_EXPIRED')
  const answered = await getWithoutKey(app, `/v1/sync?syncToken=${recent}`)
  t.equal(answered.statusCode, 200, 'a token from after the horizon still works')
  t.same(answered.json().items, [], 'nothing changed since it (the pruning is not an item)')
})

t.test('with CHANGE_LOG_RETENTION_DAYS=0 (the default) nothing is ever deleted', async (t) => {
  const app = await buildTestApp(t)
  await createArticle(app)
  await app.db.prisma.change.updateMany({ data: { createdAt: daysAgo(4000) } })
  const before = await app.db.prisma.change.count()
  await app.keepChangeLogRetention()
  t.equal(await app.db.prisma.change.count(), before, 'every row kept')
})

t.test('the server prunes at start when the retention is set', async (t) => {
  const first = await buildTestApp(t)
  await createArticle(first)
  await first.db.prisma.change.updateMany({ data: { createdAt: daysAgo(10) } })
  const url = first.config.DATABASE_URL
  await first.close()
  const second = await buildTestApp(t, { DATABASE_URL: url, CHANGE_LOG_RETENTION_DAYS: '7' })
  t.equal(await second.db.prisma.change.count({ where: { resource: { not: 'change-log' } } }), 0, 'rows older than 7 days went at start')
})
