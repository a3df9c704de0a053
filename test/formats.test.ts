// A story in the formats newsrooms exchange (`?format=` on the two story
// reads): every ninjs export validates against the official IPTC schema of its
// version, for the demo story and for generated ones (every block type, with
// and without a lead image, every combination of credit fields, Unicode and
// markup in the text); the visibility rules are those of the JSON read.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, call, getWithoutKey, createArticle, createAuthor, createImage, assertProblem } from './helper.ts'
import { demoArticleSlug, loadDemoContent } from '../src/demo/demo-content.ts'
import { ninjsErrors } from '../src/formats/ninjs-validation.ts'
import { escapeMarkup, textOf, xmlSafe } from '../src/formats/text.ts'
import { prefersJsonLd } from '../src/formats/negotiation.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

/** Reads a story in a format, as the admin (live) or without a key (stored), and checks it against its schema. */
async function exported (t: Test, app: FastifyInstance, url: string, format: 'ninjs' | 'ninjs-2.2', asPublic: boolean): Promise<Json> {
  const target = `${url}?format=${format}`
  const response = asPublic ? await getWithoutKey(app, target) : await app.inject({ method: 'GET', url: target })
  t.equal(response.statusCode, 200, `${target} answers 200`)
  t.equal(response.headers['content-type'], `application/json; charset=utf-8; profile="http://www.iptc.org/std/ninjs/ninjs-schema_${format === 'ninjs' ? '3.1' : '2.2'}.json"`)
  const document = response.json()
  const errors = ninjsErrors(document, format === 'ninjs' ? '3.1' : '2.2', '')
  t.same(errors, [], `${target} (${asPublic ? 'public' : 'staff'}) is valid ninjs ${format === 'ninjs' ? '3.1' : '2.2'}`)
  return document
}

t.test('the demo story in ninjs 3.1, ninjs 2.2 and JSON-LD', async (t) => {
  const app = await buildTestApp(t)
  await loadDemoContent(app.services)
  const story = (await call(app, 'GET', `/v1/article-by-slug/${demoArticleSlug}`)).body
  for (const asPublic of [false, true]) {
    const ninjs = await exported(t, app, `/v1/articles/${story.id}`, 'ninjs', asPublic)
    const bySlug = await exported(t, app, `/v1/article-by-slug/${demoArticleSlug}`, 'ninjs', asPublic)
    t.same(bySlug, ninjs, 'by slug and by id the same document')
    t.equal(ninjs.uri, `urn:cms:article:${story.id}`)
    t.equal(ninjs.headlines[0].value, story.headline)
    t.equal(ninjs.descriptions[0].value, story.dek)
    t.equal(ninjs.located, story.dateline)
    t.equal(ninjs.by, 'Mara Lindqvist and Tomas Okafor')
    t.same(ninjs.people.map((person: Json) => person.name), story.bylines.map((byline: Json) => byline.author.name))
    t.same(ninjs.subjects, [{ name: story.section, rel: 'section' }, ...story.tags.map((tag: string) => ({ name: tag, rel: 'tag' }))])
    t.equal(ninjs.pubStatus, 'usable')
    t.equal(ninjs.firstCreated, story.publishedAt)
    t.equal(ninjs.bodies[0].contentType, 'text/html')
    t.ok(ninjs.bodies[0].value.includes('<p>Ferries to the Halvard Islands sailed again'), 'the body as HTML')
    t.ok(ninjs.bodies[0].value.includes('&#39;') || ninjs.bodies[0].value.includes('’'), 'text kept, quotes escaped or curly')
    const lead = ninjs.associations.find((association: Json) => association.name === 'lead-image')
    t.match(lead, {
      type: 'picture',
      rel: 'lead-image',
      copyrightHolder: 'Continental Press',
      copyrightNotice: '© 2026 Continental Press',
      usageTerms: 'Editorial use only',
      infoSources: [{ name: 'Continental Press', role: 'agency' }],
      by: 'Ines Varga',
      renditions: [{ name: 'original', href: story.leadImage.url, width: 2400, height: 1600 }]
    })
    t.ok(lead.descriptions.some((description: Json) => description.role === 'creditline' && description.value === 'Ines Varga / Continental Press'))
    const related = ninjs.associations.filter((association: Json) => association.rel === 'related')
    t.equal(related.length, story.body.filter((block: Json) => block.type === 'related_link').length, 'every related link an association')

    const old = await exported(t, app, `/v1/articles/${story.id}`, 'ninjs-2.2', asPublic)
    t.equal(old.versioncreated, ninjs.versionCreated, '2.2 spells the names in lower case')
    t.equal(old.associations[0].copyrightholder, 'Continental Press')
    t.equal(old.associations[0].rel, undefined, 'and has no rel on associations')
    t.equal(old.bodies[0].contenttype, 'text/html')

    const jsonLd = asPublic ? await getWithoutKey(app, `/v1/articles/${story.id}?format=jsonld`) : await app.inject({ url: `/v1/articles/${story.id}?format=jsonld` })
    t.match(jsonLd.headers['content-type'], /^application\/ld\+json; charset=utf-8/)
    t.match(jsonLd.json(), {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: story.headline,
      author: [{ '@type': 'Person', name: 'Mara Lindqvist', affiliation: { name: 'Continental Press' } }, { name: 'Tomas Okafor' }],
      image: [{ '@type': 'ImageObject', creditText: 'Ines Varga / Continental Press', copyrightHolder: { name: 'Continental Press' }, creator: { name: 'Ines Varga' } }],
      datePublished: story.publishedAt,
      articleSection: story.section,
      keywords: story.tags,
      dateline: story.dateline
    })
    t.ok(jsonLd.json().articleBody.startsWith('Ferries to the Halvard Islands'), 'articleBody is the text')
  }
})

const creditFields = ['photographer', 'agency', 'copyright', 'license'] as const

t.test('generated stories: every block type, lead image or none, every credit combination, hostile text', async (t) => {
  const app = await buildTestApp(t)
  const hostile = 'Ünïcödé “quotes” — <script>alert("x")</script> & ]]> \u0001 emoji 🛳️ 𝔘 \'apostrophe\''
  const authors = [
    await createAuthor(app, { name: `Zoë Ñandú ${hostile}`, url: 'https://people.example.org/zoe' }),
    await createAuthor(app, { name: 'Second Writer', organization: null }),
    await createAuthor(app, { name: 'Photo Person' })
  ]
  const images: Json[] = []
  for (let mask = 0; mask < 16; mask++) {
    const credit = Object.fromEntries(creditFields.filter((_, bit) => (mask & (1 << bit)) !== 0).map((name) => [name, `${name} ${mask} ${hostile}`]))
    images.push(await createImage(app, {
      credit,
      caption: mask % 3 === 0 ? null : `Caption ${mask} ${hostile}`,
      alt: mask % 2 === 0 ? null : `Alt ${mask}`,
      width: mask % 4 === 0 ? null : 1200,
      height: mask % 5 === 0 ? null : 800
    }))
  }
  const target = await createArticle(app, { status: 'published', headline: `Linked ${hostile}` })
  const stories: Json[] = []
  for (const [index, image] of images.entries()) {
    stories.push(await createArticle(app, {
      status: 'published',
      headline: `Story ${index} ${hostile}`,
      seoTitle: index % 2 === 0 ? `SEO ${index}` : null,
      dek: index % 3 === 0 ? null : `Dek ${hostile}`,
      section: index % 4 === 0 ? null : 'Wörld',
      tags: index % 2 === 0 ? [] : ['Tag <one>', 'Tag & two'],
      dateline: index % 2 === 0 ? null : 'ÅLBORG, Norland',
      language: index % 2 === 0 ? 'en' : 'pt-BR',
      leadImageId: index % 2 === 0 ? image.id : null,
      bylines: index % 4 === 3 ? [] : [{ authorId: authors[0].id }, { authorId: authors[1].id, role: 'reporting' }, { authorId: authors[2].id, role: 'photographer' }],
      body: [
        { type: 'paragraph', text: `Paragraph ${hostile}\nwith a line break` },
        { type: 'heading', text: `Heading ${hostile}`, level: 2 + (index % 5) },
        { type: 'quote', text: `Quote ${hostile}`, attribution: index % 2 === 0 ? null : `Someone ${hostile}` },
        { type: 'image', imageId: image.id },
        { type: 'ad_slot', slot: index % 2 === 0 ? null : 'mid-1' },
        { type: 'related_link', articleId: target.id, text: `Read ${hostile}` },
        { type: 'related_link', url: 'https://elsewhere.example.org/a?b=1&c=2', text: 'Elsewhere' }
      ]
    }))
  }
  const draft = await createArticle(app, { headline: 'A draft', body: [] })
  stories.push(draft)
  // URLs we accept that a URI spells otherwise: ninjs wants them percent-encoded.
  const unicodeAuthor = await createAuthor(app, { name: 'Ünïcode Link', url: 'https://people.example.org/zoë ñandú' })
  const unicodeImage = await createImage(app, { url: 'https://images.example.test/bilder/grüße 1.jpg' })
  stories.push(await createArticle(app, {
    status: 'published',
    leadImageId: unicodeImage.id,
    bylines: [{ authorId: unicodeAuthor.id }],
    body: [{ type: 'related_link', url: 'https://elsewhere.example.org/straße?q=ä b', text: 'Unicode URL' }]
  }))

  for (const story of stories) {
    const live = await exported(t, app, `/v1/articles/${story.id}`, 'ninjs', false)
    await exported(t, app, `/v1/articles/${story.id}`, 'ninjs-2.2', false)
    if (story.status === 'published') {
      const stored = await exported(t, app, `/v1/articles/${story.id}`, 'ninjs', true)
      t.same(stored, live, 'the public export (from the stored JSON) equals the live one')
      await exported(t, app, `/v1/articles/${story.id}`, 'ninjs-2.2', true)
    }
    const html: string = live.bodies[0].value
    t.notOk(html.includes('<script>'), 'markup in text is escaped')
    t.notOk(html.includes('\u0001'), 'control characters are dropped')
    const pictures = live.associations?.filter((association: Json) => association.type === 'picture') ?? []
    t.equal(pictures.length, (story.leadImageId === null ? 0 : 1) + story.body.filter((block: Json) => block.type === 'image').length, 'lead and body images are associations')
  }
  const first = (await call(app, 'GET', `/v1/articles/${stories[0].id}?format=ninjs`)).body
  t.ok(first.bodies[0].value.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt;'), 'escaped as HTML')
  t.ok(first.bodies[0].value.includes('🛳️ 𝔘'), 'emoji and astral characters kept')
  t.equal(first.headlines[0].value, stories[0].headline, 'the headline verbatim (JSON needs no escaping)')
  const draftNinjs = (await call(app, 'GET', `/v1/articles/${draft.id}?format=ninjs`)).body
  t.equal(draftNinjs.pubStatus, 'withheld', 'a draft, read by staff, is withheld')
  t.equal(draftNinjs.firstCreated, draft.createdAt, 'and first created when it was created')
})

t.test('drafts 404 for the public in every format; a bad format is a 400 naming query.format', async (t) => {
  const app = await buildTestApp(t)
  const draft = await createArticle(app, { headline: 'Not out yet' })
  for (const format of ['ninjs', 'ninjs-2.2', 'jsonld']) {
    assertProblem(t, await getWithoutKey(app, `/v1/articles/${draft.id}?format=${format}`), 404, 'NOT_FOUND')
    assertProblem(t, await getWithoutKey(app, `/v1/article-by-slug/${draft.slug}?format=${format}`), 404, 'NOT_FOUND')
    t.equal((await call(app, 'GET', `/v1/article-by-slug/${draft.slug}?format=${format}`)).status, 200, `staff read the draft as ${format}`)
  }
  assertProblem(t, await getWithoutKey(app, `/v1/articles/${draft.id}?format=xml`), 400, 'VALIDATION_FAILED', ['query.format'])
  assertProblem(t, await getWithoutKey(app, `/v1/article-by-slug/${draft.slug}?format=NINJS`), 400, 'VALIDATION_FAILED', ['query.format'])
  assertProblem(t, await getWithoutKey(app, `/v1/articles/${draft.id}?other=1`), 400, 'VALIDATION_FAILED', ['query.other'])
})

t.test('Accept: application/ld+json negotiates JSON-LD, also past the cache; ETags per format', async (t) => {
  const app = await buildTestApp(t)
  const story = await createArticle(app, { status: 'published', headline: 'Negotiated' })
  const url = `/v1/articles/${story.id}`
  const json = await getWithoutKey(app, url) // fills the cache: the next plain read is answered early
  t.match(json.headers['content-type'], /^application\/json/)
  t.match(String(json.headers.vary), /Accept/, 'caches are told the answer depends on Accept')
  const ld = await getWithoutKey(app, url, { accept: 'application/ld+json' })
  t.match(ld.headers['content-type'], /^application\/ld\+json/, 'JSON-LD, not the cached JSON')
  t.equal(ld.json()['@type'], 'NewsArticle')
  t.not(ld.headers.etag, json.headers.etag, 'an ETag of its own')
  t.equal((await getWithoutKey(app, url, { accept: 'application/ld+json', 'if-none-match': String(ld.headers.etag) })).statusCode, 304)
  t.match((await getWithoutKey(app, url, { accept: 'application/json, application/ld+json' })).headers['content-type'], /^application\/json/, 'a tie keeps our JSON')
  t.match((await getWithoutKey(app, `${url}?format=ninjs`, { accept: 'application/ld+json' })).headers['content-type'], /^application\/json/, '?format= wins over Accept')
  const staff = await app.inject({ url: `/v1/article-by-slug/${story.slug}`, headers: { accept: 'application/ld+json;q=0.9, application/json;q=0.5' } })
  t.match(staff.headers['content-type'], /^application\/ld\+json/, 'staff negotiate too')
  t.equal(staff.headers['cache-control'], 'private, no-store')
})

t.test('JSON-LD names the story\'s page when the server knows it', async (t) => {
  const app = await buildTestApp(t, { STORY_URL_TEMPLATE: 'https://news.example.test/{slug}' })
  const story = await createArticle(app, { status: 'published', headline: 'Paged story' })
  for (const response of [await getWithoutKey(app, `/v1/articles/${story.id}?format=jsonld`), await app.inject({ url: `/v1/articles/${story.id}?format=jsonld` })]) {
    t.match(response.json(), { url: `https://news.example.test/${story.slug}`, mainEntityOfPage: `https://news.example.test/${story.slug}` })
  }
  const without = await buildTestApp(t)
  const other = await createArticle(without, { status: 'published', headline: 'Unpaged story' })
  t.notOk('url' in (await getWithoutKey(without, `/v1/articles/${other.id}?format=jsonld`)).json(), 'no url without STORY_URL_TEMPLATE')
})

t.test('markup helpers', async (t) => {
  t.equal(escapeMarkup('a<b>&"c\'\u0000\u001F\uFFFE'), 'a&lt;b&gt;&amp;&quot;c&#39;', 'escaped, XML-invalid characters dropped')
  t.equal(xmlSafe('ok\t\n\r 🛳️\uD800'), 'ok\t\n\r 🛳️', 'a lone surrogate dropped')
  t.equal(textOf('a &amp; b &#233; &#xe9; &nbsp;&unknown; &#99999999;'), 'a & b é é \u00A0&unknown; &#99999999;')
  t.equal(textOf('<b>bold</b>\n  <i>and</i><br>more'), 'bold and more', 'foreign markup loses its tags and layout')
  t.equal(textOf('line one\nline two'), 'line one\nline two', 'our own text comes back exactly')
  t.equal(prefersJsonLd(undefined), false)
  t.equal(prefersJsonLd('application/ld+json;q=abc'), false, 'a malformed q counts as 0')
  t.equal(prefersJsonLd('text/html, application/ld+json'), true)
})
