// The status lifecycle: draft → scheduled → published → archived, the server
// publishing scheduled stories and taking down expired ones without a request
// (exactly once with two instances), the embargo (a scheduled story is
// invisible everywhere until its time), backdating, corrections and the
// editors' note, in the public JSON and the standard formats.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, freshTestDatabase, getWithoutKey } from './helper.ts'
import { eventually } from './support/webhook-receiver.ts'
import { ninjsErrors } from '../src/formats/ninjs-validation.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString()
const fast = { SCHEDULER_INTERVAL_MS: '50' }

async function changesOf (app: FastifyInstance, id: string): Promise<Json[]> {
  return (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${id}&limit=100`)).body.data
}

/** Everything a reader without a key could find the story through. */
async function publicTraces (app: FastifyInstance, story: Json, linking: Json): Promise<Record<string, boolean>> {
  const list = (await getWithoutKey(app, '/v1/articles?limit=100')).json().data
  const sync = (await getWithoutKey(app, '/v1/sync?limit=500')).json().items
  const rss = (await getWithoutKey(app, '/v1/feeds/rss')).body
  const page = (await getWithoutKey(app, `/v1/article-by-slug/${linking.slug as string}`)).json()
  return {
    byId: (await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode === 200,
    bySlug: (await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}`)).statusCode === 200,
    list: list.some((item: Json) => item.id === story.id),
    sync: sync.some((item: Json) => item.id === story.id),
    feed: rss.includes(story.id),
    link: page.body.some((block: Json) => block.articleId === story.id)
  }
}

t.test('a scheduled story is invisible everywhere until the server publishes it at its time, dated then', async (t) => {
  const app = await buildTestApp(t, fast)
  // Far enough ahead for the checks before it to finish on a loaded machine (1.5 s was not, under four parallel test files).
  const scheduledAt = inMs(4000)
  const story = await createArticle(app, { headline: 'Embargoed until the minister speaks', status: 'scheduled', scheduledAt })
  const linking = await createArticle(app, { status: 'published', body: [{ type: 'related_link', articleId: story.id, text: 'The speech' }] })
  t.match(story, { status: 'scheduled', scheduledAt, publishedAt: null })
  t.same(await publicTraces(app, story, linking), { byId: false, bySlug: false, list: false, sync: false, feed: false, link: false }, 'embargoed: no trace for the public')
  t.same((await getWithoutKey(app, '/v1/articles?status=scheduled')).json().data, [], 'not even when asked for by status')
  t.same((await call(app, 'GET', '/v1/articles?status=scheduled')).body.data.map((item: Json) => item.id), [story.id], 'editors see it')
  t.same((await changesOf(app, story.id)).map((change: Json) => change.action), ['created'])

  await eventually(10_000, async () => (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body.status === 'published', 'published by the server')
  const published = (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body
  t.equal(published.publishedAt, scheduledAt, 'publishedAt is the scheduled time')
  t.ok(Date.now() >= Date.parse(scheduledAt), 'not before its time')
  t.same(await publicTraces(app, story, linking), { byId: true, bySlug: true, list: true, sync: true, feed: true, link: true }, 'then everywhere')
  t.match((await changesOf(app, story.id))[0], { action: 'published', apiKeyId: null, method: null }, 'the server\'s change, in the audit trail')
})

t.test('two instances publish each due story exactly once, and catch up on what fell due while down', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const writer = await buildTestApp(t, { DATABASE_URL: databaseUrl, SCHEDULER_INTERVAL_MS: '0' })
  const overdue = await createArticle(writer, { headline: 'Due while the servers were down', status: 'scheduled', scheduledAt: inMs(-60_000) })
  const stories: Json[] = []
  for (let index = 0; index < 8; index++) stories.push(await createArticle(writer, { status: 'scheduled', scheduledAt: inMs(1000 + index * 50) }))
  t.equal((await call(writer, 'GET', `/v1/articles/${overdue.id as string}`)).body.status, 'scheduled', 'nobody publishes with the scheduler off')

  const instances = [await buildTestApp(t, { DATABASE_URL: databaseUrl, SCHEDULER_INTERVAL_MS: '20' }), await buildTestApp(t, { DATABASE_URL: databaseUrl, SCHEDULER_INTERVAL_MS: '20' })]
  await eventually(10_000, async () => (await call(instances[0]!, 'GET', `/v1/articles/${overdue.id as string}`)).body.status === 'published', 'the overdue story published')
  t.equal((await call(writer, 'GET', `/v1/articles/${overdue.id as string}`)).body.publishedAt, overdue.scheduledAt, 'dated when it was due')
  await eventually(15_000, async () => {
    for (const story of stories) if ((await call(instances[1]!, 'GET', `/v1/articles/${story.id as string}`)).body.status !== 'published') return false
    return true
  }, 'every story published')
  await new Promise((resolve) => setTimeout(resolve, 300)) // a late tick would publish again now, if it could
  for (const story of [overdue, ...stories]) {
    t.same((await changesOf(writer, story.id)).map((change: Json) => change.action), ['published', 'created'], `story ${story.id as string}: published once`)
  }
})

t.test('a published story with expiresAt is taken down then; archived and back keeps its first publication', async (t) => {
  const app = await buildTestApp(t, fast)
  const story = await createArticle(app, { headline: 'Weekend traffic advisory', status: 'published', expiresAt: inMs(800) })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode, 200)
  await eventually(10_000, async () => (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body.status === 'archived', 'archived by the server')
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode, 404, 'gone for the public')
  t.equal((await changesOf(app, story.id))[0].action, 'unpublished')

  const back = await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'published', expiresAt: null })
  t.match(back.body, { status: 'published', publishedAt: story.publishedAt, expiresAt: null }, 'republished: the first publication date stays')
  const archived = await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'archived' })
  t.equal(archived.body.status, 'archived')
  t.same((await changesOf(app, story.id)).slice(0, 2).map((change: Json) => change.action), ['unpublished', 'published'], 'archiving by hand unpublishes too')
  const draft = await createArticle(app)
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { status: 'scheduled', scheduledAt: inMs(3_600_000) })
  t.equal((await changesOf(app, draft.id))[0].action, 'updated', 'a draft scheduled was never public: an update, not an unpublication')
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { scheduledAt: null })).response, 400, 'VALIDATION_FAILED', ['body.scheduledAt'])
  t.equal((await call(app, 'GET', `/v1/articles/${draft.id as string}`)).body.status, 'scheduled', 'a refused edit changes nothing')
})

t.test('backdating, displayUpdatedAt, corrections and the editors\' note reach the public JSON and the formats', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const story = await createArticle(app, { headline: 'Ferry timetable changes', status: 'published', publishedAt: '2026-03-01T06:00:00.000Z' })
  t.equal(story.publishedAt, '2026-03-01T06:00:00.000Z', 'an editor may backdate a story')
  const syncToken = (await getWithoutKey(app, '/v1/sync?limit=500')).json().nextSyncToken
  const corrected = await call(app, 'PATCH', `/v1/articles/${story.id as string}`, {
    corrections: [{ text: 'An earlier version gave the wrong departure time for the 07:40 ferry.', date: '2026-03-02T09:00:00+01:00' }, { text: 'The harbour\'s name is spelt Elsing.' }],
    editorsNote: 'This story was updated with the new winter timetable.',
    displayUpdatedAt: '2026-03-02T08:00:00.000Z'
  })
  t.match(corrected.body.corrections, [{ date: '2026-03-02T08:00:00.000Z' }, { date: String }], 'dates in UTC; a correction without one is dated by the save')
  t.equal(corrected.body.publishedAt, '2026-03-01T06:00:00.000Z', 'a correction keeps the publication date')
  const page = (await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}`)).json()
  t.match(page, { editorsNote: 'This story was updated with the new winter timetable.', displayUpdatedAt: '2026-03-02T08:00:00.000Z', corrections: [{ text: /07:40/ }, { text: /Elsing/ }] }, 'in the public JSON')
  const ninjs = (await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}?format=ninjs`)).json()
  t.equal(ninjs.edNote, 'This story was updated with the new winter timetable.', 'ninjs edNote')
  const jsonld = (await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}?format=jsonld`)).json()
  t.match(jsonld, { dateModified: '2026-03-02T08:00:00.000Z', correction: [{ '@type': 'CorrectionComment', text: /07:40/, datePublished: '2026-03-02T08:00:00.000Z' }, { '@type': 'CorrectionComment' }] }, 'JSON-LD correction and dateModified')
  const synced = (await getWithoutKey(app, `/v1/sync?syncToken=${syncToken as string}`)).json().items
  t.match(synced, [{ type: 'article', id: story.id, data: { corrections: [{}, {}] } }], 'a correction reaches the sync feed as an update')

  const scheduled = await createArticle(app, { status: 'scheduled', scheduledAt: '2030-01-01T00:00:00.000Z', editorsNote: 'Embargoed' })
  const embargo = (await call(app, 'GET', `/v1/articles/${scheduled.id as string}?format=ninjs`)).body
  t.match(embargo, { pubStatus: 'withheld', embargoedUntil: '2030-01-01T00:00:00.000Z' }, 'ninjs 3.1 embargoedUntil')
  const embargo22 = (await call(app, 'GET', `/v1/articles/${scheduled.id as string}?format=ninjs-2.2`)).body
  t.match(embargo22, { pubstatus: 'withheld', embargoed: '2030-01-01T00:00:00.000Z', ednote: 'Embargoed' }, 'ninjs 2.2 embargoed')
  t.same([...ninjsErrors(ninjs, '3.1', 'body'), ...ninjsErrors(embargo, '3.1', 'body'), ...ninjsErrors(embargo22, '2.2', 'body')], [], 'each valid against the official ninjs schema')
  const imported = await call(app, 'POST', '/v1/import/ninjs', { ...embargo, uri: 'urn:partner:story:embargoed' })
  t.match(imported.body, { status: 'scheduled', scheduledAt: '2030-01-01T00:00:00.000Z', editorsNote: 'Embargoed' }, 'an embargoed ninjs document imports as scheduled')
})

t.test('an editor previews any story exactly as the public will see it once published', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const hidden = await createArticle(app, { headline: 'A draft it links to' })
  const shown = await createArticle(app, { headline: 'A published story it links to', status: 'published' })
  const draft = await createArticle(app, {
    headline: 'Council budget: what changes',
    status: 'scheduled',
    scheduledAt: '2030-05-01T05:00:00.000Z',
    body: [{ type: 'paragraph', text: 'The council adopts its budget on Thursday.' }, { type: 'related_link', articleId: hidden.id, text: 'Not yet public' }, { type: 'related_link', articleId: shown.id, text: 'Background' }]
  })
  const preview = await app.inject({ method: 'GET', url: `/v1/articles/${draft.id as string}/preview` })
  t.equal(preview.statusCode, 200)
  t.match(preview.json(), { id: draft.id, status: 'published', publishedAt: '2030-05-01T05:00:00.000Z' }, 'as published, at its scheduled time')
  t.same(preview.json().body.map((block: Json) => block.articleId ?? block.type), ['paragraph', shown.id], 'a link to a story that is not public is left out, as for readers')

  // Published, the stored public JSON is byte for byte what the preview showed (but the publication time).
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { status: 'published', publishedAt: '2030-05-01T05:00:00.000Z' })
  const stored = (await getWithoutKey(app, `/v1/articles/${draft.id as string}`)).body
  const again = (await app.inject({ method: 'GET', url: `/v1/articles/${draft.id as string}/preview` })).body
  t.equal(again, stored, 'a published story\'s preview is its stored public JSON')
  const { updatedAt: _previewUpdated, version: _previewVersion, ...before } = preview.json()
  const { updatedAt: _storedUpdated, version: _storedVersion, ...after } = JSON.parse(stored)
  t.same(after, before, 'and the draft\'s preview was the same story')

  assertProblem(t, await getWithoutKey(app, `/v1/articles/${draft.id as string}/preview`), 401, 'AUTHENTICATION_REQUIRED')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/nope/preview' }), 404, 'NOT_FOUND')
})
