// Languages: the versions of one story in several languages form a group; each
// lists the others its reader may see, and the public forms follow every change.
import t from 'tap'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, getWithoutKey } from './helper.ts'
import type { FastifyInstance } from 'fastify'

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
