// Bulk NDJSON: GET /v1/export streams every author, image and story; POST
// /v1/import reads them back. The property that matters: an export imported
// into an empty database gives the same content (and exports the same bytes),
// and a bad line is reported, not written, without stopping the others.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, createImage, getWithoutKey } from './helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

async function exportLines (app: FastifyInstance, query = ''): Promise<Json[]> {
  const response = await app.inject({ method: 'GET', url: `/v1/export${query}` })
  if (response.statusCode !== 200) throw new Error(`export answered ${response.statusCode}: ${response.body}`)
  return response.body.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line))
}

async function importLines (app: FastifyInstance, lines: Array<Json | string>, query = ''): Promise<{ status: number, body: Json }> {
  const payload = lines.map((line) => typeof line === 'string' ? line : JSON.stringify(line)).join('\n') + '\n'
  const response = await app.inject({ method: 'POST', url: `/v1/import${query}`, headers: { 'content-type': 'application/x-ndjson' }, payload })
  return { status: response.statusCode, body: response.json() }
}

const records = (lines: Json[]): Json[] => lines.filter((line) => line.type !== 'header' && line.type !== 'end')

/** A newsroom's worth of content: every field, every block type, links both ways, a draft, an unpublished story, one in the trash. */
async function seed (app: FastifyInstance): Promise<{ stories: Json[], trashed: Json }> {
  const mara = await createAuthor(app, { name: 'Mara Lindqvist', title: 'Correspondent', organization: 'Continental Press', bio: 'Covers ports.', email: 'mara@example.org', url: 'https://example.org/mara' })
  const ines = await createAuthor(app, { name: 'Ines Varga' })
  const crane = await createImage(app, { caption: 'The crane at dawn.', width: 2000, height: 1333, credit: { photographer: 'Ines Varga', agency: 'Continental Press', copyright: '© Continental Press', license: 'Editorial use only' } })
  const quay = await createImage(app, { alt: null, caption: null, credit: {} })
  const first = await createArticle(app, {
    headline: 'Harbour crane returns to work after repairs',
    seoTitle: 'Harbour crane returns',
    dek: 'The port\'s largest crane lifted its first container in six weeks.',
    section: 'Regional',
    tags: ['Ports', 'Transport'],
    dateline: 'PORT ELSING, Norland',
    language: 'en-GB',
    status: 'published',
    leadImageId: crane.id,
    bylines: [{ authorId: mara.id }, { authorId: ines.id, role: 'photographer' }],
    body: [
      { type: 'paragraph', text: 'The crane, rebuilt after a gearbox failure, lifted its first container at dawn.' },
      { type: 'heading', text: 'What comes next', level: 3 },
      { type: 'quote', text: 'We are back to full speed.', attribution: 'The harbour master' },
      { type: 'ad_slot', slot: 'mid-1' },
      { type: 'image', imageId: quay.id },
      { type: 'related_link', url: 'https://port.example.org/schedule', text: 'The port\'s schedule' }
    ]
  })
  const second = await createArticle(app, { headline: 'Port traffic up for the third month', status: 'published', bylines: [{ authorId: mara.id }], body: [{ type: 'related_link', articleId: first.id, text: 'The crane is back' }] })
  // Links both ways: the first story links the second, which links the first.
  await call(app, 'PATCH', `/v1/articles/${first.id}`, { body: [...first.body.map(({ image, article, ...block }: Json) => block), { type: 'related_link', articleId: second.id, text: 'Traffic figures' }] })
  await call(app, 'PATCH', `/v1/articles/${second.id as string}`, { slug: 'port-traffic-rises-again', corrections: [{ text: 'An earlier version misstated the month.' }], editorsNote: 'Updated with the harbour\'s figures.' })
  const draft = await createArticle(app, { headline: 'Draft: dredging plans', body: [{ type: 'paragraph', text: 'Not ready yet.' }], status: 'scheduled', scheduledAt: '2030-01-01T06:00:00.000Z' })
  const unpublished = await createArticle(app, { headline: 'A story taken down', status: 'published' })
  await call(app, 'PATCH', `/v1/articles/${unpublished.id}`, { status: 'draft' })
  // In the trash, with a link to it from a published story (which stops resolving meanwhile).
  const trashed = await createArticle(app, { headline: 'A story in the trash', status: 'published', bylines: [{ authorId: ines.id }] })
  await call(app, 'PATCH', `/v1/articles/${second.id as string}`, { body: [{ type: 'related_link', articleId: first.id, text: 'The crane is back' }, { type: 'related_link', articleId: trashed.id, text: 'Trashed' }] })
  await call(app, 'DELETE', `/v1/articles/${trashed.id as string}`)
  return { stories: [first, second, draft, unpublished], trashed }
}

t.test('an export imported into an empty database gives the same content, and exports the same records', async (t) => {
  const source = await buildTestApp(t)
  const { stories, trashed } = await seed(source)
  const exported = await exportLines(source)
  t.match(exported[0], { type: 'header', data: { format: 'newsroom-cms-ndjson', version: 1, exportedAt: String, syncToken: String } }, 'a header first')
  t.same(exported.at(-1), { type: 'end', data: { authors: 2, images: 2, articles: 5 } }, 'an end line with the counts last')
  t.same(records(exported).map((line) => line.type), ['author', 'author', 'image', 'image', 'article', 'article', 'article', 'article', 'article'], 'authors, images, stories')
  t.same(records(exported).filter((line) => line.type === 'article').map((line) => line.data.id), [...stories, trashed].map((story) => story.id), 'stories oldest first')
  t.same(records(exported).filter((line) => line.type === 'article').map((line) => line.data.deletedAt === null), [true, true, true, true, false], 'the trashed one with its deletedAt')
  t.equal(records(exported)[0].data.email, 'mara@example.org', 'contact details are kept')

  const target = await buildTestApp(t)
  const imported = await importLines(target, exported)
  t.equal(imported.status, 200)
  t.same(imported.body.counts, { created: 9, replaced: 0, unchanged: 0, skipped: 2, failed: 0 }, 'every record created; header and end skipped')
  t.same(imported.body.lines.map((line: Json) => line.line), exported.map((_line, index) => index + 1), 'every line reported, in order')

  t.same(records(await exportLines(target)), records(exported), 'the import exports the same records: ids, slugs, dates, bodies, block ids')
  // Versions count the edits each database saw (an import is one): everything else is the same.
  const content = ({ version, ...rest }: Json): Json => rest
  for (const story of stories) {
    t.same(content((await call(target, 'GET', `/v1/articles/${story.id}`)).body), content((await call(source, 'GET', `/v1/articles/${story.id}`)).body), `story "${story.headline as string}" reads the same`)
  }
  const trash = async (app: FastifyInstance): Promise<Json> => (await call(app, 'GET', '/v1/trash')).body.data.map(({ version, deletedBy, ...rest }: Json) => rest)
  t.same(await trash(target), await trash(source), 'the trashed story is in the trash there too')
  t.equal((await getWithoutKey(target, `/v1/articles/${trashed.id as string}`)).statusCode, 404, 'and hidden')
  const publicRead = async (app: FastifyInstance, slug: string): Promise<string> => (await getWithoutKey(app, `/v1/article-by-slug/${slug}`)).body
  t.same(content(JSON.parse(await publicRead(target, stories[0].slug))), content(JSON.parse(await publicRead(source, stories[0].slug))), 'the public JSON of a published story is the same')
  t.equal((await getWithoutKey(target, `/v1/articles/${stories[2].id as string}`)).statusCode, 404, 'a scheduled story stays under embargo')
  t.equal((await getWithoutKey(target, '/v1/article-by-slug/port-traffic-up-for-the-third-month')).headers.location, '/v1/article-by-slug/port-traffic-rises-again', 'old slugs come along')

  const created = (await call(target, 'GET', '/v1/audit?resource=article&limit=100')).body.data.find((change: Json) => change.action === 'created')
  t.match(created, { action: 'created', method: 'POST', path: '/v1/import', status: 200 }, 'a story the import created: the import answered 200, not 201')

  // Again: nothing is written twice.
  const changesBefore = (await call(target, 'GET', '/v1/audit?limit=100')).body.data.length
  const again = await importLines(target, exported)
  t.same(again.body.counts, { created: 0, replaced: 0, unchanged: 9, skipped: 2, failed: 0 }, 'imported twice: every record unchanged')
  t.equal((await call(target, 'GET', '/v1/audit?limit=100')).body.data.length, changesBefore, 'and no change written')
})

t.test('a record with a deletedAt moves the stored story to the trash, one without takes it back out, as the API would', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published', headline: 'Imported in and out of the trash' })
  const record = records(await exportLines(app)).find((line) => line.type === 'article' && line.data.id === story.id)
  t.equal(record.data.deletedAt, null)
  const trashed = await importLines(app, [{ ...record, data: { ...record.data, deletedAt: '2026-11-01T00:00:00.000Z' } }])
  t.same(trashed.body.counts, { created: 0, replaced: 1, unchanged: 0, skipped: 0, failed: 0 })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode, 404, 'gone for the public')
  t.match((await call(app, 'GET', '/v1/trash')).body.data, [{ id: story.id, deletedAt: '2026-11-01T00:00:00.000Z' }], 'in the trash')
  t.same(records(await exportLines(app)).find((line) => line.data.id === story.id).data.deletedAt, '2026-11-01T00:00:00.000Z')
  const kept = await importLines(app, [{ ...record, data: { ...record.data, deletedAt: undefined, headline: 'Still trashed' } }])
  t.same(kept.body.counts.replaced, 1)
  t.match((await call(app, 'GET', '/v1/trash')).body.data, [{ id: story.id, headline: 'Still trashed' }], 'a record without deletedAt keeps the stored one')
  const restored = await importLines(app, [{ ...record, data: { ...record.data, deletedAt: null } }])
  t.same(restored.body.counts.replaced, 1)
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id as string}`)).statusCode, 200, 'public again')
  const actions = (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${story.id as string}`)).body.data.map((change: Json) => change.action)
  t.same(actions.slice(0, 3), ['restored', 'replaced', 'trashed'])
})

t.test('each good line is written and each bad one reported, with its line, id and problem', async (t) => {
  const app = await buildTestApp(t)
  const taken = await createArticle(app, { headline: 'Already here', slug: 'already-here' })
  const lines = [
    { type: 'author', data: { id: 'author-1', name: 'Lena Holm' } },
    '{"type": "article", "data": ',
    { type: 'article', data: { id: 'story-1', headline: 'A good story', status: 'published', bylines: [{ authorId: 'author-1' }], body: [{ type: 'related_link', articleId: 'story-2', text: 'Linked both ways' }] } },
    { type: 'article', data: { id: 'story-2', headline: 'Another good story', status: 'published', body: [{ type: 'related_link', articleId: 'story-1', text: 'Linked both ways' }] } },
    { type: 'article', data: { id: 'story-3', headline: '' } },
    { type: 'article', data: { id: 'story-4', headline: 'By nobody', bylines: [{ authorId: 'nobody' }] } },
    { type: 'article', data: { id: 'story-5', headline: 'Links a bad story', body: [{ type: 'related_link', articleId: 'story-4', text: 'Bad' }] } },
    { type: 'article', data: { id: 'story-1', headline: 'The same id again' } },
    { type: 'article', data: { id: 'story-6', headline: 'Wants a taken slug', slug: 'already-here' } },
    { type: 'picture', data: { id: 'p' } },
    { type: 'author', data: { id: 'author-2', name: 'Bad\u0000name' } }
  ]
  const { status, body } = await importLines(app, lines)
  t.equal(status, 200)
  t.same(body.counts, { created: 3, replaced: 0, unchanged: 0, skipped: 0, failed: 8 })
  const byLine = new Map(body.lines.map((line: Json) => [line.line, line]))
  t.match(byLine.get(1), { type: 'author', id: 'author-1', status: 'created' })
  t.match(byLine.get(2), { type: null, id: null, status: 'failed', problem: { code: 'MALFORMED_JSON' } })
  t.match(byLine.get(3), { type: 'article', id: 'story-1', status: 'created' })
  t.match(byLine.get(4), { type: 'article', id: 'story-2', status: 'created' })
  t.match(byLine.get(5), { id: 'story-3', status: 'failed', problem: { code: 'VALIDATION_FAILED', errors: [{ path: 'data.headline' }] } })
  t.match(byLine.get(6), { id: 'story-4', status: 'failed', problem: { code: 'UNKNOWN_REFERENCE', errors: [{ path: 'data.bylines.0.authorId' }] } })
  t.match(byLine.get(7), { id: 'story-5', status: 'failed', problem: { code: 'UNKNOWN_REFERENCE', errors: [{ path: 'data.body.0.articleId' }] } }, 'a story linking a bad line is bad too')
  t.match(byLine.get(8), { id: 'story-1', status: 'failed', problem: { code: 'DUPLICATE_RECORD', errors: [{ path: 'data.id' }] } })
  t.match(byLine.get(9), { id: 'story-6', status: 'failed', problem: { code: 'SLUG_TAKEN', errors: [{ path: 'data.slug' }] } })
  t.match(byLine.get(10), { type: 'picture', status: 'failed', problem: { code: 'VALIDATION_FAILED', errors: [{ path: 'type' }] } })
  t.match(byLine.get(11), { id: 'author-2', status: 'failed', problem: { code: 'VALIDATION_FAILED', errors: [{ path: 'data.name' }] } })

  const story = (await call(app, 'GET', '/v1/articles/story-1')).body
  t.match(story, { headline: 'A good story', status: 'published', bylines: [{ authorId: 'author-1', author: { name: 'Lena Holm', slug: 'lena-holm' } }], body: [{ type: 'related_link', articleId: 'story-2', article: { slug: 'another-good-story' } }] })
  t.type(story.publishedAt, 'string', 'published now when the record names no date')
  t.match((await getWithoutKey(app, '/v1/article-by-slug/another-good-story')).json(), { body: [{ articleId: 'story-1', article: { headline: 'A good story' } }] }, 'the public JSON has the link written after both stories')
  for (const id of ['story-3', 'story-4', 'story-5', 'story-6']) t.equal((await call(app, 'GET', `/v1/articles/${id}`)).status, 404, `${id} was not written`)
  t.equal((await call(app, 'GET', `/v1/articles/${taken.id as string}`)).body.headline, 'Already here', 'the slug\'s owner is untouched')
})

t.test('atomic: one bad line and nothing is written; all good, all in one transaction', async (t) => {
  const app = await buildTestApp(t)
  const good = [
    { type: 'author', data: { id: 'a-1', name: 'Pia Strand' } },
    { type: 'article', data: { id: 's-1', headline: 'First of two', status: 'published', bylines: [{ authorId: 'a-1' }] } }
  ]
  const refused = await app.inject({
    method: 'POST',
    url: '/v1/import?atomic=true',
    headers: { 'content-type': 'application/x-ndjson' },
    payload: [...good, { type: 'article', data: { id: 's-2', headline: 'Second', leadImageId: 'no-such-image' } }].map((line) => JSON.stringify(line)).join('\n')
  })
  assertProblem(t, refused, 422, 'IMPORT_REJECTED')
  t.match(refused.json().lines, [{ line: 3, id: 's-2', status: 'failed', problem: { code: 'UNKNOWN_REFERENCE', errors: [{ path: 'data.leadImageId' }] } }], 'only the bad lines, each with its problem')
  t.equal((await call(app, 'GET', '/v1/authors/a-1')).status, 404, 'not even the good lines were written')
  t.same((await call(app, 'GET', '/v1/audit')).body.data.filter((change: Json) => change.resource !== 'api-key'), [], 'no change at all')

  const accepted = await importLines(app, good, '?atomic=true')
  t.equal(accepted.status, 200)
  t.match(accepted.body, { atomic: true, counts: { created: 2, failed: 0 } })
  const changes = (await call(app, 'GET', '/v1/audit')).body.data.filter((change: Json) => change.resource !== 'api-key')
  t.same(new Set(changes.map((change: Json) => change.requestId)).size, 1, 'both changes from the one request')
  t.equal((await getWithoutKey(app, '/v1/article-by-slug/first-of-two')).statusCode, 200, 'the story is public')
})

t.test('a record with a stored id replaces it, and the sync feed and public JSON follow', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app, { name: 'Ada Reporter' })
  const story = await createArticle(app, { headline: 'Before the import', status: 'published', bylines: [{ authorId: author.id }], tags: ['Old'] })
  const [header, ...rest] = await exportLines(app, '?types=article')
  t.same(rest.map((line) => line.type), ['article', 'end'], 'types= narrows the export')
  t.same(rest.at(-1).data, { authors: 0, images: 0, articles: 1 })

  const { body } = await importLines(app, [{ type: 'article', data: { ...rest[0].data, headline: 'After the import', tags: ['New'], updatedAt: undefined } }])
  t.match(body.lines, [{ id: story.id, status: 'replaced' }])
  const now = (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body
  t.match(now, { headline: 'After the import', tags: ['New'], slug: story.slug, publishedAt: story.publishedAt, createdAt: story.createdAt }, 'slug and dates kept')
  t.ok(Date.parse(now.updatedAt) > Date.parse(story.updatedAt), 'updatedAt is the import\'s time when the record names none')
  t.match((await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}`)).json(), { headline: 'After the import' }, 'the public JSON follows')
  const synced = (await getWithoutKey(app, `/v1/sync?syncToken=${header.data.syncToken as string}`)).json()
  t.match(synced.items, [{ type: 'article', id: story.id, data: { headline: 'After the import' } }], 'the export\'s sync token then gives what changed since')

  // Taken down by an import: the public form goes.
  await importLines(app, [{ type: 'article', data: { ...rest[0].data, status: 'draft' } }])
  t.equal((await getWithoutKey(app, `/v1/article-by-slug/${story.slug as string}`)).statusCode, 404)
})

t.test('the export reads in batches: more records than a batch, each once, in order', async (t) => {
  const app = await buildTestApp(t)
  const authors = Array.from({ length: 450 }, (_, index) => ({ type: 'author', data: { id: `author-${String(index).padStart(3, '0')}`, name: `Writer ${index}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() } }))
  const imported = await importLines(app, authors, '?atomic=true')
  t.equal(imported.body.counts.created, 450)
  const exported = records(await exportLines(app, '?types=author'))
  t.same(exported.map((line) => line.data.id), authors.map((line) => line.data.id), 'all 450, oldest first, none twice')
  t.same(new Set(exported.map((line) => line.data.slug)).size, 450, 'each with a slug of its own')
})

t.test('who may export and import, and what the import accepts', async (t) => {
  const app = await buildTestApp(t, { IMPORT_BODY_LIMIT: '2000' }, { as: 'anonymous' })
  const admin = { authorization: 'Bearer cms_test-admin-key-0123456789abcdef' }
  const keyFor = async (role: string): Promise<string> => (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: role, role } })).json().secret
  const editor = { authorization: `Bearer ${await keyFor('editor')}` }
  const reader = { authorization: `Bearer ${await keyFor('reader')}` }
  const integrator = { authorization: `Bearer ${await keyFor('integrator')}` }
  const ndjson = { 'content-type': 'application/x-ndjson' }

  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/export' }), 401, 'AUTHENTICATION_REQUIRED')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/export', headers: reader }), 403, 'FORBIDDEN')
  const exported = await app.inject({ method: 'GET', url: '/v1/export', headers: integrator })
  t.equal(exported.statusCode, 200, 'an integrator exports')
  t.match(exported.headers['content-type'], /^application\/x-ndjson/)
  t.match(exported.headers['content-disposition'], /^attachment; filename="export-\d{4}-\d{2}-\d{2}\.ndjson"$/)
  t.equal(exported.headers['cache-control'], 'private, no-store')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/export?types=article,comment', headers: integrator }), 400, 'VALIDATION_FAILED', ['query.types'])

  const line = JSON.stringify({ type: 'author', data: { id: 'x', name: 'X' } })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import', headers: { ...editor, ...ndjson }, payload: line }), 403, 'FORBIDDEN')
  const asJson = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...admin, 'content-type': 'application/json' }, payload: line })
  assertProblem(t, asJson, 415, 'UNSUPPORTED_MEDIA_TYPE')
  t.match(asJson.json().detail, /Content-Type: application\/x-ndjson.*sent application\/json/, 'the 415 says what to send')
  const asText = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...admin, 'content-type': 'text/plain' }, payload: line })
  assertProblem(t, asText, 415, 'UNSUPPORTED_MEDIA_TYPE')
  t.match(asText.json().detail, /Content-Type: application\/x-ndjson/, 'also when no route takes the type sent')
  const tooLarge = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...admin, ...ndjson }, payload: `${line}\n`.repeat(100) })
  assertProblem(t, tooLarge, 413, 'BODY_TOO_LARGE')
  t.match(tooLarge.json().detail, /IMPORT_BODY_LIMIT/, 'the 413 names the setting')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import?atomic=maybe', headers: { ...admin, ...ndjson }, payload: line }), 400, 'VALIDATION_FAILED', ['query.atomic'])
  const empty = await app.inject({ method: 'POST', url: '/v1/import', headers: { ...admin, ...ndjson }, payload: '\n\n' })
  t.match(empty.json(), { counts: { created: 0, failed: 0 }, lines: [] }, 'blank lines are nothing to do')
})
