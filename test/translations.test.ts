// Languages: the versions of one story in several languages form a group; each
// lists the others its reader may see, and the public forms follow every change.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, getWithoutKey } from './helper.ts'
import type { FastifyInstance } from 'fastify'
import { XMLParser, XMLValidator } from 'fast-xml-parser'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const publicRead = async (app: FastifyInstance, id: string): Promise<Json> => {
  const response = await getWithoutKey(app, `/v1/articles/${id}`)
  return response.statusCode === 200 ? response.json() : response.statusCode
}
const languagesOf = (article: Json): string[] => article.translations.map((translation: Json) => translation.language)

/** An English original, its Spanish and German versions; English and Spanish published. */
async function threeVersions (app: FastifyInstance): Promise<{ en: Json, es: Json, de: Json }> {
  const en = await createArticle(app, { headline: 'Night ferry returns to the islands', language: 'en', status: 'published' })
  const es = await createArticle(app, { headline: 'Vuelve el ferry nocturno a las islas', language: 'es', status: 'published', translationOf: en.id })
  const de = await createArticle(app, { headline: 'Die Nachtfähre fährt wieder zu den Inseln', language: 'de', translationOf: es.id })
  return { en, es, de }
}

t.test('a group of three versions, two published: the public sees two, editors three', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const { en, es, de } = await threeVersions(app)
  t.ok(es.translationGroupId, 'the Spanish version is in a group')
  t.equal(de.translationGroupId, es.translationGroupId, 'naming any version joins its group')
  t.same(de.translations.map((translation: Json) => translation.id), [en.id, es.id], 'the new version lists the others, by language')

  const enPublic = await publicRead(app, en.id)
  t.equal(enPublic.translationGroupId, es.translationGroupId, 'the original joined the group the first translation made')
  t.same(enPublic.translations, [{ id: es.id, language: 'es', slug: es.slug, headline: es.headline }], 'the public: the published Spanish version only')
  t.same(languagesOf(await publicRead(app, es.id)), ['en'])
  t.equal(await publicRead(app, de.id), 404, 'the German draft is not public')

  const enStaff = (await call(app, 'GET', `/v1/articles/${en.id as string}`)).body
  t.same(languagesOf(enStaff), ['de', 'es'], 'editors: every other version, drafts included')
  t.equal(enStaff.version, 1, 'joining a group is no edit of the original')
  const list = (await getWithoutKey(app, '/v1/articles')).json()
  t.same(list.data.find((item: Json) => item.id === en.id).translations.map((translation: Json) => translation.language), ['es'], 'list items list them too')
  t.same((await call(app, 'GET', `/v1/articles/${es.id as string}/translations`)).body.data.map((translation: Json) => translation.language), ['de', 'en'])
  t.same((await getWithoutKey(app, `/v1/articles/${es.id as string}/translations`)).json().data.map((translation: Json) => translation.language), ['en'], 'the translations route, for the public')

  // Publishing the German version: every published version's public form lists it, at once.
  await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { status: 'published' })
  t.same(languagesOf(await publicRead(app, en.id)), ['de', 'es'], 'published: the others list it')
  await call(app, 'PATCH', `/v1/articles/${es.id as string}`, { headline: 'Regresa el ferry nocturno a las islas' })
  t.equal((await publicRead(app, de.id)).translations.find((translation: Json) => translation.language === 'es').headline, 'Regresa el ferry nocturno a las islas', 'a new headline reaches the other versions')
})

t.test('one version per language; a bad tag is a 400; tags are stored canonical', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const { en, es } = await threeVersions(app)
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Otra versión', language: 'es', translationOf: en.id })).response, 409, 'TRANSLATION_EXISTS', ['body.language'])
  const loose = await createArticle(app, { headline: 'A second English text', language: 'en' })
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${loose.id as string}`, { translationOf: es.id })).response, 409, 'TRANSLATION_EXISTS', ['body.language'])
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${es.id as string}`, { language: 'en' })).response, 409, 'TRANSLATION_EXISTS', ['body.language'])
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Bad tag', language: 'english' })).response, 400, 'VALIDATION_FAILED', ['body.language'])
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Nowhere', translationOf: 'no-such-article' })).response, 422, 'UNKNOWN_REFERENCE', ['body.translationOf'])
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${es.id as string}`, { translationOf: es.id })).response, 400, 'VALIDATION_FAILED', ['body.translationOf'])
  const brazilian = await createArticle(app, { headline: 'Balsa noturna volta às ilhas', language: 'pt-br', translationOf: en.id })
  t.equal(brazilian.language, 'pt-BR', 'stored in canonical case')
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Outra', language: 'PT-BR', translationOf: en.id })).response, 409, 'TRANSLATION_EXISTS', ['body.language'])
  t.equal((await call(app, 'GET', `/v1/articles/${en.id as string}`)).body.translations.length, 3, 'nothing refused was written')
})

t.test('moving out of a group, and trashing or deleting one version, leave the others intact', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const { en, es, de } = await threeVersions(app)
  await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { status: 'published' })

  const out = await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { translationOf: null })
  t.match(out.body, { translationGroupId: null, translations: [] }, 'out of the group')
  t.same(languagesOf(await publicRead(app, en.id)), ['es'], 'the others no longer list it')
  await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { translationOf: en.id })
  t.same(languagesOf(await publicRead(app, en.id)), ['de', 'es'], 'and back in')

  await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { status: 'archived' })
  t.same(languagesOf(await publicRead(app, en.id)), ['es'], 'an unpublished version disappears from the public forms at once')
  t.same(languagesOf((await call(app, 'GET', `/v1/articles/${en.id as string}`)).body), ['de', 'es'], 'editors still see it')
  await call(app, 'PATCH', `/v1/articles/${de.id as string}`, { status: 'published' })

  t.equal((await call(app, 'DELETE', `/v1/articles/${es.id as string}`)).status, 204)
  t.same(languagesOf(await publicRead(app, en.id)), ['de'], 'a trashed version is listed nowhere')
  t.same(languagesOf((await call(app, 'GET', `/v1/articles/${de.id as string}`)).body), ['en'], 'not even for editors')
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Otra vez', language: 'es', translationOf: en.id })).response, 409, 'TRANSLATION_EXISTS', ['body.language'])
  await call(app, 'POST', `/v1/articles/${es.id as string}/restore`)
  t.same(languagesOf(await publicRead(app, en.id)), ['de', 'es'], 'restored, listed again')

  t.equal((await call(app, 'DELETE', `/v1/articles/${en.id as string}?permanent=true`)).status, 204)
  t.same(languagesOf(await publicRead(app, es.id)), ['de'], 'the original deleted for good: the group stays')
  t.equal((await publicRead(app, de.id)).translationGroupId, es.translationGroupId)
})

t.test('a translator byline; the original\'s bylines are not copied', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const reporter = await createAuthor(app, { name: 'Mara Lindqvist' })
  const translator = await createAuthor(app, { name: 'Tomás Ibarra' })
  const en = await createArticle(app, { headline: 'Harbour ice closes the north channel', bylines: [{ authorId: reporter.id }] })
  const es = await createArticle(app, { headline: 'El hielo cierra el canal norte', language: 'es', translationOf: en.id, bylines: [{ authorId: reporter.id }, { authorId: translator.id, role: 'translator' }] })
  t.same(es.bylines.map((byline: Json) => byline.role), ['author', 'translator'])
  const bare = await createArticle(app, { headline: 'Le gel ferme le chenal nord', language: 'fr', translationOf: en.id })
  t.same(bare.bylines, [], 'a version gets only the bylines it is sent')
})

t.test('LANGUAGES: the deployment\'s languages; the first is the default', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0', LANGUAGES: 'es, en, pt-br' })
  t.equal((await createArticle(app, { headline: 'Sin idioma indicado' })).language, 'es', 'the first one, when a story names none')
  t.equal((await createArticle(app, { headline: 'Notícia', language: 'pt-BR' })).language, 'pt-BR')
  assertProblem(t, (await call(app, 'POST', '/v1/articles', { headline: 'Nachricht', language: 'de' })).response, 400, 'VALIDATION_FAILED', ['body.language'])
  const story = await createArticle(app, { headline: 'Story', language: 'en' })
  assertProblem(t, (await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { language: 'fr' })).response, 400, 'VALIDATION_FAILED', ['body.language'])
})

t.test('out to the world: JSON-LD, feeds per language, webhooks and sync carry the language and group', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0', STORY_URL_TEMPLATE: 'https://news.example.org/{slug}' })
  const hook = (await call(app, 'POST', '/v1/webhooks', { url: 'https://hooks.newsroom.example/cms', events: ['article.published'] })).body
  const { en, es } = await threeVersions(app)

  const jsonLd = async (id: string): Promise<Json> => (await getWithoutKey(app, `/v1/articles/${id}`, { accept: 'application/ld+json' })).json()
  t.match(await jsonLd(en.id), { inLanguage: 'en', workTranslation: [{ '@type': 'NewsArticle', '@id': `urn:cms:article:${es.id as string}`, inLanguage: 'es', headline: es.headline }] }, 'the original names its published translations')
  const translation = await jsonLd(es.id)
  t.match(translation, { inLanguage: 'es', translationOfWork: { '@id': `urn:cms:article:${en.id as string}`, inLanguage: 'en' } }, 'a translation names its original')
  t.notOk('workTranslation' in translation)

  const rss = (await getWithoutKey(app, '/v1/feeds/rss?language=es')).body
  t.match(rss, '<language>es</language>', 'the feed says its language')
  t.match(rss, es.headline)
  t.notMatch(rss, en.headline, 'and lists only stories in it')
  t.match((await getWithoutKey(app, '/v1/feeds/atom?language=ES')).body, 'xml:lang="es"', 'tags compared in canonical case')
  assertProblem(t, await getWithoutKey(app, '/v1/feeds/rss?language=espa%C3%B1ol'), 400, 'VALIDATION_FAILED', ['query.language'])

  const deliveries = (await call(app, 'GET', `/v1/webhooks/${hook.id as string}/deliveries?limit=100`)).body.data
  t.match(deliveries.find((delivery: Json) => delivery.payload.data.id === es.id).payload.data, { language: 'es', translationGroupId: es.translationGroupId }, 'webhook events name language and group')

  const sync = (await call(app, 'GET', '/v1/sync?types=article')).body.items
  t.match(sync.find((item: Json) => item.id === es.id).data, { language: 'es', translationGroupId: es.translationGroupId, translations: [{ language: 'en' }] }, 'the sync feed carries them too')
})

t.test('the sitemap lists each published version once, with its language alternates', async (t) => {
  const app = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0', STORY_URL_TEMPLATE: 'https://news.example.org/{slug}' })
  const { en, es, de } = await threeVersions(app)
  const alone = await createArticle(app, { headline: 'Council meets on Tuesday', status: 'published' })
  const response = await getWithoutKey(app, '/v1/sitemap.xml')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/xml/)
  t.equal(XMLValidator.validate(response.body), true, 'well-formed XML')
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['url', 'xhtml:link'].includes(name) }).parse(response.body)
  t.equal(parsed.urlset['@xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9')
  t.equal(parsed.urlset['@xmlns:xhtml'], 'http://www.w3.org/1999/xhtml')
  const urls = new Map(parsed.urlset.url.map((url: Json) => [url.loc, url]))
  t.same([...urls.keys()].sort(), [en, es, alone].map((story) => `https://news.example.org/${story.slug as string}`).sort(), 'each published story once; the German draft not at all')
  t.notOk(urls.has(`https://news.example.org/${de.slug as string}`))
  const alternates = (story: Json): Json => (urls.get(`https://news.example.org/${story.slug as string}`) as Json)['xhtml:link']?.map((link: Json) => [link['@hreflang'], link['@href']])
  const expected = [['en', `https://news.example.org/${en.slug as string}`], ['es', `https://news.example.org/${es.slug as string}`]]
  t.same(alternates(en), expected, 'every version of the story, itself included')
  t.same(alternates(es), expected)
  t.equal(alternates(alone), undefined, 'a story in one language has none')
  t.match((urls.get(`https://news.example.org/${alone.slug as string}`) as Json).lastmod, /^\d{4}-\d\d-\d\dT/)
  t.equal((await getWithoutKey(app, '/v1/sitemap.xml', { 'if-none-match': response.headers.etag as string })).statusCode, 304)
})

t.test('the bulk export carries translation groups, and an import rebuilds them', async (t) => {
  const source = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const { en, es, de } = await threeVersions(source)
  const exported = (await source.inject({ method: 'GET', url: '/v1/export?types=article' })).body
  const lines = exported.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line))
  t.same(lines.filter((line) => line.type === 'article').map((line) => line.data.translationGroupId), [es.translationGroupId, es.translationGroupId, es.translationGroupId], 'each record names the group')

  const target = await buildTestApp(t, { SCHEDULER_INTERVAL_MS: '0' })
  const imported = await target.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: exported })
  t.same(imported.json().counts.created, 3)
  t.same((await call(target, 'GET', `/v1/articles/${en.id as string}`)).body.translations.map((translation: Json) => translation.id), [de.id, es.id], 'the group again, in the other database')
  t.same(languagesOf(await publicRead(target, en.id)), ['es'], 'and in the stored public forms')

  const second = { type: 'article', data: { id: 'second-spanish', headline: 'Otra versión en español', language: 'es', translationGroupId: es.translationGroupId } }
  const refused = await target.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: `${JSON.stringify(second)}\n` })
  t.match(refused.json().lines, [{ status: 'failed', problem: { code: 'TRANSLATION_EXISTS', errors: [{ path: 'data.language' }] } }], 'a second version in one language is refused')
})
