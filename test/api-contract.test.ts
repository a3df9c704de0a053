// The contract as an integrator and an editor meet it: the response check
// itself can fail, every route refuses unknown query parameters, contact
// details stay in the newsroom, a GET body goes back as PUT or PATCH unchanged,
// bodiless DELETEs with a JSON content type work, and unknown fields get a hint.
import t, { type Test } from 'tap'
import { z } from 'zod'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, call, createArticle, createAuthor, createImage, assertProblem, body, testAdminKey } from './helper.ts'
import { ContractChecker } from './support/openapi-contract.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const

async function keyFor (app: FastifyInstance, role: string): Promise<string> {
  const created = await call(app, 'POST', '/v1/api-keys', { name: `${role} key`, role })
  return created.body.secret
}

/** A story with everything a GET embeds: two bylines, a lead image, an image block, an internal and an external related link. */
async function fullStory (app: FastifyInstance): Promise<{ article: Json, target: Json, authors: Json[], image: Json }> {
  const authors = [await createAuthor(app, { email: 'first@example.org' }), await createAuthor(app, { email: 'second@example.org', organization: 'Continental Press' })]
  const image = await createImage(app)
  const target = await createArticle(app, { status: 'published', dek: 'The earlier story.' })
  const article = await createArticle(app, {
    status: 'published',
    dek: 'A dek.',
    section: 'World',
    tags: ['Rail', 'Aldern'],
    dateline: 'ALDERN, Norland',
    leadImageId: image.id,
    bylines: [{ authorId: authors[0].id, role: 'author' }, { authorId: authors[1].id, role: 'reporting' }],
    body: [
      { type: 'paragraph', text: 'The first paragraph.' },
      { type: 'image', imageId: image.id },
      { type: 'ad_slot', slot: 'mid-1' },
      { type: 'related_link', articleId: target.id, text: 'Background: the landslide' },
      { type: 'quote', text: 'We have our mornings back.', attribution: 'A commuter' },
      { type: 'heading', text: 'What comes next', level: 3 },
      { type: 'related_link', url: 'https://elsewhere.example.org/story', text: 'Elsewhere: the other line' }
    ]
  })
  return { article, target, authors, image }
}

/** The representation with the fields a write always moves masked. */
function masked (representation: Json): Json {
  return JSON.parse(JSON.stringify(representation), (key, value: unknown) => key === 'updatedAt' || key === 'version' ? `<${key}>` : value)
}

t.test('the response check fails a test that gets an undocumented status, header or body', async (t) => {
  const failures: string[] = []
  const recording = { teardown: t.teardown.bind(t), fail: (message: string) => { failures.push(message); return true } } as unknown as Test
  const app = await buildTestApp(recording, {}, {
    routes: (instance) => {
      // Documents 200, answers 418.
      instance.get('/v1/contract-probe', {
        config: { access: 'read' },
        schema: { operationId: 'probeContract', summary: 'A probe', response: { 200: z.object({ ok: z.boolean() }) } }
      }, async (_request, reply) => await (reply as { code: (status: number) => typeof reply }).code(418).send({ ok: true }))
    }
  })
  const probe = await app.inject({ method: 'GET', url: '/v1/contract-probe' })
  t.equal(probe.statusCode, 418, 'the route answered its undocumented status')
  t.equal(failures.length, 1, 'the helper failed the test that produced it')
  t.match(failures[0], /GET \/v1\/contract-probe \(probeContract\) → 418: status 418 is not documented/)

  // A documented status with a body or a header the document does not describe.
  const article = await createArticle(app, { status: 'published' })
  const real = await app.inject({ method: 'GET', url: `/v1/articles/${article.id}` })
  t.equal(failures.length, 1, 'a response that keeps the contract passes')
  const checker = new ContractChecker(app.swagger())
  const exchange = { method: 'GET', url: `/v1/articles/${article.id}`, status: 200, headers: real.headers, body: real.body }
  t.same(checker.check(exchange), [], 'the real exchange keeps the contract')
  const wrongBody = JSON.stringify({ ...real.json(), headline: 42 })
  t.match(checker.check({ ...exchange, body: wrongBody }).join('\n'), /body \/headline must be string/, 'a body off its schema is named')
  t.match(checker.check({ ...exchange, headers: { ...real.headers, 'retry-after': '5' } }).join('\n'), /sends the header retry-after, which is not documented/)
  t.match(checker.check({ ...exchange, headers: { ...real.headers, 'x-request-id': undefined } }).join('\n'), /the required header x-request-id is missing/)
  t.match(checker.check({ ...exchange, headers: { ...real.headers, 'content-type': 'text/html' } }).join('\n'), /content type "text\/html" is not documented/)
  t.match(checker.check({ method: 'GET', url: '/nowhere', status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }).join('\n'), /no documented operation matches/)
})

t.test('an unknown query parameter on every route answers 400 naming it', async (t) => {
  const app = await buildTestApp(t)
  const { article } = await fullStory(app)
  const link = article.body.find((block: Json) => block.type === 'related_link')
  const keyId = (await call(app, 'POST', '/v1/api-keys', { name: 'Probe', role: 'reader' })).body.id
  const document: Json = app.swagger()
  const valueFor = (path: string, parameter: string): string => {
    if (parameter === 'linkId') return link.id
    if (parameter === 'deliveryId' || parameter === 'version') return '1'
    if (parameter === 'slug') return article.slug
    if (path.startsWith('/v1/authors/')) return article.bylines[0].authorId
    if (path.startsWith('/v1/images/')) return article.leadImageId
    if (path.startsWith('/v1/api-keys/')) return keyId
    return article.id
  }
  let routes = 0
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of methods) {
      const operation = item[method]
      if (operation === undefined) continue
      routes++
      const url = path.replace(/\{(\w+)\}/g, (_match, parameter: string) => valueFor(path, parameter))
      const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref
      const example = ref === undefined ? undefined : document.components.schemas[ref.split('/').pop()!]?.examples?.[0]
      if (ref !== undefined) t.not(example, undefined, `${operation.operationId}: its request body has an example`)
      // The bulk import takes NDJSON, with an example of its own.
      const ndjson: string | undefined = operation.requestBody?.content?.['application/x-ndjson']?.example
      const response = await app.inject({
        method: method.toUpperCase() as 'GET',
        url: `${url}?definitelyNotAParameter=1`,
        ...(example !== undefined && { payload: example }),
        ...(ndjson !== undefined && { payload: ndjson, headers: { 'content-type': 'application/x-ndjson' } })
      })
      assertProblem(t, response, 400, 'VALIDATION_FAILED', ['query.definitelyNotAParameter'])
    }
  }
  t.ok(routes >= 25, `every documented operation was tried (${routes})`)

  // A near miss says what was meant.
  const misspelt = await app.inject({ method: 'GET', url: '/v1/articles?sectoin=World' })
  assertProblem(t, misspelt, 400, 'VALIDATION_FAILED', ['query.sectoin'])
  t.match(body(misspelt).errors[0].message, 'did you mean "section"?')
})

t.test('no anonymous or reader response carries an author\'s contact details', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const asAdmin = { inject: async (options: Json) => await app.inject({ ...options, headers: { authorization: `Bearer ${testAdminKey}`, ...options.headers } }) } as unknown as FastifyInstance
  const { article, authors } = await fullStory(asAdmin)
  const reader = await keyFor(asAdmin, 'reader')
  const editor = await keyFor(asAdmin, 'editor')
  const urls = [
    '/v1/authors', `/v1/authors/${authors[0].id}`, '/v1/articles', `/v1/articles/${article.id}`,
    `/v1/article-by-slug/${article.slug}`, `/v1/articles/slug/${article.slug}`, `/v1/articles/${article.id}/bylines`
  ]
  for (const url of urls) {
    for (const [who, headers] of [['anonymous', {}], ['reader', { authorization: `Bearer ${reader}` }]] as const) {
      const response = await app.inject({ method: 'GET', url, headers })
      t.equal(response.statusCode, 200, `${who} GET ${url}`)
      t.notMatch(response.body, /"email"|@example\.org/, `${who} GET ${url}: no email`)
    }
    const staff = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${editor}` } })
    t.match(staff.body, /"email":"(first|second)@example\.org"/, `editor GET ${url}: the email is there`)
  }
})

t.test('for every resource, a GET body sent back unchanged as PUT (or PATCH) answers 200 and changes nothing', async (t) => {
  const app = await buildTestApp(t)
  const { article, authors, image } = await fullStory(app)
  const resources = [
    ['article', `/v1/articles/${article.id}`],
    ['author', `/v1/authors/${authors[1].id}`],
    ['image', `/v1/images/${image.id}`],
    ['byline', `/v1/articles/${article.id}/bylines`]
  ] as const
  for (const [resource, url] of resources) {
    for (const method of ['PUT', 'PATCH'] as const) {
      if (resource === 'byline' && method === 'PATCH') continue // the byline is replaced whole
      const before = (await call(app, 'GET', url)).body
      const written = await call(app, method, url, before)
      t.equal(written.status, 200, `${resource}: ${method} of its GET body answers 200 (${JSON.stringify(written.body?.errors ?? '')})`)
      t.same(masked(written.body), masked(before), `${resource}: the ${method} response is the GET body`)
      t.same(masked((await call(app, 'GET', url)).body), masked(before), `${resource}: nothing changed`)
    }
  }

  // The related links of the body, one by one.
  const links = (await call(app, 'GET', `/v1/articles/${article.id}/related-links`)).body.data
  t.equal(links.length, 2)
  for (const link of links) {
    const written = await call(app, 'PATCH', `/v1/articles/${article.id}/related-links/${link.id}`, link)
    t.equal(written.status, 200, `related link ${link.position}: PATCH of its GET body answers 200`)
    t.same(written.body, link, 'and changes nothing')
  }
  t.same(masked((await call(app, 'GET', `/v1/articles/${article.id}`)).body), masked(article), 'the article is as it was created')
})

t.test('read-only fields are ignored, and `leadImage` alone says to send `leadImageId`', async (t) => {
  const app = await buildTestApp(t)
  const { article, image } = await fullStory(app)
  const other = await createImage(app)
  const ignored = await call(app, 'PATCH', `/v1/articles/${article.id}`, {
    id: 'another-id', createdAt: '2001-01-01T00:00:00.000Z', publishedAt: null, leadImageId: image.id, leadImage: other
  })
  t.equal(ignored.status, 200)
  t.equal(ignored.body.id, article.id, 'id unchanged')
  t.equal(ignored.body.createdAt, article.createdAt, 'createdAt unchanged')
  t.equal(ignored.body.publishedAt, article.publishedAt, 'publishedAt unchanged')
  t.equal(ignored.body.leadImage.id, image.id, 'the lead image is the one leadImageId names')

  const guessed = await app.inject({ method: 'PATCH', url: `/v1/articles/${article.id}`, payload: { leadImage: { id: other.id } } })
  assertProblem(t, guessed, 400, 'VALIDATION_FAILED', ['body.leadImage'])
  t.match(body(guessed).errors[0].message, /leadImageId/)
  t.equal((await call(app, 'GET', `/v1/articles/${article.id}`)).body.leadImageId, image.id, 'nothing changed')
})

t.test('an unknown body field gets a "did you mean" when a known one is close', async (t) => {
  const app = await buildTestApp(t)
  const cases: Array<[string, string, object, string, string]> = [
    ['POST', '/v1/articles', { headlin: 'A headline' }, 'body.headlin', 'headline'],
    ['POST', '/v1/articles', { headline: 'A headline', body: [{ type: 'paragraph', txt: 'Words' }] }, 'body.body.0.txt', 'text'],
    ['POST', '/v1/articles', { headline: 'A headline', bylines: [{ authorId: 'x', rol: 'author' }] }, 'body.bylines.0.rol', 'role'],
    ['POST', '/v1/images', { url: 'https://images.example.test/a.jpg', credit: { photograher: 'Ines Varga' } }, 'body.credit.photograher', 'photographer'],
    ['POST', '/v1/authors', { name: 'Mara', organisation: 'Continental Press' }, 'body.organisation', 'organization']
  ]
  for (const [method, url, payload, path, meant] of cases) {
    const response = await app.inject({ method: method as 'POST', url, payload })
    assertProblem(t, response, 400, 'VALIDATION_FAILED', [path])
    const named = body(response).errors.find((error: { path: string }) => error.path === path)
    t.equal(named?.message, `is not a known field; did you mean "${meant}"?`, `${path} → ${meant}`)
  }
  const far = await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Mara', favouriteColour: 'blue' } })
  t.equal(body(far).errors[0].message, 'is not a known field', 'no guess when nothing is close')
})

t.test('DELETE with `Content-Type: application/json` and no body succeeds', async (t) => {
  const app = await buildTestApp(t)
  const { article, target } = await fullStory(app)
  const link = article.body.find((block: Json) => block.type === 'related_link' && block.articleId !== null)
  const author = await createAuthor(app)
  const keyId = (await call(app, 'POST', '/v1/api-keys', { name: 'Short-lived', role: 'reader' })).body.id
  for (const url of [`/v1/articles/${article.id}/related-links/${link.id}`, `/v1/articles/${target.id}`, `/v1/authors/${author.id}`, `/v1/api-keys/${keyId}`]) {
    const response = await app.inject({ method: 'DELETE', url, headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, 204, `DELETE ${url}`)
  }
  t.equal((await call(app, 'GET', `/v1/articles/${target.id}`)).status, 404, 'the article is gone')
  // A body that is there must still be JSON.
  const malformed = await app.inject({ method: 'DELETE', url: `/v1/articles/${article.id}`, headers: { 'content-type': 'application/json' }, payload: '{nope' })
  assertProblem(t, malformed, 400, 'MALFORMED_JSON')
})

t.test('GET / points at the docs', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const response = await app.inject({ method: 'GET', url: '/' })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { docs: '/docs', openapi: '/openapi.json', health: '/health' })
  t.equal((await app.inject({ method: 'GET', url: response.json().docs })).statusCode < 400, true, 'the docs link works')
})
