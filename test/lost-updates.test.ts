// No lost updates (issue 11): every article, author and image has a version,
// staff reads and writes carry it as a strong ETag, and PUT, PATCH and DELETE
// with an If-Match that no longer names it answer 412 and change nothing.
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, body, buildTestApp, call, createArticle, createAuthor, createImage, engineUnderTest, getWithoutKey } from './helper.ts'
import { expectedVersions } from '../src/routes/if-match.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const etagOf = (id: string, version: number): string => `"${id}.v${version}"`

/** A request with the admin's key and, when given, an If-Match header. */
async function send (app: FastifyInstance, method: Method, url: string, { ifMatch, payload }: { ifMatch?: string, payload?: object } = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch }, ...(payload !== undefined && { payload }) })
}

/** A 412 that says where the resource is now. */
function assertStale (t: Test, response: LightMyRequestResponse, id: string, version: number): void {
  assertProblem(t, response, 412, 'PRECONDITION_FAILED')
  t.equal(body(response).currentVersion, version, 'the problem names the current version')
  t.equal(body(response).currentEtag, etagOf(id, version), 'and its ETag')
}

t.test('staff reads and writes carry the version as a strong ETag; public reads keep the ETag of their bytes', async (t) => {
  const app = await buildTestApp(t)
  const created = await send(app, 'POST', '/v1/articles', { payload: { headline: 'Ferry timetable changes for winter', body: [{ type: 'related_link', url: 'https://example.org/', text: 'Elsewhere' }] } })
  const article = body(created)
  t.equal(article.version, 1, 'a new article is at version 1')
  t.equal(created.headers.etag, etagOf(article.id, 1), 'POST answers with the ETag')

  for (const url of [`/v1/articles/${article.id}`, `/v1/article-by-slug/${article.slug}`, `/v1/articles/${article.id}/bylines`, `/v1/articles/${article.id}/related-links`]) {
    t.equal((await send(app, 'GET', url)).headers.etag, etagOf(article.id, 1), `GET ${url} answers with the article's ETag`)
  }
  t.equal((await send(app, 'GET', `/v1/articles/${article.id}?format=ninjs`)).headers.etag, undefined, 'another format is another representation: no version ETag')

  const published = await send(app, 'PATCH', `/v1/articles/${article.id}`, { payload: { status: 'published' } })
  t.equal(published.headers.etag, etagOf(article.id, 2), 'publishing is a change: version 2')
  const publicRead = await getWithoutKey(app, `/v1/articles/${article.id}`)
  t.equal(publicRead.statusCode, 200)
  t.match(publicRead.headers.etag, /^"[\w-]{27}"$/, 'a public read sends the hash of the stored bytes')
  t.not(publicRead.headers.etag, etagOf(article.id, 2))
  t.equal(publicRead.json().version, 2, 'the public form shows the version too')
  t.equal((await getWithoutKey(app, `/v1/articles/${article.id}/bylines`)).headers.etag, undefined, 'no version ETag for the public')

  const withPublicEtag = await send(app, 'PATCH', `/v1/articles/${article.id}`, { ifMatch: String(publicRead.headers.etag), payload: { dek: 'A new summary.' } })
  assertStale(t, withPublicEtag, article.id, 2)
})

t.test('PATCH with the current If-Match succeeds and moves the ETag on; a stale one is a 412 that changes nothing', async (t) => {
  const app = await buildTestApp(t)
  const article = await createArticle(app, { headline: 'Harbour dredging starts in spring' })
  const url = `/v1/articles/${article.id}`

  const first = await send(app, 'PATCH', url, { ifMatch: etagOf(article.id, 1), payload: { dek: 'The first editor\'s summary.' } })
  t.equal(first.statusCode, 200)
  t.equal(body(first).version, 2)
  t.equal(first.headers.etag, etagOf(article.id, 2), 'the new ETag')

  // A second editor who read version 1 saves after the first.
  for (const method of ['PATCH', 'PUT'] as const) {
    const stale = await send(app, method, url, { ifMatch: etagOf(article.id, 1), payload: { headline: 'The second editor\'s headline', dek: 'The second editor\'s summary.' } })
    assertStale(t, stale, article.id, 2)
  }
  const now = (await call(app, 'GET', url)).body
  t.match(now, { version: 2, headline: 'Harbour dredging starts in spring', dek: 'The first editor\'s summary.' }, 'nothing of the stale writes was stored')

  const readAgain = await send(app, 'GET', url)
  const retried = await send(app, 'PUT', url, { ifMatch: String(readAgain.headers.etag), payload: { headline: 'The second editor\'s headline' } })
  t.equal(retried.statusCode, 200, 'after reading again, the write goes through')
  t.equal(retried.headers.etag, etagOf(article.id, 3))

  // Checked before the content: a stale write naming a missing author is a 412, not a 422.
  const staleAndWrong = await send(app, 'PATCH', url, { ifMatch: etagOf(article.id, 2), payload: { bylines: [{ authorId: 'no-such-author' }] } })
  assertStale(t, staleAndWrong, article.id, 3)
  assertProblem(t, await send(app, 'PATCH', '/v1/articles/no-such-article', { ifMatch: etagOf('no-such-article', 1), payload: { dek: 'x' } }), 404, 'NOT_FOUND')
})

t.test('If-Match: * matches any version; weak, foreign and malformed ETags never match', async (t) => {
  const app = await buildTestApp(t)
  const article = await createArticle(app)
  const url = `/v1/articles/${article.id}`
  const patch = async (ifMatch: string): Promise<LightMyRequestResponse> => await send(app, 'PATCH', url, { ifMatch, payload: { dek: `Sent with ${ifMatch}` } })

  t.equal((await patch('*')).statusCode, 200, '* matches')
  for (const ifMatch of [`W/${etagOf(article.id, 2)}`, etagOf('another-article', 2), `"${article.id}.v02"`, `${article.id}.v2`, 'garbage', '"unterminated', `"x", ${etagOf(article.id, 2)} junk`, '', '*, *']) {
    assertStale(t, await patch(ifMatch), article.id, 2)
  }
  const listed = await patch(`"somewhere-else", ${etagOf(article.id, 1)},${etagOf(article.id, 2)}`)
  t.equal(listed.statusCode, 200, 'a list matches when one of its ETags is current')
  assertProblem(t, await patch(`"${'x'.repeat(1001)}"`), 400, 'VALIDATION_FAILED', ['headers.if-match'])
  assertProblem(t, await send(app, 'DELETE', '/v1/articles/no-such-article', { ifMatch: '*' }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'GET', url)).body.version, 3, 'only the matching writes counted')
})

t.test('If-Match, read as a list of entity-tags (RFC 9110 strong comparison)', async (t) => {
  t.equal(expectedVersions(undefined, 'a1'), undefined, 'no header: nothing expected')
  t.equal(expectedVersions(' * ', 'a1'), 'any')
  t.same(expectedVersions('"a1.v3"', 'a1'), [3])
  t.same(expectedVersions(' "a1.v3" , "b2.v4",,"a1.v12", ', 'a1'), [3, 12], 'whitespace and empty elements are fine; other ids are left out')
  t.same(expectedVersions('W/"a1.v3"', 'a1'), [], 'a weak ETag never matches')
  t.same(expectedVersions('"a1.v3", nonsense', 'a1'), [], 'a header that is not a list of ETags matches nothing')
  t.same(expectedVersions('"a1.v0"', 'a1'), [], 'versions start at 1')
  t.same(expectedVersions(`"a1.v${'9'.repeat(16)}"`, 'a1'), [], 'numbers beyond any version')
  t.same(expectedVersions('"a.b.v7"', 'a.b'), [7], 'the version is what follows the last ".v"')
})

t.test('DELETE with a stale If-Match is a 412 and the article, author or image is still there', async (t) => {
  const app = await buildTestApp(t)
  const resources = [
    ['articles', await createArticle(app)],
    ['authors', await createAuthor(app)],
    ['images', await createImage(app)]
  ] as const
  for (const [collection, item] of resources) {
    const url = `/v1/${collection}/${item.id}`
    const edited = await send(app, 'PATCH', url, { ifMatch: etagOf(item.id, 1), payload: collection === 'images' ? { caption: 'Recaptioned.' } : collection === 'authors' ? { title: 'Editor' } : { dek: 'Edited.' } })
    t.equal(edited.statusCode, 200, `${collection}: PATCH with the current ETag`)
    t.equal(edited.headers.etag, etagOf(item.id, 2))
    assertStale(t, await send(app, 'DELETE', url, { ifMatch: etagOf(item.id, 1) }), item.id, 2)
    t.equal((await call(app, 'GET', url)).status, 200, `${collection}: still there`)
    t.equal((await send(app, 'DELETE', url, { ifMatch: etagOf(item.id, 2) })).statusCode, 204, `${collection}: DELETE with the current ETag`)
    t.equal((await call(app, 'GET', url)).status, 404, `${collection}: gone`)
  }
})

t.test('authors and images: versions, ETags and 412s as for articles', async (t) => {
  const app = await buildTestApp(t)
  for (const [collection, create, change] of [
    ['authors', createAuthor, { title: 'Night editor' }],
    ['images', createImage, { alt: 'A ferry at dawn' }]
  ] as const) {
    const created = await create(app)
    const url = `/v1/${collection}/${created.id}`
    t.equal(created.version, 1, `${collection}: created at version 1`)
    const read = await send(app, 'GET', url)
    t.equal(read.headers.etag, etagOf(created.id, 1), `${collection}: GET answers with the ETag`)
    const replaced = await send(app, 'PUT', url, { ifMatch: String(read.headers.etag), payload: { ...read.json(), ...change } })
    t.equal(replaced.statusCode, 200, `${collection}: PUT of the GET body with its ETag`)
    t.equal(replaced.headers.etag, etagOf(created.id, 2))
    t.equal(body(replaced).version, 2)
    assertStale(t, await send(app, 'PATCH', url, { ifMatch: String(read.headers.etag), payload: change }), created.id, 2)
    t.equal((await send(app, 'PATCH', url, { payload: change })).headers.etag, etagOf(created.id, 3), `${collection}: without If-Match the write goes through (REQUIRE_IF_MATCH=never)`)
  }
  const author = await createAuthor(app)
  t.equal((await getWithoutKey(app, `/v1/authors/${author.id}`)).headers.etag, undefined, 'the public reads authors without contact details, and without a version ETag')
})

t.test('the version counts every change to an article: bylines, related links, publishing, and what other writes take off it', async (t) => {
  const app = await buildTestApp(t)
  const [author, other] = [await createAuthor(app), await createAuthor(app)]
  const image = await createImage(app)
  const target = await createArticle(app, { status: 'published' })
  const article = await createArticle(app, {
    leadImageId: image.id,
    bylines: [{ authorId: author.id }, { authorId: other.id }],
    body: [{ type: 'related_link', articleId: target.id, text: 'Background' }]
  })
  const url = `/v1/articles/${article.id}`
  let version = 1
  const expectNext = async (t: Test, response: LightMyRequestResponse, what: string, etagSent = true): Promise<void> => {
    version++
    t.ok(response.statusCode >= 200 && response.statusCode < 300, `${what}: ${response.statusCode}`)
    if (etagSent) t.equal(response.headers.etag, etagOf(article.id, version), `${what}: the answer carries the article's new ETag`)
    t.equal((await call(app, 'GET', url)).body.version, version, `${what}: version ${version}`)
  }

  await expectNext(t, await send(app, 'PUT', `${url}/bylines`, { ifMatch: etagOf(article.id, version), payload: { data: [{ authorId: author.id }] } }), 'PUT bylines')
  const link = await send(app, 'POST', `${url}/related-links`, { ifMatch: etagOf(article.id, version), payload: { url: 'https://example.org/more', text: 'More' } })
  await expectNext(t, link, 'POST a related link')
  await expectNext(t, await send(app, 'PATCH', `${url}/related-links/${body(link).id}`, { ifMatch: etagOf(article.id, version), payload: { text: 'More on this' } }), 'PATCH a related link')
  await expectNext(t, await send(app, 'DELETE', `${url}/related-links/${body(link).id}`, { ifMatch: etagOf(article.id, version) }), 'DELETE a related link', false)
  assertStale(t, await send(app, 'PUT', `${url}/bylines`, { ifMatch: etagOf(article.id, version - 1), payload: { data: [] } }), article.id, version)
  assertStale(t, await send(app, 'POST', `${url}/related-links`, { ifMatch: etagOf(article.id, version - 1), payload: { url: 'https://example.org/late', text: 'Late' } }), article.id, version)
  await expectNext(t, await send(app, 'PATCH', url, { payload: { status: 'published' } }), 'publish')
  await expectNext(t, await send(app, 'PATCH', url, { payload: { status: 'draft' } }), 'unpublish')

  // Changes made through other resources that take something off the article.
  await expectNext(t, await send(app, 'DELETE', `/v1/images/${image.id}?force=true`), 'its lead image deleted', false)
  await expectNext(t, await send(app, 'PUT', `${url}/bylines`, { payload: { data: [{ authorId: author.id }, { authorId: other.id }] } }), 'PUT bylines without If-Match')
  await expectNext(t, await send(app, 'DELETE', `/v1/authors/${other.id}?force=true`), 'an author in its byline deleted', false)
  await expectNext(t, await send(app, 'DELETE', `/v1/articles/${target.id}?permanent=true`), 'the story it links to deleted', false)

  // An author's rename changes what the article shows, not the article: its version stays.
  await send(app, 'PATCH', `/v1/authors/${author.id}`, { payload: { name: 'A New Name' } })
  t.match((await call(app, 'GET', url)).body, { version, bylines: [{ author: { name: 'A New Name', version: 2 } }] }, 'the embedded author has its own version')
})

t.test('REQUIRE_IF_MATCH=always: every PUT, PATCH and DELETE of an article, author or image needs If-Match (428)', async (t) => {
  const app = await buildTestApp(t, { REQUIRE_IF_MATCH: 'always' })
  const article = await createArticle(app)
  const author = await createAuthor(app)
  const image = await createImage(app)
  t.equal(article.version, 1, 'creating needs no If-Match')
  const writes: Array<[Method, string, object?]> = [
    ['PATCH', `/v1/articles/${article.id}`, { dek: 'x' }],
    ['PUT', `/v1/articles/${article.id}`, { headline: 'x' }],
    ['PUT', `/v1/articles/${article.id}/bylines`, { data: [] }],
    ['POST', `/v1/articles/${article.id}/related-links`, { url: 'https://example.org/', text: 'x' }],
    ['DELETE', `/v1/articles/${article.id}`],
    ['PATCH', `/v1/authors/${author.id}`, { title: 'x' }],
    ['PUT', `/v1/authors/${author.id}`, { name: 'x' }],
    ['DELETE', `/v1/authors/${author.id}`],
    ['PATCH', `/v1/images/${image.id}`, { alt: 'x' }],
    ['PUT', `/v1/images/${image.id}`, { url: 'https://images.example.test/x.jpg' }],
    ['DELETE', `/v1/images/${image.id}`]
  ]
  for (const [method, url, payload] of writes) {
    const refused = await send(app, method, url, { ...(payload !== undefined && { payload }) })
    assertProblem(t, refused, 428, 'PRECONDITION_REQUIRED')
    t.equal(body(refused).currentEtag, undefined, `${method} ${url}: the 428 does not hand out the ETag (read the resource first)`)
  }
  t.equal((await call(app, 'GET', `/v1/articles/${article.id}`)).body.version, 1, 'nothing changed')
  t.equal((await send(app, 'PATCH', `/v1/articles/${article.id}`, { ifMatch: etagOf(article.id, 1), payload: { dek: 'x' } })).statusCode, 200, 'with If-Match it goes through')
  t.equal((await send(app, 'DELETE', `/v1/images/${image.id}`, { ifMatch: '*' })).statusCode, 204, '* will do')
})

t.test('REQUIRE_IF_MATCH=published: drafts are edited without If-Match, published stories need it', async (t) => {
  const app = await buildTestApp(t, { REQUIRE_IF_MATCH: 'published' })
  const article = await createArticle(app)
  const url = `/v1/articles/${article.id}`
  t.equal((await send(app, 'PATCH', url, { payload: { dek: 'A draft\'s summary.' } })).statusCode, 200, 'a draft: no If-Match needed')
  t.equal((await send(app, 'PATCH', url, { payload: { status: 'published' } })).statusCode, 200, 'publishing a draft: no If-Match needed')
  for (const [method, path, payload] of [
    ['PATCH', url, { dek: 'x' }],
    ['PATCH', url, { status: 'draft' }],
    ['PUT', `${url}/bylines`, { data: [] }],
    ['POST', `${url}/related-links`, { url: 'https://example.org/', text: 'x' }],
    ['DELETE', url]
  ] as Array<[Method, string, object?]>) {
    assertProblem(t, await send(app, method, path, { ...(payload !== undefined && { payload }) }), 428, 'PRECONDITION_REQUIRED')
  }
  const unpublished = await send(app, 'PATCH', url, { ifMatch: etagOf(article.id, 3), payload: { status: 'draft' } })
  t.equal(unpublished.statusCode, 200, 'with If-Match it goes through')
  t.equal((await send(app, 'DELETE', url)).statusCode, 204, 'a draft again: deleted without If-Match')
  const author = await createAuthor(app)
  t.equal((await send(app, 'PATCH', `/v1/authors/${author.id}`, { payload: { title: 'Editor' } })).statusCode, 200, 'authors have no publication: no If-Match needed')
})

t.test('a browser editor on another origin may send If-Match and read the ETag (CORS)', async (t) => {
  const app = await buildTestApp(t)
  const article = await createArticle(app)
  const origin = 'https://desk.example'
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: `/v1/articles/${article.id}`,
    headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match' }
  })
  t.equal(preflight.statusCode, 204)
  t.ok(String(preflight.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/).includes('if-match'), 'If-Match is allowed')
  const read = await app.inject({ method: 'GET', url: `/v1/articles/${article.id}`, headers: { origin } })
  t.ok(String(read.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/).includes('etag'), 'the ETag is exposed')
})

t.test('50 concurrent PATCHes with the same If-Match on one story: exactly one succeeds, the others get 412', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published' })
  const read = await send(app, 'GET', `/v1/articles/${story.id}`)
  const responses = await Promise.all(Array.from({ length: 50 }, async (_, editor) =>
    await send(app, 'PATCH', `/v1/articles/${story.id}`, { ifMatch: String(read.headers.etag), payload: { headline: `Headline by editor ${editor}` } })))
  const statuses = responses.map((response) => response.statusCode)
  t.equal(statuses.filter((status) => status === 200).length, 1, `exactly one succeeds (${engineUnderTest()})`)
  t.equal(statuses.filter((status) => status === 412).length, 49, 'the others get 412')
  for (const response of responses.filter((response) => response.statusCode === 412)) t.equal(body(response).currentVersion, 2)
  const winner = body(responses.find((response) => response.statusCode === 200)!)
  t.match((await call(app, 'GET', `/v1/articles/${story.id}`)).body, { version: 2, headline: winner.headline }, 'the story is the winner\'s')
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).json().headline, winner.headline, 'and so is its public form')
  const history = (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${story.id}`)).body.data
  t.same(history.map((change: Json) => change.action), ['updated', 'created'], 'exactly one new change in the log')
})
