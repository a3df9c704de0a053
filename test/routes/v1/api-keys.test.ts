// API keys: created by an admin with a secret shown once, stored only as a
// SHA-256 hash, usable as a bearer key, revocable, expiring; and the first-run
// bootstrap that makes sure an admin key exists.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { bootstrap } from '../../../src/bootstrap.ts'
import { assertProblem, buildTestApp, testAdminKey } from '../../helper.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const roles = ['reader', 'editor', 'integrator', 'admin'] as const
const apiKeyFields = ['id', 'name', 'role', 'prefix', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt'].sort()

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` })

async function as (app: FastifyInstance, secret: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers: secret === null ? {} : bearer(secret), ...(payload !== undefined && { payload }) })
}

async function createKey (t: Test, app: FastifyInstance, payload: object, adminSecret = testAdminKey): Promise<Json> {
  const response = await as(app, adminSecret, 'POST', '/v1/api-keys', payload)
  t.equal(response.statusCode, 201, `POST /v1/api-keys ${JSON.stringify(payload)} → 201 (${response.body.slice(0, 200)})`)
  return response.json()
}

async function listKeys (app: FastifyInstance): Promise<Json[]> {
  const response = await as(app, testAdminKey, 'GET', '/v1/api-keys?limit=100')
  if (response.statusCode !== 200) throw new Error(`GET /v1/api-keys answered ${response.statusCode}: ${response.body}`)
  return response.json().data
}

const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex')

t.test('an admin creates keys of every role; the secret is shown once and never stored', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const created: Json[] = []
  for (const role of roles) {
    const response = await as(app, testAdminKey, 'POST', '/v1/api-keys', { name: `  The ${role} key  `, role })
    t.equal(response.statusCode, 201, `${role}: 201`)
    t.equal(response.headers['cache-control'], 'private, no-store', `${role}: the response with the secret is not cached`)
    t.match(response.headers['content-type'], /^application\/json/)
    const key = response.json()
    t.same(Object.keys(key).sort(), [...apiKeyFields, 'secret'].sort(), `${role}: the key's fields and its secret`)
    t.equal(key.name, `The ${role} key`, 'the name is trimmed')
    t.equal(key.role, role)
    t.match(key.secret, /^cms_[A-Za-z0-9_-]{40}$/, 'a cms_ secret of 30 random bytes, base64url')
    t.equal(key.prefix, key.secret.slice(0, 12), 'the prefix is the start of the secret')
    t.ok(key.secret.length > key.prefix.length, 'the prefix is not the whole secret')
    t.equal(key.expiresAt, null)
    t.equal(key.revokedAt, null)
    t.equal(key.lastUsedAt, null, 'not used yet')
    t.ok(Math.abs(Date.parse(key.createdAt) - Date.now()) < 60_000, 'createdAt is now')
    created.push(key)
  }
  t.equal(new Set(created.map((key) => key.secret)).size, roles.length, 'every secret is different')
  t.equal(new Set(created.map((key) => key.id)).size, roles.length, 'every id is different')

  // The list shows every key, but never a secret.
  const list = await as(app, testAdminKey, 'GET', '/v1/api-keys')
  t.equal(list.statusCode, 200)
  const page = list.json()
  t.same(Object.keys(page).sort(), ['data', 'nextCursor'])
  t.equal(page.data.length, roles.length + 1, 'the four new keys and the ADMIN_API_KEY')
  for (const item of page.data) {
    t.same(Object.keys(item).sort(), apiKeyFields, `${item.name}: listed without a secret or its hash`)
    t.notOk('secret' in item, `${item.name}: no secret`)
    t.notOk('secretHash' in item, `${item.name}: no hash`)
  }
  for (const key of created) {
    t.notOk(list.body.includes(key.secret), `${key.role}: the secret appears nowhere in the list`)
    const { secret, ...listed } = key
    t.same(page.data.find((item: Json) => item.id === key.id), listed, `${key.role}: listed as created, minus the secret`)
  }
  t.same(page.data.map((item: Json) => item.id).slice(0, roles.length), created.map((key) => key.id).reverse(), 'newest first')
  t.match(page.data.at(-1), { name: 'Admin (ADMIN_API_KEY)', role: 'admin' }, 'the bootstrap key is the oldest')

  // The database holds a hash only.
  const rows = await app.db.prisma.apiKey.findMany()
  t.equal(rows.length, roles.length + 1)
  const stored = JSON.stringify(rows)
  for (const key of created) {
    t.notOk(stored.includes(key.secret), `${key.role}: the secret is in no column of any row`)
    t.notOk(stored.includes(key.secret.slice(12)), `${key.role}: nor is its secret part after the prefix`)
    const row = rows.find((candidate) => candidate.id === key.id)
    t.ok(row, `${key.role}: stored`)
    t.match(row?.secretHash, /^[0-9a-f]{64}$/, `${key.role}: secretHash is 64 hex characters`)
    t.equal(row?.secretHash, sha256(key.secret), `${key.role}: secretHash is the SHA-256 of the secret`)
  }
  t.notOk(stored.includes(testAdminKey), 'ADMIN_API_KEY is not stored in clear either')
  t.equal(rows.find((row) => row.name === 'Admin (ADMIN_API_KEY)')?.secretHash, sha256(testAdminKey))
})

t.test('a new key works as a bearer key with the rights of its role, and records its last use', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const editor = await createKey(t, app, { name: 'Night desk', role: 'editor' })
  const reader = await createKey(t, app, { name: 'Homepage', role: 'reader' })
  const integrator = await createKey(t, app, { name: 'Syndication', role: 'integrator' })
  const admin = await createKey(t, app, { name: 'Second admin', role: 'admin' })

  const written = await as(app, editor.secret, 'POST', '/v1/authors', { name: 'Written By Editor' })
  t.equal(written.statusCode, 201, 'an editor key can create an author')
  assertProblem(t, await as(app, reader.secret, 'POST', '/v1/authors', { name: 'Not allowed' }), 403, 'FORBIDDEN')
  assertProblem(t, await as(app, integrator.secret, 'POST', '/v1/authors', { name: 'Not allowed' }), 403, 'FORBIDDEN')
  t.equal((await as(app, integrator.secret, 'GET', '/v1/images')).statusCode, 200, 'an integrator key reads images')
  t.equal((await as(app, admin.secret, 'GET', '/v1/api-keys')).statusCode, 200, 'a new admin key manages keys')

  const keys = await listKeys(app)
  const byId = (id: string): Json => keys.find((key) => key.id === id)
  for (const key of [editor, reader, integrator, admin]) {
    const lastUsedAt = byId(key.id).lastUsedAt
    t.type(lastUsedAt, 'string', `${key.name}: lastUsedAt is set after use`)
    t.ok(Date.parse(lastUsedAt) >= Date.parse(key.createdAt) && Date.parse(lastUsedAt) <= Date.now() + 1000, `${key.name}: lastUsedAt is the time of use`)
  }
  const unused = await createKey(t, app, { name: 'Unused', role: 'reader' })
  t.equal((await listKeys(app)).find((key) => key.id === unused.id).lastUsedAt, null, 'a key never used has no lastUsedAt')

  // A key is its whole secret: the prefix alone, or the secret with one character changed, is unknown.
  assertProblem(t, await as(app, editor.prefix + 'x'.repeat(10), 'GET', '/v1/images'), 401, 'INVALID_API_KEY')
  const tampered = editor.secret.slice(0, -1) + (editor.secret.endsWith('A') ? 'B' : 'A')
  assertProblem(t, await as(app, tampered, 'GET', '/v1/images'), 401, 'INVALID_API_KEY')
})

t.test('revoking a key: 204, it stops working at once and stays listed', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const editor = await createKey(t, app, { name: 'Freelancer', role: 'editor' })
  t.equal((await as(app, editor.secret, 'POST', '/v1/authors', { name: 'Before Revocation' })).statusCode, 201, 'works before')

  const revoked = await as(app, testAdminKey, 'DELETE', `/v1/api-keys/${editor.id}`)
  t.equal(revoked.statusCode, 204)
  t.equal(revoked.body, '', 'no body')

  const refused = await as(app, editor.secret, 'POST', '/v1/authors', { name: 'After Revocation' })
  assertProblem(t, refused, 401, 'API_KEY_REVOKED')
  t.equal(refused.headers['www-authenticate'], 'Bearer')
  assertProblem(t, await as(app, editor.secret, 'GET', '/v1/articles'), 401, 'API_KEY_REVOKED')
  const authors = await as(app, testAdminKey, 'GET', '/v1/authors')
  t.same(authors.json().data.map((author: Json) => author.name), ['Before Revocation'], 'the refused write changed nothing')

  const listed = (await listKeys(app)).find((key) => key.id === editor.id)
  t.ok(listed, 'a revoked key stays listed')
  t.type(listed.revokedAt, 'string', 'with revokedAt')
  t.ok(Math.abs(Date.parse(listed.revokedAt) - Date.now()) < 60_000, 'revokedAt is now')

  const again = await as(app, testAdminKey, 'DELETE', `/v1/api-keys/${editor.id}`)
  t.equal(again.statusCode, 204, 'revoking twice is 204')
  t.equal((await listKeys(app)).find((key) => key.id === editor.id).revokedAt, listed.revokedAt, 'the second revocation keeps the first time')
  assertProblem(t, await as(app, editor.secret, 'GET', '/v1/images'), 401, 'API_KEY_REVOKED')

  assertProblem(t, await as(app, testAdminKey, 'DELETE', '/v1/api-keys/no-such-key'), 404, 'NOT_FOUND')
  t.equal((await listKeys(app)).length, 2, 'a 404 creates nothing')

  // An admin can revoke the key it is using; the next request with it fails.
  const second = await createKey(t, app, { name: 'Self-revoking admin', role: 'admin' })
  t.equal((await as(app, second.secret, 'DELETE', `/v1/api-keys/${second.id}`)).statusCode, 204)
  assertProblem(t, await as(app, second.secret, 'GET', '/v1/api-keys'), 401, 'API_KEY_REVOKED')
})

t.test('a key with expiresAt works until then, and answers 401 API_KEY_EXPIRED after', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const expiresAt = new Date(Date.now() + 1500)
  const key = await createKey(t, app, { name: 'Short-lived', role: 'editor', expiresAt: expiresAt.toISOString() })
  t.equal(key.expiresAt, expiresAt.toISOString(), 'expiresAt as sent')

  const before = await as(app, key.secret, 'POST', '/v1/authors', { name: 'In Time' })
  t.equal(before.statusCode, 201, 'works before it expires')

  await pause(Math.max(0, expiresAt.getTime() - Date.now() + 100))
  const after = await as(app, key.secret, 'POST', '/v1/authors', { name: 'Too Late' })
  assertProblem(t, after, 401, 'API_KEY_EXPIRED')
  t.equal(after.headers['www-authenticate'], 'Bearer')
  assertProblem(t, await as(app, key.secret, 'GET', '/v1/articles'), 401, 'API_KEY_EXPIRED')

  const listed = (await listKeys(app)).find((item) => item.id === key.id)
  t.equal(listed.expiresAt, expiresAt.toISOString(), 'an expired key stays listed with its expiresAt')
  t.equal(listed.revokedAt, null, 'expired, not revoked')

  // An offset other than Z is accepted and normalised to UTC.
  const offset = await createKey(t, app, { name: 'Offset', role: 'reader', expiresAt: '2099-06-30T12:00:00+02:00' })
  t.equal(offset.expiresAt, '2099-06-30T10:00:00.000Z')
  t.equal((await as(app, offset.secret, 'GET', '/v1/articles')).statusCode, 200)
})

t.test('invalid key requests are 400 and create nothing', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const invalid: Array<[object, string[], string]> = [
    [{ name: 'Bad role', role: 'superuser' }, ['body.role'], 'a role that does not exist'],
    [{ name: 'No role' }, ['body.role'], 'no role'],
    [{ name: '', role: 'reader' }, ['body.name'], 'an empty name'],
    [{ name: '   ', role: 'reader' }, ['body.name'], 'a blank name'],
    [{ role: 'reader' }, ['body.name'], 'no name'],
    [{ name: 'x'.repeat(201), role: 'reader' }, ['body.name'], 'a name too long'],
    [{ name: 'Extra', role: 'reader', secret: 'cms_my-own-chosen-secret-1234567890' }, ['body.secret'], 'a chosen secret (unknown field)'],
    [{ name: 'Extra', role: 'reader', isAdmin: true }, ['body.isAdmin'], 'an unknown field'],
    [{ name: 'Bad date', role: 'reader', expiresAt: 'next tuesday' }, ['body.expiresAt'], 'expiresAt not a date-time'],
    [{ name: 'Bad date', role: 'reader', expiresAt: '2030-01-01' }, ['body.expiresAt'], 'expiresAt a date without a time'],
    [{ name: 'Bad date', role: 'reader', expiresAt: 1893456000000 }, ['body.expiresAt'], 'expiresAt a number']
  ]
  for (const [payload, paths, what] of invalid) {
    await t.test(what, async (t) => {
      assertProblem(t, await as(app, testAdminKey, 'POST', '/v1/api-keys', payload), 400, 'VALIDATION_FAILED', paths)
    })
  }
  assertProblem(t, await as(app, testAdminKey, 'GET', '/v1/api-keys?limit=0'), 400, 'VALIDATION_FAILED', ['query.limit'])
  assertProblem(t, await as(app, testAdminKey, 'GET', '/v1/api-keys?cursor=not-a-cursor'), 400, 'VALIDATION_FAILED', ['query.cursor'])
  t.equal(await app.db.prisma.apiKey.count(), 1, 'only the ADMIN_API_KEY exists')
})

t.test('the list pages newest first', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    ids.push((await createKey(t, app, { name: `Key ${i}`, role: 'reader' })).id)
    await pause(2)
  }
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const response = await as(app, testAdminKey, 'GET', `/v1/api-keys?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
    t.equal(response.statusCode, 200)
    const page = response.json()
    t.ok(page.data.length <= 2)
    seen.push(...page.data.map((key: Json) => key.id))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null && pages < 10)
  t.equal(pages, 3, 'six keys in pages of two')
  t.same(seen.slice(0, 5), [...ids].reverse(), 'newest first, no gaps or duplicates')
  t.equal(seen.length, 6)
})

t.test('only admin keys reach the api-key routes', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const target = await createKey(t, app, { name: 'Target', role: 'reader' })
  const routes: Array<{ method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object }> = [
    { method: 'GET', url: '/v1/api-keys' },
    { method: 'POST', url: '/v1/api-keys', payload: { name: 'Escalation', role: 'admin' } },
    { method: 'DELETE', url: `/v1/api-keys/${target.id}` }
  ]
  for (const role of ['reader', 'editor', 'integrator'] as const) {
    const key = await createKey(t, app, { name: `A ${role}`, role })
    for (const route of routes) {
      const response = await as(app, key.secret, route.method, route.url, route.payload)
      assertProblem(t, response, 403, 'FORBIDDEN')
      t.notOk(response.body.includes('cms_'), `${role} ${route.method} ${route.url}: no secret in the refusal`)
    }
  }
  for (const route of routes) {
    const response = await as(app, null, route.method, route.url, route.payload)
    assertProblem(t, response, 401, 'AUTHENTICATION_REQUIRED')
    t.equal(response.headers['www-authenticate'], 'Bearer', `anonymous ${route.method} ${route.url}: WWW-Authenticate: Bearer`)
  }
  assertProblem(t, await as(app, 'cms_no-such-key-at-all-0123456789', 'GET', '/v1/api-keys'), 401, 'INVALID_API_KEY')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` } }), 401, 'MALFORMED_AUTHORIZATION')

  const rows = await app.db.prisma.apiKey.findMany()
  t.equal(rows.length, 5, 'ADMIN_API_KEY, the target and the three callers: nothing created by a refused request')
  t.equal(rows.find((row) => row.id === target.id)?.revokedAt, null, 'the target is not revoked by a refused request')
  t.notOk(rows.some((row) => row.name === 'Escalation'))
})

t.test('first run: without ADMIN_API_KEY, bootstrap creates exactly one admin key and prints it on stderr', async (t) => {
  // Capture what bootstrap writes to stderr while the app is built (buildTestApp runs bootstrap).
  const written: string[] = []
  const originalWrite = process.stderr.write
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    written.push(String(chunk))
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
    callback?.()
    return true
  }
  process.stderr.write = capture as typeof process.stderr.write
  let app: FastifyInstance
  try {
    app = await buildTestApp(t, { ADMIN_API_KEY: '' }, { as: 'anonymous' })
  } finally {
    process.stderr.write = originalWrite
  }
  t.equal(app.config.ADMIN_API_KEY, undefined, 'an empty ADMIN_API_KEY counts as unset')

  const rows = await app.db.prisma.apiKey.findMany()
  t.equal(rows.length, 1, 'exactly one key')
  t.match(rows[0], { role: 'admin', name: 'Admin (first run)', revokedAt: null, expiresAt: null })

  const printed = written.join('')
  const match = /^ {4}(cms_\S+)$/m.exec(printed)
  t.ok(match, `the secret is printed on stderr on a line of its own, indented by four spaces:\n${printed}`)
  const secret = match?.[1] ?? ''
  t.equal(rows[0]?.secretHash, sha256(secret), 'the printed secret is the stored key')
  t.notOk(JSON.stringify(rows).includes(secret), 'and is not stored in clear')
  t.equal((await as(app, secret, 'GET', '/v1/api-keys')).statusCode, 200, 'the printed secret is a working admin key')

  // Starting again finds a working admin key and creates none.
  written.length = 0
  process.stderr.write = capture as typeof process.stderr.write
  try {
    await bootstrap(app)
  } finally {
    process.stderr.write = originalWrite
  }
  t.equal(await app.db.prisma.apiKey.count(), 1, 'a second bootstrap creates no second key')
  t.notOk(written.join('').includes('cms_'), 'and prints no secret')

  // A revoked first-run key is replaced at the next start: there must be a working admin key.
  t.equal((await as(app, secret, 'DELETE', `/v1/api-keys/${rows[0]?.id ?? ''}`)).statusCode, 204, 'the first-run key revokes itself')
  written.length = 0
  process.stderr.write = capture as typeof process.stderr.write
  try {
    await bootstrap(app)
  } finally {
    process.stderr.write = originalWrite
  }
  const replacement = /^ {4}(cms_\S+)$/m.exec(written.join(''))?.[1]
  t.ok(replacement, 'no working admin key left: a new one is printed')
  t.not(replacement, secret)
  t.equal(await app.db.prisma.apiKey.count({ where: { role: 'admin', revokedAt: null } }), 1, 'one working admin key again')
  t.equal((await as(app, replacement ?? '', 'GET', '/v1/api-keys')).statusCode, 200)
  assertProblem(t, await as(app, secret, 'GET', '/v1/api-keys'), 401, 'API_KEY_REVOKED')
})

t.test('with ADMIN_API_KEY set, bootstrap stores it once and never brings it back once revoked', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  t.equal(await app.db.prisma.apiKey.count(), 1, 'the ADMIN_API_KEY is stored at first start')
  await bootstrap(app)
  t.equal(await app.db.prisma.apiKey.count(), 1, 'and not again at the next start')
  t.equal((await app.db.prisma.apiKey.findFirstOrThrow()).lastUsedAt, null, 'a start is not a use of the key: lastUsedAt stays unset')
  t.equal((await as(app, testAdminKey, 'GET', '/v1/api-keys')).statusCode, 200)

  const other = await createKey(t, app, { name: 'Successor', role: 'admin' })
  const configured = (await listKeys(app)).find((key) => key.name === 'Admin (ADMIN_API_KEY)')
  t.equal((await as(app, other.secret, 'DELETE', `/v1/api-keys/${configured.id}`)).statusCode, 204, 'another admin revokes the ADMIN_API_KEY')
  assertProblem(t, await as(app, testAdminKey, 'GET', '/v1/api-keys'), 401, 'API_KEY_REVOKED')

  await bootstrap(app)
  assertProblem(t, await as(app, testAdminKey, 'GET', '/v1/api-keys'), 401, 'API_KEY_REVOKED')
  const rows = await app.db.prisma.apiKey.findMany()
  t.equal(rows.length, 2, 'bootstrap stored no second copy of the revoked ADMIN_API_KEY')
  t.equal(rows.filter((row) => row.secretHash === sha256(testAdminKey)).length, 1)
  t.ok(rows.find((row) => row.secretHash === sha256(testAdminKey))?.revokedAt, 'and it is still revoked')

  // A second app on the same database with the same ADMIN_API_KEY (a restart) does not resurrect it either.
  const restarted = await buildTestApp(t, { DATABASE_URL: app.config.DATABASE_URL }, { as: 'anonymous' })
  assertProblem(t, await as(restarted, testAdminKey, 'GET', '/v1/api-keys'), 401, 'API_KEY_REVOKED')
  t.equal(await restarted.db.prisma.apiKey.count(), 2)
  t.equal((await as(restarted, other.secret, 'GET', '/v1/api-keys')).statusCode, 200, 'the successor still works')
})
