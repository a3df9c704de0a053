// POST /v1/import/ninjs: a ninjs 3.1 document becomes a story through the
// article service, and the same uri again updates it. The round trip: stories
// exported as ninjs, imported into an empty database, exported again, are the
// same in every field both sides have (ids and dates aside).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, call, getWithoutKey, createArticle, createAuthor, createImage, assertProblem } from './helper.ts'
import { demoArticleSlug, loadDemoContent } from '../src/demo/demo-content.ts'
import { ninjsErrors } from '../src/formats/ninjs-validation.ts'
import { parseBodyHtml, parseBodyText } from '../src/formats/html-blocks.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const ninjsOf = async (app: FastifyInstance, id: string): Promise<Json> => (await call(app, 'GET', `/v1/articles/${id}?format=ninjs`)).body

/** What differs between two databases by nature: ids (in URIs too) and dates. */
function comparable (document: Json): Json {
  const { firstCreated, versionCreated, contentCreated, altIds, uri, ...rest } = document
  return JSON.parse(JSON.stringify(rest).replace(/urn:cms:(article|image):[A-Za-z0-9]+/g, 'urn:cms:$1:*'))
}

async function importNinjs (app: FastifyInstance, document: unknown, status = 201): Promise<Json> {
  const response = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: document as object })
  if (response.statusCode !== status) throw new Error(`import answered ${response.statusCode}, not ${status}: ${response.body}`)
  return response.json()
}

const hostile = 'Ünïcödé “quotes” — <script>alert("x")</script> & ]]> emoji 🛳️ \'apostrophe\''

async function generatedStories (app: FastifyInstance): Promise<Json[]> {
  const authors = [
    await createAuthor(app, { name: `Zoë Ñandú ${hostile}`, url: 'https://people.example.org/zoe' }),
    await createAuthor(app, { name: 'Second Writer' }),
    await createAuthor(app, { name: 'Photo Person' })
  ]
  const credits = [{}, { photographer: 'Only Photographer' }, { agency: 'Only Agency' }, { photographer: 'P', agency: 'A', copyright: '© P', license: 'Editorial use' }, { copyright: `© ${hostile}` }]
  const stories: Json[] = []
  for (const [index, credit] of credits.entries()) {
    const image = await createImage(app, { credit, caption: index % 2 === 0 ? null : `Caption ${hostile}`, alt: index === 1 ? null : `Alt ${index}`, width: index === 2 ? null : 1000, height: 600 })
    const second = await createImage(app, { credit: {}, caption: null, alt: null })
    stories.push(await createArticle(app, {
      status: index % 2 === 0 ? 'published' : 'draft',
      headline: `Story ${index} ${hostile}`,
      seoTitle: index % 2 === 0 ? `SEO ${index}` : null,
      dek: index === 3 ? null : `Dek ${hostile}`,
      section: index === 4 ? null : 'Wörld',
      tags: index % 2 === 0 ? [] : ['Tag <one>', 'Tag & two'],
      dateline: index % 2 === 0 ? null : 'ÅLBORG, Norland',
      language: index % 2 === 0 ? 'en' : 'pt-BR',
      leadImageId: index % 2 === 0 ? image.id : null,
      bylines: index === 4 ? [] : [{ authorId: authors[0].id }, { authorId: authors[1].id, role: 'reporting' }, { authorId: authors[2].id, role: 'photographer' }],
      body: [
        { type: 'paragraph', text: `Paragraph ${hostile}\nwith a line break` },
        { type: 'heading', text: `Heading ${hostile}`, level: 2 + index },
        { type: 'quote', text: `Quote ${hostile}`, attribution: index % 2 === 0 ? null : `Someone ${hostile}` },
        { type: 'image', imageId: image.id },
        { type: 'image', imageId: second.id },
        { type: 'ad_slot', slot: index % 2 === 0 ? null : 'mid-1' },
        { type: 'related_link', url: 'https://elsewhere.example.org/a?b=1&c=2', text: `Elsewhere ${hostile}` }
      ]
    }))
  }
  return stories
}

t.test('round trip: export, import into an empty database, export again: the same', async (t) => {
  const source = await buildTestApp(t)
  await loadDemoContent(source.services)
  const demo = (await call(source, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  const linked = demo.body.filter((block: Json) => block.type === 'related_link' && block.articleId !== null).map((block: Json) => block.articleId)
  t.equal(linked.length, 2, 'the demo links to two of our stories')
  // The stories it links to go first, so that its links find them by their uri.
  const order = [...linked, demo.id, ...(await generatedStories(source)).map((story) => story.id)]

  const target = await buildTestApp(t)
  for (const id of order) {
    const exported = await ninjsOf(source, id)
    const imported = await importNinjs(target, exported)
    const again = await ninjsOf(target, imported.id)
    t.same(ninjsErrors(again), [], 'the new export is valid ninjs 3.1')
    t.same(comparable(again), comparable(exported), `"${exported.headlines[0].value.slice(0, 40)}" survives the round trip`)
    t.equal(imported.slug, exported.slugline, 'the slug too, where it is free')
  }
  const demoThere = (await call(target, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  t.same(demoThere.body.filter((block: Json) => block.type === 'related_link' && block.articleId !== null).length, 2, 'links to stories imported before resolve to them')
  t.equal((await getWithoutKey(target, `/v1/article-by-slug/${demoArticleSlug}`)).statusCode, 200, 'published: its stored public JSON is there')
  t.equal((await getWithoutKey(target, '/v1/feeds/rss')).body.includes(demo.headline), true, 'and it is in the feed')
  const authors = (await call(target, 'GET', '/v1/authors?limit=100')).body.data.map((author: Json) => author.name)
  t.equal(new Set(authors).size, authors.length, 'authors are matched by name, not created twice')
})

t.test('the same uri again updates the story; into its own database a copy', async (t) => {
  const app = await buildTestApp(t)
  await loadDemoContent(app.services)
  const demo = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  const exported = await ninjsOf(app, demo.id)
  const imagesBefore = (await call(app, 'GET', '/v1/images?limit=100')).body.data.length
  const authorsBefore = (await call(app, 'GET', '/v1/authors?limit=100')).body.data.length

  const response = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: exported })
  t.equal(response.statusCode, 201)
  const copy = response.json()
  t.equal(response.headers.location, `/v1/articles/${copy.id}`)
  t.not(copy.id, demo.id, 'a new story')
  t.not(copy.slug, demo.slug, 'with a slug of its own (the demo keeps its)')
  t.same(copy.body.filter((block: Json) => block.type === 'related_link').map((block: Json) => block.articleId ?? block.url),
    demo.body.filter((block: Json) => block.type === 'related_link').map((block: Json) => block.articleId ?? block.url), 'its links point at our own stories')
  t.equal((await call(app, 'GET', '/v1/images?limit=100')).body.data.length, imagesBefore, 'images matched by URL')
  t.equal((await call(app, 'GET', '/v1/authors?limit=100')).body.data.length, authorsBefore, 'authors matched by name')

  const edited = { ...exported, headlines: [{ role: 'main', contentType: 'text/plain', value: 'A corrected headline' }], pubStatus: 'withheld' }
  const updated = await importNinjs(app, edited, 200)
  t.equal(updated.id, copy.id, 'the same uri updates the story it became')
  t.equal(updated.slug, copy.slug, 'whose slug stays')
  t.equal(updated.headline, 'A corrected headline')
  t.equal(updated.status, 'draft', 'withheld: a draft')
  t.equal((await getWithoutKey(app, `/v1/articles/${copy.id}`)).statusCode, 404, 'and gone from the public')
  const audit = (await call(app, 'GET', `/v1/audit?resource=article&resourceId=${copy.id}`)).body
  t.same(audit.data.map((change: Json) => change.action).sort(), ['created', 'unpublished'], 'the change log has both writes')
})

t.test('two imports of a new uri at once: one story', async (t) => {
  const app = await buildTestApp(t)
  const document = { uri: 'urn:race:1', slugline: 'race-story', headlines: [{ value: 'Raced story' }] }
  const other = { ...document, slugline: undefined, headlines: [{ value: 'Raced story, derived slug' }] }
  const responses = await Promise.all([document, document, other, other].map(async (payload) => await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload })))
  t.same(responses.map((response) => response.statusCode).filter((status) => status === 201).length, 1, 'one created')
  t.ok(responses.every((response) => response.statusCode === 201 || response.statusCode === 200), 'the others updated it')
  t.equal((await call(app, 'GET', '/v1/articles')).body.data.length, 1, 'one story')
})

t.test('a document from elsewhere: plain text, a byline string, no names we use', async (t) => {
  const app = await buildTestApp(t)
  const existing = await createAuthor(app, { name: 'Known Reporter' })
  const story = await importNinjs(app, {
    uri: 'https://wire.example.net/items/77',
    headlines: [{ value: 'Wire story without roles' }],
    descriptions: [{ value: 'A summary without a role.' }],
    by: 'By Known Reporter and New Person',
    bodies: [{ contentType: 'text/plain', value: 'First paragraph.\n\nSecond paragraph,\nsame block.\n\n' }],
    subjects: [{ name: 'Topic one' }, { name: 'Business', rel: 'section' }],
    associations: [
      { name: 'photo', uri: 'https://wire.example.net/pictures/1.jpg', type: 'picture', copyrightHolder: 'Wire', renditions: [{ name: 'thumb' }] },
      { name: 'nothing', uri: 'urn:nothing', type: 'picture' },
      { name: 'a video', uri: 'https://wire.example.net/v/1', type: 'video' }
    ]
  })
  t.equal(story.status, 'draft', 'no pubStatus: a draft for an editor')
  t.equal(story.dek, 'A summary without a role.')
  t.same(story.tags, ['Topic one'])
  t.equal(story.section, 'Business')
  t.same(story.bylines.map((byline: Json) => byline.author.name), ['Known Reporter', 'New Person'])
  t.equal(story.bylines[0].authorId, existing.id, 'a known name is the known author')
  t.same(story.body, [{ id: story.body[0].id, type: 'paragraph', text: 'First paragraph.' }, { id: story.body[1].id, type: 'paragraph', text: 'Second paragraph,\nsame block.' }])
  t.equal(story.leadImage?.url, 'https://wire.example.net/pictures/1.jpg', 'a picture the body does not show is the lead, its uri the URL')

  const html = await importNinjs(app, {
    uri: 'urn:wire:html',
    headlines: [{ value: 'HTML from elsewhere' }],
    pubStatus: 'usable',
    bodies: [{ contentType: 'text/html', value: '<h1>Big</h1><p>Some <b>bold</b>\n text &amp; more</p><ul><li>one</li><li>two</li></ul><p class="related-link"><a href="urn:unknown:1">Gone</a></p><p class="related-link"><a href=\'https://x.example.org/\'>Kept</a></p><figure><img src="https://img.example.org/a.jpg"></figure><p>   </p><blockquote>Unwrapped</blockquote>' }],
    associations: [{ name: 'pic', uri: 'urn:p', type: 'picture', renditions: [{ name: 'big', href: 'https://img.example.org/a.jpg' }] }]
  })
  t.match(html.body, [
    { type: 'heading', text: 'Big', level: 2 },
    { type: 'paragraph', text: 'Some bold text & more' },
    { type: 'paragraph', text: 'onetwo' },
    { type: 'related_link', url: 'https://x.example.org/', text: 'Kept' },
    { type: 'image', image: { url: 'https://img.example.org/a.jpg' } },
    { type: 'quote', text: 'Unwrapped', attribution: null }
  ], 'one block per top-level element; a link to a story we do not have is left out')
  t.equal(html.body.length, 6)
  t.equal(html.leadImageId, null, 'a picture the body shows is not the lead')
  t.equal(html.status, 'published')
})

t.test('refused documents: 422 naming the field', async (t) => {
  const app = await buildTestApp(t)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { headlines: [{ value: 'No uri' }] } }), 422, 'INVALID_DOCUMENT', ['body.uri'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:x:1', headlines: 'not a list' } }), 422, 'INVALID_DOCUMENT', ['body.headlines'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:x:1', headline: 'a 2.x-ish name' } }), 422, 'INVALID_DOCUMENT', ['body.headline'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:x:1', pubStatus: 'maybe', associations: [{ uri: 'urn:y' }] } }), 422, 'INVALID_DOCUMENT', ['body.pubStatus', 'body.associations.0.name'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:x:1' } }), 422, 'INVALID_DOCUMENT', ['body.headlines'])
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:x:1', headlines: [{ value: 'x'.repeat(501) }], language: 'not a language' } }), 422, 'INVALID_DOCUMENT', ['body.headlines', 'body.language'])
  const many = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 1, type: 2, version: 3, headlines: 4, bodies: 5 } })
  assertProblem(t, many, 422, 'INVALID_DOCUMENT', ['body.uri', 'body.type'])
  t.match(many.json().detail, /…$/, 'a long list is cut in the detail, whole in errors')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: [1, 2] as unknown as object }), 400, 'VALIDATION_FAILED')
  t.equal((await call(app, 'GET', '/v1/articles')).body.data.length, 0, 'nothing was stored')
})

t.test('body parsers', async (t) => {
  t.same(parseBodyText(''), [])
  t.same(parseBodyHtml('<div class="ad-slot"></div><div>text</div><p class="related-link">no link</p><h6>Six</h6><blockquote><p>Q</p><footer>— A</footer></blockquote>'), [
    { type: 'ad_slot', slot: null },
    { type: 'paragraph', text: 'text' },
    { type: 'paragraph', text: 'no link' },
    { type: 'heading', text: 'Six', level: 6 },
    { type: 'quote', text: 'Q', attribution: '— A' }
  ])
})
