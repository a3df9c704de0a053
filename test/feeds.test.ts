// The RSS 2.0 and Atom 1.0 feeds: well-formed XML (checked by a strict XML
// parser) that a real feed reader (rss-parser) reads back to the stories'
// own text, hostile text included; published stories only, latest first,
// filtered and limited; cached like the other public reads.
import t, { type Test } from 'tap'
import Parser from 'rss-parser'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { buildTestApp, call, getWithoutKey, createArticle, createAuthor, createImage, assertProblem } from './helper.ts'
import { element, xmlDocument } from '../src/formats/xml.ts'
import { imageTypeOf } from '../src/formats/feeds.ts'
import { createFeedService } from '../src/services/feed-service.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const hostile = 'Ünïcödé “quotes” <b>bold</b> & ]]> \u0001\u001F\uFFFE emoji 🛳️ 𝔘 \'apostrophe\' "double"'
/** What survives: XML cannot carry the control characters, so the feeds drop them. */
const readable = (text: string): string => text.replace(/[\u0001\u001F\uFFFE]/g, '')

const feedReader = new Parser({ customFields: { item: [['media:content', 'mediaContent', { keepArray: true }], ['dc:creator', 'creators', { keepArray: true }]] } })
const strictXml = new XMLParser({ ignoreAttributes: false, htmlEntities: true, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'category', 'link', 'author', 'contributor', 'dc:creator', 'media:credit'].includes(name) })

function wellFormed (t: Test, xml: string): Json {
  t.equal(XMLValidator.validate(xml), true, 'well-formed XML')
  return strictXml.parse(xml)
}

t.test('RSS and Atom: published stories, latest first, hostile text intact, images as media', async (t) => {
  const app = await buildTestApp(t)
  const writer = await createAuthor(app, { name: `Writer ${hostile}` })
  const helper = await createAuthor(app, { name: 'Helping Hand' })
  const image = await createImage(app, {
    url: 'https://images.example.test/feeds/harbour.JPG?size=large',
    caption: `Caption ${hostile}`,
    width: 1600,
    height: 900,
    credit: { photographer: 'Lens Person', agency: 'Picture Agency', copyright: '© 2026 Picture Agency' }
  })
  const first = await createArticle(app, {
    status: 'published',
    headline: `First ${hostile}`,
    dek: `Dek ${hostile}`,
    section: 'World',
    tags: ['Harbours', `Tag ${hostile}`],
    leadImageId: image.id,
    bylines: [{ authorId: writer.id }, { authorId: helper.id, role: 'reporting' }, { authorId: helper.id, role: 'editor' }]
  })
  const second = await createArticle(app, { status: 'published', headline: 'Second story', section: 'Sport', tags: ['Harbours'] })
  const draft = await createArticle(app, { headline: 'Secret draft', section: 'World' })
  const order = (await getWithoutKey(app, '/v1/articles?status=published')).json().data.map((story: Json) => story.id)
  t.same(new Set(order), new Set([first.id, second.id]))

  for (const key of ['anonymous', 'admin']) {
    const rss = key === 'admin' ? await app.inject({ url: '/v1/feeds/rss' }) : await getWithoutKey(app, '/v1/feeds/rss')
    t.equal(rss.statusCode, 200)
    t.equal(rss.headers['content-type'], 'application/rss+xml; charset=utf-8')
    t.notOk(rss.body.includes('Secret draft'), `no drafts, even for the ${key}`)
    const parsed = wellFormed(t, rss.body)
    t.equal(parsed.rss['@version'], '2.0')
    const feed = await feedReader.parseString(rss.body)
    t.equal(feed.title, 'Latest stories')
    t.same(feed.items.map((item) => item.guid), order.map((id: string) => `urn:cms:article:${id}`), 'latest publication first, each with its urn as guid')
    const item = feed.items.find((entry) => entry.guid === `urn:cms:article:${first.id}`) as Json
    t.equal(item.title, readable(first.headline), 'the headline, as the reader reads it')
    t.equal(item.content, readable(first.dek), 'the dek as description')
    t.same(item.categories.map((category: Json) => typeof category === 'string' ? category : category._), ['World', 'Harbours', readable(`Tag ${hostile}`)])
    t.same(item.creators, [readable(writer.name), 'Helping Hand'], 'authors and contributed reporting as dc:creator')
    t.match(item.pubDate, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/, 'RFC 822 date')
    t.equal(new Date(item.pubDate).getTime(), Math.floor(Date.parse(first.publishedAt) / 1000) * 1000)
    t.match(item.link, new RegExp(`/v1/article-by-slug/${first.slug}$`))
    t.match(item.mediaContent[0].$, { url: image.url, medium: 'image', type: 'image/jpeg', width: '1600', height: '900' }, 'the lead image as media:content')
    const rawItem = parsed.rss.channel.item.find((entry: Json) => entry.guid['#text'] === `urn:cms:article:${first.id}`)
    t.equal(rawItem['media:content']['media:description']['#text'], readable(`Caption ${hostile}`), 'the caption, escaped once')
    t.same(rawItem['media:content']['media:credit'].map((credit: Json) => credit['#text']), ['Lens Person', 'Picture Agency'])

    const atom = key === 'admin' ? await app.inject({ url: '/v1/feeds/atom' }) : await getWithoutKey(app, '/v1/feeds/atom')
    t.equal(atom.headers['content-type'], 'application/atom+xml; charset=utf-8')
    t.notOk(atom.body.includes('Secret draft'))
    const atomXml = wellFormed(t, atom.body)
    t.equal(atomXml.feed['@xmlns'], 'http://www.w3.org/2005/Atom')
    const atomFeed = await feedReader.parseString(atom.body)
    t.same(atomFeed.items.map((entry) => (entry as Json).id), order.map((id: string) => `urn:cms:article:${id}`))
    const entry = atomFeed.items.find((candidate) => (candidate as Json).id === `urn:cms:article:${first.id}`) as Json
    t.equal(entry.title, readable(first.headline))
    t.equal(entry.summary, readable(first.dek))
    t.equal(entry.author, readable(writer.name))
    const rawEntry = atomXml.feed.entry.find((candidate: Json) => candidate.id === `urn:cms:article:${first.id}`)
    t.equal(rawEntry.published, first.publishedAt, 'RFC 3339 dates')
    t.match(rawEntry.link.find((link: Json) => link['@rel'] === 'enclosure'), { '@href': image.url, '@type': 'image/jpeg' }, 'the lead image as an enclosure link')
    t.same(rawEntry.contributor.map((person: Json) => person.name), ['Helping Hand'], 'an editor is a contributor')
    t.match(atomXml.feed.updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  }
  t.ok(draft.id)
})

t.test('filters, limit, caching and bad queries', async (t) => {
  const app = await buildTestApp(t, { STORY_URL_TEMPLATE: 'https://news.example.test/stories/{slug}?ref={id}' })
  const author = await createAuthor(app)
  const stories: Json[] = []
  for (let index = 0; index < 7; index++) {
    stories.push(await createArticle(app, {
      status: 'published',
      headline: `Story ${index}`,
      section: index % 2 === 0 ? 'Even' : 'Odd',
      tags: index % 3 === 0 ? ['Third'] : [],
      bylines: index < 2 ? [{ authorId: author.id, role: 'photographer' }] : []
    }))
  }
  const guids = async (url: string): Promise<string[]> => (await feedReader.parseString((await getWithoutKey(app, url)).body)).items.map((item) => String(item.guid ?? (item as Json).id))
  const urn = (story: Json): string => `urn:cms:article:${story.id}`
  const all = await guids('/v1/feeds/rss')
  t.equal(all.length, 7)
  t.same(await guids('/v1/feeds/rss?limit=3'), all.slice(0, 3), 'limit keeps the latest')
  t.same(new Set(await guids('/v1/feeds/rss?section=Odd')), new Set(stories.filter((_, index) => index % 2 === 1).map(urn)))
  t.same(new Set(await guids('/v1/feeds/atom?tag=Third')), new Set([stories[0], stories[3], stories[6]].map(urn)))
  t.same(await guids('/v1/feeds/atom?tag=Third&limit=2'), all.filter((guid) => [stories[0], stories[3], stories[6]].map(urn).includes(guid)).slice(0, 2))
  t.same(new Set(await guids(`/v1/feeds/rss?authorId=${author.id}`)), new Set([stories[0], stories[1]].map(urn)), 'any role counts')
  t.same(await guids('/v1/feeds/rss?tag=Nothing'), [], 'an empty feed')
  const empty = await getWithoutKey(app, '/v1/feeds/atom?section=None')
  t.equal(XMLValidator.validate(empty.body), true, 'an empty feed is well-formed too')
  t.match(empty.body, /<updated>1970-01-01T00:00:00.000Z<\/updated>/, 'and stable')

  const rss = await getWithoutKey(app, '/v1/feeds/rss')
  const link = (await feedReader.parseString(rss.body)).items[0]?.link
  t.match(link, /^https:\/\/news\.example\.test\/stories\/story-\d\?ref=\w+$/, 'links follow STORY_URL_TEMPLATE')
  t.match(rss.headers['cache-control'], /^public, max-age=0, s-maxage=60/)
  t.match(rss.headers['surrogate-key'], /^articles article-/)
  t.equal((await getWithoutKey(app, '/v1/feeds/rss', { 'if-none-match': String(rss.headers.etag) })).statusCode, 304)
  await call(app, 'PATCH', `/v1/articles/${stories[6].id}`, { headline: 'Story six, corrected' })
  const changed = await getWithoutKey(app, '/v1/feeds/rss', { 'if-none-match': String(rss.headers.etag) })
  t.equal(changed.statusCode, 200, 'an edit changes the ETag')
  t.ok(changed.body.includes('Story six, corrected'))

  // A tag filter reads in batches until the feed is full: batches of two, over seven stories.
  const small = createFeedService({ prisma: app.db.prisma }, { tagBatch: 2 })
  t.same((await small.latest({ limit: 2, tag: 'Third' })).map(urn), all.filter((guid) => [stories[0], stories[3], stories[6]].map(urn).includes(guid)).slice(0, 2))
  t.same((await small.latest({ limit: 20, tag: 'Third' })).length, 3, 'to the end when the feed is not full')

  assertProblem(t, await getWithoutKey(app, '/v1/feeds/rss?limit=101'), 400, 'VALIDATION_FAILED', ['query.limit'])
  assertProblem(t, await getWithoutKey(app, '/v1/feeds/atom?sort=new'), 400, 'VALIDATION_FAILED', ['query.sort'])
})

t.test('the XML writer', async (t) => {
  t.equal(element('a', { b: 'x"<&>\'', c: undefined, d: 3 }, 'te<x>t & ]]> \u0000').xml, '<a b="x&quot;&lt;&amp;&gt;&#39;" d="3">te&lt;x&gt;t &amp; ]]&gt; </a>')
  t.equal(element('a:b', {}, [element('c'), undefined, element('d', {}, '')]).xml, '<a:b><c/><d></d></a:b>')
  t.equal(String(element('e')), '<e/>')
  t.throws(() => element('bad name'), /not an XML element name/)
  t.throws(() => element('ok', { 'on"x': '1' }), /not an XML attribute name/)
  t.equal(xmlDocument(element('r')), '<?xml version="1.0" encoding="UTF-8"?>\n<r/>\n')
  t.equal(imageTypeOf('https://x.test/a.PNG#frag'), 'image/png')
  t.equal(imageTypeOf('https://x.test/a'), undefined)
  t.equal(imageTypeOf('https://x.test/a.tiff'), undefined)
})
