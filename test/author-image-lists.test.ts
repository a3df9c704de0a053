// GET /v1/authors and GET /v1/images with their filters, orders and counts,
// checked against the lists worked out in the test from the tables.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, createAuthor, createImage, getWithoutKey } from './helper.ts'
import { authorSorts } from '../src/schemas/author.ts'
import { imageSorts } from '../src/schemas/image.ts'
import { raw } from '../src/db/client.ts'
import { keysetPage, listOrder, pageSql } from '../src/db/list-sql.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any
type Query = Record<string, string | number | undefined>

const withQuery = (path: string, query: Query): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const search = params.toString()
  return search === '' ? path : `${path}?${search}`
}

/** Every page of a list, following nextCursor. */
async function walk (t: Test, app: FastifyInstance, path: string, query: Query): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | undefined
  for (let guard = 0; guard < 100; guard++) {
    const response = await app.inject({ method: 'GET', url: withQuery(path, { ...query, cursor }) })
    if (response.statusCode !== 200) {
      t.fail(`GET ${withQuery(path, { ...query, cursor })} answered ${response.statusCode}: ${response.body}`)
      break
    }
    const page = response.json()
    items.push(...page.data)
    if (page.nextCursor === null) break
    cursor = page.nextCursor
  }
  return items
}

const ids = (items: Array<{ id: string }>): string[] => items.map((item) => item.id)
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** The order of `sort` (a field, `-` descending), ties broken by id the same way. */
const sorted = <T extends { id: string }>(items: T[], sort: string): T[] => {
  const field = sort.replace(/^-/, '') as keyof T
  const sign = sort.startsWith('-') ? -1 : 1
  return [...items].sort((a, b) => sign * (byteOrder(String(a[field]), String(b[field])) || byteOrder(a.id, b.id)))
}

/** Lower case as both engines fold it for these tests (ASCII letters). */
const folded = (text: string | null): string => (text ?? '').toLowerCase()

t.test('authors: namePrefix, organization, every order, count', async (t) => {
  const app = await buildTestApp(t)
  const specs = [
    ['Mara Lindqvist', 'Continental Press'], ['marta Okafor', 'Continental Press'], ['Marek Novak', 'Harbour Daily'],
    ['Ines Varga', 'Continental Press'], ['Zoë Ångström', null], ['Ángel Ruiz', 'Harbour Daily'], ['anna Berg', null],
    ['Mar_ie 100% Test', 'Harbour Daily'], ['Olek Brandt', 'Continental Press']
  ] as const
  for (const [name, organization] of specs) await createAuthor(app, { name, organization })
  const authors = (await app.db.prisma.author.findMany()).map((author) => ({ ...author, createdAt: author.createdAt.toISOString() }))
  const cases: Array<[Query, (author: typeof authors[number]) => boolean]> = [
    [{}, () => true],
    [{ namePrefix: 'mar' }, (author) => folded(author.name).startsWith('mar')],
    [{ namePrefix: 'MARE' }, (author) => folded(author.name).startsWith('mare')],
    [{ namePrefix: 'Mar_' }, (author) => author.name.startsWith('Mar_')],
    [{ namePrefix: 'Mar_ie 100%' }, (author) => author.name.startsWith('Mar_ie 100%')],
    [{ namePrefix: 'Ángel' }, (author) => author.name.startsWith('Ángel')],
    [{ organization: 'Continental Press' }, (author) => author.organization === 'Continental Press'],
    [{ organization: 'continental press' }, () => false],
    [{ organization: 'Harbour Daily', namePrefix: 'ma' }, (author) => author.organization === 'Harbour Daily' && folded(author.name).startsWith('ma')]
  ]
  for (const sort of authorSorts) {
    for (const [query, keep] of cases) {
      const want = ids(sorted(authors.filter(keep), sort))
      t.same(ids(await walk(t, app, '/v1/authors', { ...query, sort, limit: 2 })), want, `sort=${sort} ${JSON.stringify(query)}: ${want.length} authors`)
      const counted = (await app.inject({ method: 'GET', url: withQuery('/v1/authors', { ...query, sort, count: 'true', limit: 1 }) })).json()
      t.equal(counted.totalCount, want.length, `sort=${sort} ${JSON.stringify(query)}: totalCount`)
    }
  }
  t.same(ids(await walk(t, app, '/v1/authors', { limit: 3 })), ids(sorted(authors, '-createdAt')), 'newest first by default')
  const names = (await walk(t, app, '/v1/authors', { sort: 'name', limit: 100 })).map((author) => author.name)
  t.same(names, [...names].sort(byteOrder), 'by name in byte order')
  t.same([names[0], names.at(-1)], ['Ines Varga', 'Ángel Ruiz'], 'capitals first, accented letters after z')
  const publicPage = await getWithoutKey(app, '/v1/authors?namePrefix=mara&count=true')
  t.same([publicPage.statusCode, publicPage.json().totalCount, publicPage.json().data[0].email], [200, 1, undefined], 'the public lists authors too, without contact details')
})

t.test('images: photographer, agency, caption or alt, both orders, count', async (t) => {
  const app = await buildTestApp(t)
  const specs = [
    { caption: 'The Aldern VIADUCT at dawn', alt: 'A viaduct', credit: { photographer: 'Ines Varga', agency: 'Continental Press' } },
    { caption: 'Harbour cranes', alt: 'Cranes over the viaduct road', credit: { photographer: 'Ines Varga', agency: null } },
    { caption: null, alt: null, credit: { photographer: 'Olek Brandt', agency: 'Continental Press' } },
    { caption: 'Market day, 50% off', alt: 'Stalls', credit: { photographer: null, agency: 'Harbour Daily' } },
    { caption: 'A ferry_boat leaving', alt: null, credit: {} },
    { caption: 'Council chamber', alt: 'Empty seats', credit: { photographer: 'ines varga', agency: 'Pool' } }
  ]
  for (const spec of specs) await createImage(app, spec)
  const images = (await app.db.prisma.image.findMany()).map((image) => ({ ...image, createdAt: image.createdAt.toISOString() }))
  const cases: Array<[Query, (image: typeof images[number]) => boolean]> = [
    [{}, () => true],
    [{ photographer: 'Ines Varga' }, (image) => image.creditPhotographer === 'Ines Varga'],
    [{ agency: 'Continental Press' }, (image) => image.creditAgency === 'Continental Press'],
    [{ caption: 'viaduct' }, (image) => folded(image.caption).includes('viaduct') || folded(image.alt).includes('viaduct')],
    [{ caption: 'AT DAWN' }, (image) => folded(image.caption).includes('at dawn')],
    [{ caption: '50%' }, (image) => (image.caption ?? '').includes('50%')],
    [{ caption: 'y_b' }, (image) => (image.caption ?? '').includes('y_b')],
    [{ caption: 'viaduct', photographer: 'Ines Varga', agency: 'Continental Press' }, (image) => image.creditAgency === 'Continental Press' && image.creditPhotographer === 'Ines Varga']
  ]
  for (const sort of imageSorts) {
    for (const [query, keep] of cases) {
      const want = ids(sorted(images.filter(keep), sort))
      t.same(ids(await walk(t, app, '/v1/images', { ...query, sort, limit: 2 })), want, `sort=${sort} ${JSON.stringify(query)}: ${want.length} images`)
      const counted = (await app.inject({ method: 'GET', url: withQuery('/v1/images', { ...query, sort, count: 'true', limit: 1 }) })).json()
      t.equal(counted.totalCount, want.length, `sort=${sort} ${JSON.stringify(query)}: totalCount`)
    }
  }
  t.same(ids(await walk(t, app, '/v1/images', { limit: 4 })), ids(sorted(images, '-createdAt')), 'newest first by default')
  t.notOk('totalCount' in (await app.inject({ method: 'GET', url: '/v1/images' })).json(), 'no count unless asked')
})

t.test('authors and images: a bad parameter, or a cursor of another order or filter, is a 400 naming it', async (t) => {
  const app = await buildTestApp(t)
  for (let i = 0; i < 3; i++) {
    await createAuthor(app, { name: `Mara ${i}`, organization: 'Continental Press' })
    await createImage(app, { caption: `Caption ${i}` })
  }
  const bad: Array<[string, string]> = [
    ['/v1/authors?sort=surname', 'query.sort'],
    ['/v1/authors?sort=-updatedAt', 'query.sort'],
    ['/v1/authors?namePrefix=', 'query.namePrefix'],
    ['/v1/authors?namePrefix=%20%20', 'query.namePrefix'],
    ['/v1/authors?organization=', 'query.organization'],
    ['/v1/authors?count=1', 'query.count'],
    ['/v1/images?sort=name', 'query.sort'],
    ['/v1/images?photographer=', 'query.photographer'],
    ['/v1/images?agency=' + 'x'.repeat(201), 'query.agency'],
    ['/v1/images?caption=', 'query.caption']
  ]
  for (const [url, path] of bad) assertProblem(t, await app.inject({ method: 'GET', url }), 400, 'VALIDATION_FAILED', [path])
  const byName = (await app.inject({ method: 'GET', url: '/v1/authors?sort=name&limit=1' })).json()
  for (const url of [`/v1/authors?sort=-name&cursor=${byName.nextCursor as string}`, `/v1/authors?cursor=${byName.nextCursor as string}`, `/v1/authors?sort=name&namePrefix=m&cursor=${byName.nextCursor as string}`]) {
    assertProblem(t, await app.inject({ method: 'GET', url }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  }
  t.equal((await app.inject({ method: 'GET', url: `/v1/authors?sort=name&limit=2&count=true&cursor=${byName.nextCursor as string}` })).statusCode, 200, 'limit and count may change between pages')
  const oldest = (await app.inject({ method: 'GET', url: '/v1/images?sort=createdAt&limit=1' })).json()
  for (const url of [`/v1/images?cursor=${oldest.nextCursor as string}`, `/v1/images?sort=createdAt&agency=Pool&cursor=${oldest.nextCursor as string}`]) {
    assertProblem(t, await app.inject({ method: 'GET', url }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  }
})

t.test('a page whose rows go between its two reads leaves them out, and keeps its cursor', async (t) => {
  const app = await buildTestApp(t)
  const authors: Json[] = []
  for (let i = 0; i < 3; i++) authors.push(await createAuthor(app))
  const order = listOrder('-createdAt', { field: 'createdAt', kind: 'date' }, {})
  const list = { select: raw('m."id", m."createdAt"'), from: raw('"Author" m'), where: [], keyColumns: [raw('m."createdAt"'), raw('m."id"')] }
  const page = await keysetPage(app.db.prisma, order, 2, (take) => pageSql(list, order, undefined, take),
    async (ids) => (await app.db.prisma.author.findMany({ where: { id: { in: ids } } })).filter((author) => author.id !== authors[2].id))
  t.same(ids(page.rows), [authors[1].id], 'the newest, gone meanwhile, is left out')
  const next = await keysetPage(app.db.prisma, order, 2, (take) => pageSql(list, order, page.nextCursor ?? undefined, take),
    async (ids) => await app.db.prisma.author.findMany({ where: { id: { in: ids } } }))
  t.same([ids(next.rows), next.nextCursor], [[authors[0].id], null], 'the next page goes on after it')
})
