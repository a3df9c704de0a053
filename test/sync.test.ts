// GET /v1/sync: a first sync lists everything, later syncs what changed since
// (tombstones included), read from the change log. The property that matters:
// a client that applies every page in order ends with exactly what the API
// serves, even while writers run concurrently.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { rebuildPublicArticles } from '../src/services/public-articles.ts'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, createImage, engineUnderTest, getWithoutKey } from './helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

interface Replica {
  articles: Map<string, Json>
  authors: Map<string, Json>
  images: Map<string, Json>
  syncToken: string | null
  pages: number
}

const newReplica = (): Replica => ({ articles: new Map(), authors: new Map(), images: new Map(), syncToken: null, pages: 0 })

/** One sync, every page, applied in order, as an integrator's loop would. */
async function syncOnce (app: FastifyInstance, replica: Replica, options: { query?: string, key?: 'none' | 'admin' } = {}): Promise<Json[]> {
  const seen: Json[] = []
  let query = replica.syncToken === null ? '' : `syncToken=${replica.syncToken}`
  for (;;) {
    const url = `/v1/sync?limit=7${options.query ?? ''}${query === '' ? '' : `&${query}`}`
    const response = options.key === 'admin' ? await app.inject({ method: 'GET', url }) : await getWithoutKey(app, url)
    if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body}`)
    const page = response.json()
    replica.pages++
    for (const item of page.items) {
      seen.push(item)
      const collection = item.type === 'article' ? replica.articles : item.type === 'author' ? replica.authors : replica.images
      if ('data' in item) collection.set(item.id, item.data)
      else collection.delete(item.id)
    }
    if (page.nextPageToken !== null) {
      query = `pageToken=${page.nextPageToken as string}`
      continue
    }
    replica.syncToken = page.nextSyncToken
    return seen
  }
}

/** What the API serves the public now: every published story and every author. */
async function liveState (app: FastifyInstance): Promise<{ articles: Map<string, Json>, authors: Map<string, Json> }> {
  const articles = new Map<string, Json>()
  for (const { articleId } of await app.db.prisma.publicArticle.findMany({ select: { articleId: true } })) {
    articles.set(articleId, (await getWithoutKey(app, `/v1/articles/${articleId}`)).json())
  }
  const authors = new Map<string, Json>()
  for (const { id } of await app.db.prisma.author.findMany({ select: { id: true } })) authors.set(id, (await getWithoutKey(app, `/v1/authors/${id}`)).json())
  return { articles, authors }
}

const sorted = (map: Map<string, Json>): Json[] => [...map.entries()].sort(([a], [b]) => a.localeCompare(b))

t.test('first sync, then only what changed: updates, an author\'s rename in the stories, tombstones; drafts stay private', async (t) => {
  const app = await buildTestApp(t)
  const author = await createAuthor(app, { name: 'First Name' })
  const image = await createImage(app)
  const stories: Json[] = []
  for (let i = 0; i < 9; i++) stories.push(await createArticle(app, { status: 'published', bylines: [{ authorId: author.id }], leadImageId: image.id }))
  const draft = await createArticle(app, { headline: 'A draft nobody outside should hear of' })

  const replica = newReplica()
  const first = await syncOnce(app, replica)
  t.ok(replica.pages >= 2, `the first sync came in pages (${replica.pages})`)
  t.equal(replica.articles.size, 9, 'every published story')
  t.equal(replica.authors.size, 1, 'every author')
  t.equal(replica.images.size, 0, 'no images without a staff key')
  t.notOk(first.some((item: Json) => item.id === draft.id), 'no draft')
  t.equal(JSON.stringify(replica.articles.get(stories[0].id)), (await getWithoutKey(app, `/v1/articles/${stories[0].id as string}`)).body, 'a story as the public reads it')

  t.same(await syncOnce(app, replica), [], 'nothing changed: nothing to apply')

  await call(app, 'PATCH', `/v1/authors/${author.id as string}`, { name: 'Second Name' })
  await call(app, 'PATCH', `/v1/articles/${stories[1].id as string}`, { status: 'draft' })
  await call(app, 'DELETE', `/v1/articles/${stories[2].id as string}`)
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { dek: 'Still a draft' })
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { status: 'published' })
  const changes = await syncOnce(app, replica)
  t.equal(changes.filter((item: Json) => item.type === 'author').length, 1, 'the renamed author')
  t.equal(replica.authors.get(author.id).name, 'Second Name')
  t.match(changes.find((item: Json) => item.id === stories[1].id), { type: 'article', unpublishedAt: String }, 'an unpublished story: a tombstone')
  t.match(changes.find((item: Json) => item.id === stories[2].id), { type: 'article', deletedAt: String }, 'a deleted story: a tombstone')
  t.same(changes.at(-1), { type: 'article', id: draft.id, data: (await getWithoutKey(app, `/v1/articles/${draft.id as string}`)).json() }, 'the story published last comes last, as published')
  t.equal(replica.articles.get(stories[0].id).bylines[0].author.name, 'Second Name', 'the rename reached the stories that show the author')
  const live = await liveState(app)
  t.same(sorted(replica.articles), sorted(live.articles), 'the copy holds exactly the published stories')
  t.same(sorted(replica.authors), sorted(live.authors), 'and the authors')
})

t.test('staff keys: images, and drafts as they are with drafts=true', async (t) => {
  const app = await buildTestApp(t)
  const image = await createImage(app)
  const draft = await createArticle(app)
  const replica = newReplica()
  await syncOnce(app, replica, { key: 'admin', query: '&drafts=true' })
  t.same([...replica.images.keys()], [image.id], 'images for a staff key')
  t.equal(replica.articles.get(draft.id).status, 'draft', 'drafts with drafts=true')
  await call(app, 'PATCH', `/v1/articles/${draft.id as string}`, { headline: 'A better headline' })
  await call(app, 'PATCH', `/v1/images/${image.id as string}`, { caption: 'A new caption.' })
  const changes = await syncOnce(app, replica, { key: 'admin', query: '&drafts=true' })
  t.same(changes.map((item: Json) => `${item.type as string}:${item.id as string}`), [`article:${draft.id as string}`, `image:${image.id as string}`], 'in commit order')
  t.equal(replica.articles.get(draft.id).headline, 'A better headline')
  const articlesOnly = newReplica()
  await syncOnce(app, articlesOnly, { key: 'admin', query: '&types=article' })
  t.equal(articlesOnly.images.size + articlesOnly.authors.size + articlesOnly.articles.size, 0, 'types=article without drafts: only published stories (none)')
})

t.test('tokens: bad ones are 400s naming the parameter, one ahead of the log is a 410, drafts and images need a staff key', async (t) => {
  const app = await buildTestApp(t)
  await createArticle(app, { status: 'published' })
  const page = (await getWithoutKey(app, '/v1/sync')).json()
  assertProblem(t, await getWithoutKey(app, '/v1/sync?syncToken=not-a-token'), 400, 'VALIDATION_FAILED', ['query.syncToken'])
  assertProblem(t, await getWithoutKey(app, `/v1/sync?syncToken=${page.nextSyncToken as string}&pageToken=${page.nextSyncToken as string}`), 400, 'VALIDATION_FAILED', ['query.pageToken'])
  assertProblem(t, await getWithoutKey(app, '/v1/sync?types=article,stories'), 400, 'VALIDATION_FAILED', ['query.types'])
  const ahead = Buffer.from(JSON.stringify(['l', 1_000_000])).toString('base64url')
  assertProblem(t, await getWithoutKey(app, `/v1/sync?syncToken=${ahead}`), 410, 'SYNC_TOKEN_EXPIRED')
  assertProblem(t, await getWithoutKey(app, '/v1/sync?drafts=true'), 403, 'FORBIDDEN')
  assertProblem(t, await getWithoutKey(app, '/v1/sync?types=image'), 403, 'FORBIDDEN')
})

t.test('writers running while a client syncs in a loop: replaying the feed gives exactly the live stories, each at its last version', async (t) => {
  const app = await buildTestApp(t)
  const writes = Number(process.env.SYNC_TEST_WRITES ?? (engineUnderTest() === 'postgresql' ? 1000 : 300))
  const authors: Json[] = []
  for (let i = 0; i < 4; i++) authors.push(await createAuthor(app))
  const stories: string[] = []
  for (let i = 0; i < 10; i++) stories.push((await createArticle(app, { status: 'published', bylines: [{ authorId: authors[i % 4].id }] })).id)

  let random = 7
  const next = (n: number): number => { random = (random * 48271) % 2147483647; return random % n }
  const operation = async (): Promise<void> => {
    const pick = stories[next(stories.length)]!
    switch (next(6)) {
      case 0: stories.push((await createArticle(app, { status: next(2) === 0 ? 'published' : 'draft', bylines: [{ authorId: authors[next(4)].id }] })).id); break
      case 1: if (stories.length > 5) { stories.splice(stories.indexOf(pick), 1); await call(app, 'DELETE', `/v1/articles/${pick}`) } break
      case 2: await call(app, 'PATCH', `/v1/articles/${pick}`, { status: next(2) === 0 ? 'published' : 'draft' }); break
      case 3: await call(app, 'PATCH', `/v1/authors/${authors[next(4)].id as string}`, { name: `Renamed ${next(1e6)}` }); break
      default: await call(app, 'PATCH', `/v1/articles/${pick}`, { headline: `Edited ${next(1e6)}` })
    }
  }
  const replica = newReplica()
  let done = false
  let syncs = 0
  const follower = (async () => {
    while (!done) {
      await syncOnce(app, replica)
      syncs++
      await new Promise((resolve) => setTimeout(resolve, 5)) // a client polls; in-process, a loop of promises alone would starve the writers
    }
  })()
  let remaining = writes
  await Promise.all(Array.from({ length: 8 }, async () => { while (remaining-- > 0) await operation() }))
  done = true
  await follower
  await syncOnce(app, replica)
  t.ok(syncs > 1, `the client synced while the writers ran (${syncs} syncs)`)
  const report = await rebuildPublicArticles({ prisma: app.db.prisma, writes: app.services.writes }, { verify: true })
  t.same([report.stale, report.orphaned], [[], []], 'no stored public form is stale, none is left for an unpublished story')
  const live = await liveState(app)
  t.ok(live.articles.size > 0, `${live.articles.size} published stories at the end`)
  if (process.env.SYNC_DEBUG === '1') {
    for (const id of new Set([...replica.articles.keys(), ...live.articles.keys()])) {
      if (JSON.stringify(replica.articles.get(id)) === JSON.stringify(live.articles.get(id))) continue
      const row = await app.db.prisma.article.findUnique({ where: { id }, select: { status: true, headline: true } })
      const changes = await app.db.prisma.change.findMany({ orderBy: { position: 'asc' }, select: { position: true, resource: true, resourceId: true, action: true, articleIds: true, createdAt: true } })
      console.error('MISMATCH', id, 'db:', row, 'replica has', replica.articles.get(id)?.headline, 'live has', live.articles.get(id)?.headline)
      for (const c of changes) if (c.resourceId === id || JSON.stringify(c.articleIds).includes(id)) console.error('  ', c.position, c.resource, c.resourceId === id ? 'SELF' : c.resourceId, c.action, c.createdAt.toISOString(), JSON.stringify(c.articleIds).includes(id) ? 'in articleIds' : '')
    }
  }
  t.same(sorted(replica.articles), sorted(live.articles), 'the replayed copy holds exactly the published stories, each as it is now')
  t.same(sorted(replica.authors), sorted(live.authors), 'and every author as it is now')
})
