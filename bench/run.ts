// `npm run bench`: the API measured against a bare Fastify route sending the same
// bytes, in the same run, with every party in a process of its own: the API
// server(s) started as `npm start` runs them, the bare server, and the load
// generator (bench/load.ts: autocannon, or concurrent writers). Scenarios: a
// published story by slug without a key, with the in-process cache and without
// it; the newest-20 list; story saves; and, on PostgreSQL, how long a second
// instance serves the old version of a story after a change.
//
//   npm run bench [-- --engine sqlite|postgresql|both] [--seconds 10] [--connections 50]
//                    [--warmup 2] [--writers 8] [--trials 30] [--app-dir <checkout>]
//                    [--articles 100000]
//
// `--articles N` first loads a generated archive of N published stories
// (bench/archive.ts, through the bulk import) and adds the archive's scenarios:
// the archive's newest-20 page against one 5,000 stories deep (both of
// archive stories only, read from the database: cache off; after a warm-up,
// each measured twice in mirrored order and averaged), a tag + section
// page, a tag page and an author page against bare routes sending the same
// bytes, and search.
//
// Absolute numbers drift between machines and runs (../shared/PERFORMANCE.md):
// compare ratios taken in the same run. Loopback only, bounded in time; not part
// of the tests. Writes bench/results/<engine>.json.
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startPostgresCluster } from '../test/support/postgres-cluster.ts'
import type { LoadResult } from './load.ts'
import { cleanup, cleanupNow, guardLeftovers, onCleanup, runLoad, sleep, startApi, startBare, type ApiServer } from './processes.ts'
import type { StoryRefs } from './story.ts'
import { storyBody } from './story.ts'
import { archive, type ArchiveFacts } from './archive.ts'

type Engine = 'sqlite' | 'postgresql'
type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const { values: args } = parseArgs({
  options: {
    engine: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    writers: { type: 'string' },
    trials: { type: 'string' },
    'app-dir': { type: 'string' },
    'log-level': { type: 'string' },
    articles: { type: 'string' }
  }
})

function positive (name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  if (!Number.isFinite(number) || number < 0) throw new Error(`${name} must be a number >= 0, not "${value}"`)
  return number
}

const givenUrl = process.env.BENCH_DATABASE_URL
const givenEngine: Engine | undefined = givenUrl === undefined || givenUrl === '' ? undefined : /^postgres(ql)?:/.test(givenUrl) ? 'postgresql' : 'sqlite'
const engineOption = args.engine ?? process.env.BENCH_ENGINE ?? givenEngine ?? 'both'
if (!['sqlite', 'postgresql', 'both'].includes(engineOption)) throw new Error(`--engine must be sqlite, postgresql or both, not "${engineOption}"`)
const engines: Engine[] = engineOption === 'both' ? ['sqlite', 'postgresql'] : [engineOption as Engine]
const settings = {
  seconds: Math.min(positive('--seconds', args.seconds ?? process.env.BENCH_SECONDS, 10), 60),
  warmupSeconds: Math.min(positive('--warmup', args.warmup ?? process.env.BENCH_WARMUP, 2), 30),
  connections: Math.max(1, positive('--connections', args.connections ?? process.env.BENCH_CONNECTIONS, 50)),
  writers: Math.max(1, positive('--writers', args.writers ?? process.env.BENCH_WRITERS, 8)),
  trials: Math.min(Math.max(1, positive('--trials', args.trials ?? process.env.BENCH_TRIALS, 30)), 500),
  logLevel: args['log-level'] ?? process.env.BENCH_LOG_LEVEL ?? 'info',
  articles: Math.floor(positive('--articles', args.articles ?? process.env.BENCH_ARTICLES, 0)),
  appDir: resolve(args['app-dir'] ?? process.env.BENCH_APP_DIR ?? join(benchDir, '..'))
}
const adminKey = 'cms_bench-admin-key-0123456789abcdef'
/** The demo article (src/demo/demo-content.ts), loaded at start with DEMO_CONTENT=true. */
const demoArticleSlug = 'ferry-service-to-halvard-islands-resumes-as-strike-ends'
const runId = `bench-${Date.now().toString(36)}`

interface Row {
  id: string
  scenario: string
  rps: number | null
  p50: number | null
  p99: number | null
  bareRps: number | null
  ratio: number | null
  target: string
  pass: boolean | null
  detail: Json
}

// --- HTTP helpers --------------------------------------------------------------

async function call (base: string, method: string, path: string, body?: unknown, key?: string): Promise<{ status: number, text: string, json: Json }> {
  const headers: Record<string, string> = {}
  if (key !== undefined) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) })
  const text = await response.text()
  let json: Json = null
  try { json = JSON.parse(text) } catch { /* not JSON */ }
  return { status: response.status, text, json }
}

async function expect (status: number, base: string, method: string, path: string, body?: unknown, key?: string): Promise<{ status: number, text: string, json: Json }> {
  const answer = await call(base, method, path, body, key)
  if (answer.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 600)}`)
  return answer
}

// --- scenarios -----------------------------------------------------------------

async function get (url: string): Promise<LoadResult> {
  const result = await runLoad({ mode: 'get', url, connections: settings.connections, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds })
  if (result.ok === 0) throw new Error(`${url}: no 2xx answer (${result.non2xx} non-2xx answers, ${result.errors} errors/timeouts)`)
  return result
}

/** Authors, a lead image and two link targets for the stories the bench writes. */
async function createReferences (api: string): Promise<StoryRefs> {
  const authorIds: string[] = []
  for (const [index, name] of ['Signe Aalto', 'Jonas Berg', 'Petra Novak'].entries()) {
    const { json } = await expect(201, api, 'POST', '/v1/authors', { name, slug: `${runId}-author-${index}`, title: 'Staff Writer', organization: 'The Example Times', bio: 'Covers the coast and its towns.' }, adminKey)
    authorIds.push(json.id)
  }
  const { json: image } = await expect(201, api, 'POST', '/v1/images', {
    url: 'https://images.example.org/bench/breakwater.jpg',
    alt: 'Waves breaking over a stone harbour wall under a grey sky',
    caption: 'Waves break over the north breakwater at Port Elsing during a February storm.',
    width: 2400,
    height: 1600,
    credit: { photographer: 'Ines Varga', agency: 'Continental Press', copyright: '© 2026 Continental Press', license: 'Editorial use only' }
  }, adminKey)
  const targetIds: string[] = []
  for (const [index, headline] of ['Fishing crews count the cost of a stormy winter', 'The ports agency orders a review of sea defences'].entries()) {
    const { json } = await expect(201, api, 'POST', '/v1/articles', {
      slug: `${runId}-target-${index}`,
      headline,
      dek: 'A short related story.',
      section: 'Regional',
      status: 'published',
      bylines: [{ authorId: authorIds[index] }],
      body: [{ type: 'paragraph', text: 'A related story the bench links to.' }]
    }, adminKey)
    targetIds.push(json.id)
  }
  return { authorIds, imageId: image.id, targetIds }
}

/** Failed requests are reported in the scenario's cell and fail its target; they do not stop the run. */
function failures (result: LoadResult): string {
  const parts = [result.non2xx > 0 ? `${result.non2xx} non-2xx` : '', result.errors > 0 ? `${result.errors} errors/timeouts (10 s)` : ''].filter((part) => part !== '')
  return parts.length === 0 ? '' : ` — ${parts.join(', ')}${result.firstError === undefined ? '' : `: ${result.firstError.slice(0, 120)}`}`
}

/** What every load scenario's row shows: the scenario (with any failures) and the load's numbers. */
function measured (id: string, scenario: string, result: LoadResult): Pick<Row, 'id' | 'scenario' | 'rps' | 'p50' | 'p99'> {
  return { id, scenario: `${scenario}${failures(result)}`, rps: result.rps, p50: result.p50, p99: result.p99 }
}

function ratioRow (id: string, scenario: string, result: LoadResult, bareRps: number, minimum: number, maxP99?: number): Row {
  const ratio = result.rps / bareRps
  const pass = ratio >= minimum && (maxP99 === undefined || result.p99 < maxP99) && result.non2xx === 0 && result.errors === 0
  return {
    ...measured(id, scenario, result),
    bareRps,
    ratio,
    target: `>= ${minimum} x bare${maxP99 === undefined ? '' : `, p99 < ${maxP99} ms`}`,
    pass,
    detail: result
  }
}

/** Update through A, then poll B (anonymous, by slug) until it shows the change. */
async function propagation (a: ApiServer, b: ApiServer, story: { id: string, slug: string }): Promise<Row> {
  const delays: number[] = []
  let timeouts = 0
  for (let trial = 0; trial < settings.trials; trial++) {
    await expect(200, b.url, 'GET', `/v1/article-by-slug/${story.slug}`) // B has the current version in its cache
    await sleep(Math.random() * 300) // land anywhere in B's polling period
    const headline = `Harbour council votes to rebuild the north breakwater (${runId}, revision ${trial})`
    await expect(200, a.url, 'PATCH', `/v1/articles/${story.id}`, { headline }, adminKey)
    const committed = performance.now()
    for (;;) {
      const seen = await call(b.url, 'GET', `/v1/article-by-slug/${story.slug}`)
      if (seen.status === 200 && seen.json?.headline === headline) {
        delays.push(performance.now() - committed)
        break
      }
      if (performance.now() - committed > 10_000) {
        timeouts++
        break
      }
      await sleep(2)
    }
  }
  const sorted = [...delays].sort((x, y) => x - y)
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] ?? Number.NaN
  const p99 = timeouts > 0 ? Number.POSITIVE_INFINITY : at(99)
  return {
    id: 'propagation',
    scenario: `change seen by a 2nd instance (${settings.trials} trials: p50 ${at(50).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms)`,
    rps: null,
    p50: at(50),
    p99,
    bareRps: null,
    ratio: null,
    target: 'p99 < 1000 ms',
    pass: p99 < 1000,
    detail: { trials: settings.trials, timeouts, delaysMs: delays.map((d) => Math.round(d * 10) / 10), p50: at(50), p99: at(99), max: sorted.at(-1), measuredFrom: 'the 200 answer to the PATCH on instance A', pollEveryMs: 2 }
  }
}

// --- the archive (--articles N) ---------------------------------------------------

/** Imports the generated archive through `POST /v1/import?atomic=true`, 1,000 lines per request. */
async function loadArchive (api: string, engine: Engine): Promise<{ facts: ArchiveFacts, seconds: number }> {
  const generated = archive(settings.articles, { linesPerChunk: 1000 })
  const started = performance.now()
  let lines = 0
  for (const chunk of generated.chunks()) {
    const response = await fetch(`${api}/v1/import?atomic=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/x-ndjson' },
      body: chunk,
      signal: AbortSignal.timeout(600_000)
    })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`archive import: ${response.status} ${text.slice(0, 1000)}`)
    lines += (JSON.parse(text) as { lines: unknown[] }).lines.length
    const seconds = (performance.now() - started) / 1000
    if (lines % 10_000 < 1000) progress(`${engine}: archive: ${lines} records imported (${Math.round(lines / seconds)}/s)`)
  }
  return { facts: generated.facts, seconds: (performance.now() - started) / 1000 }
}

/** The cursor after the first `depth` stories of a public list (read 100 at a time). */
async function cursorAt (api: string, path: string, depth: number): Promise<string> {
  let cursor: string | null = null
  for (let read = 0; read < depth; read += 100) {
    const { json } = await expect(200, api, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor === null ? '' : `&cursor=${cursor}`}`)
    cursor = json.nextCursor
    if (cursor === null) throw new Error(`${path} has fewer than ${depth} stories`)
  }
  return cursor!
}

interface ArchivePaths { newest: string, deep: string, tagSection: string, tag: string, author: string, searches: string[], broadSearches: string[] }

/**
 * The newest page and the deep one are both pages of the archive's own
 * stories (publishedBefore: the bench's and the demo's stories are newer and
 * richer, 51 KB a page against 38), so that they differ in depth alone.
 */
const archiveList = (facts: ArchiveFacts): string => `/v1/articles?publishedBefore=${facts.publishedBefore}`

function archivePaths (facts: ArchiveFacts, deepCursor: string): ArchivePaths {
  const tag = encodeURIComponent(facts.commonTag)
  return {
    newest: `${archiveList(facts)}&limit=20`,
    deep: `${archiveList(facts)}&limit=20&cursor=${deepCursor}`,
    tagSection: `/v1/articles?limit=20&tag=${tag}&section=${encodeURIComponent(facts.commonSection)}`,
    tag: `/v1/articles?limit=20&tag=${tag}`,
    author: `/v1/articles?limit=20&authorId=${facts.busyAuthorId}`,
    searches: facts.searchQueries.map((q) => `/v1/search?limit=20&q=${encodeURIComponent(q)}`),
    broadSearches: facts.broadQueries.map((q) => `/v1/search?limit=20&q=${encodeURIComponent(q)}`)
  }
}

/**
 * The archive's scenarios. `cached`: the instance with the in-process cache;
 * `uncached`: PUBLIC_CACHE_BYTES=0, every answer read from the database.
 */
async function archiveScenarios (engine: Engine, cached: ApiServer, uncached: ApiServer, paths: ArchivePaths, scratch: string): Promise<Row[]> {
  const pages = {
    tagSection: await expect(200, cached.url, 'GET', paths.tagSection),
    tag: await expect(200, cached.url, 'GET', paths.tag),
    author: await expect(200, cached.url, 'GET', paths.author)
  }
  for (const [name, page] of Object.entries(pages)) if (page.json.data.length !== 20) throw new Error(`archive ${name} page has ${page.json.data.length} stories, not 20`)
  for (const path of [...paths.searches, ...paths.broadSearches]) await expect(200, cached.url, 'GET', path)
  const payloadFile = join(scratch, 'archive-payloads.json')
  writeFileSync(payloadFile, JSON.stringify(Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, page.text]))))
  const bare = await startBare(payloadFile)
  const bareRps: Record<string, number> = {}
  for (const name of Object.keys(pages)) {
    progress(`${engine}: bare /${name}`)
    bareRps[name] = (await get(`${bare.url}/${name}`)).rps
  }
  await bare.stop()

  progress(`${engine}: archive: newest-20 and 5,000 deep, cache off (both in turn to warm up, then newest, deep, deep, newest)`)
  // The server is new: whichever page went first ran ~20 % slower than the
  // same page later (warming up; seen on PostgreSQL, either page first). One
  // throw-away run of both, then each page measured twice, in mirrored order
  // (a drift of the machine during the four runs cancels out), and averaged.
  await runLoad({ mode: 'get', url: uncached.url, paths: [paths.newest, paths.deep], connections: settings.connections, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds })
  const newestFirst = await get(`${uncached.url}${paths.newest}`)
  const deepFirst = await get(`${uncached.url}${paths.deep}`)
  const deep = averageOf(deepFirst, await get(`${uncached.url}${paths.deep}`))
  const newest = averageOf(newestFirst, await get(`${uncached.url}${paths.newest}`))
  progress(`${engine}: archive: tag + section, tag and author pages (cache on, then off)`)
  const tagSection = await get(`${cached.url}${paths.tagSection}`)
  const tag = await get(`${cached.url}${paths.tag}`)
  const author = await get(`${cached.url}${paths.author}`)
  const tagCold = await get(`${uncached.url}${paths.tag}`)
  const authorCold = await get(`${uncached.url}${paths.author}`)
  // Search: cache on (a public search page is cached like a list page, until a
  // published story changes), then off: every search ranked by the database.
  const searches = async (server: ApiServer, queries: string[]): Promise<LoadResult> => await runLoad({ mode: 'get', url: server.url, paths: queries, connections: settings.connections, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds })
  progress(`${engine}: archive: search, ${paths.searches.length} queries in turn, cache on, then off`)
  const search = await searches(cached, paths.searches)
  const searchCold = await searches(uncached, paths.searches)
  progress(`${engine}: archive: broad searches, ${paths.broadSearches.length} queries in turn, cache on, then off`)
  const broad = await searches(cached, paths.broadSearches)
  const broadCold = await searches(uncached, paths.broadSearches)
  const deepRatio = deep.rps / newest.rps
  const stories = `${settings.articles.toLocaleString('en')} stories`
  return [
    { ...ratioRow('archive-newest', `${stories}: newest-20 of the archive, cache off (${newest.bytesPerResponse ?? 0} B)`, newest, newest.rps, 0), target: 'the reference for the deep page', pass: null },
    {
      ...ratioRow('archive-deep', `${stories}: a page 5,000 stories deep, cache off (${deep.bytesPerResponse ?? 0} B)`, deep, newest.rps, 0.8),
      ratio: deepRatio,
      target: 'within 20 % of newest-20: 0.8 to 1.2 x (the bare column: newest-20 req/s)',
      pass: deepRatio >= 0.8 && deepRatio <= 1.2 && deep.non2xx === 0 && deep.errors === 0
    },
    ratioRow('archive-tag-section', `${stories}: tag + section page, cache on (${pages.tagSection.text.length} B)`, tagSection, bareRps.tagSection!, 0.3),
    ratioRow('archive-tag', `${stories}: tag page, cache on (${pages.tag.text.length} B)`, tag, bareRps.tag!, 0.3),
    ratioRow('archive-author', `${stories}: author page, cache on (${pages.author.text.length} B)`, author, bareRps.author!, 0.3),
    { ...ratioRow('archive-tag-cold', `${stories}: tag page, cache off (read from the database)`, tagCold, bareRps.tag!, 0), target: 'none (informational)', pass: null },
    { ...ratioRow('archive-author-cold', `${stories}: author page, cache off (read from the database)`, authorCold, bareRps.author!, 0), target: 'none (informational)', pass: null },
    searchRow('archive-search', `${stories}: search for a topic, cache on, ${paths.searches.length} queries in turn (a few dozen matches each)`, search, paths.searches, true),
    searchRow('archive-search-cold', `${stories}: search for a topic, cache off (ranked by the database every time)`, searchCold, paths.searches, false),
    searchRow('archive-search-broad', `${stories}: broad search, cache on, ${paths.broadSearches.length} queries in turn (thousands of matches each)`, broad, paths.broadSearches, false),
    searchRow('archive-search-broad-cold', `${stories}: broad search, cache off`, broadCold, paths.broadSearches, false)
  ]
}

/** Two runs of one scenario as one: rates and counts added up over both, the slower run's latencies. */
function averageOf (first: LoadResult, second: LoadResult): LoadResult & { runs: LoadResult[] } {
  const seconds = first.seconds + second.seconds
  return {
    rps: (first.rps * first.seconds + second.rps * second.seconds) / seconds,
    ok: first.ok + second.ok,
    p50: Math.max(first.p50, second.p50),
    p99: Math.max(first.p99, second.p99),
    max: Math.max(first.max, second.max),
    requests: first.requests + second.requests,
    seconds,
    errors: first.errors + second.errors,
    non2xx: first.non2xx + second.non2xx,
    bytesPerResponse: first.bytesPerResponse,
    firstError: first.firstError ?? second.firstError,
    runs: [first, second]
  }
}

/** A search scenario's row: p99 under 50 ms is the target of the first, the others are for information. */
function searchRow (id: string, scenario: string, result: LoadResult, queries: string[], targeted: boolean): Row {
  return {
    ...measured(id, scenario, result),
    bareRps: null,
    ratio: null,
    target: targeted ? 'p99 < 50 ms' : 'none (informational)',
    pass: targeted ? result.p99 < 50 && result.non2xx === 0 && result.errors === 0 : null,
    detail: { ...result, queries }
  }
}

// --- one engine ----------------------------------------------------------------

function progress (message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

function gitState (): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: settings.appDir, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'prisma', 'package.json'], { cwd: settings.appDir, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${commit} + uncommitted changes in src/, prisma/ or package.json` : commit
  } catch {
    return 'unknown'
  }
}

async function benchEngine (engine: Engine): Promise<{ rows: Row[], report: Json }> {
  const scratch = mkdtempSync(join(tmpdir(), `cms-bench-${engine}-`))
  onCleanup(() => { rmSync(scratch, { recursive: true, force: true }) })
  let databaseUrl: string
  if (givenEngine === engine) {
    databaseUrl = givenUrl!
    guardLeftovers([scratch])
    progress(`${engine}: BENCH_DATABASE_URL (the bench adds stories to it)`)
  } else if (engine === 'sqlite') {
    databaseUrl = `file:${join(scratch, 'db', 'bench.db')}`
    guardLeftovers([scratch])
  } else {
    progress('postgresql: starting a throw-away cluster')
    const cluster = await startPostgresCluster()
    onCleanup(() => { cluster.stop() })
    guardLeftovers([scratch], cluster.dataDir)
    databaseUrl = cluster.url
  }
  // A 1,000-story import request takes seconds: no 408 for it.
  const common = { DATABASE_URL: databaseUrl, LOG_LEVEL: settings.logLevel, RATE_LIMIT_MAX: '1000000000', ADMIN_API_KEY: adminKey, ...(settings.articles > 0 && { REQUEST_TIMEOUT_MS: '600000' }) }
  const followers = { ...common, MIGRATE_ON_START: 'false', DEMO_CONTENT: 'false' }

  progress(`${engine}: starting the API (cache on), migrations and demo content at start`)
  const a = await startApi({ name: `${engine}-a-cache-on`, appDir: settings.appDir, scratch, env: { ...common, MIGRATE_ON_START: 'true', DEMO_CONTENT: 'true' } })
  let loaded: { facts: ArchiveFacts, seconds: number } | undefined
  if (settings.articles > 0) {
    progress(`${engine}: importing a generated archive of ${settings.articles} stories`)
    loaded = await loadArchive(a.url, engine)
    progress(`${engine}: archive imported in ${Math.round(loaded.seconds)} s`)
  }
  progress(`${engine}: creating authors, an image, link targets and 24 stories through the API`)
  const refs = await createReferences(a.url)
  const seeded: Array<{ id: string, slug: string }> = []
  for (let n = 0; n < 24; n++) {
    const { json } = await expect(201, a.url, 'POST', '/v1/articles', storyBody(refs, `${runId}-list-${n}`), adminKey)
    seeded.push({ id: json.id, slug: json.slug })
  }
  let storySlug = demoArticleSlug
  let story = await call(a.url, 'GET', `/v1/article-by-slug/${storySlug}`)
  if (story.status !== 200) {
    storySlug = seeded[0]!.slug
    story = await expect(200, a.url, 'GET', `/v1/article-by-slug/${storySlug}`)
  }
  const list = await expect(200, a.url, 'GET', '/v1/articles?limit=20')
  if (list.json.data.length !== 20) throw new Error(`the list has ${list.json.data.length} articles, not 20`)

  const payloadFile = join(scratch, 'payloads.json')
  writeFileSync(payloadFile, JSON.stringify({ story: story.text, list: list.text }))
  const bare = await startBare(payloadFile)
  const sameBytes = {
    story: (await call(bare.url, 'GET', '/story')).text === story.text,
    list: (await call(bare.url, 'GET', '/list')).text === list.text
  }
  progress(`${engine}: bare server up; same bytes as the API: story ${sameBytes.story}, list ${sameBytes.list}`)
  const b = await startApi({ name: `${engine}-b-cache-off`, appDir: settings.appDir, scratch, env: { ...followers, PUBLIC_CACHE_BYTES: '0' } })

  const storyPath = `/v1/article-by-slug/${storySlug}`
  const listPath = '/v1/articles?limit=20'
  progress(`${engine}: bare /story`)
  const bareStory1 = await get(`${bare.url}/story`)
  progress(`${engine}: story by slug, cache on`)
  const warm = await get(`${a.url}${storyPath}`)
  progress(`${engine}: story by slug, cache off`)
  const cold = await get(`${b.url}${storyPath}`)
  progress(`${engine}: bare /story again`)
  const bareStory2 = await get(`${bare.url}/story`)
  progress(`${engine}: bare /list`)
  const bareList1 = await get(`${bare.url}/list`)
  progress(`${engine}: newest-20 list`)
  const listResult = await get(`${a.url}${listPath}`)
  progress(`${engine}: bare /list again`)
  const bareList2 = await get(`${bare.url}/list`)
  await bare.stop()
  await b.stop()
  const bareStory = (bareStory1.rps + bareStory2.rps) / 2
  const bareList = (bareList1.rps + bareList2.rps) / 2

  progress(`${engine}: ${settings.writers} writers creating stories`)
  const writes = await runLoad({ mode: 'writes', url: a.url, key: adminKey, writers: settings.writers, seconds: settings.seconds, refs, slugPrefix: `${runId}-save` })
  if (writes.requests === 0) throw new Error(`no story was saved: ${writes.firstError ?? ''}`)
  // After the saves: a broad search can leave the server busy for seconds after its load stops.
  let archiveRows: Row[] = []
  if (loaded !== undefined) {
    const uncached = await startApi({ name: `${engine}-b-cache-off-archive`, appDir: settings.appDir, scratch, env: { ...followers, PUBLIC_CACHE_BYTES: '0' } })
    archiveRows = await archiveScenarios(engine, a, uncached, archivePaths(loaded.facts, await cursorAt(a.url, archiveList(loaded.facts), 5000)), scratch)
    await uncached.stop()
  }

  const rows: Row[] = [
    ratioRow('story-warm', `story by slug, anonymous, cache on (${story.text.length} B)`, warm, bareStory, 0.7, 15),
    ratioRow('story-cache-off', 'story by slug, anonymous, PUBLIC_CACHE_BYTES=0', cold, bareStory, engine === 'sqlite' ? 0.4 : 0.15),
    ratioRow('list', `newest-20 list, anonymous (${list.text.length} B)`, listResult, bareList, 0.4),
    {
      id: 'writes',
      scenario: `story saves (POST, admin key, ${settings.writers} writers; 3 bylines, lead image, 2 related links)${failures(writes)}`,
      rps: writes.rps,
      p50: writes.p50,
      p99: writes.p99,
      bareRps: null,
      ratio: null,
      target: engine === 'sqlite' ? '>= 200 saves/s' : 'none (informational)',
      pass: engine === 'sqlite' ? writes.rps >= 200 && writes.errors === 0 && writes.non2xx === 0 : null,
      detail: writes
    },
    ...archiveRows
  ]

  if (engine === 'postgresql') {
    progress(`${engine}: a second instance (cache on) for the propagation delay`)
    const c = await startApi({ name: `${engine}-c-cache-on`, appDir: settings.appDir, scratch, env: followers })
    rows.push(await propagation(a, c, seeded[0]!))
    await c.stop()
  }
  await a.stop()

  const report = {
    engine,
    date: new Date().toISOString(),
    commit: gitState(),
    node: process.version,
    cpus: cpus().length,
    settings: { ...settings, appDir: undefined, apiLogLevel: settings.logLevel, rateLimitMax: 1e9, publicCacheBytes: 'default (cache on) / 0 (cache off)' },
    database: givenEngine === engine ? 'BENCH_DATABASE_URL' : engine === 'sqlite' ? 'temporary file' : 'throw-away cluster (fsync off)',
    bare: {
      what: 'bare Fastify 5 in its own process, no logger, returning the API\'s answer as an object parsed once (Fastify serialises it per request)',
      sameBytesAsApi: sameBytes,
      story: [bareStory1, bareStory2],
      list: [bareList1, bareList2]
    },
    story: { slug: storySlug, bytes: story.text.length },
    list: { bytes: list.text.length, articles: 20 },
    archive: loaded === undefined ? null : { articles: settings.articles, importSeconds: Math.round(loaded.seconds), generator: 'bench/archive.ts, seed 1', facts: loaded.facts },
    rows
  }
  mkdirSync(join(benchDir, 'results'), { recursive: true })
  writeFileSync(join(benchDir, 'results', `${engine}.json`), `${JSON.stringify(report, null, 2)}\n`)
  return { rows, report }
}

// --- output --------------------------------------------------------------------

function table (engine: Engine, rows: Row[], report: Json): string {
  const number = (value: number | null, digits = 0): string => value === null ? '—' : Number.isFinite(value) ? value.toFixed(digits) : String(value)
  const lines = [
    `### ${engine} — ${report.commit}, Node ${report.node}, ${report.cpus} CPUs, ${settings.connections} connections, ${settings.seconds} s per scenario (+${settings.warmupSeconds} s warm-up), API log level ${settings.logLevel}`,
    '',
    '| scenario | req/s | p99 ms | bare req/s | ratio | target |',
    '|---|---:|---:|---:|---:|---|'
  ]
  for (const row of rows) {
    const verdict = row.pass === null ? '' : row.pass ? ' PASS' : ' MISS'
    lines.push(`| ${row.scenario} | ${number(row.rps)} | ${number(row.p99)} | ${number(row.bareRps)} | ${row.ratio === null ? '—' : row.ratio.toFixed(2)} | ${row.target}${verdict} |`)
  }
  const bare = report.bare
  const spread = (runs: LoadResult[]): string => `${Math.round(runs[0]!.rps)} / ${Math.round(runs[1]!.rps)}`
  lines.push('', `Bare: Fastify serialising the same object per request (same bytes as the API: story ${bare.sameBytesAsApi.story}, list ${bare.sameBytesAsApi.list}); measured before and after, averaged: story ${spread(bare.story)}, list ${spread(bare.list)} req/s.`)
  return lines.join('\n')
}

// --- main ----------------------------------------------------------------------

let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    progress(`${signal}: stopping every process the bench started`)
    void cleanup().finally(() => process.exit(130))
  })
}
process.on('exit', cleanupNow)
// Bounded: both engines take about 4 minutes with the defaults.
// An archive adds its import (a few hundred stories a second) and 17 runs of load.
const archiveMinutes = settings.articles > 0 ? Math.ceil(settings.articles / 100 / 60) + Math.ceil(17 * (settings.seconds + settings.warmupSeconds) / 60) : 0
const limitMinutes = Math.max(15, Math.ceil(engines.length * (6 * (settings.seconds + settings.warmupSeconds) / 60 + archiveMinutes)) + 10)
setTimeout(() => {
  interrupted = true
  progress(`still running after ${limitMinutes} minutes: stopping every process the bench started`)
  void cleanup().finally(() => process.exit(1))
}, limitMinutes * 60_000).unref()

const tables: string[] = []
let failed = false
try {
  progress(`engines: ${engines.join(', ')}; app: ${settings.appDir}`)
  for (const engine of engines) {
    const started = Date.now()
    const { rows, report } = await benchEngine(engine)
    tables.push(table(engine, rows, report))
    progress(`${engine}: done in ${Math.round((Date.now() - started) / 1000)} s; wrote bench/results/${engine}.json`)
    console.log(`\n${tables.at(-1)!}\n`)
  }
} catch (error) {
  failed = true
  if (!interrupted) console.error(error)
} finally {
  await cleanup()
}
if (tables.length > 1) console.log(`\n${tables.join('\n\n')}\n`)
process.exit(failed ? 1 : 0)
