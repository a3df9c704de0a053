// Public representations rendered at write time: after any sequence of writes,
// every stored public JSON equals a fresh render from the tables, byte for
// byte; public reads send the stored bytes with a strong ETag; the rebuild
// command finds and repairs what differs.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, call, getWithoutKey, createArticle, createAuthor, createImage } from './helper.ts'
import { z } from 'zod'
import { publicScope, rebuildPublicArticles, storeMissingPublicArticles } from '../src/services/public-articles.ts'
import { ArticlePage } from '../src/schemas/article.ts'
import { seededRandom as generator } from './support/seeded-random.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const maintenance = (app: FastifyInstance) => ({ prisma: app.db.prisma, writes: app.services.writes })

/** Every page of the public list (3 a page) as sent to a reader without a key, joined. */
async function publicListPages (app: FastifyInstance, section?: string): Promise<string> {
  const pages: string[] = []
  let cursor: string | null = null
  do {
    const response = await getWithoutKey(app, `/v1/articles?limit=3${section === undefined ? '' : `&section=${section}`}${cursor === null ? '' : `&cursor=${cursor}`}`)
    pages.push(response.body)
    cursor = response.json().nextCursor
  } while (cursor !== null)
  return pages.join('\n')
}

/** The same pages rendered live from the tables, as the public may see them. */
async function liveListPages (app: FastifyInstance, section?: string): Promise<string> {
  const pages: string[] = []
  let cursor: string | undefined
  do {
    const page = await app.services.articles.list({ limit: 3, cursor, section }, publicScope)
    pages.push(JSON.stringify(z.encode(ArticlePage, page)))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return pages.join('\n')
}


t.test('after every write of a random sequence, each stored public form equals a fresh render', async (t) => {
  const app = await buildTestApp(t)
  const seed = Number(process.env.PUBLIC_ARTICLES_SEED ?? Date.now() % 1_000_000)
  t.comment(`seed ${seed} (replay with PUBLIC_ARTICLES_SEED=${seed})`)
  const random = generator(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!

  const authors: Json[] = [await createAuthor(app), await createAuthor(app), await createAuthor(app)]
  const images: Json[] = [await createImage(app), await createImage(app)]
  const articles: Json[] = []
  const sections = ['World', 'Sport', null]
  const newArticle = async (): Promise<Json> => {
    const targets = articles.filter(() => random() < 0.5)
    const article = await createArticle(app, {
      status: random() < 0.7 ? 'published' : 'draft',
      section: pick(sections),
      leadImageId: random() < 0.6 ? pick(images).id : null,
      bylines: [{ authorId: pick(authors).id, role: 'author' }, { authorId: pick(authors).id, role: 'reporting' }],
      body: [
        { type: 'paragraph', text: `Opening paragraph ${Math.floor(random() * 1000)}.` },
        ...(images.length > 0 && random() < 0.5 ? [{ type: 'image', imageId: pick(images).id }] : []),
        ...targets.map((target) => ({ type: 'related_link', articleId: target.id, text: `Read: ${target.headline}` })),
        { type: 'related_link', url: 'https://elsewhere.example.org/story', text: 'Elsewhere' }
      ]
    })
    articles.push(article)
    return article
  }
  for (let i = 0; i < 5; i++) await newArticle()

  const operations: Array<[string, () => Promise<unknown>]> = [
    ['rename an author', async () => await call(app, 'PATCH', `/v1/authors/${pick(authors).id}`, { name: `Renamed ${Math.floor(random() * 1e6)}` })],
    ['change an image credit', async () => await call(app, 'PATCH', `/v1/images/${pick(images).id}`, { credit: { photographer: `Photographer ${Math.floor(random() * 1e6)}` } })],
    ['edit a linked story\'s headline', async () => await call(app, 'PATCH', `/v1/articles/${pick(articles).id}`, { headline: `New headline ${Math.floor(random() * 1e6)}` })],
    ['change a story\'s slug', async () => await call(app, 'PATCH', `/v1/articles/${pick(articles).id}`, { slug: `moved-${Math.floor(random() * 1e9)}` })],
    ['publish or unpublish a story', async () => await call(app, 'PATCH', `/v1/articles/${pick(articles).id}`, { status: random() < 0.5 ? 'published' : 'draft' })],
    ['delete a story', async () => {
      const article = pick(articles)
      articles.splice(articles.indexOf(article), 1)
      await call(app, 'DELETE', `/v1/articles/${article.id}?permanent=true`)
      await newArticle()
    }],
    ['trash a story, or restore one', async () => {
      const trashed = (await call(app, 'GET', '/v1/trash')).body.data
      if (trashed.length > 0 && random() < 0.5) {
        await call(app, 'POST', `/v1/articles/${trashed[0].id as string}/restore`)
        articles.push(trashed[0])
        return
      }
      const article = pick(articles)
      articles.splice(articles.indexOf(article), 1)
      await call(app, 'DELETE', `/v1/articles/${article.id}`)
      await newArticle()
    }],
    ['reorder a byline', async () => {
      const article = pick(articles)
      const bylines = (await call(app, 'GET', `/v1/articles/${article.id}/bylines`)).body.data
      await call(app, 'PUT', `/v1/articles/${article.id}/bylines`, { data: [...bylines].reverse().map((byline: Json) => ({ authorId: byline.authorId, role: byline.role })) })
    }],
    ['delete an author with force', async () => {
      const author = pick(authors)
      authors.splice(authors.indexOf(author), 1, await createAuthor(app))
      await call(app, 'DELETE', `/v1/authors/${author.id}?force=true`)
    }],
    ['delete an image with force', async () => {
      const image = pick(images)
      images.splice(images.indexOf(image), 1, await createImage(app))
      await call(app, 'DELETE', `/v1/images/${image.id}?force=true`)
    }],
    ['make a story a translation of another, or take one out of its group', async () => {
      const [version, other] = [pick(articles), pick(articles)]
      const languages = ['es', 'de', 'fr', 'pt-BR', 'en']
      // A language taken in the group is a 409 (nothing written): the check after it still holds.
      await call(app, 'PATCH', `/v1/articles/${version.id}`, random() < 0.3 ? { translationOf: null } : { translationOf: other.id === version.id ? null : other.id, language: pick(languages) })
    }],
    ['add a related link', async () => {
      const [source, target] = [pick(articles), pick(articles)]
      if (source.id !== target.id) await call(app, 'POST', `/v1/articles/${source.id}/related-links`, { articleId: target.id, text: 'Also read', position: 0 })
    }]
  ]

  let published = 0
  for (let step = 0; step < 40; step++) {
    const [name, operation] = pick(operations)
    await operation()
    const report = await rebuildPublicArticles(maintenance(app), { verify: true })
    published = Math.max(published, report.checked)
    if (report.stale.length > 0 || report.orphaned.length > 0) {
      t.fail(`step ${step} (${name}): stale ${JSON.stringify(report.stale)}, orphaned ${JSON.stringify(report.orphaned)}`)
      break
    }
    // Public list pages (stored items, cached) equal the live list from the tables, byte for byte.
    const section = pick(['World', undefined])
    const listed = await publicListPages(app, section)
    const live = await liveListPages(app, section)
    if (listed !== live) {
      t.equal(listed, live, `step ${step} (${name}): the public list${section === undefined ? '' : ` of ${section}`} is what the tables say`)
      break
    }
  }
  t.ok(published > 0, `published stories were checked (up to ${published} at once)`)

  // What a reader receives is the stored form, byte for byte.
  for (const stored of await app.db.prisma.publicArticle.findMany()) {
    const byId = await getWithoutKey(app, `/v1/articles/${stored.articleId}`)
    t.equal(byId.body, stored.json, 'by id: the stored bytes')
    t.same([byId.headers.etag, byId.headers['last-modified']], [stored.etag, stored.renderedAt.toUTCString()], 'with their ETag and time')
    t.equal((await getWithoutKey(app, `/v1/article-by-slug/${stored.slug}`)).body, stored.json, 'by slug: the stored bytes')
  }
  t.equal(await app.db.prisma.publicArticle.count(), await app.db.prisma.article.count({ where: { status: 'published', deletedAt: null } }), 'one stored form per published story (not in the trash), no more')
})

t.test('public reads carry a strong ETag; If-None-Match with it is a 304; an author\'s edit gives the story a new one', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app, { email: 'desk@example.org' })
  const story = await createArticle(app, { status: 'published', bylines: [{ authorId: author.id }] })
  const first = await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)
  t.equal(first.statusCode, 200)
  t.match(first.headers.etag, /^"[\w-]+"$/, 'a strong ETag')
  t.match(first.headers['content-type'], /^application\/json/)
  t.notMatch(first.body, /desk@example\.org/, 'no contact details in the public form')
  t.equal(first.headers['cache-control'], 'public, max-age=0, s-maxage=60, stale-while-revalidate=30', 'shared caches may keep it (the defaults)')
  t.ok(Date.parse(String(first.headers['last-modified'])) > Date.now() - 60_000, 'Last-Modified: when the stored form last changed')
  t.same(String(first.headers['surrogate-key']).split(' ').sort(), [`article-${story.id}`, `author-${author.id}`].sort(), 'Surrogate-Key: the story and its author')
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).headers.etag, first.headers.etag, 'the same by id')

  const again = await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`, { 'if-none-match': String(first.headers.etag) })
  t.equal(again.statusCode, 304, 'not modified')
  t.equal(again.body, '', 'no body')
  t.equal(again.headers.etag, first.headers.etag)
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`, { 'if-none-match': `"other", W/${String(first.headers.etag)}` })).statusCode, 304, 'a list of tags, weak form included')
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`, { 'if-none-match': '"other"' })).statusCode, 200, 'another tag is a full answer')

  await call(app, 'PATCH', `/v1/authors/${author.id}`, { name: 'A Corrected Name' })
  const renamed = await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`, { 'if-none-match': String(first.headers.etag) })
  t.equal(renamed.statusCode, 200, 'the old ETag no longer matches')
  t.not(renamed.headers.etag, first.headers.etag, 'a new ETag')
  t.match(renamed.json().bylines[0].author.name, 'A Corrected Name')

  // Editors read the tables (drafts included), not the stored form.
  const staff = await app.inject({ method: 'GET', url: `/v1/articles/${story.id}` })
  t.equal(staff.headers.etag, `"${story.id}.v${staff.json().version}"`, 'a key that sees drafts gets the version\'s ETag, not the stored form\'s')
  t.equal(staff.headers['cache-control'], 'private, no-store', 'what a key that sees drafts reads stays out of shared caches')
  t.equal(staff.json().bylines[0].author.email, 'desk@example.org')

  const draft = await createArticle(app)
  t.equal((await getWithoutKey(app, `/v1/articles/${draft.id}`)).statusCode, 404, 'a draft has no public form')
})

t.test('the rebuild finds stale and missing stored forms, verifies without writing, and repairs', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published' })
  const other = await createArticle(app, { status: 'published' })
  t.same(await rebuildPublicArticles(maintenance(app), { verify: true }), { checked: 2, stale: [], orphaned: [] }, 'in line after ordinary writes')

  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { json: '{"tampered":true}' } })
  await app.db.prisma.publicArticle.delete({ where: { articleId: other.id } })
  const verified = await rebuildPublicArticles(maintenance(app), { verify: true })
  t.same(verified.stale, [story.id, other.id].sort(), 'both found')
  t.equal((await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })).json, '{"tampered":true}', 'verifying writes nothing')

  t.equal(await storeMissingPublicArticles(maintenance(app)), 1, 'at start, the missing one is stored')
  const repaired = await rebuildPublicArticles(maintenance(app), { verify: false })
  t.same(repaired.stale, [story.id], 'the stale one is rewritten')
  t.same(await rebuildPublicArticles(maintenance(app), { verify: true }), { checked: 2, stale: [], orphaned: [] }, 'all in line again')

  // A row from before the Surrogate-Key was stored with it: served with the keys its JSON gives, and found stale.
  const keys = (await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })).surrogateKeys
  t.equal(keys, `article-${story.id as string}`, 'stored at write time')
  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { surrogateKeys: '' } })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id as string}`)).headers['surrogate-key'], keys, 'read from the JSON when not stored')
  t.same((await rebuildPublicArticles(maintenance(app), { verify: true })).stale, [story.id], 'the rebuild finds it')
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).json().id, story.id)
})

t.test('npm run public:rebuild verifies (exit 1 when anything differs) and repairs', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published' })
  const run = (args: string[]): { status: number | null, output: string } => {
    const result = spawnSync(process.execPath, [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/rebuild-public.ts', ...args], {
      env: { ...process.env, DATABASE_URL: app.config.DATABASE_URL, LOG_LEVEL: 'silent' }, encoding: 'utf8'
    })
    return { status: result.status, output: `${result.stdout}${result.stderr}` }
  }
  const clean = run(['--verify'])
  t.equal(clean.status, 0, clean.output)
  t.match(clean.output, '1 published article(s) checked: 0 stale or missing')

  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { json: '{}' } })
  const dirty = run(['--verify'])
  t.equal(dirty.status, 1, 'exit 1: something differs')
  t.match(dirty.output, `stale: ${story.id}`)
  t.match(dirty.output, 'Nothing was written')

  const repaired = run([])
  t.equal(repaired.status, 0, repaired.output)
  t.match(repaired.output, 'Rewritten from the tables')
  t.equal(run(['--verify']).status, 0, 'in line afterwards')
})

t.test('public lists: latest publication first, no bodies, a strong ETag (304 on If-None-Match), Surrogate-Key; editors read them live', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app, { email: 'desk@example.org' })
  const draftedFirst = await createArticle(app, { headline: 'Drafted first, published last', section: 'World', bylines: [{ authorId: author.id }] })
  const published = await createArticle(app, { headline: 'Published at once', status: 'published', section: 'Sport' })
  await createArticle(app, { headline: 'Never published' })
  await call(app, 'PATCH', `/v1/articles/${draftedFirst.id}`, { status: 'published' })

  const first = await getWithoutKey(app, '/v1/articles')
  t.equal(first.statusCode, 200)
  const page = first.json()
  t.same(page.data.map((item: Json) => item.id), [draftedFirst.id, published.id], 'by publication, not creation; drafts left out')
  t.notOk('body' in page.data[0], 'list items carry no body')
  t.equal(page.data[0].bylines[0].author.name, author.name, 'bylines embedded')
  t.notMatch(first.body, /desk@example\.org/, 'no contact details')
  t.match(first.headers.etag, /^"[\w-]+"$/, 'a strong ETag')
  t.equal(first.headers['last-modified'], undefined, 'no Last-Modified (a page is assembled from many stories)')
  t.equal(first.headers['cache-control'], 'public, max-age=0, s-maxage=60, stale-while-revalidate=30')
  t.same(String(first.headers['surrogate-key']).split(' ').sort(), ['articles', `article-${draftedFirst.id}`, `article-${published.id}`, `author-${author.id}`].sort(), 'Surrogate-Key: "articles" and what the items show')
  t.equal((await getWithoutKey(app, '/v1/articles', { 'if-none-match': String(first.headers.etag) })).statusCode, 304, 'If-None-Match with the current ETag: 304')
  t.same((await getWithoutKey(app, '/v1/articles?section=Sport')).json().data.map((item: Json) => item.id), [published.id], 'filtered by section')
  t.same((await getWithoutKey(app, '/v1/articles?status=draft')).json(), { data: [], nextCursor: null }, 'no drafts for the public')

  await call(app, 'PATCH', `/v1/authors/${author.id}`, { name: 'Another Name Entirely' })
  const renamed = await getWithoutKey(app, '/v1/articles', { 'if-none-match': String(first.headers.etag) })
  t.equal(renamed.statusCode, 200, 'an author\'s rename changes the page: the old ETag no longer matches')
  t.equal(renamed.json().data[0].bylines[0].author.name, 'Another Name Entirely')

  // Paging: the public list and an editor's list of published stories share order and cursors.
  const onePublic = (await getWithoutKey(app, '/v1/articles?limit=1')).json()
  const oneStaff = (await call(app, 'GET', '/v1/articles?limit=1&status=published')).body
  t.equal(oneStaff.nextCursor, onePublic.nextCursor, 'the same cursor')
  t.same((await getWithoutKey(app, `/v1/articles?limit=1&cursor=${onePublic.nextCursor as string}`)).json().data.map((item: Json) => item.id), [published.id], 'the next page')
  const everything = await call(app, 'GET', '/v1/articles?limit=1')
  t.equal(everything.body.data.length, 1, 'an editor\'s list includes drafts, newest created first')
  t.equal(everything.response.headers['cache-control'], 'private, no-store', 'not for shared caches')
  t.equal(everything.response.headers.etag, undefined, 'read live, no stored-form ETag')
  const refused = await getWithoutKey(app, `/v1/articles?cursor=${everything.body.nextCursor as string}`)
  t.equal(refused.statusCode, 400, 'a cursor of the newest-created order is refused by the publication order, not misread')
  t.equal(refused.json().errors[0].path, 'query.cursor')
})

t.test('a stored story read through the driver (a cache miss) has the same time as through Prisma, in any local time zone', async (t) => {
  const zone = process.env.TZ
  process.env.TZ = 'Pacific/Auckland' // far from UTC: a time read as local would be hours off
  t.teardown(() => { if (zone === undefined) delete process.env.TZ; else process.env.TZ = zone })
  const app = await buildTestApp(t, { PUBLIC_CACHE_BYTES: '0' })
  const story = await createArticle(app, { status: 'published' })
  const stored = await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })
  for (const url of [`/v1/articles/${story.id as string}`, `/v1/article-by-slug/${story.slug as string}`]) {
    const read = await getWithoutKey(app, url)
    t.equal(read.headers['last-modified'], stored.renderedAt.toUTCString(), `${url}: Last-Modified is when it was rendered`)
    t.equal(read.body, stored.json)
  }
})
