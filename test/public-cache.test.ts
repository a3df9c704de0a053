// The in-process cache of public JSON and of API keys: bounded in bytes, and
// emptied by the change log, at once for this instance's commits and within a
// poll for another instance's (two real instances on one database).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, call, getWithoutKey, createArticle, createAuthor, freshTestDatabase, testAdminKey } from './helper.ts'
import { createPublicCache, type CachedArticle } from '../src/services/public-cache.ts'

const article = (articleId: string, json: string): CachedArticle => ({ articleId, body: Buffer.from(json), etag: `"${json.length}"`, lastModified: new Date().toUTCString(), surrogateKeys: `article-${articleId}` })


/** Polls until `check` holds; returns how long it took, or fails after `timeoutMs`. */
async function within (timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`not within ${timeoutMs} ms`)
}

t.test('the cache holds at most its size in bytes, least recently used out first', async (t) => {
  const cache = createPublicCache(3_000)
  let loads = 0
  const load = (id: string) => async () => { loads++; return article(id, 'x'.repeat(1_000)) }
  await cache.read('id:a', load('a'))
  await cache.read('id:b', load('b'))
  await cache.read('id:a', load('a')) // a is now the most recently used
  t.equal(loads, 2, 'a hit does not load')
  await cache.read('id:c', load('c'))
  t.ok(cache.stats().bytes <= 3_000, `within its size (${cache.stats().bytes} bytes)`)
  t.equal(cache.stats().entries, 2, 'one entry had to go')
  await cache.read('id:a', load('a'))
  t.equal(loads, 3, 'a stayed')
  await cache.read('id:b', load('b'))
  t.equal(loads, 4, 'b, the least recently used, went')

  const off = createPublicCache(0)
  await off.read('id:a', load('a'))
  await off.read('id:a', load('a'))
  t.equal(loads, 6, 'size 0: nothing is kept')
})

t.test('an eviction during a read keeps the read\'s (possibly old) bytes out of the cache', async (t) => {
  const cache = createPublicCache(1_000_000)
  const old = await cache.read('id:a', async () => {
    cache.evict(['a']) // a commit lands while the old bytes are on their way
    return article('a', 'old')
  })
  t.equal(old?.body.toString(), 'old', 'the read is answered')
  const next = await cache.read('id:a', async () => article('a', 'new'))
  t.equal(next?.body.toString(), 'new', 'but not kept: the next read loads again')
  cache.evict(['a'])
  t.same(cache.stats(), { entries: 0, bytes: 0 }, 'evicting an article drops every key it had')
})

t.test('this instance\'s own writes are served at once', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published', headline: 'First version' })
  t.equal((await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)).json().headline, 'First version')
  t.equal((await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)).json().headline, 'First version', 'served from the cache')
  await call(app, 'PATCH', `/v1/articles/${story.id}`, { headline: 'Second version' })
  t.equal((await getWithoutKey(app, `/v1/article-by-slug/${story.slug}`)).json().headline, 'Second version', 'the next read after the commit')
  await call(app, 'PATCH', `/v1/articles/${story.id}`, { status: 'draft' })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).statusCode, 404, 'unpublished: gone from the cache too')
})

t.test('two instances: a write through one is served by the other within a poll; a revoked key is refused by both', async (t) => {
  const databaseUrl = await freshTestDatabase(t)
  const [reader, writer] = [await buildTestApp(t, { DATABASE_URL: databaseUrl }), await buildTestApp(t, { DATABASE_URL: databaseUrl })]
  const author = await createAuthor(writer!, { name: 'Original Name' })
  const story = await createArticle(writer!, { status: 'published', bylines: [{ authorId: author.id }] })
  const url = `/v1/article-by-slug/${story.slug}`
  t.equal((await getWithoutKey(reader!, url)).json().bylines[0].author.name, 'Original Name', 'the reading instance caches it')

  await call(writer!, 'PATCH', `/v1/authors/${author.id}`, { name: 'Corrected Name' })
  const delay = await within(5_000, async () => (await getWithoutKey(reader!, url)).json().bylines[0].author.name === 'Corrected Name')
  t.comment(`the other instance served the author's new name after ${delay} ms`)
  t.ok(delay < 1_000, `within a second (${delay} ms; CHANGE_POLL_MS is ${reader!.config.CHANGE_POLL_MS})`)

  // Search pages are cached too, and follow the same log.
  const searchHeadlines = async (q: string): Promise<string[]> => (await getWithoutKey(reader!, `/v1/search?q=${q}`)).json().data.map((hit: { article: { headline: string } }) => hit.article.headline)
  t.same(await searchHeadlines('quokka'), [], 'the reading instance caches a search with no hits')
  await call(writer!, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Quokka census completed' })
  const searchDelay = await within(5_000, async () => (await searchHeadlines('quokka')).length === 1)
  t.ok(searchDelay < 1_000, `the other instance finds the new headline within a second (${searchDelay} ms)`)

  const key = (await call(writer!, 'POST', '/v1/api-keys', { name: 'Short-lived', role: 'editor' })).body
  const asKey = { authorization: `Bearer ${key.secret}` }
  t.equal((await reader!.inject({ method: 'GET', url: '/v1/images', headers: asKey })).statusCode, 200, 'the key works on the other instance (and is now known there)')
  await writer!.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: { authorization: `Bearer ${testAdminKey}` } })
  t.equal((await writer!.inject({ method: 'GET', url: '/v1/images', headers: asKey })).statusCode, 401, 'refused at once where it was revoked')
  const keyDelay = await within(5_000, async () => (await reader!.inject({ method: 'GET', url: '/v1/images', headers: asKey })).statusCode === 401)
  t.ok(keyDelay < 1_000, `refused by the other instance within a second (${keyDelay} ms)`)
})

t.test('public search pages are served from the cache until a published story changes', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published', headline: 'Wombat crossing opens' })
  const search = async (q: string): Promise<string[]> => (await getWithoutKey(app, `/v1/search?q=${q}`)).json().data.map((hit: { article: { headline: string } }) => hit.article.headline)
  t.same(await search('wombat'), ['Wombat crossing opens'])
  const stored = await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })
  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { summary: stored.summary.replace('Wombat crossing opens', 'Changed underneath') } })
  t.same(await search('wombat'), ['Wombat crossing opens'], 'the page as cached')
  t.same(await search('WOMBAT'), ['Wombat crossing opens'], 'one page for the same search written otherwise')
  await createArticle(app, { status: 'draft', headline: 'Wombat draft' })
  t.same(await search('wombat'), ['Wombat crossing opens'], 'a draft changes no public page: still cached')
  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { headline: 'Wombat crossing reopens' })
  t.same(await search('wombat'), ['Wombat crossing reopens'], 'read afresh after the story changed')
})

t.test('with PUBLIC_CACHE_BYTES=0 every public read goes to the stored form', async (t) => {
  const app = await buildTestApp(t, { PUBLIC_CACHE_BYTES: '0' })
  const story = await createArticle(app, { status: 'published', headline: 'Uncached' })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).json().headline, 'Uncached')
  const stored = await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })
  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { json: stored.json.replace('Uncached', 'Changed underneath') } })
  t.equal((await getWithoutKey(app, `/v1/articles/${story.id}`)).json().headline, 'Changed underneath', 'no copy in memory: the stored bytes as they are now')
  t.equal((await getWithoutKey(app, '/v1/search?q=uncached')).json().data[0].article.headline, 'Uncached')
  await app.db.prisma.publicArticle.update({ where: { articleId: story.id }, data: { summary: stored.summary.replace('Uncached', 'Changed underneath') } })
  t.equal((await getWithoutKey(app, '/v1/search?q=uncached')).json().data[0].article.headline, 'Changed underneath', 'search pages too')
})

for (const cacheBytes of ['67108864', '0']) {
  t.test(`public reads are answered before validation and the handler, cache ${cacheBytes === '0' ? 'off' : 'on'}: the stored bytes and headers, and the same checks`, async (t) => {
    let handled = 0 // requests that reached the handler's stage (preHandler hooks run just before it)
    const app = await buildTestApp(t, { RATE_LIMIT_MAX: '12', RATE_LIMIT_WINDOW: '1 minute', PUBLIC_CACHE_BYTES: cacheBytes }, {
      routes: (app) => { app.addHook('preHandler', async () => { handled++ }) }
    })
    // Characters of two, three and four bytes in UTF-8: the bytes sent are the stored text's.
    const story = await createArticle(app, { status: 'published', headline: `Skåne café owners say “enough” 🚚 ${Date.now()}` })
    const stored = await app.db.prisma.publicArticle.findUniqueOrThrow({ where: { articleId: story.id } })
    const url = `/v1/article-by-slug/${story.slug as string}`
    handled = 0 // the writes above went through their handlers
    for (const read of [url, `/v1/articles/${story.id as string}`, url]) {
      const response = await getWithoutKey(app, read)
      t.equal(handled, 0, `${read}: answered before the handler`)
      t.same(response.rawPayload, Buffer.from(stored.json), 'the stored bytes')
      t.equal(Number(response.headers['content-length']), Buffer.byteLength(stored.json), 'their length')
      t.match(response.headers, { etag: stored.etag, 'last-modified': stored.renderedAt.toUTCString(), 'cache-control': /^public/, 'surrogate-key': `article-${story.id as string}`, 'x-ratelimit-limit': '12' },
        'the route\'s headers, and the rate limit\'s')
    }
    const list = await getWithoutKey(app, '/v1/articles?limit=5')
    t.equal(handled, 0, 'a list page too')
    t.same(list.json().data.map((item: { id: string }) => item.id), [story.id])
    const found = await getWithoutKey(app, `/v1/search?q=${encodeURIComponent(story.headline as string)}`)
    t.equal(handled, 0, 'a search page too')
    t.same(found.json().data.map((hit: { article: { id: string } }) => hit.article.id), [story.id])
    t.match(found.headers, { etag: /^"/, 'cache-control': /^public/, 'x-ratelimit-limit': '12' })
    const notModified = await getWithoutKey(app, url, { 'if-none-match': stored.etag })
    t.equal(notModified.statusCode, 304, 'If-None-Match works on the early path')

    // What the early path leaves to the route:
    const before = handled
    assertProblem(t, await getWithoutKey(app, '/v1/article-by-slug/no-such-story'), 404, 'NOT_FOUND')
    assertProblem(t, await getWithoutKey(app, `${url}?x=1`), 400, 'VALIDATION_FAILED', ['query.x'])
    assertProblem(t, await getWithoutKey(app, '/v1/articles?limit=0'), 400, 'VALIDATION_FAILED', ['query.limit'])
    assertProblem(t, await getWithoutKey(app, '/v1/article-by-slug/nul%00in-the-slug'), 400, 'VALIDATION_FAILED', ['params.slug'])
    assertProblem(t, await getWithoutKey(app, '/v1/search?q=*%20-'), 400, 'VALIDATION_FAILED', ['query.q'])
    t.equal(handled, before + 1, 'the 404 reached the handler (the 400s stop at validation, before it)')
    assertProblem(t, await getWithoutKey(app, url, { authorization: 'Bearer not-a-key-but-long-enough' }), 401, 'INVALID_API_KEY')
    const editor = await app.inject({ method: 'GET', url })
    t.equal(editor.headers['cache-control'], 'private, no-store', 'a key that sees drafts reads the tables')
    // 6 reads and 6 refusals without a valid key so far: the limit of 12 is reached.
    t.equal((await getWithoutKey(app, url)).statusCode, 429, 'requests answered early count against the limit')
  })
}

t.test('with PUBLIC_READS=false a cached story still needs a key', async (t) => {
  const app = await buildTestApp(t, { PUBLIC_READS: 'false' })
  const story = await createArticle(app, { status: 'published' })
  const reader = (await call(app, 'POST', '/v1/api-keys', { name: 'Front end', role: 'reader' })).body
  const url = `/v1/article-by-slug/${story.slug as string}`
  t.equal((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${reader.secret as string}` } })).statusCode, 200, 'a reader key reads it (and caches it)')
  t.equal((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${reader.secret as string}` } })).statusCode, 200, 'and reads it from the cache')
  assertProblem(t, await getWithoutKey(app, url), 401, 'AUTHENTICATION_REQUIRED')
})

t.test('requests for a missing page while it loads share that load, unless a change landed since it started', async (t) => {
  const cache = createPublicCache(1_000_000)
  const page = (text: string) => ({ body: Buffer.from(text), etag: `"${text}"`, surrogateKeys: 'articles' })
  const releases: Array<() => void> = []
  let loads = 0
  const load = (text: string) => async () => {
    loads++
    return await new Promise<ReturnType<typeof page>>((resolve) => { releases.push(() => { resolve(page(text)) }) })
  }

  // The first requests after a publish: one read of the page for all of them.
  const together = [cache.readList('list:newest', load('v1')), cache.readList('list:newest', load('v1')), cache.readList('list:newest', load('v1'))]
  t.equal(loads, 1, 'three requests, one load')
  releases.shift()!()
  t.same((await Promise.all(together)).map((answer) => answer.body.toString()), ['v1', 'v1', 'v1'], 'each gets its answer')
  t.equal(cache.stats().entries, 1, 'and it is kept')

  // A change lands while a load runs: later requests do not join a read that may predate it.
  cache.evict(['story-1'])
  const before = cache.readList('list:newest', load('v1-read-before-the-change'))
  cache.evict(['story-2'])
  const after = cache.readList('list:newest', load('v2'))
  t.equal(loads, 3, 'a request after the change starts its own load')
  const joined = cache.readList('list:newest', load('unused'))
  t.equal(loads, 3, 'and the next one joins that newer load')
  releases.shift()!()
  releases.shift()!()
  t.equal((await before).body.toString(), 'v1-read-before-the-change', 'the earlier request is answered')
  t.equal((await after).body.toString(), 'v2', 'the later ones get what was read after the change')
  t.equal((await joined).body.toString(), 'v2')
  t.equal((await cache.readList('list:newest', load('unused'))).body.toString(), 'v2', 'the newer read is kept, the earlier one is not')
  t.equal(loads, 3)

  // A failed load fails the requests that shared it, and is not remembered.
  cache.evict(['story-3'])
  const failing = async (): Promise<ReturnType<typeof page>> => { loads++; throw new Error('database gone') }
  const failed = await Promise.allSettled([cache.readList('list:newest', failing), cache.readList('list:newest', failing)])
  t.same(failed.map((result) => result.status), ['rejected', 'rejected'], 'both requests get the error')
  t.equal(loads, 4, 'from one load')
  const retried = cache.readList('list:newest', load('v3'))
  releases.shift()!()
  t.equal((await retried).body.toString(), 'v3', 'the next request loads again')

  // The cache off: every request reads on its own.
  const off = createPublicCache(0)
  const alone = [off.read('id:a', async () => { loads++; return article('a', 'x') }), off.read('id:a', async () => { loads++; return article('a', 'x') })]
  await Promise.all(alone)
  t.equal(loads, 7, 'size 0: two requests, two loads')
})

t.test('a read is still cached when a change no public form shows lands while it loads, and not when a relevant one does', async (t) => {
  const cache = createPublicCache(1_000_000)
  let release = (): void => {}
  const loading = async (id: string): Promise<CachedArticle> => await new Promise((resolve) => { release = () => { resolve(article(id, `{"id":"${id}"}`)) } })

  const first = cache.read('id:a', async () => await loading('a'))
  cache.evict([]) // e.g. an author created, a key revoked
  release()
  await first
  t.equal(cache.stats().entries, 1, 'kept')

  const second = cache.read('id:b', async () => await loading('b'))
  cache.evict(['b'])
  release()
  t.equal((await second)?.articleId, 'b', 'the read is answered')
  t.equal(cache.stats().entries, 1, 'but not kept: it may hold what the change replaced')
})
