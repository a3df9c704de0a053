// The trash: DELETE moves an article there, kept whole but hidden from
// everyone (the public, staff reads and lists, links to it), listed at
// GET /v1/trash; POST .../restore puts it back as it was; ?permanent=true
// (admins) deletes for good; the scheduler purges it after TRASH_RETENTION_DAYS.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, createImage, getWithoutKey } from './helper.ts'
import { createScheduler } from '../src/services/scheduler.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const noScheduler = { SCHEDULER_INTERVAL_MS: '0' }

async function keyOf (app: FastifyInstance, role: string): Promise<string> {
  return (await call(app, 'POST', '/v1/api-keys', { name: `${role} key`, role })).body.secret
}

async function as (app: FastifyInstance, key: string, method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = {}) {
  return await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers } })
}

async function changesOf (app: FastifyInstance, id: string): Promise<Json[]> {
  return (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${id}&limit=100`)).body.data
}

/** A published story with bylines, a lead image, every kind of block, an old slug and two revisions; and a story linking to it. */
async function richStory (app: FastifyInstance): Promise<{ story: Json, linking: Json, other: Json }> {
  const [writer, photographer] = [await createAuthor(app), await createAuthor(app)]
  const image = await createImage(app)
  const other = await createArticle(app, { status: 'published', headline: 'An older story it links to' })
  const created = await createArticle(app, {
    headline: 'Council votes to close the bridge',
    slug: 'council-bridge',
    status: 'published',
    section: 'local',
    tags: ['bridge', 'council'],
    leadImageId: image.id,
    bylines: [{ authorId: writer.id }, { authorId: photographer.id, role: 'photographer' }],
    body: [
      { type: 'paragraph', text: 'The council voted on Tuesday.' },
      { type: 'heading', text: 'What happens next', level: 3 },
      { type: 'quote', text: 'It is unsafe.', attribution: 'The engineer' },
      { type: 'image', imageId: image.id },
      { type: 'related_link', articleId: other.id, text: 'Earlier' },
      { type: 'related_link', url: 'https://example.org/report', text: 'The report' },
      { type: 'ad_slot', slot: 'mid' }
    ]
  })
  // An old slug (301) and a second revision.
  await call(app, 'PATCH', `/v1/articles/${created.id as string}`, { slug: 'council-closes-bridge', editorsNote: 'Updated with the vote' })
  const story = (await call(app, 'GET', `/v1/articles/${created.id as string}`)).body
  const linking = await createArticle(app, { status: 'published', headline: 'The detour', body: [{ type: 'paragraph', text: 'Drive around.' }, { type: 'related_link', articleId: story.id, text: 'Why the bridge closed' }] })
  return { story, linking, other }
}

/** Everything a reader without a key could find the story through. */
async function publicTraces (app: FastifyInstance, story: Json, linking: Json): Promise<Record<string, boolean>> {
  const list = (await getWithoutKey(app, '/v1/articles?limit=100')).json().data
  const sync = (await getWithoutKey(app, '/v1/sync?limit=500')).json().items
  const rss = (await getWithoutKey(app, '/v1/feeds/rss')).body
  const page = await getWithoutKey(app, `/v1/articles/${linking.id as string}`)
  return {
    byId: (await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode === 200,
    bySlug: (await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}`)).statusCode === 200,
    oldSlug: (await getWithoutKey(app, '/v1/article-by-slug/council-bridge')).statusCode === 301,
    list: list.some((item: Json) => item.id === story.id),
    sync: sync.some((item: Json) => item.id === story.id),
    feed: rss.includes(story.id),
    link: page.statusCode === 200 && page.json().body.some((block: Json) => block.articleId === story.id),
    backlinks: (await getWithoutKey(app, `/v1/related-links?articleId=${story.id as string}`)).statusCode === 200
  }
}

const everywhere = { byId: true, bySlug: true, oldSlug: true, list: true, sync: true, feed: true, link: true, backlinks: true }
const nowhere = { byId: false, bySlug: false, oldSlug: false, list: false, sync: false, feed: false, link: false, backlinks: false }

t.test('trash hides a published story from everyone, keeps all of it, and restore puts it back as it was', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const { story, linking, other } = await richStory(app)
  const revisionsBefore = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions`)).body.data
  t.same(await publicTraces(app, story, linking), everywhere, 'public before')
  const sync = (await getWithoutKey(app, '/v1/sync?limit=500')).json()
  const staffToken = (await call(app, 'GET', '/v1/sync?drafts=true&limit=500')).body.nextSyncToken
  const linkingPublic = (await getWithoutKey(app, `/v1/articles/${linking.id as string}`)).json()

  const trashed = await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}` })
  t.equal(trashed.statusCode, 204, 'trashed')

  t.same(await publicTraces(app, story, linking), nowhere, 'no trace for the public')
  const page = (await getWithoutKey(app, `/v1/articles/${linking.id as string}`)).json()
  t.same(page.body.map((block: Json) => block.type), ['paragraph'], 'the link is left out of the linking page, which still answers')
  t.not(page.version, undefined)
  const tombstones = (await getWithoutKey(app, `/v1/sync?syncToken=${sync.nextSyncToken as string}`)).json().items
  t.match(tombstones.find((item: Json) => item.id === story.id), { type: 'article', id: story.id, deletedAt: String }, 'the sync feed: a deletion')
  t.notOk(tombstones.some((item: Json) => item.id === story.id && 'unpublishedAt' in item), 'not an unpublication')
  t.match(tombstones.find((item: Json) => item.id === linking.id), { data: { body: [{ type: 'paragraph' }] } }, 'the linking story, without the link')
  t.match((await call(app, 'GET', `/v1/sync?drafts=true&syncToken=${staffToken as string}`)).body.items.find((item: Json) => item.id === story.id), { type: 'article', id: story.id, deletedAt: String }, 'with drafts=true too: a deletion')
  const staffSync = (await call(app, 'GET', '/v1/sync?drafts=true&limit=500')).body.items
  t.notOk(staffSync.some((item: Json) => item.id === story.id), 'not in a first sync with drafts either')

  // Staff: 404 everywhere but the trash.
  for (const url of [`/v1/articles/${story.id as string}`, `/v1/article-by-slug/${story.slug as string}`, `/v1/articles/${story.id as string}/bylines`, `/v1/articles/${story.id as string}/related-links`,
    `/v1/articles/${story.id as string}/revisions`, `/v1/articles/${story.id as string}/revisions/1`, `/v1/articles/${story.id as string}/revisions/1/preview`, `/v1/articles/${story.id as string}/preview`, `/v1/related-links?articleId=${story.id as string}`, '/v1/article-by-slug/council-bridge']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, `staff: GET ${url} → 404`)
  }
  t.equal((await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Edited in the trash' })).status, 404, 'no edits in the trash')
  t.equal((await call(app, 'PUT', `/v1/articles/${story.id as string}/bylines`, { data: [] })).status, 404, 'nor of its bylines')
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}`)).status, 404, 'trashing twice: not found')
  t.notOk((await call(app, 'GET', '/v1/articles?limit=100')).body.data.some((item: Json) => item.id === story.id), 'not in staff lists')
  t.notOk((await call(app, 'GET', `/v1/related-links?articleId=${other.id as string}`)).body.data.some((link: Json) => link.source.id === story.id), 'its own links are nobody\'s backlinks meanwhile')
  const linkingPreview = await call(app, 'GET', `/v1/articles/${linking.id as string}/revisions/1/preview`)
  t.equal(linkingPreview.status, 200, 'a revision of a story linking to it previews')
  t.same(linkingPreview.body.body.map((block: Json) => block.type), ['paragraph'], 'without the link, as readers would get it')
  const staffLinking = (await call(app, 'GET', `/v1/articles/${linking.id as string}`)).body
  t.equal(staffLinking.body.length, 2, 'staff still see the link in the linking story (a save of what they read keeps it)')
  t.equal((await call(app, 'PUT', `/v1/articles/${linking.id as string}`, { ...staffLinking, body: staffLinking.body })).status, 200, 'and can save it as read')
  const refused = await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'Links to the trash', body: [{ type: 'related_link', articleId: story.id, text: 'Gone' }] } })
  assertProblem(t, refused, 422, 'UNKNOWN_REFERENCE', ['body.body.0.articleId'])
  t.match(refused.json().errors[0].message, /in the trash/)
  assertProblem(t, await app.inject({ method: 'POST', url: `/v1/articles/${other.id as string}/related-links`, payload: { articleId: story.id, text: 'Gone' } }), 422, 'UNKNOWN_REFERENCE', ['body.articleId'])
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'Same slug', slug: story.slug })).status, 409, 'its slug stays taken')
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'Old slug', slug: 'council-bridge' })).status, 409, 'and its old one')

  const trash = (await call(app, 'GET', '/v1/trash')).body
  t.equal(trash.data.length, 1)
  t.match(trash.data[0], { id: story.id, headline: story.headline, status: 'published', version: story.version, deletedAt: String, deletedBy: 'Admin (ADMIN_API_KEY)' })
  t.notOk('body' in trash.data[0], 'without its body')

  const restored = await app.inject({ method: 'POST', url: `/v1/articles/${story.id as string}/restore`, headers: { 'if-match': `"${story.id as string}.v${story.version as number}"` } })
  t.equal(restored.statusCode, 200, 'restored')
  t.equal(restored.headers.etag, `"${story.id as string}.v${(story.version as number) + 1}"`, 'a new version')
  const after = (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body
  const { version, updatedAt, ...content } = story
  const { version: newVersion, updatedAt: newUpdatedAt, ...restoredContent } = after
  t.same(restoredContent, content, 'field by field as it was: bylines, lead image, every block with its id, links, slug')
  t.equal(newVersion, version + 1)
  t.same(await publicTraces(app, story, linking), everywhere, 'public again: its links resolve again')
  t.match((await getWithoutKey(app, `/v1/sync?syncToken=${sync.nextSyncToken as string}`)).json().items.find((item: Json) => item.id === story.id), { type: 'article', id: story.id, data: { headline: story.headline } }, 'the sync feed has it again')
  t.same((await getWithoutKey(app, `/v1/articles/${linking.id as string}`)).json().body, linkingPublic.body, 'the linking story\'s public body as before')
  t.same((await call(app, 'GET', '/v1/trash')).body.data, [], 'the trash is empty')
  const revisions = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions`)).body.data
  t.same(revisions.slice(1), revisionsBefore, 'its history is kept')
  t.match(revisions[0], { version: newVersion, action: 'restored' }, 'and the restore is a revision of its own')
  t.same((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/${newVersion as number}`)).body.content.body, (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/${version as number}`)).body.content.body)
  t.same((await changesOf(app, story.id)).slice(0, 2).map((change: Json) => change.action), ['restored', 'trashed'], 'the audit trail says what happened')
  t.equal((await call(app, 'POST', `/v1/articles/${story.id as string}/restore`)).status, 404, 'restoring what is not in the trash: 404')
  t.equal((await call(app, 'POST', '/v1/articles/nope/restore')).status, 404)
})

t.test('a ninjs import of the uri of a trashed story is refused until it is restored', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const document = { uri: 'urn:test:trash:1', type: 'text', headlines: [{ role: 'main', value: 'From the wire' }], pubStatus: 'usable', bodies: [{ role: 'main', contentType: 'text/plain', value: 'Wire copy.' }] }
  const created = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: document })
  t.equal(created.statusCode, 201)
  const story = created.json()
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}`)).status, 204)
  const refused = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { ...document, headlines: [{ role: 'main', value: 'Updated on the wire' }] } })
  assertProblem(t, refused, 409, 'IN_TRASH')
  t.same((await call(app, 'GET', '/v1/trash')).body.data.map((item: Json) => item.headline), ['From the wire'], 'the trashed story is untouched')
  t.equal((await call(app, 'POST', `/v1/articles/${story.id as string}/restore`)).status, 200)
  t.equal((await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { ...document, headlines: [{ role: 'main', value: 'Updated on the wire' }] } })).statusCode, 200, 'then it updates it')
})

t.test('If-Match on trash, restore and permanent delete', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, { status: 'published' })
  const etag = `"${story.id as string}.v${story.version as number}"`
  const stale = `"${story.id as string}.v${(story.version as number) + 5}"`
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}`, headers: { 'if-match': stale } }), 412, 'PRECONDITION_FAILED')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}`, headers: { 'if-match': etag } })).statusCode, 204)
  assertProblem(t, await app.inject({ method: 'POST', url: `/v1/articles/${story.id as string}/restore`, headers: { 'if-match': stale } }), 412, 'PRECONDITION_FAILED')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}?permanent=true`, headers: { 'if-match': stale } }), 412, 'PRECONDITION_FAILED')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}?permanent=true`, headers: { 'if-match': etag } })).statusCode, 204, 'deleted for good from the trash')
  t.same((await call(app, 'GET', '/v1/trash')).body.data, [])
  t.equal((await call(app, 'POST', `/v1/articles/${story.id as string}/restore`)).status, 404)
})

t.test('REQUIRE_IF_MATCH=published counts a restore of a published story', async (t) => {
  const app = await buildTestApp(t, { ...noScheduler, REQUIRE_IF_MATCH: 'published' })
  const story = await createArticle(app, { status: 'published' })
  const draft = await createArticle(app)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${story.id as string}`, headers: { 'if-match': '*' } })).statusCode, 204)
  t.equal((await call(app, 'DELETE', `/v1/articles/${draft.id as string}`)).status, 204, 'a draft needs none')
  assertProblem(t, await app.inject({ method: 'POST', url: `/v1/articles/${story.id as string}/restore` }), 428, 'PRECONDITION_REQUIRED')
  t.equal((await call(app, 'POST', `/v1/articles/${draft.id as string}/restore`)).status, 200)
})

t.test('only admins delete for good; editors trash and restore; integrators read the trash', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const [editor, integrator, reader] = [await keyOf(app, 'editor'), await keyOf(app, 'integrator'), await keyOf(app, 'reader')]
  const { story, linking } = await richStory(app)
  const refused = await as(app, editor, 'DELETE', `/v1/articles/${story.id as string}?permanent=true`)
  assertProblem(t, refused, 403, 'FORBIDDEN')
  t.equal((await call(app, 'GET', `/v1/articles/${story.id as string}`)).status, 200, 'still there')
  t.equal((await as(app, editor, 'DELETE', `/v1/articles/${story.id as string}`)).statusCode, 204, 'an editor trashes')
  t.match((await as(app, integrator, 'GET', '/v1/trash')).json().data, [{ id: story.id, deletedBy: 'editor key' }], 'an integrator reads the trash')
  t.equal((await as(app, reader, 'GET', '/v1/trash')).statusCode, 403, 'a reader does not')
  t.equal((await getWithoutKey(app, '/v1/trash')).statusCode, 401)
  t.equal((await as(app, integrator, 'POST', `/v1/articles/${story.id as string}/restore`)).statusCode, 403, 'an integrator does not restore')
  assertProblem(t, await as(app, editor, 'DELETE', `/v1/articles/${story.id as string}?permanent=true`), 403, 'FORBIDDEN')
  t.equal((await as(app, editor, 'POST', `/v1/articles/${story.id as string}/restore`)).statusCode, 200, 'an editor restores')

  // An admin deletes a live story for good: links to it go in the same transaction.
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}?permanent=true`)).status, 204)
  t.equal((await call(app, 'GET', `/v1/articles/${story.id as string}`)).status, 404)
  t.same((await call(app, 'GET', '/v1/trash')).body.data, [], 'not in the trash')
  t.same((await call(app, 'GET', `/v1/articles/${linking.id as string}`)).body.body.map((block: Json) => block.type), ['paragraph'], 'the link is gone from the database')
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'Slug free again', slug: story.slug })).status, 201, 'its slug is free')
  t.same((await changesOf(app, story.id))[0].action, 'deleted')
})

t.test('the trash lists most recently trashed first, keyset-paged; trashed drafts and scheduled stories stay as they were', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const draft = await createArticle(app, { headline: 'A draft' })
  const scheduled = await createArticle(app, { status: 'scheduled', scheduledAt: new Date(Date.now() - 1000).toISOString() })
  const published = await createArticle(app, { status: 'published' })
  for (const story of [draft, scheduled, published]) t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}`)).status, 204)
  const first = (await call(app, 'GET', '/v1/trash?limit=2')).body
  t.same(first.data.map((item: Json) => item.id), [published.id, scheduled.id])
  const second = (await call(app, 'GET', `/v1/trash?limit=2&cursor=${first.nextCursor as string}`)).body
  t.same(second.data.map((item: Json) => item.id), [draft.id])
  t.equal(second.nextCursor, null)
  t.equal((await call(app, 'GET', `/v1/trash?cursor=${first.nextCursor as string}x`)).status, 400, 'a cursor it did not issue')

  const scheduler = createScheduler({ prisma: app.db.prisma, writes: app.services.writes })
  t.equal(await scheduler.tick(), 0, 'a trashed story that falls due is not published')
  t.equal((await call(app, 'POST', `/v1/articles/${scheduled.id as string}/restore`)).body.status, 'scheduled', 'restored as it was')
  t.equal(await scheduler.tick(), 1, 'and published once restored')
  const draftChanges = (await changesOf(app, draft.id)).map((change: Json) => change.action)
  t.same(draftChanges, ['trashed', 'created'])
  const publicSync = (await getWithoutKey(app, '/v1/sync?limit=500')).json().items
  t.notOk(publicSync.some((item: Json) => item.id === draft.id), 'the public never hears of a trashed draft')
})

t.test('the scheduler purges what has been in the trash longer than TRASH_RETENTION_DAYS, once', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const { story, linking } = await richStory(app)
  const recent = await createArticle(app)
  for (const id of [story.id, recent.id]) t.equal((await call(app, 'DELETE', `/v1/articles/${id as string}`)).status, 204)
  // Trashed 31 days ago (written directly: the clock is not the test's).
  await app.db.prisma.article.update({ where: { id: story.id }, data: { deletedAt: new Date(Date.now() - 31 * 86_400_000) } })

  t.equal(await createScheduler({ prisma: app.db.prisma, writes: app.services.writes, trashRetentionDays: 0 }).tick(), 0, '0 keeps the trash for good')
  const schedulers = [1, 2].map(() => createScheduler({ prisma: app.db.prisma, writes: app.services.writes, trashRetentionDays: 30 }))
  const purged = await Promise.all(schedulers.map(async (scheduler) => await scheduler.tick()))
  t.same(purged.sort(), [0, 1], 'purged by one of two ticks at once')
  t.same((await call(app, 'GET', '/v1/trash')).body.data.map((item: Json) => item.id), [recent.id], 'the recent one stays')
  t.equal(await app.db.prisma.article.count({ where: { id: story.id } }), 0, 'gone from the database')
  t.equal(await app.db.prisma.bodyBlock.count({ where: { targetArticleId: story.id } }), 0, 'with the links to it')
  t.equal((await call(app, 'GET', `/v1/articles/${linking.id as string}`)).body.body.length, 1)
  t.match((await changesOf(app, story.id))[0], { action: 'deleted', apiKeyId: null, method: null }, 'the server\'s change, in the audit trail')
  t.equal(await schedulers[0]!.tick(new Date(Date.now() + 29 * 86_400_000)), 0, 'the recent one is not due yet')
  t.equal(await schedulers[0]!.tick(new Date(Date.now() + 31 * 86_400_000)), 1, 'then it is')
})

t.test('webhooks: trashing a published story is article.deleted, restoring it article.published; drafts make none', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const webhook = (await call(app, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['article.published', 'article.updated', 'article.deleted', 'article.unpublished'], active: true })).body
  const { story, linking } = await richStory(app)
  const draft = await createArticle(app)
  const before = (await app.db.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id }, select: { position: true } })).length
  await call(app, 'DELETE', `/v1/articles/${story.id as string}`)
  await call(app, 'DELETE', `/v1/articles/${draft.id as string}`)
  await call(app, 'POST', `/v1/articles/${story.id as string}/restore`)
  await call(app, 'POST', `/v1/articles/${draft.id as string}/restore`)
  await call(app, 'DELETE', `/v1/articles/${story.id as string}`)
  await call(app, 'DELETE', `/v1/articles/${story.id as string}?permanent=true`)
  const events = (await app.db.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id }, orderBy: { position: 'asc' }, select: { eventType: true, payload: true } }))
    .slice(before).map((delivery) => ({ type: delivery.eventType, ...JSON.parse(delivery.payload).data }))
  t.match(events, [
    { type: 'article.deleted', id: story.id },
    { type: 'article.updated', id: linking.id, cause: { resource: 'article', id: story.id, action: 'trashed' } },
    { type: 'article.published', id: story.id },
    { type: 'article.updated', id: linking.id, cause: { action: 'restored' } },
    { type: 'article.deleted', id: story.id },
    { type: 'article.updated', id: linking.id, cause: { action: 'trashed' } },
    { type: 'article.updated', id: linking.id, cause: { action: 'deleted' } }
  ], 'the permanent delete of a trashed story is no second article.deleted (its public form was gone already); the linking story, which loses the link, is updated')
  t.equal(events.length, 7)
})
