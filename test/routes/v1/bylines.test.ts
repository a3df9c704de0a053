import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('GET /v1/articles/{id}/bylines lists the byline in order with authors embedded', async (t) => {
  const app = await buildTestApp(t)
  const reporter = await createAuthor(app, { name: 'Hedda Marsh', title: 'Harbour Correspondent', organization: 'The Vellmoor Ledger' })
  const photographer = await createAuthor(app, { name: 'Óscar Lind', organization: 'Eastmarch Pictures' })
  const stringer = await createAuthor(app, { name: 'Pim Tarrow', organization: null })
  const article = await createArticle(app, {
    headline: 'Ferry strike ends after nine days',
    bylines: [{ authorId: reporter.id }, { authorId: photographer.id, role: 'photographer' }, { authorId: stringer.id, role: 'reporting' }]
  })

  const list = await call(app, 'GET', `/v1/articles/${article.id}/bylines`)
  t.equal(list.status, 200)
  t.same(list.body, {
    data: [
      { authorId: reporter.id, role: 'author', author: reporter },
      { authorId: photographer.id, role: 'photographer', author: photographer },
      { authorId: stringer.id, role: 'reporting', author: stringer }
    ]
  }, 'in the order given, role defaulting to "author", each with the full author')
  t.same(article.bylines, list.body.data, 'the article response embeds the same byline')
})

t.test('bylines in the article response embed the author with organization', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app, { name: 'Ilse Varno', title: 'Staff Writer', organization: 'Northwater Agency', email: 'ilse@example.test' })
  const article = await createArticle(app, { headline: 'Weir repairs finished early', bylines: [{ authorId: author.id, role: 'editor' }] })
  for (const read of [article, (await call(app, 'GET', `/v1/articles/${article.id}`)).body, (await call(app, 'GET', `/v1/articles/slug/${article.slug}`)).body]) {
    t.equal(read.bylines.length, 1)
    t.match(read.bylines[0], {
      authorId: author.id,
      role: 'editor',
      author: { id: author.id, name: 'Ilse Varno', slug: 'ilse-varno', title: 'Staff Writer', organization: 'Northwater Agency', email: 'ilse@example.test' }
    }, 'the author is embedded with their organization')
  }
  const listed = (await call(app, 'GET', '/v1/articles')).body.data[0]
  t.equal(listed.bylines[0].author.organization, 'Northwater Agency', 'the list embeds the organization too')

  await call(app, 'PATCH', `/v1/authors/${author.id}`, { organization: 'Continental Press' })
  const after = (await call(app, 'GET', `/v1/articles/${article.id}`)).body
  t.equal(after.bylines[0].author.organization, 'Continental Press', 'the embedded author is the author as it is now')
})

t.test('PUT replaces the whole ordered byline and bumps the article', async (t) => {
  const app = await buildTestApp(t)
  const authors: Json[] = []
  for (let i = 0; i < 5; i++) authors.push(await createAuthor(app))
  const [a, b, c, d, e] = authors
  const article = await createArticle(app, { headline: 'Council votes on the harbour budget', bylines: [{ authorId: a.id }, { authorId: b.id }] })
  await pause(5)

  const data = [
    { authorId: e.id, role: 'editor' },
    { authorId: c.id, role: 'contributor' },
    { authorId: a.id, role: 'photographer' },
    { authorId: d.id, role: 'reporting' },
    { authorId: b.id, role: 'author' }
  ]
  const replaced = await call(app, 'PUT', `/v1/articles/${article.id}/bylines`, { data })
  t.equal(replaced.status, 200)
  const byId = new Map(authors.map((author) => [author.id, author]))
  t.same(replaced.body, { data: data.map((entry) => ({ ...entry, author: byId.get(entry.authorId) })) }, 'exactly the order and roles sent, with authors')
  t.same((await call(app, 'GET', `/v1/articles/${article.id}/bylines`)).body, replaced.body, 'GET shows the new byline')

  const after = (await call(app, 'GET', `/v1/articles/${article.id}`)).body
  t.same(after.bylines, replaced.body.data, 'the article embeds the new byline')
  t.ok(after.updatedAt > article.updatedAt, `updatedAt moved forward (${article.updatedAt} → ${after.updatedAt})`)
  t.equal(after.version, article.version + 1, 'the article\'s version counts the edit')
  t.same({ ...after, bylines: article.bylines, updatedAt: article.updatedAt, version: article.version }, article, 'nothing else in the article changed')

  const defaulted = await call(app, 'PUT', `/v1/articles/${article.id}/bylines`, { data: [{ authorId: c.id }, { authorId: c.id, role: 'photographer' }] })
  t.same(defaulted.body.data.map((entry: Json) => [entry.authorId, entry.role]), [[c.id, 'author'], [c.id, 'photographer']],
    'role defaults to "author"; the same author may appear in two roles')

  const emptied = await call(app, 'PUT', `/v1/articles/${article.id}/bylines`, { data: [] })
  t.equal(emptied.status, 200)
  t.same(emptied.body, { data: [] }, 'an empty list clears the byline')
  t.same((await call(app, 'GET', `/v1/articles/${article.id}`)).body.bylines, [], 'the article has no byline')
})

t.test('PUT with an unknown author is 422 naming each entry and changes nothing', async (t) => {
  const app = await buildTestApp(t)
  const kept = await createAuthor(app)
  const other = await createAuthor(app)
  const article = await createArticle(app, { bylines: [{ authorId: kept.id, role: 'reporting' }] })
  const before = (await call(app, 'GET', `/v1/articles/${article.id}`)).body

  const response = await app.inject({
    method: 'PUT',
    url: `/v1/articles/${article.id}/bylines`,
    payload: { data: [{ authorId: other.id }, { authorId: 'cm-missing-author' }, { authorId: kept.id }, { authorId: 'cm-also-missing', role: 'editor' }] }
  })
  assertProblem(t, response, 422, 'UNKNOWN_REFERENCE', ['body.data.1.authorId', 'body.data.3.authorId'])
  const problem = response.json()
  t.same(problem.errors.map((error: Json) => error.path).sort(), ['body.data.1.authorId', 'body.data.3.authorId'], 'only the missing authors are named')
  t.match(problem.errors.find((error: Json) => error.path === 'body.data.1.authorId').message, 'cm-missing-author', 'the message quotes the id')

  t.same((await call(app, 'GET', `/v1/articles/${article.id}/bylines`)).body.data.map((entry: Json) => [entry.authorId, entry.role]),
    [[kept.id, 'reporting']], 'the byline is unchanged')
  t.same((await call(app, 'GET', `/v1/articles/${article.id}`)).body, before, 'the article is unchanged, updatedAt included')
})

t.test('PUT validation is 400 naming the field', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const article = await createArticle(app, { bylines: [{ authorId: author.id }] })
  const put = async (payload: object) => await app.inject({ method: 'PUT', url: `/v1/articles/${article.id}/bylines`, payload })

  assertProblem(t, await put({ data: [{ authorId: author.id }, { authorId: author.id, role: 'ghostwriter' }] }), 400, 'VALIDATION_FAILED', ['body.data.1.role'])
  assertProblem(t, await put({ data: [{ authorId: author.id, role: 'Author' }] }), 400, 'VALIDATION_FAILED', ['body.data.0.role'])
  assertProblem(t, await put({ data: [{ role: 'author' }] }), 400, 'VALIDATION_FAILED', ['body.data.0.authorId'])
  assertProblem(t, await put({ data: [{ authorId: author.id, position: 1 }] }), 400, 'VALIDATION_FAILED', ['body.data.0.position'])
  assertProblem(t, await put({}), 400, 'VALIDATION_FAILED', ['body.data'])
  assertProblem(t, await put({ data: [{ authorId: author.id }], extra: true }), 400, 'VALIDATION_FAILED', ['body.extra'])
  assertProblem(t, await put([{ authorId: author.id }] as unknown as object), 400, 'VALIDATION_FAILED')
  t.same((await call(app, 'GET', `/v1/articles/${article.id}`)).body, article, 'the article is unchanged')
})

t.test('an unknown article is 404 for GET and PUT', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/cm-no-such-article/bylines' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PUT', url: '/v1/articles/cm-no-such-article/bylines', payload: { data: [{ authorId: author.id }] } }), 404, 'NOT_FOUND')
  t.same((await call(app, 'GET', '/v1/articles')).body.data, [], 'no article was created')

  const article = await createArticle(app, { bylines: [{ authorId: author.id }] })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${article.id}` })).statusCode, 204)
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${article.id}/bylines` }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PUT', url: `/v1/articles/${article.id}/bylines`, payload: { data: [] } }), 404, 'NOT_FOUND')
})
