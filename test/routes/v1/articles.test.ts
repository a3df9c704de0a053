import t, { type Test } from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, createImage } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const isoTimestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

// Original, fictional copy. The paragraph uses curly quotes, an apostrophe and
// an em dash so that a lossy round trip through the database would show.
const unicodeParagraph = '“We kept the lamps lit until the last ferry came in,” said the harbour’s night warden — a claim the port office in Vellmoor later called ‘generous’.'

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Everything the API knows about articles, bodies included, in one comparable value. */
async function allArticles (app: FastifyInstance): Promise<Json[]> {
  const list = await call(app, 'GET', '/v1/articles?limit=100')
  if (list.status !== 200) throw new Error(`GET /v1/articles answered ${list.status}`)
  return await Promise.all(list.body.data.map(async (item: Json) => (await call(app, 'GET', `/v1/articles/${item.id as string}`)).body))
}

/** The list items of every article. */
async function allListItems (app: FastifyInstance): Promise<Json[]> {
  return (await call(app, 'GET', '/v1/articles?limit=100')).body.data
}

/** Sends a write that must be refused; checks the problem and that no article changed. */
async function rejected (
  t: Test, app: FastifyInstance, request: InjectOptions, status: number, code: string, paths: string[] = []
): Promise<Json> {
  const before = await allArticles(app)
  const response = await app.inject(request)
  assertProblem(t, response, status, code, paths)
  t.same(await allArticles(app), before, `${request.method} ${request.url} was refused and changed nothing`)
  return response.json()
}

const errorPaths = (problem: Json): string[] => (problem.errors ?? []).map((error: { path: string }) => error.path).sort()

/** A block as sent: the response block without its id and embedded objects. */
function asSent (block: Json): Json {
  const { id, image, article, ...fields } = block
  return fields
}

t.test('POST creates an article with defaults and a Location header', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'Tidewater council approves new sea wall' } })
  t.equal(response.statusCode, 201, 'created')
  const article = response.json()
  t.equal(response.headers.location, `/v1/articles/${article.id}`, 'Location points at the new article')
  t.type(article.id, 'string')
  t.same({ ...article, id: undefined, createdAt: undefined, updatedAt: undefined }, {
    id: undefined,
    slug: 'tidewater-council-approves-new-sea-wall',
    headline: 'Tidewater council approves new sea wall',
    seoTitle: null,
    dek: null,
    section: null,
    tags: [],
    dateline: null,
    language: 'en',
    status: 'draft',
    publishedAt: null,
    scheduledAt: null,
    expiresAt: null,
    displayUpdatedAt: null,
    editorsNote: null,
    corrections: [],
    leadImageId: null,
    leadImage: null,
    bylines: [],
    body: [],
    translationGroupId: null,
    translations: [],
    version: 1,
    createdAt: undefined,
    updatedAt: undefined
  }, 'every optional field has its default; the version starts at 1')
  t.match(article.createdAt, isoTimestamp, 'createdAt is an ISO timestamp')
  t.match(article.updatedAt, isoTimestamp, 'updatedAt is an ISO timestamp')

  const read = await call(app, 'GET', `/v1/articles/${article.id}`)
  t.equal(read.status, 200)
  t.same(read.body, article, 'GET by id returns what POST returned')
  const bySlug = await call(app, 'GET', `/v1/articles/slug/${article.slug}`)
  t.equal(bySlug.status, 200)
  t.same(bySlug.body, article, 'GET by slug returns the same article')
})

t.test('POST stores every field sent, unicode text included', async (t) => {
  const app = await buildTestApp(t)
  const payload = {
    headline: 'Night ferry keeps running as storm closes the Vellmoor bridge',
    slug: 'night-ferry-keeps-running',
    seoTitle: 'Night ferry keeps running — The Vellmoor Ledger',
    dek: 'The crossing stayed open for eleven hours while gusts shut the bridge.',
    section: 'Regional',
    tags: ['Transport', 'Weather'],
    dateline: 'VELLMOOR, Eastmarch',
    language: 'pt-BR',
    body: [{ type: 'paragraph', text: unicodeParagraph }]
  }
  const article = await createArticle(app, payload)
  const read = (await call(app, 'GET', `/v1/articles/${article.id}`)).body
  const { body: sentBody, ...scalars } = payload
  t.match(read, scalars, 'scalar fields are stored as sent')
  t.same(read.body.map(asSent), sentBody, 'the body is stored as sent')
  t.equal(read.body[0].text, unicodeParagraph, 'curly quotes and the em dash round-trip exactly')
  t.equal(read.seoTitle, 'Night ferry keeps running — The Vellmoor Ledger', 'the em dash in seoTitle round-trips')
})

t.test('slugs are derived from the headline: kebab-case, accents stripped, suffixed when taken', async (t) => {
  const app = await buildTestApp(t)
  const first = await createArticle(app, { headline: 'Fête in São Brâncio draws record crowds!' })
  const second = await createArticle(app, { headline: 'Fête in São Brâncio draws record crowds' })
  const third = await createArticle(app, { headline: 'FÊTE in São Brâncio — draws record crowds' })
  t.same([first.slug, second.slug, third.slug],
    ['fete-in-sao-brancio-draws-record-crowds', 'fete-in-sao-brancio-draws-record-crowds-2', 'fete-in-sao-brancio-draws-record-crowds-3'],
    'accents and punctuation go, -2 and -3 are appended')
  const apostrophe = await createArticle(app, { headline: 'The mayor’s last budget' })
  t.equal(apostrophe.slug, 'the-mayors-last-budget', 'an apostrophe does not split a word')
  const longHeadline = 'Residents of the lower harbour district gather every evening this week to debate whether the old customs house should become a library'
  const long = await createArticle(app, { headline: longHeadline })
  const fullSlug = 'residents-of-the-lower-harbour-district-gather-every-evening-this-week-to-debate-whether-the-old-customs-house-should-become-a-library'
  t.ok(fullSlug.startsWith(`${long.slug}-`), `a long headline is cut at a word boundary (${long.slug})`)
  t.ok(long.slug.length <= 80 && long.slug.length > 60, `to at most 80 characters, not much less (${long.slug.length})`)
  t.equal((await createArticle(app, { headline: longHeadline })).slug, `${long.slug}-2`, 'the cut slug also gets a suffix when taken')
  const noLatin = await createArticle(app, { headline: '港口新闻' })
  t.equal(noLatin.slug, 'article', 'a headline without Latin letters falls back to "article"')
})

t.test('an explicit slug that is taken is a 409 and stores nothing', async (t) => {
  const app = await buildTestApp(t)
  const existing = await createArticle(app, { headline: 'Orchard growers report early frost', slug: 'early-frost' })
  const other = await createArticle(app, { headline: 'Apple prices expected to climb' })

  await rejected(t, app, { method: 'POST', url: '/v1/articles', payload: { headline: 'Something else entirely', slug: 'early-frost' } },
    409, 'SLUG_TAKEN', ['body.slug'])
  t.equal((await allArticles(app)).length, 2, 'still two articles')

  await rejected(t, app, { method: 'PATCH', url: `/v1/articles/${other.id}`, payload: { slug: 'early-frost', dek: 'Would change' } },
    409, 'SLUG_TAKEN', ['body.slug'])
  await rejected(t, app, { method: 'PUT', url: `/v1/articles/${other.id}`, payload: { headline: 'Would change', slug: 'early-frost' } },
    409, 'SLUG_TAKEN', ['body.slug'])
  t.equal((await call(app, 'GET', `/v1/articles/${other.id}`)).body.slug, other.slug, 'the other article kept its slug')
  t.equal((await call(app, 'GET', '/v1/articles/slug/early-frost')).body.id, existing.id, 'the slug still belongs to the first article')
})

t.test('unknown ids and slugs are 404', async (t) => {
  const app = await buildTestApp(t)
  await createArticle(app, { slug: 'a-real-article' })
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/cm-no-such-article' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/slug/no-such-slug' }), 404, 'NOT_FOUND')
  await rejected(t, app, { method: 'PATCH', url: '/v1/articles/cm-no-such-article', payload: { dek: 'x' } }, 404, 'NOT_FOUND')
  await rejected(t, app, { method: 'PUT', url: '/v1/articles/cm-no-such-article', payload: { headline: 'x' } }, 404, 'NOT_FOUND')
  await rejected(t, app, { method: 'DELETE', url: '/v1/articles/cm-no-such-article' }, 404, 'NOT_FOUND')
})

t.test('PATCH changes only the fields sent; null clears; the slug stays unless sent', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app)
  const author = await createAuthor(app)
  const original = await createArticle(app, {
    headline: 'Lighthouse keeper retires after forty winters',
    seoTitle: 'Lighthouse keeper retires',
    dek: 'Ansel Brook tended the Skerry Point light since 1986.',
    section: 'People',
    tags: ['Coast', 'Profiles'],
    dateline: 'SKERRY POINT',
    language: 'en-GB',
    leadImageId: image.id,
    bylines: [{ authorId: author.id }],
    body: [{ type: 'paragraph', text: 'The lamp was first lit in 1871.' }]
  })
  await pause(5)

  const dek = await call(app, 'PATCH', `/v1/articles/${original.id}`, { dek: 'A corrected summary line.' })
  t.equal(dek.status, 200)
  t.equal(dek.body.dek, 'A corrected summary line.', 'the field sent changed')
  t.same({ ...dek.body, dek: original.dek, updatedAt: original.updatedAt, version: original.version }, original, 'every other field, body and byline included, is unchanged')
  t.equal(dek.body.version, original.version + 1, 'the version counts the edit')
  t.ok(dek.body.updatedAt > original.updatedAt, 'updatedAt moves forward')

  const cleared = await call(app, 'PATCH', `/v1/articles/${original.id}`, { section: null, leadImageId: null, seoTitle: null })
  t.equal(cleared.status, 200)
  t.match(cleared.body, { section: null, leadImageId: null, leadImage: null, seoTitle: null }, 'null clears fields')
  t.match(cleared.body, { dek: 'A corrected summary line.', dateline: 'SKERRY POINT', language: 'en-GB', tags: ['Coast', 'Profiles'] }, 'fields not sent are kept')
  t.equal(cleared.body.body.length, 1, 'the body is kept when not sent')
  t.equal(cleared.body.bylines.length, 1, 'the byline is kept when not sent')

  const renamed = await call(app, 'PATCH', `/v1/articles/${original.id}`, { headline: 'Skerry Point keeper hands over the keys' })
  t.equal(renamed.body.headline, 'Skerry Point keeper hands over the keys')
  t.equal(renamed.body.slug, original.slug, 'a new headline does not move the slug')

  const reslugged = await call(app, 'PATCH', `/v1/articles/${original.id}`, { slug: 'skerry-point-keeper' })
  t.equal(reslugged.body.slug, 'skerry-point-keeper', 'the slug changes when sent')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/slug/${original.slug}` }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'GET', '/v1/articles/slug/skerry-point-keeper')).body.id, original.id, 'found under the new slug')

  const sameSlug = await call(app, 'PATCH', `/v1/articles/${original.id}`, { slug: 'skerry-point-keeper' })
  t.equal(sameSlug.status, 200, 'sending the article\'s own slug is not a conflict')

  const tagged = await call(app, 'PATCH', `/v1/articles/${original.id}`, { tags: ['Maritime', 'Coast', 'Maritime', ' Coast ', 'History'] })
  t.same(tagged.body.tags, ['Maritime', 'Coast', 'History'], 'tags are trimmed and deduplicated, first occurrence order kept')

  const emptied = await call(app, 'PATCH', `/v1/articles/${original.id}`, { tags: [], body: [], bylines: [] })
  t.same([emptied.body.tags, emptied.body.body, emptied.body.bylines], [[], [], []], 'empty lists replace tags, body and byline')
})

t.test('PUT replaces the article: omitted optional fields are cleared, the slug is kept', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app)
  const author = await createAuthor(app)
  const original = await createArticle(app, {
    headline: 'Market square reopens after repaving',
    seoTitle: 'Market square reopens',
    dek: 'Stalls return to Dunhallow’s square on Saturday.',
    section: 'Local',
    tags: ['Dunhallow'],
    dateline: 'DUNHALLOW',
    language: 'fr',
    status: 'published',
    leadImageId: image.id,
    bylines: [{ authorId: author.id, role: 'reporting' }],
    body: [{ type: 'paragraph', text: 'The cobbles were relaid by hand.' }, { type: 'ad_slot', slot: 'top' }]
  })

  const replaced = await call(app, 'PUT', `/v1/articles/${original.id}`, { headline: 'Market square reopens; stalls return' })
  t.equal(replaced.status, 200)
  t.same({ ...replaced.body, updatedAt: undefined }, {
    ...original,
    headline: 'Market square reopens; stalls return',
    seoTitle: null,
    dek: null,
    section: null,
    tags: [],
    dateline: null,
    language: 'en',
    status: 'draft',
    leadImageId: null,
    leadImage: null,
    bylines: [],
    body: [],
    version: original.version + 1,
    updatedAt: undefined
  }, 'omitted fields are cleared; status back to draft; slug, createdAt and publishedAt kept; the version counts the edit')
  t.same((await call(app, 'GET', `/v1/articles/${original.id}`)).body, replaced.body, 'GET shows the replacement')

  const withSlug = await call(app, 'PUT', `/v1/articles/${original.id}`, { headline: 'Market square reopens', slug: 'market-square', section: 'Local', tags: ['Dunhallow', 'Dunhallow'] })
  t.match(withSlug.body, { slug: 'market-square', section: 'Local', tags: ['Dunhallow'], dek: null }, 'a PUT with a slug moves it; tags deduplicated')
})

t.test('publishedAt is set on first publication and kept afterwards', async (t) => {
  const app = await buildTestApp(t)
  const draft = await createArticle(app, { headline: 'Glassworks to reopen furnace' })
  t.equal(draft.publishedAt, null, 'a draft has no publishedAt')

  await pause(5)
  const before = new Date().toISOString()
  const published = await call(app, 'PATCH', `/v1/articles/${draft.id}`, { status: 'published' })
  const after = new Date().toISOString()
  t.equal(published.body.status, 'published')
  const firstPublishedAt = published.body.publishedAt
  t.match(firstPublishedAt, isoTimestamp, 'publishing sets publishedAt')
  t.ok(firstPublishedAt >= before && firstPublishedAt <= after, `publishedAt (${firstPublishedAt}) is the time of publishing`)
  t.ok(firstPublishedAt > draft.createdAt, 'not the creation time')

  await pause(10)
  const corrected = await call(app, 'PATCH', `/v1/articles/${draft.id}`, { dek: 'Correction: the furnace is the older of the two.' })
  t.equal(corrected.body.publishedAt, firstPublishedAt, 'a correction keeps publishedAt')
  const republishedNoop = await call(app, 'PATCH', `/v1/articles/${draft.id}`, { status: 'published' })
  t.equal(republishedNoop.body.publishedAt, firstPublishedAt, 'publishing again while published keeps publishedAt')

  const unpublished = await call(app, 'PATCH', `/v1/articles/${draft.id}`, { status: 'draft' })
  t.equal(unpublished.body.status, 'draft')
  t.equal(unpublished.body.publishedAt, firstPublishedAt, 'unpublishing keeps publishedAt')

  await pause(10)
  const republished = await call(app, 'PATCH', `/v1/articles/${draft.id}`, { status: 'published' })
  t.equal(republished.body.status, 'published')
  t.equal(republished.body.publishedAt, firstPublishedAt, 'republishing keeps the first publishedAt')

  const put = await call(app, 'PUT', `/v1/articles/${draft.id}`, { headline: 'Glassworks reopens furnace', status: 'published' })
  t.equal(put.body.publishedAt, firstPublishedAt, 'a PUT that publishes keeps the first publishedAt')

  const direct = await createArticle(app, { headline: 'Published on arrival', status: 'published' })
  t.equal(direct.status, 'published')
  t.match(direct.publishedAt, isoTimestamp, 'an article created published has publishedAt')
})

t.test('DELETE ?permanent=true answers 204, then the article is gone (test/trash.test.ts: without it, to the trash)', async (t) => {
  const app = await buildTestApp(t)
  const kept = await createArticle(app)
  const article = await createArticle(app, { slug: 'short-lived', bylines: [{ authorId: (await createAuthor(app)).id }], body: [{ type: 'paragraph', text: 'Gone soon.' }] })
  const deleted = await app.inject({ method: 'DELETE', url: `/v1/articles/${article.id}?permanent=true` })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '', 'no body')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${article.id}` }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/slug/short-lived' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/${article.id}` }), 404, 'NOT_FOUND')
  t.same((await allArticles(app)).map((a: Json) => a.id), [kept.id], 'only the other article is left')
  t.equal((await createArticle(app, { slug: 'short-lived' })).slug, 'short-lived', 'the slug is free again')
})

t.test('validation errors are 400 problem+json naming each field, and store nothing', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const existing = await createArticle(app, { headline: 'Existing story', body: [{ type: 'paragraph', text: 'Keep me.' }] })
  const post = (payload: object): InjectOptions => ({ method: 'POST', url: '/v1/articles', payload })

  await rejected(t, app, post({}), 400, 'VALIDATION_FAILED', ['body.headline'])
  await rejected(t, app, post({ headline: '   ' }), 400, 'VALIDATION_FAILED', ['body.headline'])
  await rejected(t, app, post({ headline: 42 }), 400, 'VALIDATION_FAILED', ['body.headline'])
  await rejected(t, app, post({ headline: 'x', status: 'retracted' }), 400, 'VALIDATION_FAILED', ['body.status'])
  await rejected(t, app, post({ headline: 'x', status: 'scheduled' }), 400, 'VALIDATION_FAILED', ['body.scheduledAt'])
  await rejected(t, app, post({ headline: 'x', publishedAt: 'yesterday' }), 400, 'VALIDATION_FAILED', ['body.publishedAt'])
  await rejected(t, app, post({ headline: 'x', corrections: [{ text: '' }] }), 400, 'VALIDATION_FAILED', ['body.corrections.0.text'])
  await rejected(t, app, post({ headline: 'x', language: 'Eastmarchian' }), 400, 'VALIDATION_FAILED', ['body.language'])
  await rejected(t, app, post({ headline: 'x', slug: 'Not A Slug' }), 400, 'VALIDATION_FAILED', ['body.slug'])
  await rejected(t, app, post({ headline: 'x', tags: ['Fine', '   '] }), 400, 'VALIDATION_FAILED', ['body.tags.1'])
  await rejected(t, app, post({ headline: 'x', tags: [7] }), 400, 'VALIDATION_FAILED', ['body.tags.0'])
  await rejected(t, app, post({ headline: 'x', foo: 'bar' }), 400, 'VALIDATION_FAILED', ['body.foo'])
  await rejected(t, app, post({ headline: 'x', bylines: [{ authorId: author.id, role: 'ghostwriter' }] }), 400, 'VALIDATION_FAILED', ['body.bylines.0.role'])
  await rejected(t, app, post({ headline: 'x', bylines: [{ authorId: author.id, nickname: 'Ed' }] }), 400, 'VALIDATION_FAILED', ['body.bylines.0.nickname'])
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'video', url: 'https://video.example.test/1' }] }), 400, 'VALIDATION_FAILED', ['body.body.0.type'])
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'paragraph', text: 'ok' }, { type: 'paragraph', text: '' }] }), 400, 'VALIDATION_FAILED', ['body.body.1.text'])
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'heading', text: 'Too deep', level: 7 }] }), 400, 'VALIDATION_FAILED', ['body.body.0.level'])
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'paragraph', text: 'ok', level: 2 }] }), 400, 'VALIDATION_FAILED', ['body.body.0.level'])
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'related_link', text: 'Read more', url: 'ftp://files.example.test/a' }] }), 400, 'VALIDATION_FAILED', ['body.body.0.url'])

  const both = await rejected(t, app, post({
    headline: 'x',
    body: [
      { type: 'paragraph', text: 'First.' },
      { type: 'related_link', text: 'Both targets', articleId: existing.id, url: 'https://elsewhere.example.test/story' }
    ]
  }), 400, 'VALIDATION_FAILED', ['body.body.1'])
  t.same(errorPaths(both), ['body.body.1'], 'only the related link with both targets is named')
  const neither = await rejected(t, app, post({ headline: 'x', body: [{ type: 'related_link', text: 'No target' }] }), 400, 'VALIDATION_FAILED', ['body.body.0'])
  t.same(errorPaths(neither), ['body.body.0'], 'the related link with no target is named')
  await rejected(t, app, post({ headline: 'x', body: [{ type: 'related_link', text: 'Null targets', articleId: null, url: null }] }), 400, 'VALIDATION_FAILED', ['body.body.0'])

  const patch = (payload: object): InjectOptions => ({ method: 'PATCH', url: `/v1/articles/${existing.id}`, payload })
  await rejected(t, app, patch({ status: 'live' }), 400, 'VALIDATION_FAILED', ['body.status'])
  await rejected(t, app, patch({ headline: '' }), 400, 'VALIDATION_FAILED', ['body.headline'])
  await rejected(t, app, patch({ slug: null }), 400, 'VALIDATION_FAILED', ['body.slug'])
  await rejected(t, app, patch({ body: [{ type: 'paragraph', text: 'Fine' }, { type: 'related_link', text: 'No target' }] }), 400, 'VALIDATION_FAILED', ['body.body.1'])
  await rejected(t, app, { method: 'PUT', url: `/v1/articles/${existing.id}`, payload: { dek: 'no headline' } }, 400, 'VALIDATION_FAILED', ['body.headline'])

  const several = await rejected(t, app, post({ status: 'gone', language: '??', wordCount: 3 }), 400, 'VALIDATION_FAILED')
  t.same(errorPaths(several), ['body.headline', 'body.language', 'body.status', 'body.wordCount'], 'every invalid field is named at once')

  t.equal((await allArticles(app)).length, 1, 'only the article created up front exists')
})

t.test('ids that do not exist are 422 UNKNOWN_REFERENCE naming each one', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const image = await createImage(app)
  const target = await createArticle(app, { headline: 'Link target' })

  const problem = await rejected(t, app, {
    method: 'POST',
    url: '/v1/articles',
    payload: {
      headline: 'Full of dangling references',
      leadImageId: 'cm-missing-lead-image',
      bylines: [{ authorId: author.id }, { authorId: 'cm-missing-author', role: 'contributor' }],
      body: [
        { type: 'image', imageId: image.id },
        { type: 'image', imageId: 'cm-missing-body-image' },
        { type: 'related_link', text: 'Fine link', articleId: target.id },
        { type: 'related_link', text: 'Dangling link', articleId: 'cm-missing-article' }
      ]
    }
  }, 422, 'UNKNOWN_REFERENCE')
  t.same(errorPaths(problem), ['body.body.1.imageId', 'body.body.3.articleId', 'body.bylines.1.authorId', 'body.leadImageId'],
    'each missing id is named by its field, the existing ones are not')
  const messageFor = (path: string): string => problem.errors.find((error: Json) => error.path === path).message
  t.match(messageFor('body.leadImageId'), 'cm-missing-lead-image', 'the message quotes the missing image id')
  t.match(messageFor('body.bylines.1.authorId'), 'cm-missing-author', 'the message quotes the missing author id')
  t.match(messageFor('body.body.1.imageId'), 'cm-missing-body-image', 'the message quotes the missing body image id')
  t.match(messageFor('body.body.3.articleId'), 'cm-missing-article', 'the message quotes the missing article id')
  t.equal((await allArticles(app)).length, 1, 'nothing was stored')

  const article = await createArticle(app, { headline: 'Edited later', body: [{ type: 'paragraph', text: 'Original.' }] })
  await rejected(t, app, { method: 'PATCH', url: `/v1/articles/${article.id}`, payload: { leadImageId: 'cm-missing-lead-image', dek: 'Would change' } },
    422, 'UNKNOWN_REFERENCE', ['body.leadImageId'])
  await rejected(t, app, { method: 'PATCH', url: `/v1/articles/${article.id}`, payload: { bylines: [{ authorId: 'cm-missing-author' }] } },
    422, 'UNKNOWN_REFERENCE', ['body.bylines.0.authorId'])
  await rejected(t, app, { method: 'PUT', url: `/v1/articles/${article.id}`, payload: { headline: 'Would change', body: [{ type: 'image', imageId: 'cm-missing-body-image' }] } },
    422, 'UNKNOWN_REFERENCE', ['body.body.0.imageId'])
})

t.test('an article cannot link to itself', async (t) => {
  const app = await buildTestApp(t)
  const other = await createArticle(app, { headline: 'A neighbour story' })
  const article = await createArticle(app, { headline: 'Self-referential', body: [{ type: 'paragraph', text: 'Before.' }] })
  const problem = await rejected(t, app, {
    method: 'PATCH',
    url: `/v1/articles/${article.id}`,
    payload: {
      body: [
        { type: 'related_link', text: 'Fine', articleId: other.id },
        { type: 'paragraph', text: 'After.' },
        { type: 'related_link', text: 'Myself', articleId: article.id }
      ]
    }
  }, 422, 'UNKNOWN_REFERENCE', ['body.body.2.articleId'])
  t.same(errorPaths(problem), ['body.body.2.articleId'], 'only the self link is named')
  await rejected(t, app, {
    method: 'PUT', url: `/v1/articles/${article.id}`, payload: { headline: 'Self-referential', body: [{ type: 'related_link', text: 'Myself', articleId: article.id }] }
  }, 422, 'UNKNOWN_REFERENCE', ['body.body.0.articleId'])
})

t.test('a mixed body comes back in order with every field and embedded object', async (t) => {
  const app = await buildTestApp(t)
  const both = await createImage(app, { caption: 'Crowds on the quay at dawn.', credit: { photographer: 'Ines Halloran', agency: 'Eastmarch Pictures', copyright: '© Eastmarch Pictures' } })
  const photographerOnly = await createImage(app, { credit: { photographer: 'Tomas Reyl' } })
  const agencyOnly = await createImage(app, { credit: { agency: 'Harbour Pool' } })
  const target = await createArticle(app, { headline: 'Earlier: the quay plan explained', slug: 'quay-plan-explained' })

  const sent = [
    { type: 'heading', text: 'What happened', level: 2 },
    { type: 'paragraph', text: unicodeParagraph },
    { type: 'image', imageId: both.id },
    { type: 'quote', text: 'It was the busiest night we have had in years.', attribution: 'Marit Osk, ferry captain' },
    { type: 'ad_slot', slot: 'mid-1' },
    { type: 'paragraph', text: 'By midnight the queue reached the fish market.' },
    { type: 'related_link', text: 'How the quay plan came about', articleId: target.id },
    { type: 'heading', text: 'What comes next', level: 3 },
    { type: 'image', imageId: photographerOnly.id },
    { type: 'related_link', text: 'The port authority’s statement', url: 'https://port.example.test/statement' },
    { type: 'quote', text: 'We will see.' },
    { type: 'ad_slot' },
    { type: 'image', imageId: agencyOnly.id },
    { type: 'heading', text: 'Default level' }
  ]
  const article = await createArticle(app, { headline: 'Ferry crowds fill the quay', body: sent })
  const read = (await call(app, 'GET', `/v1/articles/${article.id}`)).body
  t.same(read, article, 'GET returns what POST returned')

  const expected = sent.map((block) => {
    switch (block.type) {
      case 'heading': return { level: 2, ...block }
      case 'quote': return { attribution: null, ...block }
      case 'ad_slot': return { slot: null, ...block }
      case 'related_link': return { articleId: null, url: null, ...block }
      default: return block
    }
  })
  t.same(read.body.map(asSent), expected, 'same blocks, same order, defaults filled in')
  const ids = read.body.map((block: Json) => block.id)
  t.equal(new Set(ids).size, sent.length, 'every block has its own id')
  t.ok(ids.every((id: unknown) => typeof id === 'string' && id !== ''), 'ids are non-empty strings')

  t.same(read.body[2].image, both, 'an image block embeds the image as stored')
  t.equal(read.body[2].image.creditLine, 'Ines Halloran / Eastmarch Pictures', 'credit line is "Photographer / Agency"')
  t.equal(read.body[2].image.credit.copyright, '© Eastmarch Pictures', 'the full credit is embedded')
  t.equal(read.body[8].image.creditLine, 'Tomas Reyl', 'only the photographer when there is no agency')
  t.equal(read.body[12].image.creditLine, 'Harbour Pool', 'only the agency when there is no photographer')
  t.same(read.body[6].article, { id: target.id, slug: 'quay-plan-explained', headline: 'Earlier: the quay plan explained' }, 'a related link embeds the target article')
  t.equal(read.body[9].article, null, 'an external link embeds no article')

  const listed = (await allListItems(app)).find((a: Json) => a.id === article.id)
  const { body, ...summary } = read
  t.strictSame(listed, summary, 'the list item is the article without its body, every other field the same')
})

t.test('a related link shows the target article as it is now', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'Reservoir levels fall', slug: 'reservoir-levels-fall' })
  const source = await createArticle(app, {
    headline: 'Hosepipe ban considered',
    body: [{ type: 'paragraph', text: 'The water board meets on Thursday.' }, { type: 'related_link', text: 'Background', articleId: target.id }]
  })
  t.same(source.body[1].article, { id: target.id, slug: 'reservoir-levels-fall', headline: 'Reservoir levels fall' })

  await call(app, 'PATCH', `/v1/articles/${target.id}`, { headline: 'Reservoir levels fall to a ten-year low', slug: 'reservoir-ten-year-low' })
  const byId = (await call(app, 'GET', `/v1/articles/${source.id}`)).body
  t.same(byId.body[1].article, { id: target.id, slug: 'reservoir-ten-year-low', headline: 'Reservoir levels fall to a ten-year low' },
    'the embedded headline and slug follow the target\'s edit')
  t.equal(byId.body[1].id, source.body[1].id, 'the link block itself did not change')
  const bySlug = (await call(app, 'GET', `/v1/articles/slug/${source.slug}`)).body
  t.same(bySlug.body[1].article.headline, 'Reservoir levels fall to a ten-year low', 'also when read by slug')
})

t.test('the lead image is embedded with its credit and credit line', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app, { alt: 'A grey heron on a weir', width: 1600, height: 900, credit: { photographer: 'Lena Fosse', agency: 'Northwater Agency', license: 'Editorial use only' } })
  const article = await createArticle(app, { headline: 'Herons return to the mill weir', leadImageId: image.id })
  t.equal(article.leadImageId, image.id)
  t.same(article.leadImage, image, 'the whole image is embedded')
  t.same(article.leadImage.credit, { photographer: 'Lena Fosse', agency: 'Northwater Agency', copyright: null, license: 'Editorial use only' }, 'with its credit')
  t.equal(article.leadImage.creditLine, 'Lena Fosse / Northwater Agency', 'and its credit line')

  const other = await createImage(app, { credit: { agency: 'Northwater Agency' } })
  const swapped = await call(app, 'PATCH', `/v1/articles/${article.id}`, { leadImageId: other.id })
  t.equal(swapped.body.leadImage.id, other.id, 'PATCH swaps the lead image')
  t.equal(swapped.body.leadImage.creditLine, 'Northwater Agency', 'one-part credit line')
})

t.test('resending a block with its id keeps the id; ids from elsewhere are not reused', async (t) => {
  const app = await buildTestApp(t)
  const other = await createArticle(app, { headline: 'Another story', body: [{ type: 'paragraph', text: 'Not yours.' }] })
  const link = await createArticle(app, { headline: 'Link target' })
  const article = await createArticle(app, {
    headline: 'Edited body',
    body: [
      { type: 'paragraph', text: 'One.' },
      { type: 'related_link', text: 'See also', articleId: link.id },
      { type: 'paragraph', text: 'Three.' }
    ]
  })
  const [one, seeAlso, three] = article.body
  const foreignId = other.body[0].id

  const edited = await call(app, 'PATCH', `/v1/articles/${article.id}`, {
    body: [
      { id: seeAlso.id, type: 'related_link', text: 'See also (updated)', articleId: link.id },
      { id: one.id, type: 'paragraph', text: 'One, corrected.' },
      { type: 'paragraph', text: 'New.' },
      { id: foreignId, type: 'paragraph', text: 'Tries to take another article\'s block id.' },
      { id: one.id, type: 'paragraph', text: 'Same id twice.' }
    ]
  })
  t.equal(edited.status, 200, edited.response.body.slice(0, 300))
  const body = edited.body.body
  t.same(body.map((block: Json) => block.text), ['See also (updated)', 'One, corrected.', 'New.', 'Tries to take another article\'s block id.', 'Same id twice.'], 'new order and texts')
  t.equal(body[0].id, seeAlso.id, 'the related link kept its id')
  t.equal(body[1].id, one.id, 'the paragraph kept its id')
  const oldIds = [one.id, seeAlso.id, three.id, foreignId]
  t.notOk(oldIds.includes(body[2].id), 'a block sent without an id gets a new one')
  t.notOk(oldIds.includes(body[3].id), 'another article\'s block id is not reused')
  t.notOk(oldIds.includes(body[4].id), 'an id is kept at most once')
  t.equal(new Set(body.map((block: Json) => block.id)).size, 5, 'all ids distinct')
  t.same((await call(app, 'GET', `/v1/articles/${other.id}`)).body, other, 'the other article is untouched')

  const related = await call(app, 'GET', `/v1/articles/${article.id}/related-links`)
  t.same(related.body.data.map((l: Json) => l.id), [seeAlso.id], 'the related link is still addressable by its old id')
})

t.test('deleting a linked article removes the links to it and keeps the other blocks in order', async (t) => {
  const app = await buildTestApp(t)
  const doomed = await createArticle(app, { headline: 'Retracted story' })
  const survivor = await createArticle(app, { headline: 'Unrelated target' })
  const source = await createArticle(app, {
    headline: 'Follow-up coverage',
    body: [
      { type: 'paragraph', text: 'First.' },
      { type: 'related_link', text: 'Retracted', articleId: doomed.id },
      { type: 'paragraph', text: unicodeParagraph },
      { type: 'related_link', text: 'Still here', articleId: survivor.id },
      { type: 'related_link', text: 'Retracted again', articleId: doomed.id },
      { type: 'related_link', text: 'External', url: 'https://elsewhere.example.test/a' },
      { type: 'ad_slot', slot: 'bottom' }
    ]
  })
  await pause(5)

  const deleted = await app.inject({ method: 'DELETE', url: `/v1/articles/${doomed.id}?permanent=true` })
  t.equal(deleted.statusCode, 204, 'a linked article can be deleted')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${doomed.id}` }), 404, 'NOT_FOUND')

  const after = (await call(app, 'GET', `/v1/articles/${source.id}`)).body
  const kept = source.body.filter((block: Json) => block.articleId !== doomed.id)
  t.same(after.body, kept, 'the links to the deleted article are gone, the rest is unchanged and in order')
  t.same(after.body.map((block: Json) => block.text ?? block.slot), ['First.', unicodeParagraph, 'Still here', 'External', 'bottom'])
  t.ok(after.updatedAt > source.updatedAt, 'the linking article counts as updated')
  t.equal((await call(app, 'GET', `/v1/articles/${survivor.id}`)).status, 200, 'the other target is untouched')
})

t.test('GET /v1/articles filters by status and section', async (t) => {
  const app = await buildTestApp(t)
  const worldDraft = await createArticle(app, { section: 'World' })
  const worldPublished = await createArticle(app, { section: 'World', status: 'published' })
  const sportPublished = await createArticle(app, { section: 'Sport', status: 'published' })
  const noSection = await createArticle(app)
  const ids = async (query: string): Promise<string[]> => {
    const list = await call(app, 'GET', `/v1/articles${query}`)
    t.equal(list.status, 200, `GET ${query}`)
    return list.body.data.map((a: Json) => a.id).sort()
  }
  t.same(await ids(''), [worldDraft.id, worldPublished.id, sportPublished.id, noSection.id].sort(), 'no filter lists all')
  t.same(await ids('?status=published'), [worldPublished.id, sportPublished.id].sort(), 'status=published')
  t.same(await ids('?status=draft'), [worldDraft.id, noSection.id].sort(), 'status=draft')
  t.same(await ids('?section=World'), [worldDraft.id, worldPublished.id].sort(), 'section=World')
  t.same(await ids('?section=World&status=published'), [worldPublished.id], 'both filters at once')
  t.same(await ids('?section=Opinion'), [], 'a section with no articles')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles?status=retracted' }), 400, 'VALIDATION_FAILED', ['query.status'])
})

t.test('GET /v1/articles pages newest first with a cursor', async (t) => {
  const app = await buildTestApp(t)
  const created: Json[] = []
  for (let i = 0; i < 5; i++) created.push(await createArticle(app))
  const all = (await call(app, 'GET', '/v1/articles')).body
  t.equal(all.nextCursor, null, 'one page holds all five')
  const order = all.data.map((a: Json) => a.id)
  const sortedByNewest = [...all.data].sort((a: Json, b: Json) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((a: Json) => a.id)
  t.same(order, sortedByNewest, 'newest first, id breaking ties')

  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: Json = (await call(app, 'GET', `/v1/articles?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)).body
    t.ok(page.data.length <= 2, 'no page is longer than the limit')
    seen.push(...page.data.map((a: Json) => a.id))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null && pages < 10)
  t.equal(pages, 3, 'five articles in pages of two make three pages')
  t.same(seen, order, 'paging visits every article once, in list order')
  t.same(seen.slice().sort(), created.map((a) => a.id).sort(), 'and exactly the articles created')
})

t.test('list query validation', async (t) => {
  const app = await buildTestApp(t)
  await createArticle(app)
  for (const limit of ['0', '101', 'abc', '2.5', '-1']) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles?limit=${limit}` }), 400, 'VALIDATION_FAILED', ['query.limit'])
  }
  const badCursors = [
    'not-a-cursor',
    Buffer.from('{"createdAt":1}').toString('base64url'),
    Buffer.from('["2026-01-01T00:00:00.000Z"]').toString('base64url'),
    Buffer.from('["yesterday","abc"]').toString('base64url')
  ]
  for (const cursor of badCursors) {
    assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles?cursor=${cursor}` }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  }
  const limits = await call(app, 'GET', '/v1/articles?limit=1')
  t.equal(limits.body.data.length, 1, 'limit=1 is accepted')
  t.equal((await call(app, 'GET', '/v1/articles?limit=100')).status, 200, 'limit=100 is accepted')
})
