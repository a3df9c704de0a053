// Slug history: a published story whose slug changes keeps its old URL, which
// answers 301 with the current one; old slugs stay taken.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, getWithoutKey } from './helper.ts'

t.test('an old slug of a published story answers 301 to its current URL, for readers and editors', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const story = await createArticle(app, { headline: 'Bridge closes for repairs', status: 'published' })
  const renamed = await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { slug: 'bridge-closes-for-two-weeks' })
  t.equal(renamed.body.slug, 'bridge-closes-for-two-weeks')

  const moved = await getWithoutKey(app, '/v1/article-by-slug/bridge-closes-for-repairs')
  t.equal(moved.statusCode, 301, 'the old URL moved permanently')
  t.equal(moved.headers.location, '/v1/article-by-slug/bridge-closes-for-two-weeks')
  t.equal(moved.body, '', 'no body')
  t.equal((await getWithoutKey(app, moved.headers.location!)).json().id, story.id, 'and the new one reads the story')
  t.equal((await getWithoutKey(app, '/v1/article-by-slug/bridge-closes-for-repairs?format=ninjs')).headers.location, '/v1/article-by-slug/bridge-closes-for-two-weeks?format=ninjs', 'the query string goes along')
  t.equal((await app.inject({ method: 'GET', url: '/v1/article-by-slug/bridge-closes-for-repairs' })).headers.location, '/v1/article-by-slug/bridge-closes-for-two-weeks', 'editors too')
  t.equal((await getWithoutKey(app, '/v1/articles/slug/bridge-closes-for-repairs')).headers.location, '/v1/articles/slug/bridge-closes-for-two-weeks', 'the deprecated route redirects within itself')

  // Twice moved: both old slugs lead to the current one.
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { slug: 'bridge-reopens-early' })
  for (const old of ['bridge-closes-for-repairs', 'bridge-closes-for-two-weeks']) {
    t.equal((await getWithoutKey(app, `/v1/article-by-slug/${old}`)).headers.location, '/v1/article-by-slug/bridge-reopens-early', `${old} → the current slug`)
  }

  // Old slugs stay taken: asked for, a 409; derived, the next free one.
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Another story', slug: 'bridge-closes-for-two-weeks' })).response, 409, 'SLUG_TAKEN', ['body.slug'])
  const other = await createArticle(app, { headline: 'Another story' })
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${other.id as string}`, { slug: 'bridge-closes-for-repairs' })).response, 409, 'SLUG_TAKEN', ['body.slug'])
  t.equal((await createArticle(app, { headline: 'Bridge closes for repairs' })).slug, 'bridge-closes-for-repairs-2', 'a derived slug passes over an old one')

  // The story may take an old slug of its own back: the one it leaves redirects instead.
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { slug: 'bridge-closes-for-repairs' })
  t.equal((await getWithoutKey(app, '/v1/article-by-slug/bridge-closes-for-repairs')).statusCode, 200)
  t.equal((await getWithoutKey(app, '/v1/article-by-slug/bridge-reopens-early')).headers.location, '/v1/article-by-slug/bridge-closes-for-repairs')

  // Taken down: its old URLs are as gone as its current one, for the public.
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'draft' })
  assertProblem(t, await getWithoutKey(app, '/v1/article-by-slug/bridge-reopens-early'), 404, 'NOT_FOUND')
  t.equal((await app.inject({ method: 'GET', url: '/v1/article-by-slug/bridge-reopens-early' })).statusCode, 301, 'editors still follow it')

  // In the trash: its old slug answers nobody, but stays taken (it comes back on restore).
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}`)).status, 204)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/article-by-slug/bridge-reopens-early' }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'A new story', slug: 'bridge-reopens-early' })).status, 409)
  // Deleted for good: its slugs are free again.
  t.equal((await call(app, 'DELETE', `/v1/articles/${story.id as string}?permanent=true`)).status, 204)
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'A new story', slug: 'bridge-reopens-early' })).status, 201)
})

t.test('a draft\'s slug changes leave nothing behind: it was never public', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const draft = await createArticle(app, { headline: 'Working title' })
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { slug: 'final-title' })
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/article-by-slug/${draft.slug as string}` }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'POST', '/v1/articles', { headline: 'x', slug: draft.slug })).status, 201, 'the working slug is free')
})
