// Several API instances on one database: what a PostgreSQL deployment behind a
// load balancer does (and SQLite, several processes on one file, must survive too).
import t from 'tap'
import { readdirSync } from 'node:fs'
import pg from 'pg'
import { migrateDatabase } from '../src/db/migrate.ts'
import { buildTestApp, createArticle, engineUnderTest, freshTestDatabase } from './helper.ts'
import { databaseUrlFor, readPostgresState } from './support/test-databases.ts'

t.test('concurrent creates with one slug on two instances: exactly one 201, the rest 409', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const instances = [await buildTestApp(t, { DATABASE_URL: databaseUrl }), await buildTestApp(t, { DATABASE_URL: databaseUrl })]
  const attempts = 12
  const responses = await Promise.all(Array.from({ length: attempts }, async (_, index) =>
    await instances[index % 2]!.inject({ method: 'POST', url: '/v1/articles', payload: { headline: `Contested story ${index}`, slug: 'contested-story' } })))
  const statuses = responses.map((response) => response.statusCode)
  t.equal(statuses.filter((status) => status === 201).length, 1, `one 201 (got ${statuses.join(',')})`)
  t.equal(statuses.filter((status) => status === 409).length, attempts - 1, 'the rest 409')
  for (const response of responses.filter((candidate) => candidate.statusCode === 409)) t.equal(response.json().code, 'SLUG_TAKEN')
  const list = (await instances[1]!.inject({ method: 'GET', url: '/v1/articles' })).json()
  t.equal(list.data.length, 1, 'one article stored, seen from the other instance too')
})

t.test('concurrent creates with one headline on two instances all succeed with distinct derived slugs', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const instances = [await buildTestApp(t, { DATABASE_URL: databaseUrl }), await buildTestApp(t, { DATABASE_URL: databaseUrl })]
  const responses = await Promise.all(Array.from({ length: 6 }, async (_, index) =>
    await instances[index % 2]!.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'Storm closes the coast road' } })))
  t.same(responses.map((response) => response.statusCode), Array(6).fill(201), 'every create succeeded')
  const slugs = responses.map((response) => response.json().slug as string)
  t.equal(new Set(slugs).size, 6, `distinct slugs: ${slugs.join(', ')}`)
  for (const slug of slugs) t.match(slug, /^storm-closes-the-coast-road(-\d+|-[0-9a-f]{6})?$/)
})

t.test('concurrent body edits from two instances never interleave', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const [first, second] = [await buildTestApp(t, { DATABASE_URL: databaseUrl }), await buildTestApp(t, { DATABASE_URL: databaseUrl })]
  const article = await createArticle(first!)
  const bodyOf = (writer: string): object[] => Array.from({ length: 8 }, (_, index) => ({ type: 'paragraph', text: `${writer} paragraph ${index}` }))
  const edits = await Promise.all(Array.from({ length: 6 }, async (_, index) =>
    await (index % 2 === 0 ? first! : second!).inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, payload: { body: bodyOf(`writer-${index}`) } })))
  t.same(edits.map((edit) => edit.statusCode), Array(6).fill(200))
  const final = (await second!.inject({ method: 'GET', url: `/v1/articles/${article.id}` })).json()
  const writers = new Set(final.body.map((block: { text: string }) => block.text.split(' ')[0]))
  t.equal(final.body.length, 8, 'one whole body, not a union of several')
  t.equal(writers.size, 1, 'every block from the same write')

  const links = await Promise.all(Array.from({ length: 6 }, async (_, index) =>
    await (index % 2 === 0 ? first! : second!).inject({ method: 'POST', url: `/v1/articles/${article.id}/related-links`, payload: { url: `https://example.org/${index}`, text: `Link ${index}`, position: 0 } })))
  t.same(links.map((link) => link.statusCode), Array(6).fill(201))
  const listed = (await first!.inject({ method: 'GET', url: `/v1/articles/${article.id}/related-links` })).json().data
  t.equal(listed.length, 6, 'no link lost')
  t.same(listed.map((link: { position: number }) => link.position), [0, 1, 2, 3, 4, 5], 'positions stay distinct and dense')
})

t.test('instances starting at once migrate the database once', { skip: engineUnderTest() !== 'postgresql' && 'PostgreSQL only: SQLite serves one machine' }, async (t) => {
  const server = readPostgresState().url
  const name = `t_migrate_${process.pid}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  })
  await admin.query(`CREATE DATABASE "${name}"`)
  const databaseUrl = databaseUrlFor(server, name)

  const outputs = await Promise.all([migrateDatabase(databaseUrl), migrateDatabase(databaseUrl), migrateDatabase(databaseUrl)])
  t.equal(outputs.filter((output) => /have been applied/.test(output)).length, 1, 'one instance applied the migrations')
  t.equal(outputs.filter((output) => /No pending migrations/.test(output)).length, 2, 'the others found nothing to do')

  const database = new pg.Client({ connectionString: databaseUrl })
  await database.connect()
  const { rows } = await database.query('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations')
  await database.end()
  const committed = readdirSync('prisma/postgresql/migrations').filter((entry) => /^\d+_/.test(entry))
  t.same(rows.map((row) => row.migration_name).sort(), committed.sort(), 'each committed migration recorded once')
  t.ok(rows.every((row) => row.finished_at !== null && row.rolled_back_at === null), 'all finished, none rolled back')

  const app = await buildTestApp(t, { DATABASE_URL: databaseUrl })
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'an instance serves on the migrated database')
})
