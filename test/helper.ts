// Builds the real app on a fresh database of its own (SQLite file or PostgreSQL
// database, per TEST_ENGINE) and closes and drops it when the test ends.
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildServer } from '../src/app.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { loadConfig } from '../src/config.ts'
import { freshDatabase } from './support/test-databases.ts'
import { ContractChecker } from './support/openapi-contract.ts'

export { engineUnderTest } from './support/test-databases.ts'

/** A migrated database of its own for this test, dropped when it ends (after the apps on it close). */
export async function freshTestDatabase (t: Test): Promise<string> {
  const database = await freshDatabase()
  t.teardown(async () => { await database.drop() })
  return database.url
}

/** The first admin key of every test app (ADMIN_API_KEY). */
export const testAdminKey = 'cms_test-admin-key-0123456789abcdef'

export interface TestAppOptions {
  /**
   * Whose key `app.inject` sends when a request names no Authorization header:
   * the admin's (the default, for tests about content), or none (for tests
   * about access, which send their headers themselves).
   */
  as?: 'admin' | 'anonymous'
  /** Routes to add before the app is ready (tests of the test machinery itself). */
  routes?: (app: FastifyInstance) => void
}

const checkers = new Map<string, ContractChecker>()

/** One compiled checker per document (every app of a test file serves the same one). */
function contractFor (document: object): ContractChecker {
  const key = JSON.stringify(document)
  let checker = checkers.get(key)
  if (checker === undefined) {
    checker = new ContractChecker(document)
    checkers.set(key, checker)
  }
  return checker
}

/** The app on a fresh database, or on `env.DATABASE_URL` when given (e.g. a second instance). */
export async function buildTestApp (t: Test, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const databaseUrl = env.DATABASE_URL ?? await freshTestDatabase(t)
  const app = await buildServer(loadConfig({
    LOG_LEVEL: 'silent',
    DEMO_CONTENT: 'false',
    MIGRATE_ON_START: 'false',
    ADMIN_API_KEY: testAdminKey,
    // Tests send far more requests a minute than a client would; the rate limit has its own test.
    RATE_LIMIT_MAX: '1000000',
    // Test receivers listen on 127.0.0.1; the SSRF guard has its own test.
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    ...env,
    DATABASE_URL: databaseUrl
  }))
  const inject = app.inject.bind(app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>
  const sendsAdminKey = (options.as ?? 'admin') === 'admin'
  let contract: ContractChecker | undefined
  app.inject = (async (opts: InjectOptions) => {
    const headers = { ...(opts.headers as Record<string, string> | undefined) }
    if (sendsAdminKey && !('authorization' in headers)) headers.authorization = `Bearer ${testAdminKey}`
    // `authorization: ''` asks for a request without a key, on an app that sends the admin's by default.
    if (headers.authorization === '') delete headers.authorization
    const response = await inject({ ...opts, headers })
    // Every response any test produces keeps the documented contract.
    contract ??= contractFor(app.swagger())
    const broken = contract.check({
      method: opts.method ?? 'GET', url: String(opts.url), status: response.statusCode, headers: response.headers, body: response.body
    })
    if (broken.length > 0) t.fail(`the response breaks the OpenAPI document:\n  ${broken.join('\n  ')}`)
    return response
  }) as typeof app.inject
  options.routes?.(app)
  // Teardowns run last-registered first: the app closes before its database is dropped.
  t.teardown(async () => { await app.close() })
  await app.ready()
  await bootstrap(app)
  return app
}

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

export function body (response: LightMyRequestResponse): Json {
  return response.json()
}

/** A GET as a reader without a key, on an app that sends the admin's by default. */
export async function getWithoutKey (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'GET', url, headers: { authorization: '', ...headers } })
}

/** Sends JSON and expects `status`; returns the parsed body. */
export async function call (app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number, body: Json, response: LightMyRequestResponse }> {
  const response = await app.inject({ method, url, ...(payload !== undefined && { payload: payload as object }) })
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json(), response }
}

async function created (app: FastifyInstance, url: string, payload: object): Promise<Json> {
  const response = await app.inject({ method: 'POST', url, payload })
  if (response.statusCode !== 201) throw new Error(`POST ${url} answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

let counter = 0
const unique = (): number => ++counter

export async function createAuthor (app: FastifyInstance, fields: object = {}): Promise<Json> {
  return await created(app, '/v1/authors', { name: `Test Author ${unique()}`, organization: 'Test Wire', ...fields })
}

export async function createImage (app: FastifyInstance, fields: object = {}): Promise<Json> {
  return await created(app, '/v1/images', {
    url: `https://images.example.test/${unique()}.jpg`,
    alt: 'A test picture',
    caption: 'A caption written for the tests.',
    credit: { photographer: 'Test Photographer', agency: 'Test Agency' },
    ...fields
  })
}

export async function createArticle (app: FastifyInstance, fields: object = {}): Promise<Json> {
  return await created(app, '/v1/articles', { headline: `Test headline number ${unique()}`, ...fields })
}

/** Problem+json with the given status and code, naming the given paths in `errors`. */
export function assertProblem (t: Test, response: LightMyRequestResponse, status: number, code: string, paths: string[] = []): void {
  t.equal(response.statusCode, status, `status ${status} (${response.body.slice(0, 300)})`)
  t.match(response.headers['content-type'], /^application\/problem\+json/, 'problem+json content type')
  const problem = response.json()
  t.equal(problem.status, status, 'problem.status')
  t.equal(problem.code, code, 'problem.code')
  t.type(problem.type, 'string')
  t.type(problem.title, 'string')
  t.type(problem.detail, 'string')
  t.type(problem.requestId, 'string')
  const named = (problem.errors ?? []).map((error: { path: string }) => error.path)
  for (const path of paths) t.ok(named.includes(path), `errors name ${path} (got ${named.join(', ')})`)
}
