import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor } from '../../helper.ts'

t.test('authors CRUD', async (t) => {
  const app = await buildTestApp(t)

  const create = await app.inject({
    method: 'POST',
    url: '/v1/authors',
    payload: { name: 'Zoë Ångström-Nakamura', title: 'Correspondent', organization: 'Continental Press', email: 'zoe@example.org', url: 'https://example.org/zoe' }
  })
  t.equal(create.statusCode, 201)
  const author = create.json()
  t.equal(create.headers.location, `/v1/authors/${author.id}`)
  t.match(author, {
    name: 'Zoë Ångström-Nakamura',
    slug: 'zoe-angstrom-nakamura',
    title: 'Correspondent',
    organization: 'Continental Press',
    bio: null,
    email: 'zoe@example.org',
    url: 'https://example.org/zoe'
  })
  t.match(author.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

  const read = await call(app, 'GET', `/v1/authors/${author.id}`)
  t.equal(read.status, 200)
  t.same(read.body, author)

  const patched = await call(app, 'PATCH', `/v1/authors/${author.id}`, { title: 'Senior Correspondent', bio: 'Writes about ports.' })
  t.equal(patched.status, 200)
  t.match(patched.body, { title: 'Senior Correspondent', bio: 'Writes about ports.', organization: 'Continental Press', slug: author.slug })

  const cleared = await call(app, 'PATCH', `/v1/authors/${author.id}`, { bio: null })
  t.equal(cleared.body.bio, null, 'null clears a field')
  t.equal(cleared.body.title, 'Senior Correspondent', 'fields not sent are kept')

  const replaced = await call(app, 'PUT', `/v1/authors/${author.id}`, { name: 'Zoë Ångström' })
  t.equal(replaced.status, 200)
  t.match(replaced.body, { name: 'Zoë Ångström', title: null, organization: null, email: null, slug: author.slug }, 'PUT clears omitted fields but keeps the slug')

  const renamed = await call(app, 'PATCH', `/v1/authors/${author.id}`, { slug: 'zoe-angstrom' })
  t.equal(renamed.body.slug, 'zoe-angstrom', 'the slug changes when asked')

  const list = await call(app, 'GET', '/v1/authors')
  t.equal(list.status, 200)
  t.same(list.body.data.map((a: { id: string }) => a.id), [author.id])
  t.equal(list.body.nextCursor, null)

  const deleted = await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}` })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/authors/${author.id}` }), 404, 'NOT_FOUND')
})

t.test('derived slugs get a suffix; a requested slug that is taken is a 409', async (t) => {
  const app = await buildTestApp(t)
  const first = await createAuthor(app, { name: 'Sam Lee' })
  const second = await createAuthor(app, { name: 'Sam Lee' })
  const third = await createAuthor(app, { name: 'Sam  Lee!' })
  t.same([first.slug, second.slug, third.slug], ['sam-lee', 'sam-lee-2', 'sam-lee-3'])

  const conflict = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Other', slug: 'sam-lee' } })
  assertProblem(t, conflict, 409, 'SLUG_TAKEN', ['body.slug'])
  const patchConflict = await app.inject({ method: 'PATCH', url: `/v1/authors/${second.id}`, payload: { slug: 'sam-lee' } })
  assertProblem(t, patchConflict, 409, 'SLUG_TAKEN', ['body.slug'])
  t.equal((await call(app, 'GET', `/v1/authors/${second.id}`)).body.slug, 'sam-lee-2', 'the rejected write changed nothing')
  t.equal((await call(app, 'GET', '/v1/authors')).body.data.length, 3, 'the rejected create stored nothing')

  const unicodeOnly = await createAuthor(app, { name: '김민지' })
  t.equal(unicodeOnly.slug, 'author', 'a name without Latin letters falls back to a generic slug')
})

t.test('author validation names each field', async (t) => {
  const app = await buildTestApp(t)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/authors', payload: {} }), 400, 'VALIDATION_FAILED', ['body.name'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: '   ' } }), 400, 'VALIDATION_FAILED', ['body.name'])
  assertProblem(t, await app.inject({
    method: 'POST', url: '/v1/authors', payload: { name: 'A', email: 'not-an-email', url: 'ftp://example.org', slug: 'Not A Slug', shoeSize: 44 }
  }), 400, 'VALIDATION_FAILED', ['body.email', 'body.url', 'body.slug', 'body.shoeSize'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: '/v1/authors/nope', payload: { name: 42 } }), 400, 'VALIDATION_FAILED', ['body.name'])
  assertProblem(t, await app.inject({ method: 'PATCH', url: '/v1/authors/nope', payload: { title: 'x' } }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PUT', url: '/v1/authors/nope', payload: { name: 'x' } }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/authors/nope' }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'GET', '/v1/authors')).body.data.length, 0, 'nothing was stored')
})

t.test('an author in a byline is only deleted on request, and then leaves the byline', async (t) => {
  const app = await buildTestApp(t)
  const kept = await createAuthor(app)
  const author = await createAuthor(app)
  const article = await createArticle(app, { slug: 'uses-the-author', bylines: [{ authorId: kept.id }, { authorId: author.id, role: 'reporting' }] })

  const refused = await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}` })
  assertProblem(t, refused, 409, 'RESOURCE_IN_USE')
  t.same(refused.json().usedBy, [{ id: article.id, slug: 'uses-the-author', headline: article.headline }], 'names the article')
  t.equal((await call(app, 'GET', `/v1/authors/${author.id}`)).status, 200, 'still there')

  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}?force=maybe` }), 400, 'VALIDATION_FAILED', ['query.force'])

  const forced = await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}?force=true` })
  t.equal(forced.statusCode, 204)
  const after = (await call(app, 'GET', `/v1/articles/${article.id}`)).body
  t.same(after.bylines.map((b: { authorId: string }) => b.authorId), [kept.id], 'removed from the byline, others kept')
  t.ok(after.updatedAt > article.updatedAt, 'the article counts as updated')
})
