// GET /v1/articles with its filters, orders, sparse fields and counts, on both
// read paths: the public one (stored forms and their tag and author rows) and
// the staff one (the tables). Each answer is checked against the same list
// worked out here from the tables, filtered and sorted in the test.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, engineUnderTest, getWithoutKey } from './helper.ts'
import { ArticleListQuery, articleSorts, articleSummaryFields } from '../src/schemas/article.ts'
import { articleListOf } from '../src/services/article-list-query.ts'
import { publicPageSql } from '../src/db/article-lists.ts'
import { sql } from '../src/db/client.ts'
import { publicScope, rebuildPublicArticles } from '../src/services/public-articles.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

/** A story as the tables hold it, for working out lists in the test. */
interface Story {
  id: string
  headline: string
  status: string
  section: string | null
  language: string
  tags: string[]
  authorIds: string[]
  publishedAt: string | null
  createdAt: string
  updatedAt: string
}

async function storiesIn (app: FastifyInstance): Promise<Story[]> {
  const rows = await app.db.prisma.article.findMany({ where: { deletedAt: null }, include: { bylines: true } })
  return rows.map((row) => ({
    id: row.id,
    headline: row.headline,
    status: row.status,
    section: row.section,
    language: row.language,
    tags: row.tags as string[],
    authorIds: row.bylines.map((byline) => byline.authorId),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }))
}

type Query = Record<string, string | string[] | number | undefined>

/** The query string, a repeated parameter once per value. */
function url (query: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, String(one))
  }
  const search = params.toString()
  return search === '' ? '/v1/articles' : `/v1/articles?${search}`
}

type Reader = 'public' | 'staff'

async function get (app: FastifyInstance, reader: Reader, query: Query): Promise<{ status: number, body: Json, headers: Json }> {
  const response = reader === 'public' ? await getWithoutKey(app, url(query)) : await app.inject({ method: 'GET', url: url(query) })
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json(), headers: response.headers }
}

/** Every page of a list, following nextCursor. */
async function walk (t: Test, app: FastifyInstance, reader: Reader, query: Query): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | undefined
  for (let guard = 0; guard < 100; guard++) {
    const page = await get(app, reader, { ...query, cursor })
    if (page.status !== 200) {
      t.fail(`${reader} GET ${url({ ...query, cursor })} answered ${page.status}: ${JSON.stringify(page.body)}`)
      break
    }
    items.push(...page.body.data)
    if (page.body.nextCursor === null) return items
    cursor = page.body.nextCursor
  }
  t.fail('the walk does not end')
  return items
}

/** Byte order of the UTF-8, as both engines sort headlines. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** The order of `sort`, ties broken by id in the same direction. */
function comparator (sort: string): (a: Story, b: Story) => number {
  const field = sort.replace(/^-/, '') as 'publishedAt' | 'updatedAt' | 'headline' | 'createdAt'
  const sign = sort.startsWith('-') ? -1 : 1
  return (a, b) => sign * (byteOrder(String(a[field]), String(b[field])) || byteOrder(a.id, b.id))
}

interface Filters { [parameter: string]: string | string[] | undefined, status?: string, section?: string, tag?: string[], tagMatch?: 'any' | 'all', authorId?: string[], language?: string, publishedAfter?: string, publishedBefore?: string, updatedSince?: string }

const instant = (value: string): string => new Date(value).toISOString()

/** The list the API should answer, worked out here. */
function expected (stories: Story[], reader: Reader, filters: Filters, sort?: string): Story[] {
  const status = reader === 'public' ? 'published' : filters.status
  if (reader === 'public' && filters.status !== undefined && filters.status !== 'published') return []
  const order = sort ?? (status === 'published' ? '-publishedAt' : '-createdAt')
  const tags = filters.tag ?? []
  return stories.filter((story) =>
    (status === undefined || story.status === status) &&
    (filters.section === undefined || story.section === filters.section) &&
    (tags.length === 0 || (filters.tagMatch === 'all' ? tags.every((tag) => story.tags.includes(tag)) : tags.some((tag) => story.tags.includes(tag)))) &&
    (filters.authorId === undefined || filters.authorId.some((author) => story.authorIds.includes(author))) &&
    (filters.language === undefined || story.language === filters.language) &&
    (filters.publishedAfter === undefined || (story.publishedAt !== null && story.publishedAt >= instant(filters.publishedAfter))) &&
    (filters.publishedBefore === undefined || (story.publishedAt !== null && story.publishedAt < instant(filters.publishedBefore))) &&
    (filters.updatedSince === undefined || story.updatedAt >= instant(filters.updatedSince)) &&
    (!order.endsWith('publishedAt') || story.publishedAt !== null)
  ).sort(comparator(order))
}

const ids = (items: Array<{ id: string }>): string[] => items.map((item) => item.id)

interface Newsroom { mara: Json, ines: Json, olek: Json }

/**
 * Stories across sections, tags, languages, bylines, statuses and publication
 * times, with ties in publication time and headlines that sort differently
 * by byte than by dictionary.
 */
async function newsroom (app: FastifyInstance): Promise<Newsroom> {
  const mara = await createAuthor(app, { name: 'Mara Lindqvist' })
  const ines = await createAuthor(app, { name: 'Ines Varga' })
  const olek = await createAuthor(app, { name: 'Olek Brandt' })
  const day = (n: number, hour = 9): string => new Date(Date.UTC(2026, 10, n, hour)).toISOString()
  const specs: Json[] = [
    { headline: 'apple harvest begins early in the valley', section: 'Regional', tags: ['Farming', 'Weather'], language: 'en', bylines: [mara], publishedAt: day(2) },
    { headline: 'Banana boats return to the harbour', section: 'Business', tags: ['Ports'], language: 'en', bylines: [ines], publishedAt: day(3) },
    { headline: 'Zebra crossing repainted after complaints', section: 'Regional', tags: ['Transport'], language: 'en-GB', bylines: [mara, ines], publishedAt: day(3) },
    { headline: 'Éclair bakery wins the regional prize', section: 'Culture', tags: ['Food'], language: 'fr', bylines: [olek], publishedAt: day(5) },
    { headline: 'éclair shortage after the festival', section: 'Culture', tags: ['Food', 'Festival'], language: 'fr', bylines: [olek, mara], publishedAt: day(5) },
    { headline: 'Ferry timetable changes for the winter', section: 'Regional', tags: ['Transport', 'Ports'], language: 'en', bylines: [ines], publishedAt: day(7) },
    { headline: 'Council votes on the new bridge', section: 'Politics', tags: ['Transport'], language: 'de', bylines: [mara], publishedAt: day(8) },
    { headline: 'Market hall reopens its doors', section: 'Business', tags: ['Food', 'Ports'], language: 'en', bylines: [], publishedAt: day(10) },
    { headline: 'Storm warning for the coast', section: 'Regional', tags: ['Weather', 'Transport'], language: 'en', bylines: [ines, olek], publishedAt: day(11) },
    { headline: 'zoo welcomes two otters', section: 'Regional', tags: [], language: 'en', bylines: [olek], publishedAt: day(12) },
    { headline: 'Draft: harbour dredging plan', section: 'Regional', tags: ['Ports', 'Transport'], language: 'en', bylines: [ines], status: 'draft' },
    { headline: 'Draft: festival line-up', section: 'Culture', tags: ['Festival', 'Food'], language: 'fr', bylines: [olek] },
    { headline: 'Taken down: bridge costs', section: 'Politics', tags: ['Transport'], language: 'de', bylines: [mara], publishedAt: day(9), unpublish: true },
    { headline: 'Scheduled: winter markets', section: 'Business', tags: ['Food'], language: 'en', bylines: [mara], status: 'scheduled', scheduledAt: '2030-01-01T06:00:00.000Z' },
    { headline: 'Archived: summer regatta', section: 'Sport', tags: ['Ports'], language: 'en', bylines: [ines], publishedAt: day(1), archive: true }
  ]
  for (const { bylines, unpublish, archive, ...spec } of specs) {
    const status = spec.status ?? (spec.publishedAt !== undefined ? 'published' : 'draft')
    const story = await createArticle(app, { ...spec, status, bylines: bylines.map((author: Json) => ({ authorId: author.id })) })
    if (unpublish === true) await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'draft' })
    if (archive === true) await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'archived' })
  }
  return { mara, ines, olek }
}

t.test('every filter alone and together, public and staff, against the list worked out in the test', async (t) => {
  const app = await buildTestApp(t)
  const { mara, ines, olek } = await newsroom(app)
  const stories = await storiesIn(app)
  const middle = [...stories].sort(comparator('updatedAt'))[Math.floor(stories.length / 2)]!.updatedAt
  const cases: Filters[] = [
    {},
    { status: 'published' },
    { status: 'draft' },
    { status: 'archived' },
    { section: 'Regional' },
    { tag: ['Transport'] },
    { tag: ['Food', 'Weather'] },
    { tag: ['Transport', 'Ports'], tagMatch: 'all' },
    { tag: ['Transport', 'Ports'], tagMatch: 'any' },
    { tag: ['Food'], tagMatch: 'all' },
    { tag: ['Nowhere'] },
    { authorId: [mara.id] },
    { authorId: [ines.id, olek.id] },
    { language: 'fr' },
    { language: 'en-GB' },
    { publishedAfter: '2026-11-05' },
    { publishedBefore: '2026-11-05' },
    { publishedAfter: '2026-11-03T09:00:00.000Z', publishedBefore: '2026-11-08T09:00:00.000Z' },
    { updatedSince: middle },
    { tag: ['Transport'], section: 'Regional' },
    { tag: ['Food', 'Ports'], section: 'Business' },
    { tag: ['Transport', 'Weather'], tagMatch: 'all', authorId: [ines.id] },
    { authorId: [mara.id, olek.id], tag: ['Food', 'Transport'], language: 'fr' },
    { authorId: [ines.id], section: 'Regional', publishedAfter: '2026-11-04' },
    { section: 'Regional', language: 'en', publishedBefore: '2026-11-12', tag: ['Weather', 'Transport'] },
    { status: 'draft', tag: ['Festival'] },
    { status: 'published', authorId: [olek.id], updatedSince: middle }
  ]
  for (const filters of cases) {
    for (const reader of ['public', 'staff'] as const) {
      const want = ids(expected(stories, reader, filters))
      const got = await walk(t, app, reader, { ...filters, limit: 2 })
      t.same(ids(got), want, `${reader} ${url(filters)}: ${want.length} stories, in the default order`)
      const counted = await get(app, reader, { ...filters, count: 'true', limit: 1 })
      t.equal(counted.body.totalCount, want.length, `${reader} ${url(filters)}: totalCount`)
    }
  }
  t.ok(cases.some((filters) => expected(stories, 'public', filters).length > 2), 'some lists span several pages')
})

t.test('every order, ascending and descending, public and staff, alone and with filters', async (t) => {
  const app = await buildTestApp(t)
  const { ines } = await newsroom(app)
  // A later edit, so that the update order differs from the creation order.
  const [edited] = await walk(t, app, 'staff', { sort: 'createdAt', limit: 100 })
  await call(app, 'PATCH', `/v1/articles/${edited.id as string}`, { dek: 'Edited last.' })
  const stories = await storiesIn(app)
  t.same([...articleSorts].sort(), ['-createdAt', '-headline', '-publishedAt', '-updatedAt', 'createdAt', 'headline', 'publishedAt', 'updatedAt'], 'eight orders')
  for (const sort of articleSorts) {
    for (const filters of [{}, { tag: ['Transport', 'Food'] }, { authorId: [ines.id] }, { status: 'draft' }] as Filters[]) {
      for (const reader of ['public', 'staff'] as const) {
        const want = expected(stories, reader, filters, sort)
        const got = await walk(t, app, reader, { ...filters, sort, limit: 3 })
        t.same(ids(got), ids(want), `${reader} sort=${sort} ${url(filters)}`)
      }
    }
  }
  const headlines = (await walk(t, app, 'public', { sort: 'headline', fields: 'headline', limit: 100 })).map((item) => item.headline)
  t.same(headlines.slice(0, 3), ['Banana boats return to the harbour', 'Council votes on the new bridge', 'Ferry timetable changes for the winter'], 'capitals before small letters')
  t.same(headlines.slice(-3), ['zoo welcomes two otters', 'Éclair bakery wins the regional prize', 'éclair shortage after the festival'], 'accented letters after z (byte order, on both engines)')
  const staffByPublication = await walk(t, app, 'staff', { sort: '-publishedAt', limit: 100 })
  t.notOk(staffByPublication.some((item) => item.publishedAt === null), 'a publication order leaves out stories never published')
  t.ok(staffByPublication.some((item) => item.status !== 'published'), 'but keeps drafts published before')
})

t.test('a page deep in a list bounded on its own sort column is read from the cursor (SQLite plan)', { skip: engineUnderTest() !== 'sqlite' && 'SQLite\'s planner' }, async (t) => {
  // With the filter's bound as the index range, SQLite read every row between
  // the filter's bound and the cursor: a page 5,000 deep cost 15× the first.
  const app = await buildTestApp(t)
  for (let n = 0; n < 3; n++) await createArticle(app, { status: 'published' })
  for (const [params, column, side] of [
    ['publishedBefore=2100-01-01T00:00:00Z', 'publishedAt', '<'],
    ['publishedAfter=2000-01-01T00:00:00Z&sort=publishedAt', 'publishedAt', '>'],
    ['updatedSince=2000-01-01T00:00:00Z&sort=updatedAt', 'updatedAt', '>']
  ] as const) {
    const first = await getWithoutKey(app, `/v1/articles?${params}&limit=1`)
    const query = ArticleListQuery.parse({ ...Object.fromEntries(new URLSearchParams(params)), cursor: first.json().nextCursor, limit: '20' })
    const list = articleListOf(query, publicScope)!
    const plan = await app.db.prisma.$queryRaw<Array<{ detail: string }>>(sql`EXPLAIN QUERY PLAN ${publicPageSql(list, query.cursor, 21)}`)
    t.ok(plan.some((step) => step.detail.includes(`((${column},articleId)${side}(?,?))`)), `${params}: the index range starts at the cursor (${plan.map((step) => step.detail).join('; ')})`)
    t.equal((await getWithoutKey(app, `/v1/articles?${params}&limit=20&cursor=${encodeURIComponent(query.cursor!)}`)).json().data.length, 2, 'and the page holds the rest')
  }
})

t.test('a cursor holds a headline of any length: paging by headline across the longest ones', async (t) => {
  const app = await buildTestApp(t)
  // 500 characters, as long as a headline may be: four-byte characters, and ones JSON escapes.
  const long = (start: string): string => `${start}${'𝄞"\\\t'.repeat(200)}`.slice(0, 500)
  const made = [await createArticle(app, { headline: long('A'), status: 'published' }), await createArticle(app, { headline: long('B'), status: 'published' }), await createArticle(app, { headline: long('C'), status: 'published' })]
  for (const reader of ['public', 'staff'] as const) {
    for (const sort of ['headline', '-headline']) {
      const want = ids(sort === 'headline' ? made : [...made].reverse())
      t.same(ids(await walk(t, app, reader, { sort, limit: 1 })), want, `${reader} sort=${sort}: one a page`)
    }
  }
})

t.test('PostgreSQL sorts headlines and names in byte order whatever its locale: the columns are COLLATE "C"', { skip: engineUnderTest() !== 'postgresql' && 'PostgreSQL only' }, async (t) => {
  const app = await buildTestApp(t)
  const columns = await app.db.prisma.$queryRawUnsafe<Array<{ table_name: string, column_name: string, collation_name: string | null }>>(
    'SELECT table_name::text AS table_name, column_name::text AS column_name, collation_name::text AS collation_name FROM information_schema.columns WHERE (table_name, column_name) IN ((\'Article\', \'headline\'), (\'PublicArticle\', \'headline\'), (\'Author\', \'name\')) ORDER BY table_name')
  t.same(columns.map((column) => [column.table_name, column.column_name, column.collation_name]), [['Article', 'headline', 'C'], ['Author', 'name', 'C'], ['PublicArticle', 'headline', 'C']])
})

t.test('fields: only the fields named, id always, in the item\'s own order; unknown ones are a 400', async (t) => {
  const app = await buildTestApp(t)
  await newsroom(app)
  for (const reader of ['public', 'staff'] as const) {
    const full = await get(app, reader, { limit: 5 })
    const sparse = await get(app, reader, { limit: 5, fields: 'publishedAt,headline,slug' })
    t.equal(sparse.status, 200)
    t.same(sparse.body.data.map((item: Json) => Object.keys(item)), full.body.data.map(() => ['id', 'slug', 'headline', 'publishedAt']), `${reader}: id first, then the fields in the item's order`)
    t.same(sparse.body.data, full.body.data.map((item: Json) => ({ id: item.id, slug: item.slug, headline: item.headline, publishedAt: item.publishedAt })), `${reader}: the values of the full items`)
    t.equal(sparse.body.nextCursor, full.body.nextCursor, `${reader}: the same cursor`)
    const idOnly = await get(app, reader, { limit: 2, fields: 'id' })
    t.same(idOnly.body.data.map((item: Json) => Object.keys(item)), [['id'], ['id']], `${reader}: fields=id`)
    const everything = await get(app, reader, { limit: 1, fields: articleSummaryFields.join(',') })
    t.same(everything.body.data, full.body.data.slice(0, 1), `${reader}: every field named is the full item`)
    const embedded = await get(app, reader, { limit: 1, fields: 'bylines,leadImage' })
    t.same(embedded.body.data[0].bylines, full.body.data[0].bylines, `${reader}: embedded objects whole`)
    const bad = await app.inject({ method: 'GET', url: '/v1/articles?fields=id,headlin,slug', headers: reader === 'public' ? { authorization: '' } : {} })
    assertProblem(t, bad, 400, 'VALIDATION_FAILED', ['query.fields'])
    t.match(bad.json().errors[0].message, /"headlin" is not a field of a list item \(did you mean "headline"\?\)/, 'names the bad field, and the likely one')
    assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles?fields=body', headers: reader === 'public' ? { authorization: '' } : {} }), 400, 'VALIDATION_FAILED', ['query.fields'])
  }
  const publicSparse = await getWithoutKey(app, '/v1/articles?fields=headline')
  t.match(publicSparse.headers['surrogate-key'], /articles .*author-/, 'a sparse public page is tagged with what its stories show')
})

t.test('count: totalCount only when asked, every match whatever the cursor', async (t) => {
  const app = await buildTestApp(t)
  await newsroom(app)
  const stories = await storiesIn(app)
  for (const reader of ['public', 'staff'] as const) {
    const total = expected(stories, reader, {}).length
    const first = await get(app, reader, { limit: 2, count: 'true' })
    t.equal(first.body.totalCount, total, `${reader}: all matches`)
    const second = await get(app, reader, { limit: 2, count: 'true', cursor: first.body.nextCursor })
    t.equal(second.body.totalCount, total, `${reader}: the same on a later page`)
    t.notOk('totalCount' in (await get(app, reader, { limit: 2 })).body, `${reader}: absent without count`)
    t.notOk('totalCount' in (await get(app, reader, { limit: 2, count: 'false' })).body, `${reader}: absent with count=false`)
    assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles?count=yes', headers: reader === 'public' ? { authorization: '' } : {} }), 400, 'VALIDATION_FAILED', ['query.count'])
  }
  t.same((await get(app, 'public', { status: 'draft', count: 'true' })).body, { data: [], nextCursor: null, totalCount: 0 }, 'the public has no drafts to count')
  t.same((await get(app, 'public', { status: 'draft' })).body, { data: [], nextCursor: null })
  t.same(await app.services.articles.list({ limit: 5, status: 'draft', count: true }, publicScope), { data: [], nextCursor: null, totalCount: 0 }, 'nor does the live list read as the public')
})

/** Whether `items` are in the order of `sort` throughout. */
function inOrder (items: Json[], sort: string): boolean {
  const compare = comparator(sort)
  return items.every((item, index) => index === 0 || compare(items[index - 1], item) < 0)
}

t.test('paging through a filtered list in each order while stories are added and published: no gaps, no duplicates', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  let counter = 0
  // Headlines spread over the alphabet, so that new stories land before and after the cursor in headline order.
  const story = async (fields: object): Promise<Json> => await createArticle(app, { headline: `${'QDWMAZKGT'[counter % 9]!}${'abc'[counter++ % 3]!} walk story ${counter}`, tags: ['Walk'], bylines: [{ authorId: author.id }], ...fields })
  for (let i = 0; i < 9; i++) await story({ status: 'published', publishedAt: new Date(Date.UTC(2026, 10, 1 + (i % 4))).toISOString() })
  for (let i = 0; i < 3; i++) await story({})
  for (const sort of articleSorts) {
    for (const reader of ['public', 'staff'] as const) {
      const filters: Filters = { tag: ['Walk'], authorId: [author.id] }
      const originals = ids(expected(await storiesIn(app), reader, filters, sort))
      const seen: Json[] = []
      let cursor: string | undefined
      let pending: Json | undefined
      for (let pages = 0; pages < 50; pages++) {
        const page = await get(app, reader, { ...filters, sort, limit: 3, cursor })
        t.equal(page.status, 200)
        seen.push(...page.body.data)
        if (page.body.nextCursor === null) break
        // Between the first pages: a story published at once, a draft, and the draft of the page before
        // published (the staff walk only adds stories: publishing moves a draft it may have listed already).
        if (pages < 4) {
          await story({ status: 'published' })
          const draft = await story({})
          if (reader === 'public' && pending !== undefined) await call(app, 'PATCH', `/v1/articles/${pending.id as string}`, { status: 'published' })
          pending = draft
        }
        cursor = page.body.nextCursor
      }
      const listed = ids(seen)
      t.equal(new Set(listed).size, listed.length, `${reader} sort=${sort}: no story twice`)
      t.same(listed.filter((id) => originals.includes(id)), originals, `${reader} sort=${sort}: every story there at the start, once, in order`)
      t.ok(inOrder(seen, sort), `${reader} sort=${sort}: in order throughout`)
      t.ok(seen.every((item) => item.tags.includes('Walk') && (reader === 'staff' || item.status === 'published')), `${reader} sort=${sort}: only matches`)
    }
  }
})

t.test('a bad parameter is a 400 that names it, public and staff', async (t) => {
  const app = await buildTestApp(t)
  const { mara } = await newsroom(app)
  const tooMany = Array.from({ length: 21 }, (_, index) => `tag=t${index}`).join('&')
  const tooManyAuthors = Array.from({ length: 21 }, () => `authorId=${mara.id as string}`).join('&')
  const bad: Array<[string, string]> = [
    ['sort=newest', 'query.sort'],
    ['sort=publishedat', 'query.sort'],
    ['tagMatch=some', 'query.tagMatch'],
    ['publishedAfter=yesterday', 'query.publishedAfter'],
    ['publishedBefore=2026-13-01', 'query.publishedBefore'],
    ['updatedSince=2026-11-24T25:00:00Z', 'query.updatedSince'],
    ['language=english_US', 'query.language'],
    ['language=e', 'query.language'],
    [tooMany, 'query.tag'],
    ['tag=', 'query.tag.0'],
    [tooManyAuthors, 'query.authorId'],
    ['fields=', 'query.fields'],
    ['limit=5&unknown=1', 'query']
  ]
  for (const reader of ['public', 'staff'] as const) {
    const headers = reader === 'public' ? { authorization: '' } : {}
    for (const [query, path] of bad) {
      const response = await app.inject({ method: 'GET', url: `/v1/articles?${query}`, headers })
      if (path === 'query') assertProblem(t, response, 400, 'VALIDATION_FAILED')
      else assertProblem(t, response, 400, 'VALIDATION_FAILED', [path])
    }
    // A cursor belongs to its order and its filters.
    const byHeadline = await get(app, reader, { sort: 'headline', limit: 1 })
    const withTag = await get(app, reader, { tag: 'Transport', limit: 1 })
    const foreign: Array<[Query, string]> = [
      [{ sort: '-headline', cursor: byHeadline.body.nextCursor }, 'the reverse order'],
      [{ sort: '-publishedAt', cursor: byHeadline.body.nextCursor }, 'another order'],
      [{ sort: 'headline', section: 'Regional', cursor: byHeadline.body.nextCursor }, 'the same order with a filter'],
      [{ tag: 'Ports', cursor: withTag.body.nextCursor }, 'another tag'],
      [{ tag: ['Transport', 'Ports'], cursor: withTag.body.nextCursor }, 'more tags'],
      [{ cursor: withTag.body.nextCursor }, 'no filter']
    ]
    for (const [query, what] of foreign) {
      const response = await app.inject({ method: 'GET', url: url(query), headers })
      assertProblem(t, response, 400, 'VALIDATION_FAILED', ['query.cursor'])
      t.pass(`${reader}: a cursor used with ${what} is refused`)
    }
    t.equal((await get(app, reader, { sort: 'headline', limit: 1, fields: 'id', count: 'true', cursor: byHeadline.body.nextCursor })).status, 200, `${reader}: limit, fields and count may change between pages`)
    t.equal((await get(app, reader, { tag: ['Transport'], tagMatch: 'any', limit: 3, cursor: withTag.body.nextCursor })).status, 200, `${reader}: tagMatch=any is the default`)
  }
  const repeated = await get(app, 'public', { tag: ['Transport', 'Transport'], limit: 100 })
  t.same(ids(repeated.body.data), ids((await get(app, 'public', { tag: 'Transport', limit: 100 })).body.data), 'a tag named twice counts once')
})

t.test('public pages: cached per query, strong ETag and 304, tagged for purges', async (t) => {
  const app = await buildTestApp(t)
  const { mara } = await newsroom(app)
  const transport = await getWithoutKey(app, '/v1/articles?tag=Transport')
  const food = await getWithoutKey(app, '/v1/articles?tag=Food')
  t.not(transport.body, food.body, 'each tag its own page (the cache keys on every parameter)')
  for (const [a, b] of [['tag=Food', 'tag=Food&tagMatch=all&tag=Ports'], ['authorId=' + String(mara.id), 'authorId=' + String(mara.id) + '&count=true'], ['language=fr', 'language=fr&fields=id'], ['sort=headline', 'sort=-headline'], ['publishedAfter=2026-11-05', 'publishedBefore=2026-11-05'], ['section=Regional', 'section=Regional&updatedSince=2030-01-01']]) {
    t.not((await getWithoutKey(app, `/v1/articles?${a}`)).body, (await getWithoutKey(app, `/v1/articles?${b}`)).body, `${a} and ${b} differ`)
  }
  t.match(transport.headers.etag, /^"[\w-]+"$/)
  t.equal((await getWithoutKey(app, '/v1/articles?tag=Transport', { 'if-none-match': String(transport.headers.etag) })).statusCode, 304)
  t.match(String(transport.headers['surrogate-key']).split(' '), ['articles'])
  // A change to a listed story: the cached page goes.
  const [first] = transport.json().data
  await call(app, 'PATCH', `/v1/articles/${first.id as string}`, { tags: ['Farming'] })
  const after = await getWithoutKey(app, '/v1/articles?tag=Transport', { 'if-none-match': String(transport.headers.etag) })
  t.equal(after.statusCode, 200, 'the ETag no longer matches')
  t.notOk(ids(after.json().data).includes(first.id), 'the story left the tag page')
  t.ok(ids((await getWithoutKey(app, '/v1/articles?tag=Farming')).json().data).includes(first.id), 'and is on its new tag\'s page')
})

t.test('the tag and author rows follow every write: staff lists from the tables, public lists from the stored rows', async (t) => {
  const app = await buildTestApp(t)
  const mara = await createAuthor(app)
  const ines = await createAuthor(app)
  const tagged = async (reader: Reader, query: Query): Promise<string[]> => ids((await get(app, reader, { ...query, limit: 100 })).body.data)
  const story = await createArticle(app, { headline: 'Tag rows story', tags: ['One', 'Two', 'One'], bylines: [{ authorId: mara.id }, { authorId: mara.id, role: 'photographer' }] })
  t.same(await tagged('staff', { tag: 'One' }), [story.id], 'created: a draft is found by tag by staff')
  t.same(await tagged('public', { tag: 'One' }), [], 'not by the public')
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { status: 'published' })
  t.same(await tagged('public', { tag: 'Two' }), [story.id], 'published: on its tag pages')
  t.same(await tagged('public', { authorId: mara.id }), [story.id], 'and its author\'s (once, whatever the roles)')
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { tags: ['Three'] })
  t.same([await tagged('staff', { tag: 'One' }), await tagged('public', { tag: 'One' }), await tagged('public', { tag: 'Three' })], [[], [], [story.id]], 'PATCH tags: replaced')
  await call(app, 'PUT', `/v1/articles/${story.id as string}/bylines`, { data: [{ authorId: ines.id }] })
  t.same([await tagged('public', { authorId: mara.id }), await tagged('public', { authorId: ines.id }), await tagged('staff', { authorId: ines.id })], [[], [story.id], [story.id]], 'bylines replaced: on the new author\'s page only')
  const current = (await call(app, 'GET', `/v1/articles/${story.id as string}`)).body
  await call(app, 'PUT', `/v1/articles/${story.id as string}`, { headline: current.headline, status: 'published' })
  t.same([await tagged('staff', { tag: 'Three' }), await tagged('public', { tag: 'Three' }), await tagged('public', { authorId: ines.id })], [[], [], []], 'PUT without tags or bylines: none left')
  const revisions = (await call(app, 'GET', `/v1/articles/${story.id as string}/revisions?limit=100`)).body.data
  const withThree = revisions.find((revision: Json) => revision.version === current.version)
  await call(app, 'POST', `/v1/articles/${story.id as string}/revisions/${withThree.version as number}/restore`)
  t.same([await tagged('staff', { tag: 'Three' }), await tagged('public', { tag: 'Three' })], [[story.id], [story.id]], 'a restored revision brings its tags back')
  await call(app, 'DELETE', `/v1/articles/${story.id as string}`)
  t.same([await tagged('staff', { tag: 'Three' }), await tagged('public', { tag: 'Three' })], [[], []], 'trashed: on no list')
  await call(app, 'POST', `/v1/articles/${story.id as string}/restore`)
  t.same([await tagged('staff', { tag: 'Three' }), await tagged('public', { tag: 'Three' })], [[story.id], [story.id]], 'out of the trash: back')
  await call(app, 'DELETE', `/v1/authors/${ines.id as string}?force=true`)
  t.same(await tagged('public', { authorId: ines.id }), [], 'an author deleted with force leaves the author pages')

  // A bulk import writes tags as well: an export of the story, its tags changed, imported again.
  const exported = (await app.inject({ method: 'GET', url: '/v1/export' })).body.split('\n').filter((line: string) => line !== '').map((line: string) => JSON.parse(line))
  const record = exported.find((line: Json) => line.type === 'article' && line.data.id === story.id)
  const imported = await app.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: JSON.stringify({ ...record, data: { ...record.data, tags: ['Imported'] } }) + '\n' })
  t.equal(imported.statusCode, 200, imported.body)
  t.same([await tagged('staff', { tag: 'Imported' }), await tagged('public', { tag: 'Imported' }), await tagged('staff', { tag: 'Three' })], [[story.id], [story.id], []], 'a bulk import replaces them')

  // Every article's tag rows are its tags; every stored public form's rows are current.
  const articles = await app.db.prisma.article.findMany({ include: { tagRows: true } })
  t.ok(articles.every((article) => JSON.stringify([...new Set(article.tags as string[])].sort()) === JSON.stringify(article.tagRows.map((row) => row.tag).sort())), 'ArticleTag holds every article\'s tags')
  const report = await rebuildPublicArticles({ prisma: app.db.prisma, writes: app.services.writes }, { verify: true })
  t.same([report.stale, report.orphaned], [[], []], 'the stored forms and their tag and author rows are current')
})

t.test('the rebuild finds and repairs missing or wrong tag and author rows', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const story = await createArticle(app, { status: 'published', tags: ['Kept'], bylines: [{ authorId: author.id }] })
  await app.db.prisma.publicArticleTag.deleteMany({ where: { articleId: story.id } })
  await app.db.prisma.publicArticleAuthor.updateMany({ where: { articleId: story.id }, data: { publishedAt: new Date(0) } })
  const maintenance = { prisma: app.db.prisma, writes: app.services.writes }
  t.same((await rebuildPublicArticles(maintenance, { verify: true })).stale, [story.id], 'reported')
  t.same((await rebuildPublicArticles(maintenance, { verify: false })).stale, [story.id], 'and rewritten')
  t.same((await rebuildPublicArticles(maintenance, { verify: true })).stale, [], 'in line afterwards')
  t.same(ids((await getWithoutKey(app, '/v1/articles?tag=Kept')).json().data), [story.id])
  t.same(ids((await getWithoutKey(app, `/v1/articles?authorId=${author.id as string}&publishedAfter=2000-01-01`)).json().data), [story.id])
})
