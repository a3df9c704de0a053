import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const tick = async (): Promise<void> => await new Promise((resolve) => setTimeout(resolve, 5))

const ref = (article: Json): Json => ({ id: article.id, slug: article.slug, headline: article.headline })

async function getArticle (app: FastifyInstance, id: string): Promise<Json> {
  const read = await call(app, 'GET', `/v1/articles/${id}`)
  if (read.status !== 200) throw new Error(`GET article ${id} answered ${read.status}`)
  return read.body
}

/** The body as [type, id] pairs, for comparing orders. */
async function bodyOf (app: FastifyInstance, id: string): Promise<Array<[string, string]>> {
  return (await getArticle(app, id)).body.map((block: Json) => [block.type, block.id])
}

/** A story with a mixed body: p0, heading, url link, p1, article link to `target`. */
async function storyWithLinks (app: FastifyInstance, target: Json, fields: object = {}): Promise<Json> {
  return await createArticle(app, {
    body: [
      { type: 'paragraph', text: 'Snow closed the mountain pass on Tuesday night.' },
      { type: 'heading', text: 'Drivers stranded', level: 2 },
      { type: 'related_link', url: 'https://weather.example.test/alpine-forecast', text: 'Forecast: more snow on the way' },
      { type: 'paragraph', text: 'Ploughs reached the summit by noon.' },
      { type: 'related_link', articleId: target.id, text: 'Earlier: the pass reopened after repairs' }
    ],
    ...fields
  })
}

t.test('listing an article\'s related links', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'Mountain pass reopens after summer repairs', slug: 'pass-reopens' })
  const story = await storyWithLinks(app, target)

  const list = await call(app, 'GET', `/v1/articles/${story.id}/related-links`)
  t.equal(list.status, 200)
  t.same(list.body, {
    data: [
      { id: story.body[2].id, position: 2, articleId: null, url: 'https://weather.example.test/alpine-forecast', text: 'Forecast: more snow on the way', article: null },
      { id: story.body[4].id, position: 4, articleId: target.id, url: null, text: 'Earlier: the pass reopened after repairs', article: ref(target) }
    ]
  }, 'only related_link blocks, with their body index and the target embedded')

  // The embedded target is the article as it is now.
  await call(app, 'PATCH', `/v1/articles/${target.id}`, { headline: 'Mountain pass reopens for good', slug: 'pass-reopens-for-good' })
  const relisted = await call(app, 'GET', `/v1/articles/${story.id}/related-links`)
  t.same(relisted.body.data[1].article, { id: target.id, slug: 'pass-reopens-for-good', headline: 'Mountain pass reopens for good' })

  const empty = await createArticle(app, { body: [{ type: 'paragraph', text: 'No links here.' }] })
  t.same((await call(app, 'GET', `/v1/articles/${empty.id}/related-links`)).body, { data: [] })

  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/articles/no-such-article/related-links' }), 404, 'NOT_FOUND')
})

t.test('adding related links at a position', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'Council approves new tram line' })
  const story = await createArticle(app, {
    body: [
      { type: 'paragraph', text: 'First paragraph.' },
      { type: 'paragraph', text: 'Second paragraph.' },
      { type: 'paragraph', text: 'Third paragraph.' }
    ]
  })
  const [p0, p1, p2] = story.body.map((block: Json) => block.id)
  let updatedAt = story.updatedAt

  const add = async (payload: object): Promise<Json> => {
    await tick()
    const response = await app.inject({ method: 'POST', url: `/v1/articles/${story.id}/related-links`, payload })
    t.equal(response.statusCode, 201, response.body)
    const link = response.json()
    t.equal(response.headers.location, `/v1/articles/${story.id}/related-links/${link.id}`, 'Location names the link')
    const article = await getArticle(app, story.id)
    t.ok(article.updatedAt > updatedAt, 'the article counts as updated')
    updatedAt = article.updatedAt
    t.same(article.body[link.position]?.id, link.id, 'the link id is its block id, at its position')
    return link
  }

  const first = await add({ position: 0, articleId: target.id, text: 'Background: the tram vote' })
  t.same(first, { id: first.id, position: 0, articleId: target.id, url: null, text: 'Background: the tram vote', article: ref(target) })
  t.same(await bodyOf(app, story.id), [['related_link', first.id], ['paragraph', p0], ['paragraph', p1], ['paragraph', p2]], 'position 0 is first')

  const middle = await add({ position: 2, url: 'https://transit.example.test/tram-map', text: 'Map: the planned route' })
  t.same(middle, { id: middle.id, position: 2, articleId: null, url: 'https://transit.example.test/tram-map', text: 'Map: the planned route', article: null })
  t.same(await bodyOf(app, story.id),
    [['related_link', first.id], ['paragraph', p0], ['related_link', middle.id], ['paragraph', p1], ['paragraph', p2]], 'inserted in the middle')

  const pastEnd = await add({ position: 999, url: 'https://transit.example.test/budget', text: 'The budget in detail' })
  t.equal(pastEnd.position, 5, 'past the end means last')
  t.same(await bodyOf(app, story.id),
    [['related_link', first.id], ['paragraph', p0], ['related_link', middle.id], ['paragraph', p1], ['paragraph', p2], ['related_link', pastEnd.id]])

  const omitted = await add({ articleId: target.id, text: 'Again: the vote' })
  t.equal(omitted.position, 6, 'no position means last')
  t.same(await bodyOf(app, story.id),
    [['related_link', first.id], ['paragraph', p0], ['related_link', middle.id], ['paragraph', p1], ['paragraph', p2], ['related_link', pastEnd.id], ['related_link', omitted.id]])

  const atEnd = await add({ position: 7, url: 'https://transit.example.test/faq', text: 'Questions and answers' })
  t.equal(atEnd.position, 7, 'position = body length means last')

  const list = (await call(app, 'GET', `/v1/articles/${story.id}/related-links`)).body.data
  t.same(list.map((link: Json) => [link.id, link.position]), [[first.id, 0], [middle.id, 2], [pastEnd.id, 5], [omitted.id, 6], [atEnd.id, 7]])

  const article = await getArticle(app, story.id)
  t.same(article.body.filter((block: Json) => block.type === 'paragraph').map((block: Json) => block.text),
    ['First paragraph.', 'Second paragraph.', 'Third paragraph.'], 'paragraphs untouched')
  t.same(article.body[0], { id: first.id, type: 'related_link', articleId: target.id, url: null, text: 'Background: the tram vote', article: ref(target) }, 'the block in the body matches the link')

  const intoEmpty = await createArticle(app)
  const only = await call(app, 'POST', `/v1/articles/${intoEmpty.id}/related-links`, { position: 3, url: 'https://transit.example.test/a', text: 'Only link' })
  t.equal(only.status, 201)
  t.equal(only.body.position, 0)
  t.same(await bodyOf(app, intoEmpty.id), [['related_link', only.body.id]])
})

t.test('related link creation is validated', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app)
  const story = await createArticle(app, { body: [{ type: 'paragraph', text: 'A lone paragraph.' }] })
  const url = `/v1/articles/${story.id}/related-links`
  const post = async (payload: object) => await app.inject({ method: 'POST', url, payload })

  assertProblem(t, await post({ text: 'Neither target' }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await post({ text: 'Both null', articleId: null, url: null }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await post({ text: 'Both targets', articleId: target.id, url: 'https://example.test/x' }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await post({ articleId: target.id }), 400, 'VALIDATION_FAILED', ['body.text'])
  assertProblem(t, await post({ articleId: target.id, text: '   ' }), 400, 'VALIDATION_FAILED', ['body.text'])
  assertProblem(t, await post({ url: 'javascript:alert(1)', text: 'Bad url' }), 400, 'VALIDATION_FAILED', ['body.url'])
  assertProblem(t, await post({ url: 'https://example.test/x', text: 'Bad position', position: -1 }), 400, 'VALIDATION_FAILED', ['body.position'])
  assertProblem(t, await post({ url: 'https://example.test/x', text: 'Bad position', position: 1.5 }), 400, 'VALIDATION_FAILED', ['body.position'])
  assertProblem(t, await post({ url: 'https://example.test/x', text: 'Extra', type: 'related_link' }), 400, 'VALIDATION_FAILED', ['body.type'])

  assertProblem(t, await post({ articleId: 'no-such-article', text: 'Dangling' }), 422, 'UNKNOWN_REFERENCE', ['body.articleId'])
  assertProblem(t, await post({ articleId: story.id, text: 'Myself' }), 422, 'UNKNOWN_REFERENCE', ['body.articleId'])

  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/articles/no-such-article/related-links', payload: { url: 'https://example.test/x', text: 'Nowhere' } }), 404, 'NOT_FOUND')

  const after = await getArticle(app, story.id)
  t.equal(after.body.length, 1, 'rejected writes stored nothing')
  t.equal(after.updatedAt, story.updatedAt, 'and did not touch the article')
})

t.test('changing, moving and removing a related link', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'Library extends opening hours' })
  const otherTarget = await createArticle(app, { headline: 'Reading room restored' })
  const story = await storyWithLinks(app, target)
  const [p0, h, urlLink, p1, articleLink] = story.body.map((block: Json) => block.id)
  const linksUrl = `/v1/articles/${story.id}/related-links`
  let updatedAt = story.updatedAt

  const patch = async (linkId: string, payload: object): Promise<Json> => {
    await tick()
    const response = await call(app, 'PATCH', `${linksUrl}/${linkId}`, payload)
    t.equal(response.status, 200, JSON.stringify(response.body))
    const article = await getArticle(app, story.id)
    t.ok(article.updatedAt > updatedAt, 'the article counts as updated')
    updatedAt = article.updatedAt
    return response.body
  }

  const retexted = await patch(urlLink, { text: 'Forecast: the weekend looks clear' })
  t.same(retexted, { id: urlLink, position: 2, articleId: null, url: 'https://weather.example.test/alpine-forecast', text: 'Forecast: the weekend looks clear', article: null }, 'only the text changed')

  const toArticle = await patch(urlLink, { articleId: otherTarget.id })
  t.same(toArticle, { id: urlLink, position: 2, articleId: otherTarget.id, url: null, text: 'Forecast: the weekend looks clear', article: ref(otherTarget) }, 'url → article clears url')

  const toUrl = await patch(articleLink, { url: 'https://library.example.test/hours' })
  t.same(toUrl, { id: articleLink, position: 4, articleId: null, url: 'https://library.example.test/hours', text: 'Earlier: the pass reopened after repairs', article: null }, 'article → url clears articleId')

  const bothAtOnce = await patch(articleLink, { articleId: target.id, url: null, text: 'Back to the library story' })
  t.same(bothAtOnce, { id: articleLink, position: 4, articleId: target.id, url: null, text: 'Back to the library story', article: ref(target) })

  t.same(await bodyOf(app, story.id), [['paragraph', p0], ['heading', h], ['related_link', urlLink], ['paragraph', p1], ['related_link', articleLink]], 'edits do not move blocks')

  const toFront = await patch(articleLink, { position: 0 })
  t.equal(toFront.position, 0)
  t.same(await bodyOf(app, story.id), [['related_link', articleLink], ['paragraph', p0], ['heading', h], ['related_link', urlLink], ['paragraph', p1]], 'moved to the front, the others in order')

  const toEnd = await patch(urlLink, { position: 4 })
  t.equal(toEnd.position, 4)
  t.same(await bodyOf(app, story.id), [['related_link', articleLink], ['paragraph', p0], ['heading', h], ['paragraph', p1], ['related_link', urlLink]], 'moved to the end')

  const frontToEnd = await patch(articleLink, { position: 500 })
  t.equal(frontToEnd.position, 4, 'past the end means last')
  t.same(await bodyOf(app, story.id), [['paragraph', p0], ['heading', h], ['paragraph', p1], ['related_link', urlLink], ['related_link', articleLink]])

  const toMiddle = await patch(articleLink, { position: 1, text: 'Moved and retexted' })
  t.match(toMiddle, { position: 1, text: 'Moved and retexted', articleId: target.id })
  t.same(await bodyOf(app, story.id), [['paragraph', p0], ['related_link', articleLink], ['heading', h], ['paragraph', p1], ['related_link', urlLink]])

  const listed = (await call(app, 'GET', linksUrl)).body.data
  t.same(listed.map((link: Json) => [link.id, link.position]), [[articleLink, 1], [urlLink, 4]])

  // Removing takes out only that block.
  await tick()
  const removed = await app.inject({ method: 'DELETE', url: `${linksUrl}/${articleLink}` })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  const afterRemove = await getArticle(app, story.id)
  t.same(afterRemove.body.map((block: Json) => [block.type, block.id]), [['paragraph', p0], ['heading', h], ['paragraph', p1], ['related_link', urlLink]])
  t.ok(afterRemove.updatedAt > updatedAt, 'the article counts as updated')
  t.same((await call(app, 'GET', linksUrl)).body.data.map((link: Json) => [link.id, link.position]), [[urlLink, 3]], 'positions follow the body')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `${linksUrl}/${articleLink}` }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'PATCH', url: `${linksUrl}/${articleLink}`, payload: { text: 'gone' } }), 404, 'NOT_FOUND')

  // A link added after a removal lands where asked.
  const added = await call(app, 'POST', linksUrl, { position: 1, url: 'https://library.example.test/map', text: 'Map' })
  t.equal(added.status, 201)
  t.same(await bodyOf(app, story.id), [['paragraph', p0], ['related_link', added.body.id], ['heading', h], ['paragraph', p1], ['related_link', urlLink]])
})

t.test('related link updates are validated', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app)
  const story = await storyWithLinks(app, target)
  const [p0, , urlLink, , articleLink] = story.body.map((block: Json) => block.id)
  const linksUrl = `/v1/articles/${story.id}/related-links`
  const patch = async (linkId: string, payload: object) => await app.inject({ method: 'PATCH', url: `${linksUrl}/${linkId}`, payload })

  assertProblem(t, await patch(articleLink, { articleId: 'no-such-article' }), 422, 'UNKNOWN_REFERENCE', ['body.articleId'])
  assertProblem(t, await patch(urlLink, { articleId: story.id }), 422, 'UNKNOWN_REFERENCE', ['body.articleId'])
  assertProblem(t, await patch(articleLink, { articleId: null }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await patch(urlLink, { url: null }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await patch(urlLink, { articleId: target.id, url: 'https://example.test/both' }), 400, 'VALIDATION_FAILED')
  assertProblem(t, await patch(urlLink, { text: '' }), 400, 'VALIDATION_FAILED', ['body.text'])
  assertProblem(t, await patch(urlLink, { position: -3 }), 400, 'VALIDATION_FAILED', ['body.position'])
  assertProblem(t, await patch(urlLink, { colour: 'red' }), 400, 'VALIDATION_FAILED', ['body.colour'])

  // Unknown article, unknown link, a link of another article, a block that is not a link.
  const elsewhere = await storyWithLinks(app, target)
  const foreignLink = elsewhere.body[2].id
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/articles/no-such-article/related-links/${urlLink}`, payload: { text: 'x' } }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/articles/no-such-article/related-links/${urlLink}` }), 404, 'NOT_FOUND')
  assertProblem(t, await patch('no-such-link', { text: 'x' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `${linksUrl}/no-such-link` }), 404, 'NOT_FOUND')
  assertProblem(t, await patch(foreignLink, { text: 'hijacked' }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `${linksUrl}/${foreignLink}` }), 404, 'NOT_FOUND')
  assertProblem(t, await patch(p0, { text: 'not a link' }), 404, 'NOT_FOUND')
  assertProblem(t, await patch(p0, { position: 0 }), 404, 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `${linksUrl}/${p0}` }), 404, 'NOT_FOUND')

  t.same(await getArticle(app, story.id), story, 'rejected writes left the story as it was')
  t.same(await getArticle(app, elsewhere.id), elsewhere, 'and the other article too')
})

t.test('incoming links: who links to an article', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'River festival draws record crowds' })
  const unrelated = await createArticle(app, { headline: 'Bridge repainted' })
  const sources = []
  for (let i = 0; i < 3; i++) {
    sources.push(await createArticle(app, {
      headline: `Festival follow-up number ${i + 1}`,
      body: [
        { type: 'paragraph', text: `Follow-up story ${i + 1}.` },
        { type: 'related_link', articleId: unrelated.id, text: 'Unrelated link' },
        { type: 'related_link', articleId: target.id, text: `See also ${i + 1}` },
        { type: 'related_link', url: 'https://festival.example.test', text: 'Festival site' }
      ]
    }))
  }
  // A link added through the related-links route counts too.
  const late = await createArticle(app, { headline: 'Festival clean-up costs' })
  const lateLink = await call(app, 'POST', `/v1/articles/${late.id}/related-links`, { articleId: target.id, text: 'The festival itself' })
  t.equal(lateLink.status, 201)
  sources.push(late)

  const expected = new Map<string, Json>([
    ...sources.slice(0, 3).map((source, i): [string, Json] => [source.body[2].id, { id: source.body[2].id, text: `See also ${i + 1}`, source: ref(source) }]),
    [lateLink.body.id, { id: lateLink.body.id, text: 'The festival itself', source: ref(late) }]
  ])

  const all = await call(app, 'GET', `/v1/related-links?articleId=${target.id}`)
  t.equal(all.status, 200)
  t.equal(all.body.nextCursor, null)
  t.equal(all.body.data.length, 4)
  for (const link of all.body.data) t.same(link, expected.get(link.id), `link ${link.id} with its source`)

  // Page one at a time.
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: Json = await call(app, 'GET', `/v1/related-links?articleId=${target.id}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`)
    t.equal(page.status, 200)
    t.ok(page.body.data.length <= 1, 'at most one per page')
    for (const link of page.body.data) {
      t.same(link, expected.get(link.id))
      seen.push(link.id)
    }
    cursor = page.body.nextCursor
    pages++
  } while (cursor !== null && pages < 10)
  t.equal(pages, 4, 'four pages, the last with a null cursor')
  t.same([...seen].sort(), [...expected.keys()].sort(), 'every link exactly once')
  t.same(seen, all.body.data.map((link: Json) => link.id), 'in the same order as one big page')

  const toUnrelated = await call(app, 'GET', `/v1/related-links?articleId=${unrelated.id}`)
  t.same(toUnrelated.body.data.map((link: Json) => link.source.id).sort(), sources.slice(0, 3).map((s) => s.id).sort())
  const none = await call(app, 'GET', `/v1/related-links?articleId=${late.id}`)
  t.same(none.body, { data: [], nextCursor: null }, 'an article nobody links to')

  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/related-links' }), 400, 'VALIDATION_FAILED', ['query.articleId'])
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/related-links?articleId=${target.id}&limit=0` }), 400, 'VALIDATION_FAILED', ['query.limit'])
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/related-links?articleId=${target.id}&cursor=abc` }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/related-links?articleId=no-such-article' }), 404, 'NOT_FOUND')
})

t.test('deleting an article removes the links to it from other bodies', async (t) => {
  const app = await buildTestApp(t)
  const target = await createArticle(app, { headline: 'Orchard harvest comes in early' })
  const kept = await createArticle(app, { headline: 'Cider makers prepare' })
  const linking = await storyWithLinks(app, target)
  const alsoLinking = await createArticle(app, {
    body: [
      { type: 'related_link', articleId: target.id, text: 'The harvest' },
      { type: 'related_link', articleId: kept.id, text: 'The cider' },
      { type: 'paragraph', text: 'Between the links.' },
      { type: 'related_link', articleId: target.id, text: 'The harvest, again' }
    ]
  })
  const bystander = await storyWithLinks(app, kept)

  await tick()
  const deleted = await app.inject({ method: 'DELETE', url: `/v1/articles/${target.id}?permanent=true` })
  t.equal(deleted.statusCode, 204, deleted.body)
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/articles/${target.id}` }), 404, 'NOT_FOUND')

  const linkingAfter = await getArticle(app, linking.id)
  t.same(linkingAfter.body, linking.body.slice(0, 4), 'the link to the deleted article is gone, the rest kept in order')
  t.ok(linkingAfter.updatedAt > linking.updatedAt, 'the linking article counts as updated')
  const alsoAfter = await getArticle(app, alsoLinking.id)
  t.same(alsoAfter.body, [alsoLinking.body[1], alsoLinking.body[2]], 'both links to it are gone')
  t.ok(alsoAfter.updatedAt > alsoLinking.updatedAt)
  t.same((await call(app, 'GET', `/v1/articles/${alsoLinking.id}/related-links`)).body.data.map((link: Json) => [link.id, link.position]),
    [[alsoLinking.body[1].id, 0]])
  t.same(await getArticle(app, bystander.id), bystander, 'an article that did not link to it is untouched')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/related-links?articleId=${target.id}` }), 404, 'NOT_FOUND')
  t.equal((await call(app, 'GET', `/v1/related-links?articleId=${kept.id}`)).body.data.length, 2, 'links to other articles stay')
})

t.test('two articles that link to each other can be deleted one after the other', async (t) => {
  const app = await buildTestApp(t)
  const first = await createArticle(app, { headline: 'Lighthouse keeper retires' })
  const second = await createArticle(app, {
    headline: 'Lighthouse to become a museum',
    body: [{ type: 'paragraph', text: 'The tower opens to visitors next spring.' }, { type: 'related_link', articleId: first.id, text: 'The last keeper' }]
  })
  const back = await call(app, 'POST', `/v1/articles/${first.id}/related-links`, { articleId: second.id, text: 'What happens next' })
  t.equal(back.status, 201)
  t.same((await call(app, 'GET', `/v1/related-links?articleId=${first.id}`)).body.data.map((link: Json) => link.source.id), [second.id])

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${first.id}?permanent=true` })).statusCode, 204)
  t.same((await getArticle(app, second.id)).body.map((block: Json) => block.type), ['paragraph'], 'the link back to the deleted article is gone')
  t.same((await call(app, 'GET', `/v1/related-links?articleId=${second.id}`)).body, { data: [], nextCursor: null }, 'the deleted article\'s own link went with it')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/articles/${second.id}?permanent=true` })).statusCode, 204)
  t.same((await call(app, 'GET', '/v1/articles')).body.data, [])
})
