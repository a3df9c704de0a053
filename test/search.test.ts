// GET /v1/search: ranked full-text search over headlines, deks and body text,
// on both engines. Ranking, the query language (and what it makes of hostile
// input), highlights that are safe HTML, the filters, who finds what, a search
// that follows every kind of write at once, paging, and public caching.
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, buildTestApp, call, createArticle, createAuthor, engineUnderTest, getWithoutKey } from './helper.ts'
import { createScheduler } from '../src/services/scheduler.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { findMatches, type SearchPosition } from '../src/db/search-index.ts'
import { parseSearch } from '../src/services/search-query.ts'
import { seededRandom } from './support/seeded-random.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const engine = engineUnderTest()
const noScheduler = { SCHEDULER_INTERVAL_MS: '0' }

function url (q: string, params: Record<string, string | string[]> = {}): string {
  const query = new URLSearchParams({ q })
  for (const [name, value] of Object.entries(params)) for (const one of [value].flat()) query.append(name, one)
  return `/v1/search?${query.toString()}`
}

/** A search with the admin's key (staff: drafts too). */
async function staffSearch (app: FastifyInstance, q: string, params: Record<string, string | string[]> = {}): Promise<Json> {
  const response = await app.inject({ method: 'GET', url: url(q, params) })
  if (response.statusCode !== 200) throw new Error(`search answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

/** A search without a key. */
async function publicSearch (app: FastifyInstance, q: string, params: Record<string, string | string[]> = {}): Promise<Json> {
  const response = await getWithoutKey(app, url(q, params))
  if (response.statusCode !== 200) throw new Error(`search answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

const headlines = (page: Json): string[] => page.data.map((hit: Json) => hit.article.headline)
const ids = (page: Json): string[] => page.data.map((hit: Json) => hit.article.id)

/** The search index agrees with the text it indexes (SQLite: FTS5's own check; PostgreSQL: a vector per row). */
async function assertIndexIntact (t: Test, app: FastifyInstance): Promise<void> {
  const { prisma } = app.db
  if (engine === 'sqlite') {
    await prisma.$executeRawUnsafe('INSERT INTO "ArticleSearchIndex" ("ArticleSearchIndex", rank) VALUES (\'integrity-check\', 1)')
    t.pass('FTS5 integrity-check passes')
  } else {
    const [counts] = await prisma.$queryRawUnsafe<Array<{ texts: number, vectors: number }>>('SELECT (SELECT count(*)::int FROM "ArticleSearch") AS texts, (SELECT count(*)::int FROM "ArticleSearchVector") AS vectors')
    t.equal(counts!.vectors, counts!.texts, 'one vector per search text')
  }
  const [{ texts, articles }] = (await prisma.$queryRawUnsafe<Array<{ texts: number, articles: number }>>('SELECT (SELECT count(*) FROM "ArticleSearch") AS texts, (SELECT count(*) FROM "Article") AS articles')) as [{ texts: number, articles: number }]
  t.equal(Number(texts), Number(articles), 'one search text per article')
}

t.test('headline matches rank above dek matches above body matches; ties by latest publication, then id', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const inBody = await createArticle(app, { headline: 'Harbour notes from the week', dek: 'Boats, nets and weather.', status: 'published', publishedAt: '2026-03-03T10:00:00.000Z', body: [{ type: 'paragraph', text: 'A pelican was seen resting near the north pier on Friday.' }] })
  const inDek = await createArticle(app, { headline: 'Estuary count is finished', dek: 'The pelican count doubled since spring.', status: 'published', publishedAt: '2026-03-02T10:00:00.000Z', body: [{ type: 'paragraph', text: 'Volunteers walked the shore at dawn.' }] })
  const inHeadline = await createArticle(app, { headline: 'Pelican colony returns to the estuary', dek: 'Birds nest again.', status: 'published', publishedAt: '2026-03-01T10:00:00.000Z', body: [{ type: 'paragraph', text: 'Counters were pleased.' }] })
  for (const search of [staffSearch, publicSearch]) {
    const page = await search(app, 'pelican')
    t.same(ids(page), [inHeadline.id, inDek.id, inBody.id], `${search.name}: headline, dek, body (newest publication last)`)
    t.ok(page.data[0].score > page.data[1].score && page.data[1].score > page.data[2].score, 'scores fall in that order')
  }

  // The same text, so the same score: the latest publication first, then the greater id.
  const story = { headline: 'Lighthouse keeper retires after forty years', status: 'published' }
  const older = await createArticle(app, { ...story, publishedAt: '2026-01-01T08:00:00.000Z' })
  const newer = await createArticle(app, { ...story, publishedAt: '2026-02-01T08:00:00.000Z' })
  const twinA = await createArticle(app, { ...story, publishedAt: '2026-01-15T08:00:00.000Z' })
  const twinB = await createArticle(app, { ...story, publishedAt: '2026-01-15T08:00:00.000Z' })
  const draft = await createArticle(app, { headline: story.headline })
  const twins = [twinA.id, twinB.id].sort().reverse()
  t.same(ids(await publicSearch(app, 'lighthouse keeper')), [newer.id, ...twins, older.id], 'public: latest publication first, then id')
  t.same(ids(await staffSearch(app, 'lighthouse keeper')), [newer.id, ...twins, older.id, draft.id], 'staff: the never published last')
})

t.test('words, phrases, prefixes and exclusions', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const night = await createArticle(app, { headline: 'The night ferry to Skarholm is late again', status: 'published', body: [{ type: 'paragraph', text: 'Passengers waited on the quay.' }] })
  const ferryNight = await createArticle(app, { headline: 'Ferry crews work through the night', status: 'published', body: [{ type: 'quote', text: 'We never stop.', attribution: 'A deckhand' }] })
  const harbours = await createArticle(app, { headline: 'Harbourmaster names new harbours', status: 'published', body: [{ type: 'heading', text: 'A strike ends', level: 2 }, { type: 'paragraph', text: 'Cranes move again at the terminal.' }] })
  const email = await createArticle(app, { headline: 'Readers may now send e-mail tips', status: 'published', body: [{ type: 'paragraph', text: 'The desk doesn\'t answer at night.' }] })

  t.same(new Set(ids(await publicSearch(app, 'ferry night'))), new Set([night.id, ferryNight.id]), 'every word, in any order')
  t.same(ids(await publicSearch(app, '"night ferry"')), [night.id], 'a phrase: in this order')
  t.same(ids(await publicSearch(app, '"NIGHT   Ferry"')), [night.id], 'not case-sensitive, spaces do not count')
  t.same(ids(await publicSearch(app, 'harbour*')), [harbours.id], 'a prefix (harbourmaster, harbours)')
  t.same(ids(await publicSearch(app, 'harbour')), [], 'without the star, the word as written')
  t.same(ids(await publicSearch(app, 'harbour', { language: 'en' })), engine === 'postgresql' ? [harbours.id] : [], 'with a language, its other forms too (PostgreSQL)')
  t.same(ids(await publicSearch(app, 'ferry -skarholm')), [ferryNight.id], 'an exclusion')
  t.same(new Set(ids(await publicSearch(app, 'night -"night ferry"'))), new Set([ferryNight.id, email.id]), 'an excluded phrase')
  t.same(ids(await publicSearch(app, 'quay')), [night.id], 'paragraph text is searched')
  t.same(ids(await publicSearch(app, 'deckhand')), [], 'a quote\'s attribution is not')
  t.same(ids(await publicSearch(app, 'never stop')), [ferryNight.id], 'quote text is')
  t.same(ids(await publicSearch(app, 'strike')), [harbours.id], 'heading text is')
  t.same(ids(await publicSearch(app, 'e-mail')), [email.id], 'a word with inner punctuation')
  t.same(ids(await publicSearch(app, 'doesn\'t')), [email.id], 'an apostrophe')
  t.same(ids(await publicSearch(app, 'terminal*   -"strike ends"')), [], 'an exclusion of a phrase that is there')
  // Stop words: PostgreSQL leaves them out of a search with a language; one of nothing else finds nothing.
  t.same(new Set(ids(await publicSearch(app, 'the -skarholm', { language: 'en' }))), new Set(engine === 'postgresql' ? [] : [ferryNight.id, harbours.id, email.id]), 'stop words and an exclusion')
  t.same(ids(await publicSearch(app, 'the', { language: 'en' })), engine === 'postgresql' ? [] : ids(await publicSearch(app, 'the')), 'stop words only')
})

t.test('typographic punctuation and symbols separate words, whatever the database\'s locale', async (t) => {
  // The test cluster's LC_CTYPE is C, where PostgreSQL's own parser counts any
  // non-ASCII character as a letter: “harbour” and company’s were one word each.
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, {
    headline: 'Crews call the deal “fair” as the operator’s ferries sail',
    status: 'published',
    dek: 'Talks ran late—very late…',
    body: [{ type: 'paragraph', text: 'Islanders cheered 🚢arrivals and paid €12 « tickets » at the quay • then went home.' }]
  })
  for (const word of ['fair', 'operator', 'ferries', 'late', 'very', 'arrivals', '12', 'tickets', 'quay', 'then'])
    t.same(ids(await publicSearch(app, word)), [story.id], `${word}`)
  t.same(ids(await publicSearch(app, '"deal fair"')), [story.id], 'a phrase across a quotation mark')
  t.same(ids(await publicSearch(app, 'operator*', { language: 'en' })), [story.id], 'in the stemmed vector too')
  t.same(ids(await publicSearch(app, 'late very', { language: 'en' })), [story.id], 'a dash between two words')
  const [hit] = (await publicSearch(app, 'quay')).data
  t.match(hit.highlights.body, /<mark>quay<\/mark>/, 'the match is highlighted')
  t.match(hit.highlights.body, /€12 « tickets »/, 'the snippet keeps the characters as written')
})

t.test('hostile and odd queries answer results or a 400 naming query.q, never a 500, on this engine', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, { headline: 'Drop table tennis club wins the cup', status: 'published', body: [{ type: 'paragraph', text: 'Select players near the island scored.' }] })
  const hostile = [
    '"', '""', '"unbalanced', 'unbalanced"', '*', '**', 'drop*', '*drop', ':', 'headline:drop', 'body : drop', '&', '|', '!', '(', ')', '&|!()', 'drop & table', 'drop | table',
    '!drop', '(drop)', 'drop:*', 'drop:A', 'NEAR(drop table)', 'NEAR', 'drop NEAR table', 'drop AND table', 'drop OR table', 'NOT drop', 'AND', 'OR', 'drop NOT',
    '-', '--', '-drop', '- drop', 'drop -', 'drop --table', '^drop', '+drop', '{drop table}', '[drop]', 'drop\\', '\\', '\'', '\'\'', 'drop\'', '\'; DROP TABLE "Article"; --',
    '" OR 1=1 --', '1; SELECT * FROM "ApiKey"', 'drop); DELETE FROM "Article"; --', '%', '_', 'dr%p', '$1', '$$drop$$', '\u0000drop', 'drop\u0002table\u0003', 'drop\ttable\ncup',
    '🚢', '🚢 drop', 'drop 👩‍👩‍👧‍👦 table', '\u200b', 'ǅrop', 'ｄｒｏｐ', 'DROP', 'drôp', 'ταβλε', 'таблица', '桌球', 'x'.repeat(1000), 'drop '.repeat(200).trim(),
    'a'.repeat(100), 'a'.repeat(101), `drop ${'"'.repeat(500)}`, '-"drop table"', 'drop -"drop table"', 'NEAR/2', 'col*umn', '\u00ad', '   ', ''
  ]
  const statuses = new Map<number, number>()
  for (const q of hostile) {
    for (const [who, search] of [['public', getWithoutKey], ['staff', async (server: FastifyInstance, path: string) => await server.inject({ method: 'GET', url: path })]] as const) {
      const response: LightMyRequestResponse = await search(app, `/v1/search?q=${encodeURIComponent(q)}`)
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      if (response.statusCode === 200) continue
      const label = `${who} q=${JSON.stringify(q.slice(0, 40))}`
      t.equal(response.statusCode, 400, `${label}: 200 or 400 (got ${response.statusCode}: ${response.body.slice(0, 200)})`)
      t.same(response.json().errors.map((error: Json) => error.path), ['query.q'], `${label}: the 400 names query.q`)
    }
  }
  t.ok((statuses.get(200) ?? 0) > 40 && (statuses.get(400) ?? 0) > 20, `both answers occur (${JSON.stringify([...statuses])})`)
  t.same([...statuses.keys()].sort(), [200, 400], 'nothing but 200 and 400')
  // What the operators would have done, they do not: these find the story as words.
  for (const q of ['drop table\'); --', '(drop) & !table', 'DROP', 'drop*', 'drop:*', 'table" drop', '"drop table', '{drop} [table]', '-pineapple drop']) {
    t.same(ids(await publicSearch(app, q)), [story.id], `${JSON.stringify(q)} finds the story by its words`)
  }
  t.same(ids(await publicSearch(app, 'drop OR nothing')), [], 'OR is a word to find, not an operator')
  t.same(ids(await publicSearch(app, 'drop AND table')), [], 'so is AND')
  t.same(ids(await publicSearch(app, 'NEAR(drop table)')), [], 'and NEAR ("near drop" is a phrase)')
  t.equal((await call(app, 'GET', `/v1/articles/${story.id as string}`)).status, 200, 'the tables are all there')

  // What a 400 says.
  for (const [q, message] of [['', /no word/], ['🚢 ... !!', /no word/], ['-drop -table', /only leaves words out/], [`${'word '.repeat(33)}`, /at most 32/], ['a'.repeat(101), /at most 100 characters/]] as const) {
    const response = await getWithoutKey(app, `/v1/search?q=${encodeURIComponent(q)}`)
    assertProblem(t, response, 400, 'VALIDATION_FAILED', ['query.q'])
    t.match(response.json().errors[0].message, message, `${JSON.stringify(q.slice(0, 20))}: ${String(message)}`)
  }
  assertProblem(t, await getWithoutKey(app, '/v1/search'), 400, 'VALIDATION_FAILED', ['query.q'])
  assertProblem(t, await getWithoutKey(app, `/v1/search?q=${'x'.repeat(1001)}`), 400, 'VALIDATION_FAILED', ['query.q'])
  assertProblem(t, await getWithoutKey(app, '/v1/search?q=drop&sort=score'), 400, 'VALIDATION_FAILED', ['query.sort'])
  assertProblem(t, await getWithoutKey(app, '/v1/search?q=drop&limit=101'), 400, 'VALIDATION_FAILED', ['query.limit'])
  assertProblem(t, await getWithoutKey(app, '/v1/search?q=drop&language=español'), 400, 'VALIDATION_FAILED', ['query.language'])
  assertProblem(t, await getWithoutKey(app, '/v1/search?q=drop&publishedAfter=yesterday'), 400, 'VALIDATION_FAILED', ['query.publishedAfter'])
})

t.test('highlights mark the matched words in the fields that matched, as escaped HTML', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, {
    headline: 'Mayor says <script>alert("x")</script> & more about walruses',
    dek: 'A dek with nothing to find & a <b>tag</b>.',
    status: 'published',
    body: [
      { type: 'paragraph', text: 'The first paragraph says nothing of note, at some length, about the weather and the tides.' },
      { type: 'paragraph', text: 'Then a walrus said <img src=x onerror=alert(1)> & \'bye\' to the crowd.' }
    ]
  })
  for (const search of [staffSearch, publicSearch]) {
    const [hit] = (await search(app, 'walrus*')).data
    t.equal(hit.article.id, story.id)
    t.same(Object.keys(hit.highlights).sort(), ['body', 'headline'], `${search.name}: only the fields that matched (not the dek)`)
    t.equal(hit.highlights.headline, 'Mayor says &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more about <mark>walruses</mark>', 'the whole headline, escaped, the match marked')
    t.match(hit.highlights.body, /<mark>walrus<\/mark> said &lt;img src=x onerror=alert\(1\)&gt; &amp; &#39;bye&#39;/, 'an excerpt of the body, escaped, the match marked')
    for (const html of Object.values(hit.highlights) as string[]) {
      t.notMatch(html.replaceAll('<mark>', '').replaceAll('</mark>', ''), /[<>"']/, 'no markup but <mark>')
    }
  }
  const [onlyDek] = (await publicSearch(app, 'tag')).data
  t.same(Object.keys(onlyDek.highlights), ['dek'], 'a dek match')
  t.equal(onlyDek.highlights.dek, 'A dek with nothing to find &amp; a &lt;b&gt;<mark>tag</mark>&lt;/b&gt;.')
  const [phrase] = (await publicSearch(app, '"more about walruses"')).data
  t.match(phrase.highlights.headline, /<mark>more<\/mark> <mark>about<\/mark> <mark>walruses<\/mark>|<mark>more about walruses<\/mark>/, 'a phrase is marked')
})

t.test('filters: status (staff), section, language, tag (any of), authorId, publishedAfter, publishedBefore', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const [ada, ben] = [await createAuthor(app), await createAuthor(app)]
  const word = 'otter'
  const world = await createArticle(app, { headline: `An ${word} in the canal`, section: 'World', language: 'en', tags: ['Rivers', 'Wildlife'], bylines: [{ authorId: ada.id }], status: 'published', publishedAt: '2026-05-01T00:00:00.000Z' })
  const local = await createArticle(app, { headline: `The ${word} returns`, section: 'Local', language: 'en-GB', tags: ['Wildlife'], bylines: [{ authorId: ben.id, role: 'photographer' }], status: 'published', publishedAt: '2026-05-10T00:00:00.000Z' })
  const spanish = await createArticle(app, { headline: `Una ${word} en el río`, section: 'World', language: 'es', tags: ['Ríos'], bylines: [{ authorId: ada.id }, { authorId: ben.id }], status: 'published', publishedAt: '2026-05-20T00:00:00.000Z' })
  const draft = await createArticle(app, { headline: `A draft about an ${word}`, section: 'Local', tags: ['Wildlife'], bylines: [{ authorId: ben.id }] })

  const both = async (params: Record<string, string | string[]>): Promise<[string[], string[]]> => [
    ids(await publicSearch(app, word, params)).sort(), ids(await staffSearch(app, word, params)).sort()
  ]
  const sorted = (...articles: Json[]): string[] => articles.map((article) => article.id).sort()
  t.same(await both({}), [sorted(world, local, spanish), sorted(world, local, spanish, draft)], 'no filter')
  t.same(await both({ section: 'Local' }), [sorted(local), sorted(local, draft)], 'section')
  t.same(await both({ language: 'en' }), [sorted(world, local), sorted(world, local, draft)], 'language: en finds en-GB too')
  t.same(await both({ language: 'en-GB' }), [sorted(local), sorted(local)], 'language: a regional variant only')
  t.same(await both({ language: 'EN-gb' }), [sorted(local), sorted(local)], 'language: in any case')
  t.same(await both({ language: 'es' }), [sorted(spanish), sorted(spanish)], 'language: es')
  t.same(await both({ tag: 'Rivers' }), [sorted(world), sorted(world)], 'one tag')
  t.same(await both({ tag: ['Rivers', 'Ríos'] }), [sorted(world, spanish), sorted(world, spanish)], 'tags: any of them')
  t.same(await both({ tag: 'rivers' }), [[], []], 'tags as written')
  t.same(await both({ authorId: ada.id }), [sorted(world, spanish), sorted(world, spanish)], 'authorId')
  t.same(await both({ authorId: ben.id }), [sorted(local, spanish), sorted(local, spanish, draft)], 'authorId, any role')
  t.same(await both({ publishedAfter: '2026-05-10T00:00:00.000Z' }), [sorted(local, spanish), sorted(local, spanish)], 'publishedAfter: inclusive')
  t.same(await both({ publishedBefore: '2026-05-10T00:00:00.000Z' }), [sorted(world), sorted(world)], 'publishedBefore: exclusive')
  t.same(await both({ publishedAfter: '2026-05-02T00:00:00+02:00', publishedBefore: '2026-05-20T00:00:00.000Z' }), [sorted(local), sorted(local)], 'a window, any offset')
  t.same(await both({ section: 'World', tag: 'Wildlife', authorId: ada.id }), [sorted(world), sorted(world)], 'filters combine')
  t.same(await both({ status: 'draft' }), [[], sorted(draft)], 'status: the public finds no draft, staff do')
  t.same(await both({ status: 'published', section: 'Local' }), [sorted(local), sorted(local)], 'status=published')
})

t.test('the public finds published stories only, as the stored list item; staff every story not in the trash', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const reader = (await call(app, 'POST', '/v1/api-keys', { name: 'Front end', role: 'reader' })).body.secret
  const integrator = (await call(app, 'POST', '/v1/api-keys', { name: 'Sync', role: 'integrator' })).body.secret
  const word = 'quokka'
  const author = await createAuthor(app, { email: 'desk@example.org' })
  const published = await createArticle(app, { headline: `A ${word} on the ferry`, status: 'published', bylines: [{ authorId: author.id }], tags: ['Odd'] })
  const draft = await createArticle(app, { headline: `A ${word} in the draft` })
  const scheduled = await createArticle(app, { headline: `A ${word} under embargo`, status: 'scheduled', scheduledAt: '2099-01-01T00:00:00.000Z' })
  const archived = await createArticle(app, { headline: `A ${word} taken down`, status: 'published' })
  await call(app, 'PATCH', `/v1/articles/${archived.id as string}`, { status: 'archived' })
  const trashed = await createArticle(app, { headline: `A ${word} in the trash`, status: 'published' })
  await call(app, 'DELETE', `/v1/articles/${trashed.id as string}`)
  const trashedDraft = await createArticle(app, { headline: `A draft ${word} in the trash` })
  await call(app, 'DELETE', `/v1/articles/${trashedDraft.id as string}`)

  const anonymous = await publicSearch(app, word)
  t.same(ids(anonymous), [published.id], 'without a key: the published story only')
  const asReader = (await app.inject({ method: 'GET', url: url(word), headers: { authorization: `Bearer ${reader}` } })).json()
  t.same(asReader, anonymous, 'a reader key: the same')
  for (const status of ['draft', 'scheduled', 'archived']) t.same(ids(await publicSearch(app, word, { status })), [], `status=${status}: nothing for the public`)

  // The stored public list item, byte for byte as the public list sends it.
  const listed = (await getWithoutKey(app, '/v1/articles')).json().data.find((item: Json) => item.id === published.id)
  t.same(anonymous.data[0].article, listed, 'the public list item')
  t.notMatch(JSON.stringify(anonymous), /desk@example\.org/, 'no contact details')

  const staff = await staffSearch(app, word)
  t.same(new Set(ids(staff)), new Set([published.id, draft.id, scheduled.id, archived.id]), 'staff: every story not in the trash')
  t.match(JSON.stringify(staff), /desk@example\.org/, 'staff get the live form, contact details included')
  const asIntegrator = (await app.inject({ method: 'GET', url: url(word), headers: { authorization: `Bearer ${integrator}` } })).json()
  t.same(new Set(ids(asIntegrator)), new Set(ids(staff)), 'an integrator key too')
  t.same(ids(await staffSearch(app, word, { status: 'scheduled' })), [scheduled.id], 'staff filter by status')

  // The scheduler publishes the embargoed story: the public finds it at once.
  await createScheduler({ prisma: app.db.prisma, writes: app.services.writes }).tick(new Date('2099-01-01T00:00:01.000Z'))
  t.same(new Set(ids(await publicSearch(app, word))), new Set([published.id, scheduled.id]), 'published by the scheduler: found')
})

t.test('a search follows every write at once: edits, trash, restore, deletion, imports, revisions, publication', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, { headline: 'Ferry to Skarholm cancelled', dek: 'Storm warning.', status: 'published', body: [{ type: 'paragraph', text: 'The crossing to Skarholm resumes on Monday.' }] })
  const id: string = story.id
  t.same(ids(await publicSearch(app, 'skarholm')), [id])

  await call(app, 'PATCH', `/v1/articles/${id}`, { headline: 'Ferry to Vindeby cancelled' })
  t.same(ids(await publicSearch(app, 'vindeby')), [id], 'the new headline word is found')
  const { highlights } = (await publicSearch(app, 'skarholm')).data[0]
  t.same(Object.keys(highlights), ['body'], 'the old headline word only in the body now')
  t.match(highlights.body, /crossing to <mark>Skarholm<\/mark> resumes on Monday/)
  await call(app, 'PATCH', `/v1/articles/${id}`, { body: [{ type: 'paragraph', text: 'The crossing to Vindeby resumes on Tuesday.' }] })
  t.same(ids(await publicSearch(app, 'skarholm')), [], 'the old word is gone (public)')
  t.same(ids(await staffSearch(app, 'skarholm')), [], 'the old word is gone (staff)')
  t.same(ids(await publicSearch(app, 'tuesday')), [id], 'the new body is found')
  t.match((await publicSearch(app, 'vindeby')).data[0].article, { headline: 'Ferry to Vindeby cancelled' }, 'the hit is the current public form')
  await call(app, 'PUT', `/v1/articles/${id}`, { headline: 'Bridge to Vindeby opens', status: 'published' })
  t.same(ids(await publicSearch(app, 'tuesday')), [], 'a replace clears what it leaves out')
  t.same(ids(await publicSearch(app, 'storm')), [], 'the dek too')

  // An earlier revision put back: its words again.
  await call(app, 'POST', `/v1/articles/${id}/revisions/1/restore`)
  t.same(ids(await publicSearch(app, 'skarholm')), [id], 'a restored revision is found by its words')
  t.same(ids(await publicSearch(app, 'bridge')), [], 'and no longer by the replaced ones')

  // Unpublished, published again.
  await call(app, 'PATCH', `/v1/articles/${id}`, { status: 'draft' })
  t.same(ids(await publicSearch(app, 'skarholm')), [], 'unpublished: gone for the public')
  t.same(ids(await staffSearch(app, 'skarholm')), [id], 'staff still find it')
  await call(app, 'PATCH', `/v1/articles/${id}`, { status: 'published' })
  t.same(ids(await publicSearch(app, 'skarholm')), [id], 'published again: found')

  // The trash, and back.
  await call(app, 'DELETE', `/v1/articles/${id}`)
  t.same(ids(await publicSearch(app, 'skarholm')), [], 'trashed: gone for the public')
  t.same(ids(await staffSearch(app, 'skarholm')), [], 'and for staff')
  await call(app, 'POST', `/v1/articles/${id}/restore`)
  t.same(ids(await publicSearch(app, 'skarholm')), [id], 'restored: found again')

  // Deleted for good, and an article linking to it (its link removed, a revision of its own).
  const linking = await createArticle(app, { headline: 'Timetables for the islands', status: 'published', body: [{ type: 'paragraph', text: 'See the Skarholm story.' }, { type: 'related_link', articleId: id, text: 'The ferry' }] })
  t.same(new Set(ids(await publicSearch(app, 'skarholm'))), new Set([id, linking.id]))
  await call(app, 'DELETE', `/v1/articles/${id}?permanent=true`)
  t.same(ids(await publicSearch(app, 'skarholm')), [linking.id], 'deleted for good: gone')
  t.same(ids(await staffSearch(app, 'skarholm')), [linking.id], 'for staff too')
  await assertIndexIntact(t, app)

  // The bulk import: new stories, replaced ones, and one it moves into the trash while changing its text.
  const ndjson = (lines: Json[]): string => lines.map((line) => JSON.stringify(line)).join('\n')
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/import',
    headers: { 'content-type': 'application/x-ndjson' },
    payload: ndjson([
      { type: 'article', data: { id: 'imported-1', headline: 'Narwhal sighted off the cape', status: 'published', body: [{ type: 'paragraph', text: 'Fishermen filmed it.' }] } },
      { type: 'article', data: { id: 'imported-2', headline: 'Narwhal tusk on show', status: 'draft' } }
    ])
  })
  t.equal(imported.statusCode, 200, imported.body)
  t.same(ids(await publicSearch(app, 'narwhal')), ['imported-1'], 'imported stories are found (published ones by the public)')
  t.same(new Set(ids(await staffSearch(app, 'narwhal fishermen'))), new Set(['imported-1']), 'by their body too')
  const exported = (await app.inject({ method: 'GET', url: '/v1/export?types=article' })).body.split('\n').filter(Boolean).map((line) => JSON.parse(line))
  const record = exported.find((line: Json) => line.data?.id === 'imported-1').data
  await app.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson([{ type: 'article', data: { ...record, headline: 'Beluga sighted off the cape', deletedAt: '2026-11-01T00:00:00.000Z', updatedAt: undefined } }]) })
  t.same(ids(await staffSearch(app, 'narwhal -tusk')), [], 'trashed by the import: gone')
  t.match(await app.db.prisma.articleSearch.findUnique({ where: { articleId: 'imported-1' } }), { headline: 'Beluga sighted off the cape' }, 'with the text the import gave it')
  await call(app, 'POST', '/v1/articles/imported-1/restore')
  t.same(ids(await publicSearch(app, 'beluga')), ['imported-1'], 'restored: found by the text the import gave it')

  // A ninjs document becomes a story.
  const ninjs = await app.inject({ method: 'POST', url: '/v1/import/ninjs', payload: { uri: 'urn:test:search:1', type: 'text', pubStatus: 'usable', language: 'en', headlines: [{ role: 'main', value: 'Manatee rescued from a lock' }], bodies: [{ role: 'main', contentType: 'text/html', value: '<p>Divers freed the manatee at dawn.</p>' }] } })
  t.ok([200, 201].includes(ninjs.statusCode), `ninjs import (${ninjs.statusCode})`)
  t.same(ids(await publicSearch(app, 'manatee divers')), [ninjs.json().id], 'a ninjs import is found')
  await assertIndexIntact(t, app)
})

t.test('pages follow each other without duplicates; a cursor belongs to its search', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const created: string[] = []
  for (let index = 0; index < 23; index++) {
    // Scores differ (longer headlines), some tie (same text, same publication time).
    const extra = 'and more '.repeat(index % 4)
    created.push((await createArticle(app, { headline: `Puffin census ${extra}number ${index % 3 === 0 ? 'one' : index}`, status: 'published', publishedAt: `2026-04-${String(1 + (index % 5)).padStart(2, '0')}T00:00:00.000Z` })).id)
  }
  await createArticle(app, { headline: 'A puffin draft' })
  for (const [who, search, expected] of [['public', publicSearch, 23], ['staff', staffSearch, 24]] as const) {
    const all = ids(await search(app, 'puffin', { limit: '100' }))
    t.equal(all.length, expected, `${who}: every match in one page`)
    const paged: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Json = await search(app, 'puffin', { limit: '5', ...(cursor !== null && { cursor }) })
      t.ok(page.data.length <= 5)
      paged.push(...ids(page))
      cursor = page.nextCursor
      pages++
    } while (cursor !== null && pages < 10)
    t.equal(pages, Math.ceil(expected / 5), `${who}: ${pages} pages`)
    t.same(paged, all, `${who}: the pages are the whole list, in order, each story once`)
  }
  const first = await publicSearch(app, 'puffin', { limit: '5' })
  assertProblem(t, await getWithoutKey(app, url('puffin census', { cursor: first.nextCursor })), 400, 'VALIDATION_FAILED', ['query.cursor'])
  assertProblem(t, await getWithoutKey(app, url('puffin', { cursor: first.nextCursor, section: 'World' })), 400, 'VALIDATION_FAILED', ['query.cursor'])
  assertProblem(t, await app.inject({ method: 'GET', url: url('puffin', { cursor: first.nextCursor }) }), 400, 'VALIDATION_FAILED', ['query.cursor'])
  for (const cursor of ['not-a-cursor', Buffer.from('["search","x",1,null]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), Buffer.from(JSON.stringify(['search', 'x', 'one', null, 'id'])).toString('base64url')]) {
    assertProblem(t, await getWithoutKey(app, url('puffin', { cursor })), 400, 'VALIDATION_FAILED', ['query.cursor'])
  }
  const forged = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'))
  for (const broken of [[...forged.slice(0, 2), 1.5, ...forged.slice(3)], [...forged.slice(0, 2), '1e5', ...forged.slice(3)], [...forged.slice(0, 3), 'yesterday', forged[4]], [...forged.slice(0, 4), '']]) {
    assertProblem(t, await getWithoutKey(app, url('puffin', { cursor: Buffer.from(JSON.stringify(broken)).toString('base64url') })), 400, 'VALIDATION_FAILED', ['query.cursor'])
  }
})

t.test('taking the best matches from the index first finds the same pages as ranking every match', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const random = seededRandom(13)
  const sections = ['Politics', 'Culture', 'Sport']
  // Few distinct scores (many ties at any edge), drafts, sections and a trashed story among the matches.
  for (let index = 0; index < 40; index++) {
    const story = await createArticle(app, {
      headline: `Gannet ${random() < 0.3 ? 'gannet ' : ''}colony report ${index % 3 === 0 ? 'and notes' : ''}`,
      status: random() < 0.7 ? 'published' : 'draft',
      section: sections[Math.floor(random() * sections.length)],
      publishedAt: `2026-05-0${1 + Math.floor(random() * 3)}T00:00:00.000Z`,
      body: [{ type: 'paragraph', text: random() < 0.5 ? 'Gannets dived all morning.' : 'A quiet morning at the cliffs.' }]
    })
    if (index % 13 === 5) await call(app, 'DELETE', `/v1/articles/${story.id as string}`)
  }
  const every = { first: 1_000_000, growth: 2, max: 1_000_000, ranked: 1_000_000 }
  const few = { first: 2, growth: 2, max: 64, ranked: 1_000_000 }
  let compared = 0
  for (const q of ['gannet', 'colony -notes', 'morning', 'gannet cliffs']) {
    for (const scope of [{ includeDrafts: false }, { includeDrafts: true }]) {
      for (const filters of [{}, { section: 'Culture' }, { section: 'Sport', publishedBefore: new Date('2026-05-03T00:00:00.000Z') }]) {
        const search = parseSearch(q)
        let after: SearchPosition | undefined
        for (let pages = 0; pages < 20; pages++) {
          const query = { search, filters, scope, after, limit: 4 }
          const expected = await findMatches(app.db.prisma, engine, query, every)
          t.same(await findMatches(app.db.prisma, engine, query, few), expected, `${q} ${JSON.stringify(filters)} drafts ${String(scope.includeDrafts)}, page ${pages + 1}`)
          compared += expected.length
          if (expected.length < 4) break
          after = expected.at(-1)
        }
      }
    }
  }
  t.ok(compared > 100, `${compared} hits compared`)
})

t.test('past `ranked` matches, the newest are ranked: the best of the recent stories', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  // Oldest first; the best-scoring story (the word in its headline) is the oldest.
  const stories: Json[] = [await createArticle(app, { headline: 'Puffins return to the outer skerries', status: 'published', section: 'Nature' })]
  for (let index = 0; index < 5; index++) stories.push(await createArticle(app, { headline: `Cliff survey ${index}`, status: 'published', body: [{ type: 'paragraph', text: `Counters saw ${index + 1} puffins.` }] }))
  const search = parseSearch('puffins')
  const query = { search, filters: {}, scope: { includeDrafts: false }, limit: 10 }
  const all = await findMatches(app.db.prisma, engine, query, { first: 2, growth: 2, max: 64, ranked: 1_000 })
  t.equal(all.length, 6, 'every match, when fewer than `ranked`')
  t.equal(all[0]!.articleId, stories[0]!.id, 'the headline match first')
  for (const ranked of [3, 1]) {
    const newest = await findMatches(app.db.prisma, engine, query, { first: 2, growth: 2, max: 64, ranked })
    t.same(new Set(newest.map((match) => match.articleId)), new Set(stories.slice(-ranked).map((story) => story.id)), `ranked ${ranked}: the ${ranked} newest matches`)
    t.same(newest, all.filter((match) => newest.some((hit) => hit.articleId === match.articleId)), 'in the order ranking them all gives')
  }
  const draft = await createArticle(app, { headline: 'Puffins counted again, a draft', status: 'draft' })
  const [filtered] = await findMatches(app.db.prisma, engine, { ...query, filters: { section: 'Nature' } }, { first: 2, growth: 2, max: 64, ranked: 1 })
  t.equal(filtered?.articleId, stories[0]!.id, 'the newest matches the filters let through: an old story in its section is found')
  const [publicNewest] = await findMatches(app.db.prisma, engine, query, { first: 2, growth: 2, max: 64, ranked: 1 })
  t.equal(publicNewest?.articleId, stories.at(-1)!.id, 'and the scope: a newer draft does not take the public\'s place')
  const [staffNewest] = await findMatches(app.db.prisma, engine, { ...query, scope: { includeDrafts: true } }, { first: 2, growth: 2, max: 64, ranked: 1 })
  t.equal(staffNewest?.articleId, draft.id, 'staff find the draft')
})

t.test('at most SEARCH_CONCURRENCY searches are ranked in the database at once', async (t) => {
  for (const concurrency of [1, 3]) {
    const app = await buildTestApp(t, { ...noScheduler, SEARCH_CONCURRENCY: String(concurrency), PUBLIC_CACHE_BYTES: '0' })
    for (let index = 0; index < 4; index++) await createArticle(app, { headline: `Osprey nest number ${index}`, status: 'published' })
    // Counts the search's queries in flight (the public search sends nothing else through $queryRaw).
    const { prisma } = app.db
    const queryRaw = prisma.$queryRaw.bind(prisma)
    let inFlight = 0
    let most = 0
    prisma.$queryRaw = (async (...args: Parameters<typeof queryRaw>) => {
      most = Math.max(most, ++inFlight)
      try { return await queryRaw(...args) } finally { inFlight-- }
    }) as typeof prisma.$queryRaw
    const pages = await Promise.all(Array.from({ length: 8 }, async (_, index) => await publicSearch(app, `osprey ${index % 4}`)))
    t.same(pages.map((page) => page.data.length), [1, 1, 1, 1, 1, 1, 1, 1], 'every search answered')
    t.equal(most, concurrency, `SEARCH_CONCURRENCY=${concurrency}: at most ${concurrency} in flight, and as many`)
  }
})

t.test('public results carry a strong ETag (304 on a match) and public caching; staff ones are private', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const story = await createArticle(app, { headline: 'Seal pup returned to the sea', status: 'published' })
  const first = await getWithoutKey(app, url('seal'))
  t.equal(first.statusCode, 200)
  const etag = first.headers.etag as string
  t.match(etag, /^"[\w-]{27}"$/, 'a strong ETag')
  t.match(first.headers['cache-control'], /^public, max-age=0, s-maxage=60, stale-while-revalidate=30$/)
  t.match(first.headers['surrogate-key'], new RegExp(`^articles .*article-${story.id as string}`))
  const again = await getWithoutKey(app, url('seal'), { 'if-none-match': etag })
  t.equal(again.statusCode, 304, 'If-None-Match with the current ETag: 304')
  t.equal(again.body, '')
  t.equal(again.headers.etag, etag)

  await call(app, 'PATCH', `/v1/articles/${story.id as string}`, { dek: 'A volunteer carried it down the beach.' })
  const changed = await getWithoutKey(app, url('seal'), { 'if-none-match': etag })
  t.equal(changed.statusCode, 200, 'the story changed: a new answer')
  t.not(changed.headers.etag, etag)
  t.match(changed.json().data[0].article, { dek: 'A volunteer carried it down the beach.' })

  const staff = await app.inject({ method: 'GET', url: url('seal') })
  t.equal(staff.headers['cache-control'], 'private, no-store', 'staff: private')
  t.equal(staff.headers.etag, undefined, 'no ETag for staff')
  t.equal((await app.inject({ method: 'GET', url: url('seal'), headers: { 'if-none-match': etag } })).statusCode, 200, 'staff get no 304')

  const empty = await getWithoutKey(app, url('nothing'))
  t.same(empty.json(), { data: [], nextCursor: null }, 'no match: an empty page')
  t.match(empty.headers.etag, /^"/)
})

t.test('stemming in the story\'s language (PostgreSQL); words as written everywhere', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const spanish = await createArticle(app, { headline: 'Los niños corrían por la playa al amanecer', language: 'es', status: 'published', body: [{ type: 'paragraph', text: 'Las gaviotas volaban sobre las olas.' }] })
  const german = await createArticle(app, { headline: 'Die Kinder liefen über die Brücken', language: 'de', status: 'published' })
  const english = await createArticle(app, { headline: 'Children were running along the beaches', language: 'en-GB', status: 'published' })
  t.same(ids(await publicSearch(app, 'corrían')), [spanish.id], 'the word as written, without a language')
  t.same(ids(await publicSearch(app, 'CORRÍAN', { language: 'es' })), [spanish.id], 'and with one')
  t.same(ids(await publicSearch(app, 'gaviota*')), [spanish.id], 'a prefix')
  if (engine === 'postgresql') {
    t.same(ids(await publicSearch(app, 'corriendo', { language: 'es' })), [spanish.id], 'another form of the word, with language=es')
    t.same(ids(await publicSearch(app, 'gaviota volar', { language: 'es' })), [spanish.id], 'singular for plural, infinitive for past')
    t.same(ids(await publicSearch(app, 'corriendo')), [], 'without a language, words match as written')
    t.same(ids(await publicSearch(app, 'brücke', { language: 'de' })), [german.id], 'German')
    t.same(ids(await publicSearch(app, 'run beach', { language: 'en' })), [english.id], 'English, en-GB included')
    const [hit] = (await publicSearch(app, 'corriendo', { language: 'es' })).data
    t.equal(hit.highlights.headline, 'Los niños <mark>corrían</mark> por la playa al amanecer', 'the stemmed match is marked')
  } else {
    t.same(ids(await publicSearch(app, 'corriendo', { language: 'es' })), [], 'SQLite does not stem: another form is not found')
    t.same(ids(await publicSearch(app, 'corr*', { language: 'es' })), [spanish.id], 'a prefix finds it')
    t.same(ids(await publicSearch(app, 'ninos')), [spanish.id], 'SQLite: diacritics do not count')
    t.same(ids(await publicSearch(app, 'brucken')), [german.id], 'SQLite: diacritics do not count (German)')
    t.same(ids(await publicSearch(app, 'beaches', { language: 'en' })), [english.id], 'en finds en-GB')
  }
})

t.test('the index can be rebuilt: at start for articles without one, and whole', async (t) => {
  const app = await buildTestApp(t, noScheduler)
  const stories = []
  for (const word of ['heron', 'egret', 'bittern']) {
    stories.push(await createArticle(app, { headline: `A ${word} at the lake`, dek: `The ${word} stayed.`, status: 'published', body: [{ type: 'paragraph', text: `Birdwatchers saw the ${word}.` }, { type: 'ad_slot', slot: 'mid' }, { type: 'quote', text: `"A ${word}!"`, attribution: 'One of them' }] }))
  }
  await createArticle(app, { headline: 'No body, no dek' })
  const { prisma } = app.db
  const before = await prisma.articleSearch.findMany({ orderBy: { articleId: 'asc' }, select: { articleId: true, language: true, headline: true, dek: true, body: true } })
  t.equal(before.length, 4)

  // A database from before the search: no search text at all. The server stores it at start.
  await prisma.articleSearch.deleteMany({})
  t.same(ids(await publicSearch(app, 'egret')), [], 'without its search text a story is not found')
  await bootstrap(app)
  t.same(ids(await publicSearch(app, 'egret')), [stories[1].id], 'stored at start')
  await prisma.articleSearch.deleteMany({ where: { articleId: { not: stories[0].id } } })
  t.equal(await app.services.search.rebuildIndex({ missingOnly: true, batchSize: 2 }), 3, 'the missing ones are stored')
  t.same(await prisma.articleSearch.findMany({ orderBy: { articleId: 'asc' }, select: { articleId: true, language: true, headline: true, dek: true, body: true } }), before,
    'SQL computes exactly the text the write path stores')
  t.same(ids(await publicSearch(app, 'egret')), [stories[1].id], 'found again')
  t.equal(await app.services.search.rebuildIndex({ missingOnly: true }), 0, 'nothing missing: nothing written')
  t.equal(await app.services.search.rebuildIndex(), 0, 'a whole rebuild rewrites nothing that is current')

  await prisma.articleSearch.update({ where: { articleId: stories[2].id }, data: { headline: 'stale text' } })
  t.equal(await app.services.search.rebuildIndex({ batchSize: 3 }), 1, 'a whole rebuild repairs what differs')
  t.same(ids(await publicSearch(app, 'bittern')), [stories[2].id])
  await assertIndexIntact(t, app)
})
