// DEMO_CONTENT: the demo article (with its authors, photo and two related
// stories) is loaded into an empty database at start, once, and never into a
// database that already has articles.
import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { demoArticleSlug, loadDemoContent } from '../src/demo/demo-content.ts'
import { buildTestApp, call, createArticle, createAuthor, freshTestDatabase } from './helper.ts'

async function counts (app: FastifyInstance): Promise<{ articles: number, authors: number, images: number, bylines: number, blocks: number }> {
  const prisma = app.db.prisma
  return {
    articles: await prisma.article.count(),
    authors: await prisma.author.count(),
    images: await prisma.image.count(),
    bylines: await prisma.byline.count(),
    blocks: await prisma.bodyBlock.count()
  }
}

/** Apps started one after the other on one database, as restarts of a server. */
async function appsOnOneDatabase (t: Test): Promise<(env: Record<string, string>) => Promise<FastifyInstance>> {
  const databaseUrl = await freshTestDatabase(t)
  return async (env) => await buildTestApp(t, { ...env, DATABASE_URL: databaseUrl })
}

t.test('DEMO_CONTENT=true loads the demo article into an empty database', async (t) => {
  const app = await buildTestApp(t, { DEMO_CONTENT: 'true' })
  const { status, body: article } = await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)
  t.equal(status, 200, 'the demo article is there')

  t.equal(article.status, 'published')
  t.match(article.publishedAt, /^\d{4}-\d\d-\d\dT/, 'with a publication date')
  t.ok(typeof article.headline === 'string' && article.headline.length > 20, 'a headline')
  t.ok(typeof article.dateline === 'string' && article.dateline.length > 0, 'a dateline')
  t.ok(typeof article.dek === 'string' && article.dek.length > 0, 'a dek')

  // The byline: two wire reporters, in order.
  t.equal(article.bylines.length, 2, 'two bylines')
  t.same(article.bylines.map((byline: { author: { organization: string } }) => byline.author.organization), ['Continental Press', 'Continental Press'])
  t.same(article.bylines.map((byline: { author: { name: string } }) => byline.author.name), ['Mara Lindqvist', 'Tomas Okafor'], 'in order')
  for (const byline of article.bylines) t.equal(byline.authorId, byline.author.id)

  // The lead photo with its credit.
  t.ok(article.leadImage, 'a lead image')
  t.equal(article.leadImageId, article.leadImage.id)
  t.equal(article.leadImage.creditLine, 'Ines Varga / Continental Press')
  t.ok(article.leadImage.alt.length > 0 && article.leadImage.caption.length > 0, 'alt text and caption')

  // The body.
  const types: string[] = article.body.map((block: { type: string }) => block.type)
  const count = (type: string): number => types.filter((candidate) => candidate === type).length
  t.equal(count('paragraph'), 12, '12 paragraphs')
  t.ok(count('ad_slot') >= 3 && count('ad_slot') <= 4, `3 or 4 ad slots (${count('ad_slot')})`)
  t.equal(count('related_link'), 2, 'exactly 2 related links')
  t.equal(types.length, 12 + count('ad_slot') + 2, 'nothing else')
  t.equal(types[0], 'paragraph', 'the body opens with a paragraph')
  t.not(types[types.length - 1], 'ad_slot', 'the body does not end with an ad')
  for (let i = 1; i < types.length; i++) {
    t.notOk(types[i] === 'ad_slot' && types[i - 1] === 'ad_slot', `blocks ${i - 1} and ${i} are not two ad slots in a row`)
    t.notOk(types[i] !== 'paragraph' && types[i - 1] !== 'paragraph', `blocks ${i - 1} and ${i} (${types[i - 1]}, ${types[i]}) are separated by text`)
  }
  const slots = article.body.filter((block: { type: string }) => block.type === 'ad_slot').map((block: { slot: string }) => block.slot)
  t.equal(new Set(slots).size, slots.length, `ad slot names are distinct (${slots.join(', ')})`)

  // The related links embed stories that exist.
  const links = article.body.filter((block: { type: string }) => block.type === 'related_link')
  t.not(links[0].articleId, links[1].articleId, 'two different stories')
  for (const link of links) {
    t.ok(link.text.length > 0, 'the link has a teaser')
    t.ok(link.article, 'the link embeds an article')
    t.equal(link.article.id, link.articleId)
    const linked = await call(app, 'GET', `/v1/article-by-slug/${link.article.slug}`)
    t.equal(linked.status, 200, `the linked story ${link.article.slug} exists`)
    t.equal(linked.body.id, link.articleId)
    t.equal(linked.body.headline, link.article.headline)
    t.equal(linked.body.status, 'published', 'and is published')
  }

  const incoming = await call(app, 'GET', `/v1/related-links?articleId=${links[0].articleId}`)
  t.equal(incoming.status, 200)

  t.match(await counts(app), { articles: 3, authors: 2, images: 1 }, 'the demo article, its two related stories, two authors and one photo')
})

t.test('with DEMO_CONTENT=false the database stays empty', async (t) => {
  const app = await buildTestApp(t) // the helper's default
  t.equal(app.config.DEMO_CONTENT, false)
  t.same((await call(app, 'GET', '/v1/articles')).body.data, [], 'no articles')
  t.same((await call(app, 'GET', '/v1/authors')).body.data, [], 'no authors')
  t.same((await call(app, 'GET', '/v1/images')).body.data, [], 'no images')
  t.equal((await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).status, 404)
})

t.test('loading the demo a second time does nothing', async (t) => {
  const app = await buildTestApp(t, { DEMO_CONTENT: 'true' })
  const before = await counts(app)
  const demo = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  t.equal(await loadDemoContent(app.services), false, 'loadDemoContent answers false when the demo is there')
  t.equal(await loadDemoContent(app.services), false, 'and again')
  t.same(await counts(app), before, 'no article, author, image, byline or block was added')
  t.same((await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body, demo, 'the demo article is unchanged')
})

t.test('loadDemoContent loads into an empty database and reports it', async (t) => {
  const app = await buildTestApp(t)
  t.equal(await loadDemoContent(app.services), true, 'true when it loaded the demo')
  t.match(await counts(app), { articles: 3, authors: 2, images: 1 })
  t.equal(await loadDemoContent(app.services), false, 'false the second time')
  t.match(await counts(app), { articles: 3, authors: 2, images: 1 })
})

t.test('reloading after the demo article was deleted reuses its authors and related stories', async (t) => {
  const app = await buildTestApp(t, { DEMO_CONTENT: 'true' })
  const demo = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${demo.id}` })).statusCode, 204)
  t.equal(await loadDemoContent(app.services), false, 'in the trash, its slug is still taken: not loaded again')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${demo.id}?permanent=true` })).statusCode, 204)

  t.equal(await loadDemoContent(app.services), true, 'deleted for good, the demo article is loaded again')
  const reloaded = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  t.same(reloaded.bylines.map((byline: { authorId: string }) => byline.authorId), demo.bylines.map((byline: { authorId: string }) => byline.authorId), 'the same authors')
  const linked = (article: { body: Array<{ type: string, articleId: string }> }): string[] => article.body.filter((block) => block.type === 'related_link').map((block) => block.articleId)
  t.same(linked(reloaded), linked(demo), 'the same related stories')
  t.match(await counts(app), { articles: 3, authors: 2 }, 'no duplicated articles or authors')
})

t.test('the demo finds its authors among many', async (t) => {
  // The demo's authors already exist (say, from an earlier demo whose articles
  // were deleted) among more than one page of other authors.
  // Lists are newest first, so the demo's authors come after the first 100.
  const app = await buildTestApp(t)
  const mara = await createAuthor(app, { name: 'Mara Lindqvist', slug: 'mara-lindqvist' })
  const tomas = await createAuthor(app, { name: 'Tomas Okafor', slug: 'tomas-okafor' })
  for (let i = 0; i < 105; i++) await createAuthor(app, { name: `Staff Writer ${String(i).padStart(3, '0')}` })

  t.equal(await loadDemoContent(app.services), true)
  const demo = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  t.same(demo.bylines.map((byline: { authorId: string }) => byline.authorId), [mara.id, tomas.id], 'both existing authors are in the byline, in order')
  t.equal((await counts(app)).authors, 107, 'no author was duplicated')
})

t.test('a database that already has articles does not get the demo on start', async (t) => {
  const start = await appsOnOneDatabase(t)
  const first = await start({ DEMO_CONTENT: 'false' })
  const own = await createArticle(first, { slug: 'our-own-story' })
  await first.close()

  const second = await start({ DEMO_CONTENT: 'true' })
  t.equal((await call(second, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).status, 404, 'no demo article')
  t.same((await call(second, 'GET', '/v1/articles')).body.data.map((article: { id: string }) => article.id), [own.id], 'only our own article')
  t.match(await counts(second), { articles: 1, authors: 0, images: 0 }, 'no demo authors or photo either')
})

t.test('restarting with DEMO_CONTENT=true does not load the demo twice', async (t) => {
  const start = await appsOnOneDatabase(t)
  const first = await start({ DEMO_CONTENT: 'true' })
  const before = await counts(first)
  t.equal(before.articles, 3, 'loaded on the first start')
  await first.close()

  const second = await start({ DEMO_CONTENT: 'true' })
  t.same(await counts(second), before, 'nothing added on the second start')
  t.equal((await call(second, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).status, 200)
})
