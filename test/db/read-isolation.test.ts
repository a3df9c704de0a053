// A read that is not part of a write never sees that write's uncommitted rows:
// not a staff read, not a public list page (which the cache would then keep).
// On SQLite the adapter runs every statement on one connection, so reads
// outside a transaction go to a read-only connection of their own
// (src/db/engine.ts, readsBesideTheWriter); PostgreSQL gives each its own
// connection from the pool. The write here is held open by the test itself,
// between its statements, as a slow save would be.
import t from 'tap'
import { buildTestApp, call, createArticle, getWithoutKey } from '../helper.ts'

t.test('reads outside a write\'s transaction see the last committed state, never its uncommitted rows', async (t) => {
  const app = await buildTestApp(t, { PUBLIC_CACHE_BYTES: '1000000' })
  const story = await createArticle(app, { headline: 'Committed headline', status: 'published' })
  const { prisma } = app.db

  const staffRead = async (): Promise<string> => (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body.headline
  const publicPage = async (): Promise<string> => (await getWithoutKey(app, '/v1/articles?limit=5')).body
  const count = async (): Promise<number> => (await call(app, 'GET', '/v1/articles?limit=100')).body.data.length

  await t.rejects(prisma.$transaction(async (tx) => {
    await tx.article.update({ where: { id: story.id }, data: { headline: 'Uncommitted headline' } })
    await tx.$executeRaw`UPDATE "PublicArticle" SET "summary" = REPLACE("summary", 'Committed headline', 'Uncommitted headline') WHERE "articleId" = ${story.id as string}`
    await tx.article.create({ data: { id: 'uncommittedstory0001', slug: 'never-committed', headline: 'Never committed', status: 'draft', tags: [] } })
    t.equal(await tx.article.count(), 2, 'the transaction sees its own rows')

    t.equal(await staffRead(), 'Committed headline', 'a staff read sees the committed headline')
    t.equal(await count(), 1, 'a staff list does not see the uncommitted story')
    const page = await publicPage()
    t.match(page, 'Committed headline', 'the public list page shows the committed headline')
    t.notMatch(page, 'Uncommitted', 'and nothing of the open write')
    throw new Error('roll back')
  }, { timeout: 30_000 }), /roll back/)

  t.equal(await staffRead(), 'Committed headline', 'after the rollback: as before')
  t.notMatch(await publicPage(), 'Uncommitted', 'the cached page holds nothing of the rolled-back write')

  // A write that commits is seen at once by the next read.
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Edited headline' })
  t.equal(await staffRead(), 'Edited headline', 'a committed write is read at once')
  t.match(await publicPage(), 'Edited headline', 'and shown on the public list at once')
})
