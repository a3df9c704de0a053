import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, createImage } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

interface Listed { id: string, createdAt: string }

const lists: Array<{ path: string, create: (app: FastifyInstance) => Promise<Json> }> = [
  { path: '/v1/articles', create: createArticle },
  { path: '/v1/authors', create: createAuthor },
  { path: '/v1/images', create: createImage }
]

const encode = (value: string): string => Buffer.from(value).toString('base64url')

/** Creates `count` items one after the other; returns their ids, oldest first. */
async function createMany (app: FastifyInstance, create: (app: FastifyInstance) => Promise<Json>, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) ids.push((await create(app)).id)
  return ids
}

const withQuery = (path: string, query: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const search = params.toString()
  return search === '' ? path : `${path}?${search}`
}

/** Follows nextCursor to the end; returns every page. */
async function walk (t: Test, app: FastifyInstance, path: string, query: Record<string, string | number | undefined> = {}): Promise<Array<{ data: Listed[], nextCursor: string | null }>> {
  const pages = []
  let cursor: string | undefined
  for (let guard = 0; guard < 200; guard++) {
    const page = await call(app, 'GET', withQuery(path, { ...query, cursor }))
    if (page.status !== 200) {
      t.fail(`GET ${path} answered ${page.status}: ${JSON.stringify(page.body)}`)
      break
    }
    pages.push(page.body)
    if (page.body.nextCursor === null) break
    cursor = page.body.nextCursor
  }
  return pages
}

/** (createdAt, id) strictly decreasing: newest first, ties broken by id. */
function assertNewestFirst (t: Test, items: Listed[], message: string): void {
  const wrong = items.findIndex((item, i) => i > 0 && !(
    item.createdAt < items[i - 1]!.createdAt || (item.createdAt === items[i - 1]!.createdAt && item.id < items[i - 1]!.id)))
  t.equal(wrong, -1, message)
}

for (const { path, create } of lists) {
  t.test(`${path}: limits and walking every page`, async (t) => {
    const app = await buildTestApp(t)
    const created = await createMany(app, create, 30)
    const newestFirst = [...created].reverse()

    const first = await call(app, 'GET', path)
    t.equal(first.status, 200)
    t.equal(first.body.data.length, 20, 'default limit is 20')
    t.type(first.body.nextCursor, 'string', 'another page follows')
    t.same(first.body.data.map((item: Listed) => item.id), newestFirst.slice(0, 20), 'newest first')
    assertNewestFirst(t, first.body.data, 'sorted by createdAt descending')
    const second = await call(app, 'GET', withQuery(path, { cursor: first.body.nextCursor }))
    t.same(second.body.data.map((item: Listed) => item.id), newestFirst.slice(20), 'the second page holds the rest')
    t.equal(second.body.nextCursor, null)

    const max = await call(app, 'GET', `${path}?limit=100`)
    t.equal(max.status, 200)
    t.same(max.body.data.map((item: Listed) => item.id), newestFirst, 'limit=100 is allowed')
    t.equal(max.body.nextCursor, null)

    for (const limit of ['0', '101', '-1', '1.5', 'ten']) {
      assertProblem(t, await app.inject({ method: 'GET', url: `${path}?limit=${limit}` }), 400, 'VALIDATION_FAILED', ['query.limit'])
    }

    const pages = await walk(t, app, path, { limit: 7 })
    t.same(pages.map((page) => page.data.length), [7, 7, 7, 7, 2], 'limit=7 over 30 items: 7, 7, 7, 7, 2')
    t.same(pages.flatMap((page) => page.data.map((item) => item.id)), newestFirst, 'each item exactly once, newest first')
    t.equal(pages.at(-1)!.nextCursor, null, 'the last page has no cursor')
    t.ok(pages.slice(0, -1).every((page) => typeof page.nextCursor === 'string'), 'every other page has one')
    assertNewestFirst(t, pages.flatMap((page) => page.data), 'sorted across pages')

    const exact = await walk(t, app, path, { limit: 10 })
    t.same(exact.map((page) => page.data.length), [10, 10, 10], 'an exact multiple ends without an empty page')
    t.equal(exact.at(-1)!.nextCursor, null)

    const one = await walk(t, app, path, { limit: 1 })
    t.equal(one.length, 30)
    t.same(one.flatMap((page) => page.data.map((item) => item.id)), newestFirst, 'one at a time')
  })

  t.test(`${path}: invalid cursors are 400`, async (t) => {
    const app = await buildTestApp(t)
    await createMany(app, create, 2)
    const cursors = [
      'abc',
      encode('{not json at all'),
      encode('["only-one-value"]'),
      encode('[]'),
      encode('["2026-01-01T00:00:00.000Z","x","extra"]'),
      encode('{"createdAt":"2026-01-01T00:00:00.000Z","id":"x"}'),
      encode('["not a date","x"]'),
      encode('[1,2]'),
      encode('["2026-01-01T00:00:00.000Z",""]'),
      'x'.repeat(600)
    ]
    for (const cursor of cursors) {
      assertProblem(t, await app.inject({ method: 'GET', url: withQuery(path, { cursor }) }), 400, 'VALIDATION_FAILED', ['query.cursor'])
    }
    assertProblem(t, await app.inject({ method: 'GET', url: `${path}?cursor=` }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  })
}

t.test('pages stay stable while articles are created concurrently', async (t) => {
  const app = await buildTestApp(t)
  const originals = await createMany(app, createArticle, 25)
  const createdDuringWalk: string[] = []
  const seen: Listed[] = []
  let cursor: string | undefined
  let pages = 0
  for (; pages < 100; pages++) {
    const [page, ...created] = await Promise.all([
      call(app, 'GET', withQuery('/v1/articles', { limit: 5, cursor })),
      createArticle(app), createArticle(app), createArticle(app)
    ])
    createdDuringWalk.push(...created.map((article: Json) => article.id))
    t.equal(page.status, 200, JSON.stringify(page.body).slice(0, 300))
    if (page.status !== 200) break
    t.ok(page.body.data.length <= 5, 'at most limit items')
    seen.push(...page.body.data)
    if (page.body.nextCursor === null) break
    cursor = page.body.nextCursor
  }
  t.ok(pages < 100, 'the walk ends')

  const ids = seen.map((item) => item.id)
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  t.same([...counts].filter(([, count]) => count > 1), [], 'no id appears twice')
  t.same(originals.filter((id) => counts.get(id) !== 1), [], 'every original article appears exactly once')
  t.same(ids.filter((id) => originals.includes(id)), [...originals].reverse(), 'the originals come newest first')
  const known = new Set([...originals, ...createdDuringWalk])
  t.same(ids.filter((id) => !known.has(id)), [], 'nothing unknown is listed')
  assertNewestFirst(t, seen, 'the walk is sorted newest first throughout')

  const total = await walk(t, app, '/v1/articles', { limit: 100 })
  t.equal(total.flatMap((page) => page.data).length, 25 + createdDuringWalk.length, 'every create was stored')
})

t.test('a cursor still works after the item it points at is deleted', async (t) => {
  const app = await buildTestApp(t)
  const created = await createMany(app, createArticle, 12)
  const newestFirst = [...created].reverse()

  const first = await call(app, 'GET', '/v1/articles?limit=5')
  t.same(first.body.data.map((item: Listed) => item.id), newestFirst.slice(0, 5))
  const cursor = first.body.nextCursor as string
  const secondBefore = await call(app, 'GET', withQuery('/v1/articles', { limit: 5, cursor }))
  t.same(secondBefore.body.data.map((item: Listed) => item.id), newestFirst.slice(5, 10))

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${newestFirst[4]}` })).statusCode, 204, 'the cursor\'s own item is deleted')
  const secondAfter = await call(app, 'GET', withQuery('/v1/articles', { limit: 5, cursor }))
  t.equal(secondAfter.status, 200)
  t.same(secondAfter.body.data.map((item: Listed) => item.id), newestFirst.slice(5, 10), 'continues right after the deleted item')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${newestFirst[5]}` })).statusCode, 204, 'and the next one too')
  const third = await call(app, 'GET', withQuery('/v1/articles', { limit: 5, cursor }))
  t.same(third.body.data.map((item: Listed) => item.id), newestFirst.slice(6, 11), 'the deleted item is skipped, nothing else')
  const rest = await call(app, 'GET', withQuery('/v1/articles', { limit: 5, cursor: third.body.nextCursor }))
  t.same(rest.body.data.map((item: Listed) => item.id), newestFirst.slice(11))
  t.equal(rest.body.nextCursor, null)

  // An author cursor outlives its author too.
  const authors = [...await createMany(app, createAuthor, 4)].reverse()
  const authorPage = await call(app, 'GET', '/v1/authors?limit=2')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/authors/${authors[1]}` })).statusCode, 204)
  const authorNext = await call(app, 'GET', withQuery('/v1/authors', { limit: 2, cursor: authorPage.body.nextCursor }))
  t.same(authorNext.body.data.map((item: Listed) => item.id), authors.slice(2))
})

t.test('status and section filters combine with cursors', async (t) => {
  const app = await buildTestApp(t)
  const specs = [
    { status: 'published', section: 'World' },
    { status: 'draft', section: 'World' },
    { status: 'published', section: 'Sport' },
    { status: 'published', section: 'World' },
    { status: 'draft' },
    { status: 'published', section: 'World' },
    { status: 'draft', section: 'Sport' },
    { status: 'published', section: 'World' },
    { status: 'published' },
    { status: 'published', section: 'World' },
    { status: 'draft', section: 'World' },
    { status: 'published', section: 'Sport' },
    { status: 'published', section: 'World' }
  ]
  const created: Array<{ id: string, status: string, section?: string }> = []
  for (const spec of specs) created.push({ id: (await createArticle(app, spec)).id, ...spec })
  const expected = (keep: (item: { status: string, section?: string }) => boolean): string[] =>
    created.filter(keep).map((item) => item.id).reverse()

  const cases: Array<{ query: Record<string, string | number>, keep: (item: { status: string, section?: string }) => boolean }> = [
    { query: { status: 'published', section: 'World', limit: 2 }, keep: (item) => item.status === 'published' && item.section === 'World' },
    { query: { status: 'draft', limit: 2 }, keep: (item) => item.status === 'draft' },
    { query: { section: 'Sport', limit: 1 }, keep: (item) => item.section === 'Sport' },
    { query: { status: 'published', limit: 3 }, keep: (item) => item.status === 'published' },
    { query: { section: 'World', status: 'draft', limit: 1 }, keep: (item) => item.section === 'World' && item.status === 'draft' }
  ]
  for (const { query, keep } of cases) {
    const pages = await walk(t, app, '/v1/articles', query)
    const want = expected(keep)
    const got = pages.flatMap((page) => page.data)
    t.same(got.map((item) => item.id), want, `${JSON.stringify(query)}: every match once, newest first`)
    t.ok(got.every((item: Json) => keep(item)), `${JSON.stringify(query)}: only matches`)
    t.equal(pages.length, Math.max(1, Math.ceil(want.length / (query.limit as number))), `${JSON.stringify(query)}: no empty trailing page`)
  }

  const none = await call(app, 'GET', '/v1/articles?section=Culture')
  t.same(none.body, { data: [], nextCursor: null })
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles?status=retracted' }), 400, 'VALIDATION_FAILED', ['query.status'])
})
