// The change log: every write appends its rows in its own transaction, names
// who wrote it and the published stories it altered, and on PostgreSQL the
// positions become visible in increasing order even under concurrent writers.
import t from 'tap'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, call, createArticle, createAuthor, createImage, engineUnderTest } from './helper.ts'
import { changeLogLockKey } from '../src/services/write-path.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

async function changesSince (app: FastifyInstance, position: number): Promise<Json[]> {
  return await app.db.prisma.change.findMany({ where: { position: { gt: position } }, orderBy: { position: 'asc' } })
}

async function lastPosition (app: FastifyInstance): Promise<number> {
  return (await app.db.prisma.change.findFirst({ orderBy: { position: 'desc' }, select: { position: true } }))?.position ?? 0
}

/** The one change `write` leaves: its resource, action and the published articles it names. */
async function changeOf (app: FastifyInstance, write: () => Promise<unknown>): Promise<Json> {
  const before = await lastPosition(app)
  await write()
  const changes = await changesSince(app, before)
  if (changes.length !== 1) throw new Error(`expected one change, got ${JSON.stringify(changes)}`)
  return changes[0]
}

t.test('each write leaves one change naming the published articles whose public form it altered', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const image = await createImage(app)
  const target = await createArticle(app, { status: 'published' })
  const story = await createArticle(app, {
    status: 'published',
    leadImageId: image.id,
    bylines: [{ authorId: author.id }],
    body: [{ type: 'related_link', articleId: target.id, text: 'Background' }]
  })
  const draft = await createArticle(app, { bylines: [{ authorId: author.id }], leadImageId: image.id })
  const sorted = (ids: string[]): string[] => [...ids].sort()

  const rename = await changeOf(app, async () => await call(app, 'PATCH', `/v1/authors/${author.id}`, { name: 'A New Name' }))
  t.match(rename, { resource: 'author', resourceId: author.id, action: 'updated', method: 'PATCH', path: `/v1/authors/${author.id}` })
  t.same(rename.articleIds, [story.id], 'an author\'s rename alters the published story with their byline (not the draft)')

  const credit = await changeOf(app, async () => await call(app, 'PATCH', `/v1/images/${image.id}`, { credit: { agency: 'Pool' } }))
  t.same(credit.articleIds, [story.id], 'an image credit alters the published story it leads')

  const headline = await changeOf(app, async () => await call(app, 'PATCH', `/v1/articles/${target.id}`, { headline: 'A linked story, retitled' }))
  t.same(headline.articleIds, sorted([target.id, story.id]), 'a linked story\'s headline alters it and the story linking to it')

  const draftEdit = await changeOf(app, async () => await call(app, 'PATCH', `/v1/articles/${draft.id}`, { dek: 'Still a draft.' }))
  t.same(draftEdit.articleIds, [], 'a draft\'s edit alters no public form')

  const published = await changeOf(app, async () => await call(app, 'PATCH', `/v1/articles/${draft.id}`, { status: 'published' }))
  t.match(published, { resource: 'article', action: 'published', articleIds: [draft.id] })
  const unpublished = await changeOf(app, async () => await call(app, 'PATCH', `/v1/articles/${target.id}`, { status: 'draft' }))
  t.match(unpublished, { action: 'unpublished' })
  t.same(unpublished.articleIds, sorted([target.id, story.id]), 'unpublishing removes its public form and its link from the story')

  const byline = await changeOf(app, async () => await call(app, 'PUT', `/v1/articles/${story.id}/bylines`, { data: [] }))
  t.match(byline, { resource: 'byline', resourceId: story.id, action: 'replaced', articleIds: [story.id] })

  const forced = await changeOf(app, async () => await call(app, 'DELETE', `/v1/images/${image.id}?force=true`))
  t.match(forced, { resource: 'image', action: 'deleted' })
  t.same(forced.articleIds, sorted([story.id, draft.id]), 'a forced delete names the published stories it was taken off')

  const trashed = await changeOf(app, async () => await call(app, 'DELETE', `/v1/articles/${draft.id}`))
  t.match(trashed, { resource: 'article', action: 'trashed', articleIds: [draft.id] }, 'to the trash: its public form goes')
  const restored = await changeOf(app, async () => await call(app, 'POST', `/v1/articles/${draft.id}/restore`))
  t.match(restored, { resource: 'article', action: 'restored', articleIds: [draft.id] }, 'and comes back')
  const deleted = await changeOf(app, async () => await call(app, 'DELETE', `/v1/articles/${draft.id}?permanent=true`))
  t.match(deleted, { resource: 'article', action: 'deleted', articleIds: [draft.id] })

  const before = await lastPosition(app)
  const refused = await call(app, 'PATCH', `/v1/articles/${story.id}`, { headline: '' })
  t.equal(refused.status, 400)
  t.same(await changesSince(app, before), [], 'a rejected write leaves no change')
})

t.test('a change is written in its write\'s transaction: a write that fails leaves neither', async (t) => {
  const app = await buildTestApp(t)
  const first = await createArticle(app, { slug: 'taken-slug' })
  const second = await createArticle(app)
  const before = await lastPosition(app)
  const clash = await call(app, 'PATCH', `/v1/articles/${second.id}`, { headline: 'Changed', slug: 'taken-slug' })
  t.equal(clash.status, 409, 'the unique index refuses it after the other writes of the transaction ran')
  t.same(await changesSince(app, before), [], 'no change row')
  t.not((await call(app, 'GET', `/v1/articles/${second.id}`)).body.headline, 'Changed', 'and no half of the write')
  t.ok(first.id)
})

t.test('under 16 concurrent writers, a reader of the log never sees a position appear below one it has read', { skip: engineUnderTest() !== 'postgresql' && 'SQLite has one writer at a time: its autoincrement is commit order' }, async (t) => {
  const app = await buildTestApp(t, { DATABASE_POOL_MAX: '20' })
  const follower = new pg.Client({ connectionString: (app.config.DATABASE_URL) })
  await follower.connect()
  t.teardown(async () => { await follower.end() })

  let writing = true
  const violations: string[] = []
  let polls = 0
  const follow = (async () => {
    let seen = new Set<number>()
    let highest = 0
    while (writing || polls === 0) {
      const { rows } = await follower.query<{ position: number }>('SELECT position FROM "Change" ORDER BY position')
      for (const { position } of rows) {
        if (position < highest && !seen.has(position)) violations.push(`position ${position} appeared after ${highest} had been read`)
      }
      seen = new Set(rows.map((row) => row.position))
      highest = Math.max(highest, ...seen)
      polls++
    }
  })()

  const writers = Array.from({ length: 16 }, async (_, writer) => {
    for (let i = 0; i < 15; i++) {
      const response = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: `Writer ${writer} author ${i}` } })
      if (response.statusCode !== 201) throw new Error(`write failed: ${response.statusCode} ${response.body}`)
    }
  })
  await Promise.all(writers)
  writing = false
  await follow
  t.same(violations, [], `no position appeared behind the reader (${polls} polls)`)
  const positions = (await app.db.prisma.change.findMany({ where: { resource: 'author' }, select: { position: true } })).length
  t.equal(positions, 240, 'every write has its change')
})

t.test('a write waits until an earlier write has committed (and so draws its position after it)', { skip: engineUnderTest() !== 'postgresql' && 'SQLite has one writer at a time' }, async (t) => {
  const app = await buildTestApp(t)
  // A slow writer, by hand: it has appended its row (drawn its position) but not committed yet.
  const slow = new pg.Client({ connectionString: app.config.DATABASE_URL })
  await slow.connect()
  t.teardown(async () => { await slow.end() })
  await slow.query('BEGIN')
  await slow.query('SELECT pg_advisory_xact_lock($1)', [changeLogLockKey])
  const { rows: [held] } = await slow.query<{ position: number }>(
    'INSERT INTO "Change" ("resource", "resourceId", "action", "articleIds") VALUES (\'author\', \'slow\', \'updated\', \'[]\') RETURNING position')

  let answered = false
  const write = app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Waits Its Turn' } }).then((response) => { answered = true; return response })
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.notOk(answered, 'the write waits while the earlier one is uncommitted')
  await slow.query('COMMIT')
  const response = await write
  t.equal(response.statusCode, 201)
  const mine = await app.db.prisma.change.findFirstOrThrow({ where: { resourceId: response.json().id } })
  t.ok(mine.position > held!.position, `its position (${mine.position}) follows the earlier one (${held!.position})`)
})
