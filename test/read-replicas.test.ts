// DATABASE_REPLICA_URLS: reads go to a replica, writes (and what a write
// returns) to the primary. Here the "replica" is a separate database, so the
// test can see which one answered; in production it is a streaming replica.
import t from 'tap'
import { buildTestApp, createArticle, engineUnderTest, freshTestDatabase, getWithoutKey } from './helper.ts'

t.test('reads go to the replica, writes and their responses to the primary', { skip: engineUnderTest() !== 'postgresql' && 'read replicas are a PostgreSQL feature' }, async (t) => {
  const replicaUrl = await freshTestDatabase(t)
  const onReplica = await createArticle(await buildTestApp(t, { DATABASE_URL: replicaUrl }), { headline: 'Only on the replica', status: 'published', tags: ['Replica'] })

  const app = await buildTestApp(t, { DATABASE_REPLICA_URLS: replicaUrl })
  const created = await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'Written to the primary', body: [{ type: 'paragraph', text: 'Text.' }] } })
  t.equal(created.statusCode, 201)
  t.equal(created.json().headline, 'Written to the primary', 'the write answers with what it wrote, read on the primary')
  t.equal(created.json().body.length, 1)

  const patched = await app.inject({ method: 'PATCH', url: `/v1/articles/${created.json().id as string}`, payload: { dek: 'A dek.' } })
  t.equal(patched.statusCode, 200, 'an edit finds the article on the primary')
  t.equal(patched.json().dek, 'A dek.')

  const list = (await app.inject({ method: 'GET', url: '/v1/articles' })).json()
  t.same(list.data.map((article: { id: string }) => article.id), [onReplica.id], 'a list is read from the replica')
  const filtered = (await app.inject({ method: 'GET', url: '/v1/articles?tag=Replica&sort=headline&count=true' })).json()
  t.same([filtered.data.map((article: { id: string }) => article.id), filtered.totalCount], [[onReplica.id], 1], 'its page and its count by raw SQL too')
  const publicPage = (await getWithoutKey(app, '/v1/articles?tag=Replica&count=true')).json()
  t.same([publicPage.data.map((article: { id: string }) => article.id), publicPage.totalCount], [[onReplica.id], 1], 'and the public list from the stored forms')
  t.equal((await app.inject({ method: 'GET', url: '/v1/authors?count=true' })).json().totalCount, 0, 'authors too (none on the replica)')
  t.equal((await app.inject({ method: 'GET', url: `/v1/articles/${created.json().id as string}` })).statusCode, 404, 'the replica has not got the new article (it is no real replica)')
})

t.test('replica URLs must name PostgreSQL servers', async (t) => {
  const { loadConfig } = await import('../src/config.ts')
  t.throws(() => loadConfig({ DATABASE_REPLICA_URLS: 'file:./replica.db' }), /DATABASE_REPLICA_URLS/)
  t.same(loadConfig({ DATABASE_REPLICA_URLS: ' postgresql://a/b , postgres://c/d ' }).DATABASE_REPLICA_URLS, ['postgresql://a/b', 'postgres://c/d'])
})
