// Revisions: every change to an article's content stores one, in the change's
// transaction; two revisions compare field by field and block by block; an
// earlier one can be put back, exactly.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor } from './helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const strip = ({ image, article, ...block }: Json): Json => block

t.test('every change to an article\'s content is a revision: who, when, what made it, the full content', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const author = await createAuthor(app, { name: 'Lena Holm' })
  const target = await createArticle(app, { headline: 'Linked story', status: 'published' })
  const story = await createArticle(app, { headline: 'First draft', body: [{ type: 'paragraph', text: 'One.' }] })
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Second draft' })
  await call(app, 'PUT', `/v1/articles/${story.id as string}/bylines`, { data: [{ authorId: author.id }] })
  await call(app, 'POST', `/v1/articles/${story.id as string}/related-links`, { articleId: target.id, text: 'Background' })
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'published' })

  const page = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions`)).body
  t.same(page.data.map((revision: Json) => [revision.version, revision.action]), [[5, 'published'], [4, 'updated'], [3, 'updated'], [2, 'updated'], [1, 'created']], 'one per change, newest first')
  t.ok(page.data.every((revision: Json) => revision.apiKeyName === 'Admin (ADMIN_API_KEY)' || typeof revision.apiKeyId === 'string'), 'each names the key that made it')
  const audit = (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${story.id as string}`)).body.data
  t.equal(page.data[0].changePosition, Number(audit[0].id), 'tied to its change in the log')
  t.same((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions?limit=2`)).body.data.map((revision: Json) => revision.version), [5, 4], 'paged')
  const second = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions?limit=2`)).body.nextCursor
  t.same((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions?limit=2&cursor=${second as string}`)).body.data.map((revision: Json) => revision.version), [3, 2])

  t.match((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/2`)).body, { version: 2, content: { headline: 'Second draft', bylines: [], status: 'draft' } })
  const latest = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/5`)).body.content
  const now = (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body
  t.match(latest, { id: story.id, headline: 'Second draft', status: 'published', publishedAt: now.publishedAt, updatedAt: now.updatedAt, bylines: [{ authorId: author.id, role: 'author' }] })
  t.same(latest.body, now.body.map(strip).map((block: Json) => block.type === 'related_link' ? { ...block } : block), 'the body as stored, block ids included')

  // A change made through another resource revises the articles it reaches into.
  t.equal((await call(app, 'DELETE', `/v1/authors/${author.id as string}?force=true`)).status, 204)
  t.match((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions`)).body.data[0], { version: 6, action: 'updated' }, 'a forced author delete took the byline off: a revision')
  t.same((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/6`)).body.content.bylines, [])

  assertProblem(t, (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/99`)).response, 404, 'NOT_FOUND')
  assertProblem(t, (await call(app, 'GET', '/v1/articles/nope/revisions')).response, 404, 'NOT_FOUND')
  assertProblem(t, (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/0`)).response, 400, 'VALIDATION_FAILED', ['params.version'])
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${story.id as string}/revisions`, headers: { authorization: '' } }), 401, 'AUTHENTICATION_REQUIRED')
})

t.test('the diff of two known revisions is exactly what changed: fields, and blocks added, removed, moved and changed', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const story = await createArticle(app, {
    headline: 'Harbour plan',
    body: ['a', 'b', 'c', 'd', 'e'].map((text) => ({ type: 'paragraph', text: `Paragraph ${text}.` }))
  })
  const [a, b, c, d, e] = story.body
  const edited = await call(app, 'PATCH', `/v1/articles/${story.id as string}`, {
    headline: 'Harbour plan approved',
    tags: ['Harbour'],
    // New first, then a, c (reworded), d, b (moved to the end); e removed.
    body: [{ type: 'paragraph', text: 'A new first paragraph.' }, strip(a), { ...strip(c), text: 'Paragraph c, reworded.' }, strip(d), strip(b)]
  })
  const added = edited.body.body[0]
  const diff = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/2/diff`)).body
  t.same(diff.fields, [{ field: 'headline', from: 'Harbour plan', to: 'Harbour plan approved' }, { field: 'tags', from: [], to: ['Harbour'] }], 'the fields that changed, nothing else')
  t.same(diff.body, [
    { change: 'removed', id: e.id, position: 4, block: strip(e) },
    { change: 'added', id: added.id, position: 0, block: strip(added) },
    { change: 'changed', id: c.id, from: strip(c), to: { ...strip(c), text: 'Paragraph c, reworded.' }, position: 2 },
    { change: 'moved', id: b.id, from: 1, to: 4 }
  ], 'blocks matched by id; only b moved')
  t.match(diff, { from: 1, to: 2 })
  const backwards = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/1/diff?from=2`)).body
  t.same(backwards.fields.map((change: Json) => [change.field, change.to]), [['headline', 'Harbour plan'], ['tags', []]], 'either way round')
  assertProblem(t, (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/1/diff`)).response, 404, 'NOT_FOUND')
})

t.test('restore gives back the exact earlier content, as a new revision; slug and publication stay', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const author = await createAuthor(app)
  const other = await createAuthor(app)
  const original = await createArticle(app, {
    headline: 'Storm closes the coast road',
    dek: 'Crews expect to reopen it on Friday.',
    tags: ['Weather'],
    bylines: [{ authorId: author.id }],
    corrections: [{ text: 'The road is the 41, not the 14.', date: '2026-11-20T10:00:00.000Z' }],
    body: [{ type: 'paragraph', text: 'The coast road closed at noon.' }, { type: 'quote', text: 'Stay home.', attribution: 'Police' }]
  })
  await call(app, 'PATCH', `/v1/articles/${original.id as string}`, { headline: 'Coast road closed', dek: null, tags: [], bylines: [{ authorId: other.id }], corrections: [], body: [{ type: 'paragraph', text: 'Rewritten entirely.' }], status: 'published', slug: 'coast-road-closed' })
  const restored = await call(app, 'POST', `/v1/articles/${original.id as string}/revisions/1/restore`)
  t.equal(restored.status, 200)
  const [restoreChange] = (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${original.id as string}&limit=1`)).body.data
  t.match(restoreChange, { method: 'POST', status: 200 }, 'the audit trail shows the 200 the restore answered')
  t.equal(restored.response.headers.etag, `"${original.id as string}.v3"`, 'the new version\'s ETag')
  for (const field of ['headline', 'dek', 'tags', 'bylines', 'corrections', 'body', 'leadImageId', 'section', 'dateline', 'language']) {
    t.same(restored.body[field], original[field], `${field} as it was`)
  }
  t.match(restored.body, { slug: 'coast-road-closed', status: 'published', version: 3 }, 'slug and publication as they are now')
  const diff = (await call(app, 'GET', `/v1/articles/${original.id as string}/revisions/3/diff?from=1`)).body
  t.same(diff.body, [], 'the restored body is the original, block ids included')
  t.same(diff.fields.map((change: Json) => change.field).sort(), ['publishedAt', 'slug', 'status'], 'only the publication state and slug differ from the original')

  assertProblem(t, (await app.inject({ method: 'POST', url: `/v1/articles/${original.id as string}/revisions/1/restore`, headers: { 'if-match': `"${original.id as string}.v2"` } })), 412, 'PRECONDITION_FAILED')
  await call(app, 'DELETE', `/v1/authors/${other.id as string}?force=true`)
  assertProblem(t, (await call(app, 'POST', `/v1/articles/${original.id as string}/revisions/2/restore`)).response, 422, 'UNKNOWN_REFERENCE', ['body.bylines.0.authorId'])
  assertProblem(t, (await call(app, 'POST', `/v1/articles/${original.id as string}/revisions/42/restore`)).response, 404, 'NOT_FOUND')
})

t.test('50 concurrent PATCHes with one If-Match: one succeeds, the history has one new revision', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const story = await createArticle(app, { headline: 'Contested headline' })
  const etag = `"${story.id as string}.v1"`
  const responses = await Promise.all(Array.from({ length: 50 }, async (_, index) => await app.inject({ method: 'PATCH', url: `/v1/articles/${story.id as string}`, headers: { 'if-match': etag }, payload: { headline: `Editor ${index}'s headline` } })))
  t.same(responses.map((response) => response.statusCode).sort(), [200, ...Array(49).fill(412)], 'one 200, 49 412s')
  const winner = responses.find((response) => response.statusCode === 200)!.json()
  const history = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions`)).body.data
  t.same(history.map((revision: Json) => revision.version), [2, 1], 'exactly one new revision')
  t.equal((await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/2`)).body.content.headline, winner.headline, 'the winner\'s')
})

t.test('a revision previews byte for byte as the public JSON it had', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const author = await createAuthor(app, { name: 'Ines Varga' })
  const target = await createArticle(app, { headline: 'The earlier story', status: 'published' })
  const story = await createArticle(app, { headline: 'Ferry strike ends', status: 'published', bylines: [{ authorId: author.id }], body: [{ type: 'paragraph', text: 'Ferries run again.' }, { type: 'related_link', articleId: target.id, text: 'How it began' }] })
  const published = (await app.inject({ method: 'GET', url: `/v1/articles/${story.id as string}`, headers: { authorization: '' } })).body
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Ferry strike ends after nine days', body: [] })
  const preview = await app.inject({ method: 'GET', url: `/v1/articles/${story.id as string}/revisions/1/preview` })
  t.equal(preview.statusCode, 200)
  t.equal(preview.body, published, 'the same bytes readers got at version 1')
  t.equal((await app.inject({ method: 'GET', url: `/v1/articles/${story.id as string}/revisions/2/preview` })).json().headline, 'Ferry strike ends after nine days')
  await call(app, 'DELETE', `/v1/authors/${author.id as string}?force=true`)
  assertProblem(t, (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions/1/preview`)).response, 422, 'UNKNOWN_REFERENCE', ['content.bylines.0.authorId'])
})
