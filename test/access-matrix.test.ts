// Every route × every kind of caller → the expected status, and a draft never
// shows in anything an anonymous caller or a reader key gets back.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, testAdminKey } from './helper.ts'

const identities = ['anonymous', 'reader', 'editor', 'integrator', 'admin', 'revoked', 'expired', 'malformed'] as const
type Identity = (typeof identities)[number]

/** public: no key needed, none checked · read: published content · draft: a draft's URL · staff: read:drafts · write · admin */
type Kind = 'public' | 'read' | 'draft' | 'staff' | 'write' | 'admin'

function expectedStatus (kind: Kind, identity: Identity, ok: number): number {
  if (kind === 'public') return ok
  if (identity === 'revoked' || identity === 'expired' || identity === 'malformed') return 401
  const role = identity
  switch (kind) {
    case 'read': return ok
    case 'draft': return role === 'anonymous' || role === 'reader' ? 404 : ok
    case 'staff': return role === 'anonymous' ? 401 : role === 'reader' ? 403 : ok
    case 'write': return role === 'anonymous' ? 401 : role === 'editor' || role === 'admin' ? ok : 403
    case 'admin': return role === 'anonymous' ? 401 : role === 'admin' ? ok : 403
  }
}

async function as (app: FastifyInstance, key: string, method: string, url: string, payload?: object) {
  return await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${key}` }, ...(payload !== undefined && { payload }) })
}

interface World {
  app: FastifyInstance
  headers: Record<Identity, Record<string, string>>
  published: { id: string, slug: string }
  draft: { id: string, slug: string, headline: string }
  linkTarget: { id: string }
  author: { id: string }
  image: { id: string }
  link: { id: string }
}

async function buildWorld (t: Test, env: Record<string, string> = {}): Promise<World> {
  const app = await buildTestApp(t, env, { as: 'anonymous' })
  const admin = async (method: string, url: string, payload?: object) => {
    const response = await as(app, testAdminKey, method, url, payload)
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
    return response.body === '' ? undefined : response.json()
  }
  const key = async (role: string, extra: object = {}): Promise<{ id: string, secret: string }> =>
    await admin('POST', '/v1/api-keys', { name: `${role} key`, role, ...extra })

  const reader = await key('reader')
  const editor = await key('editor')
  const integrator = await key('integrator')
  const revoked = await key('editor')
  await admin('DELETE', `/v1/api-keys/${revoked.id}`)
  const expiresAt = Date.now() + 1500
  const expired = await key('admin', { expiresAt: new Date(expiresAt).toISOString() })

  const author = await admin('POST', '/v1/authors', { name: 'Matrix Author', organization: 'Test Wire' })
  const image = await admin('POST', '/v1/images', { url: 'https://images.example.test/matrix.jpg', credit: { photographer: 'P', agency: 'A' } })
  const draft = await admin('POST', '/v1/articles', {
    headline: 'Embargoed: the council will resign at noon', slug: 'embargoed-council-story', status: 'draft',
    bylines: [{ authorId: author.id }], body: [{ type: 'paragraph', text: 'Not for publication yet.' }]
  })
  const linkTarget = await admin('POST', '/v1/articles', { headline: 'A published background story', status: 'published' })
  const published = await admin('POST', '/v1/articles', {
    headline: 'A published story', slug: 'a-published-story', status: 'published', leadImageId: image.id,
    bylines: [{ authorId: author.id }],
    body: [
      { type: 'paragraph', text: 'First paragraph.' },
      { type: 'related_link', articleId: draft.id, text: 'Coming soon: the council story' },
      { type: 'related_link', articleId: linkTarget.id, text: 'Background' },
      { type: 'image', imageId: image.id }
    ]
  })
  // A draft that links to the published background story, so it shows up in "who links here" for staff only.
  await admin('POST', `/v1/articles/${draft.id}/related-links`, { articleId: linkTarget.id, text: 'See also' })
  const link = (await admin('GET', `/v1/articles/${published.id}/related-links`)).data[1]

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 50)))

  const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` })
  return {
    app,
    headers: {
      anonymous: {},
      reader: bearer(reader.secret),
      editor: bearer(editor.secret),
      integrator: bearer(integrator.secret),
      admin: bearer(testAdminKey),
      revoked: bearer(revoked.secret),
      expired: bearer(expired.secret),
      malformed: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' }
    },
    published, draft, linkTarget, author, image, link
  }
}

t.test('every route × every caller', async (t) => {
  const world = await buildWorld(t)
  const { app, headers } = world
  const admin = headers.admin

  // Writes that remove or replace something get a target of their own per caller.
  const perCaller = async (make: () => Promise<string>): Promise<Record<Identity, string>> => {
    const entries = []
    for (const identity of identities) entries.push([identity, await make()] as const)
    return Object.fromEntries(entries) as Record<Identity, string>
  }
  const created = async (url: string, payload: object): Promise<string> =>
    (await app.inject({ method: 'POST', url, headers: admin, payload })).json().id as string
  const articles = await perCaller(async () => await created('/v1/articles', { headline: 'Doomed story' }))
  const authors = await perCaller(async () => await created('/v1/authors', { name: 'Doomed Author' }))
  const images = await perCaller(async () => await created('/v1/images', { url: 'https://images.example.test/doomed.jpg' }))
  const keys = await perCaller(async () => await created('/v1/api-keys', { name: 'doomed', role: 'reader' }))
  const links = await perCaller(async () => await created(`/v1/articles/${world.published.id}/related-links`, { url: 'https://example.org/x', text: 'Doomed link' }))

  interface Route { kind: Kind, method: string, url: (who: Identity) => string, ok: number, payload?: object | ((who: Identity) => object) }
  const routes: Route[] = [
    { kind: 'public', method: 'GET', url: () => '/health', ok: 200 },
    { kind: 'public', method: 'GET', url: () => '/openapi.json', ok: 200 },
    { kind: 'public', method: 'GET', url: () => '/docs/json', ok: 200 },
    { kind: 'read', method: 'GET', url: () => '/v1/articles', ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/articles/${world.published.id}`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/articles/slug/${world.published.slug}`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/article-by-slug/${world.published.slug}`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/articles/${world.published.id}/bylines`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/articles/${world.published.id}/related-links`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/related-links?articleId=${world.linkTarget.id}`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/articles/${world.published.id}?format=ninjs`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/article-by-slug/${world.published.slug}?format=jsonld`, ok: 200 },
    { kind: 'read', method: 'GET', url: () => '/v1/feeds/rss', ok: 200 },
    { kind: 'read', method: 'GET', url: () => '/v1/feeds/atom', ok: 200 },
    { kind: 'read', method: 'GET', url: () => '/v1/search?q=story', ok: 200 },
    { kind: 'read', method: 'GET', url: () => '/v1/authors', ok: 200 },
    { kind: 'read', method: 'GET', url: () => `/v1/authors/${world.author.id}`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/articles/${world.draft.id}`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/articles/slug/${world.draft.slug}`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/article-by-slug/${world.draft.slug}`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/articles/${world.draft.id}/bylines`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/articles/${world.draft.id}?format=ninjs-2.2`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/article-by-slug/${world.draft.slug}?format=ninjs`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/articles/${world.draft.id}/related-links`, ok: 200 },
    { kind: 'draft', method: 'GET', url: () => `/v1/related-links?articleId=${world.draft.id}`, ok: 200 },
    { kind: 'staff', method: 'GET', url: () => '/v1/images', ok: 200 },
    { kind: 'staff', method: 'GET', url: () => `/v1/images/${world.image.id}`, ok: 200 },
    { kind: 'write', method: 'POST', url: () => '/v1/articles', ok: 201, payload: { headline: 'A new story' } },
    { kind: 'write', method: 'PUT', url: (who) => `/v1/articles/${articles[who]}`, ok: 200, payload: { headline: 'Replaced story' } },
    { kind: 'write', method: 'PATCH', url: (who) => `/v1/articles/${articles[who]}`, ok: 200, payload: { dek: 'A dek' } },
    { kind: 'write', method: 'PUT', url: (who) => `/v1/articles/${articles[who]}/bylines`, ok: 200, payload: { data: [{ authorId: world.author.id }] } },
    { kind: 'write', method: 'POST', url: (who) => `/v1/articles/${articles[who]}/related-links`, ok: 201, payload: { url: 'https://example.org/y', text: 'More' } },
    { kind: 'write', method: 'PATCH', url: (who) => `/v1/articles/${world.published.id}/related-links/${links[who]}`, ok: 200, payload: { text: 'Changed' } },
    { kind: 'write', method: 'DELETE', url: (who) => `/v1/articles/${world.published.id}/related-links/${links[who]}`, ok: 204 },
    { kind: 'write', method: 'DELETE', url: (who) => `/v1/articles/${articles[who]}`, ok: 204 },
    { kind: 'write', method: 'POST', url: () => '/v1/import/ninjs', ok: 201, payload: (who) => ({ uri: `urn:matrix:${who}`, headlines: [{ value: 'An imported story' }] }) },
    { kind: 'write', method: 'POST', url: () => '/v1/authors', ok: 201, payload: { name: 'A new author' } },
    { kind: 'write', method: 'PUT', url: (who) => `/v1/authors/${authors[who]}`, ok: 200, payload: { name: 'Replaced author' } },
    { kind: 'write', method: 'PATCH', url: (who) => `/v1/authors/${authors[who]}`, ok: 200, payload: { title: 'Editor' } },
    { kind: 'write', method: 'DELETE', url: (who) => `/v1/authors/${authors[who]}`, ok: 204 },
    { kind: 'write', method: 'POST', url: () => '/v1/images', ok: 201, payload: { url: 'https://images.example.test/new.jpg' } },
    { kind: 'write', method: 'PUT', url: (who) => `/v1/images/${images[who]}`, ok: 200, payload: { url: 'https://images.example.test/replaced.jpg' } },
    { kind: 'write', method: 'PATCH', url: (who) => `/v1/images/${images[who]}`, ok: 200, payload: { alt: 'Alt text' } },
    { kind: 'write', method: 'DELETE', url: (who) => `/v1/images/${images[who]}`, ok: 204 },
    { kind: 'admin', method: 'GET', url: () => '/v1/api-keys', ok: 200 },
    { kind: 'admin', method: 'POST', url: () => '/v1/api-keys', ok: 201, payload: { name: 'Another key', role: 'reader' } },
    { kind: 'admin', method: 'DELETE', url: (who) => `/v1/api-keys/${keys[who]}`, ok: 204 },
    { kind: 'admin', method: 'GET', url: () => '/v1/audit', ok: 200 }
  ]

  let checked = 0
  for (const route of routes) {
    for (const identity of identities) {
      const url = route.url(identity)
      const response = await app.inject({
        method: route.method as 'GET', url, headers: headers[identity], ...(route.payload !== undefined && { payload: typeof route.payload === 'function' ? route.payload(identity) : route.payload })
      })
      const expected = expectedStatus(route.kind, identity, route.ok)
      t.equal(response.statusCode, expected, `${route.method} ${url} as ${identity} → ${expected} (${response.body.slice(0, 160)})`)
      if (expected >= 400) t.match(response.headers['content-type'], /^application\/problem\+json/, 'a problem')
      if (expected === 401) t.equal(response.headers['www-authenticate'], 'Bearer')
      checked++
    }
  }
  t.equal(checked, routes.length * identities.length)

  // Refused writes changed nothing: every caller's doomed article still exists unless the caller could delete it.
  for (const identity of identities) {
    const status = (await app.inject({ method: 'GET', url: `/v1/articles/${articles[identity]}`, headers: admin })).statusCode
    t.equal(status, identity === 'editor' || identity === 'admin' ? 404 : 200, `${identity}'s delete took effect only if allowed`)
  }
})

t.test('the 401s say what is wrong with the key', async (t) => {
  const world = await buildWorld(t)
  const code = async (headers: Record<string, string>): Promise<string> =>
    (await world.app.inject({ method: 'GET', url: '/v1/articles', headers })).json().code
  t.equal(await code(world.headers.revoked), 'API_KEY_REVOKED')
  t.equal(await code(world.headers.expired), 'API_KEY_EXPIRED')
  t.equal(await code(world.headers.malformed), 'MALFORMED_AUTHORIZATION')
  t.equal(await code({ authorization: 'Bearer' }), 'MALFORMED_AUTHORIZATION')
  t.equal(await code({ authorization: `Bearer ${testAdminKey}x` }), 'INVALID_API_KEY', 'a near miss is unknown')
  t.equal(await code({ authorization: 'Bearer cms_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }), 'INVALID_API_KEY')
  t.equal((await world.app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'x' } })).json().code, 'AUTHENTICATION_REQUIRED')
})

t.test('a draft never appears in what anonymous callers or readers get', async (t) => {
  const world = await buildWorld(t)
  const { app, draft } = world
  const secrets = [draft.id, draft.slug, draft.headline, 'Coming soon: the council story']
  const reads = [
    '/v1/articles', '/v1/articles?status=draft', '/v1/articles?status=published', '/v1/articles?limit=1',
    `/v1/articles/${world.published.id}`, `/v1/articles/slug/${world.published.slug}`, `/v1/article-by-slug/${world.published.slug}`,
    `/v1/articles/${world.published.id}/related-links`, `/v1/articles/${world.published.id}/bylines`,
    `/v1/related-links?articleId=${world.linkTarget.id}`, `/v1/authors`, `/v1/authors/${world.author.id}`,
    '/v1/search?q=council', '/v1/search?q=embargoed&status=draft', '/v1/search?q=publication', '/v1/search?q=stor*'
  ]
  // The draft's own URLs answer exactly as URLs of stories that never existed
  // (the problem only echoes what the caller sent).
  const ownUrls = (id: string, slug: string): string[] => [`/v1/articles/${id}`, `/v1/articles/slug/${slug}`, `/v1/article-by-slug/${slug}`, `/v1/articles/${id}/bylines`, `/v1/articles/${id}/related-links`, `/v1/related-links?articleId=${id}`]
  const masked = (body: string, id: string, slug: string): unknown => ({ ...JSON.parse(body.replaceAll(id, '<id>').replaceAll(slug, '<slug>')), requestId: '<request>' })
  for (const identity of ['anonymous', 'reader'] as const) {
    for (const url of reads) {
      const response = await app.inject({ method: 'GET', url, headers: world.headers[identity] })
      t.equal(response.statusCode, 200, `${identity}: GET ${url}`)
      for (const secret of secrets) t.notOk(response.body.includes(secret), `${identity}: GET ${url} does not reveal "${secret}"`)
    }
    const drafts = ownUrls(draft.id, draft.slug)
    const missing = ownUrls('cmnothere000000000000000000', 'no-such-story')
    for (const [index, url] of drafts.entries()) {
      const response = await app.inject({ method: 'GET', url, headers: world.headers[identity] })
      const never = await app.inject({ method: 'GET', url: missing[index]!, headers: world.headers[identity] })
      t.equal(response.statusCode, 404, `${identity}: GET ${url} is a 404`)
      t.same(masked(response.body, draft.id, draft.slug), masked(never.body, 'cmnothere000000000000000000', 'no-such-story'), `${identity}: GET ${url} answers as for a story that never existed`)
      t.notOk(response.body.includes(draft.headline))
    }
  }

  const publicView = (await app.inject({ method: 'GET', url: `/v1/articles/${world.published.id}` })).json()
  t.same(publicView.body.map((block: { type: string }) => block.type), ['paragraph', 'related_link', 'image'], 'the link to the draft is left out of the public body')
  t.same((await app.inject({ method: 'GET', url: `/v1/articles/${world.published.id}/related-links` })).json().data.map((link: { position: number }) => link.position), [1], 'positions count the visible body')
  const staffView = (await app.inject({ method: 'GET', url: `/v1/articles/${world.published.id}`, headers: world.headers.integrator })).json()
  t.equal(staffView.body.length, 4, 'staff see the whole body')
  t.equal(staffView.body[1].article.id, draft.id)
  const backlinks = (await app.inject({ method: 'GET', url: `/v1/related-links?articleId=${world.linkTarget.id}`, headers: world.headers.editor })).json().data
  t.equal(backlinks.length, 2, 'staff see links from drafts too')
})

t.test('PUBLIC_READS=false: every request needs a key', async (t) => {
  const world = await buildWorld(t, { PUBLIC_READS: 'false' })
  const anonymous = await world.app.inject({ method: 'GET', url: `/v1/articles/${world.published.id}` })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.json().code, 'AUTHENTICATION_REQUIRED')
  t.equal((await world.app.inject({ method: 'GET', url: `/v1/articles/${world.published.id}`, headers: world.headers.reader })).statusCode, 200)
  t.equal((await world.app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'health stays public')
})
