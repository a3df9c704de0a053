// The OpenAPI document: the committed file matches the code, the app serves it
// and Swagger UI, and every operation is documented well enough to build a
// client from (ids, tags, texts, request examples, problem responses).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { renderOpenApi } from '../src/openapi.ts'
import { apiTags } from '../src/plugins/external/swagger.ts'
import { tidySchemas } from '../src/openapi-document.ts'
import { buildTestApp, createArticle, createAuthor, createImage, testAdminKey } from './helper.ts'
import { exampleIds } from '../src/schemas/common.ts'
import type { LightMyRequestResponse } from 'fastify'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const committedPath = new URL('../openapi/openapi.json', import.meta.url)
const committed: Json = JSON.parse(readFileSync(committedPath, 'utf8'))

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

function operations (document: Json): Array<{ method: string, path: string, operation: Json }> {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => ({ method, path, operation })))
}

/** Follows `$ref`s (#/components/schemas/…) to the schema itself. */
function resolveSchema (document: Json, schema: Json, seen: string[] = []): Json {
  if (schema?.$ref === undefined) return schema
  const ref: string = schema.$ref
  if (seen.includes(ref)) throw new Error(`$ref cycle: ${[...seen, ref].join(' → ')}`)
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref)
  if (match === null) throw new Error(`unsupported $ref ${ref}`)
  const target = document.components?.schemas?.[match[1]!]
  if (target === undefined) throw new Error(`dangling $ref ${ref}`)
  return resolveSchema(document, target, [...seen, ref])
}

t.test('the committed openapi/openapi.json matches the code', async (t) => {
  const rendered = await renderOpenApi()
  t.ok(rendered.endsWith('}\n'), 'the rendered document ends with a newline')
  t.same(committed, JSON.parse(rendered),
    'openapi/openapi.json is out of date with the routes\' schemas: run `npm run openapi` and commit the result')
  t.equal(readFileSync(committedPath, 'utf8'), rendered,
    'openapi/openapi.json is not formatted as `npm run openapi` writes it: run `npm run openapi`')
})

t.test('the app serves the document at /openapi.json', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const served = response.json()
  t.equal(served.openapi, '3.1.0')
  t.same(served, committed, 'the served document is the committed one')
  t.equal(served.info.title, 'Newsroom CMS API')
  t.notOk(served.paths['/openapi.json'], 'the document does not list itself')

  const uiJson = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(uiJson.statusCode, 200)
  t.same(uiJson.json(), committed, 'Swagger UI reads the same document')
})

t.test('the app serves Swagger UI at /docs', async (t) => {
  const app = await buildTestApp(t)
  let url = '/docs'
  let response = await app.inject({ method: 'GET', url })
  for (let hops = 0; response.statusCode >= 300 && response.statusCode < 400 && hops < 5; hops++) {
    const location = response.headers.location
    t.type(location, 'string', `redirect ${response.statusCode} names a location`)
    url = new URL(String(location), `http://localhost${url}`).pathname
    response = await app.inject({ method: 'GET', url })
  }
  t.equal(response.statusCode, 200, `GET ${url} answers 200`)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(response.body, /<html/i)
  t.match(response.body, /swagger-ui/i, 'the page is Swagger UI')

  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  t.equal(initializer.statusCode, 200, 'the UI\'s initializer script is served')
  t.match(initializer.body, /SwaggerUIBundle/)
  const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })
  t.equal(bundle.statusCode, 200, 'the UI bundle is served')
  t.ok(bundle.rawPayload.length > 100_000, 'the bundle is the real one')
})

t.test('the document lists the API\'s routes, and only those', async (t) => {
  t.same(Object.keys(committed.paths).sort(), [
    '/',
    '/health',
    '/v1/api-keys',
    '/v1/api-keys/{id}',
    '/v1/article-by-slug/{slug}',
    '/v1/articles',
    '/v1/articles/slug/{slug}',
    '/v1/articles/{id}',
    '/v1/articles/{id}/bylines',
    '/v1/articles/{id}/preview',
    '/v1/articles/{id}/related-links',
    '/v1/articles/{id}/related-links/{linkId}',
    '/v1/articles/{id}/restore',
    '/v1/articles/{id}/revisions',
    '/v1/articles/{id}/revisions/{version}',
    '/v1/articles/{id}/revisions/{version}/diff',
    '/v1/articles/{id}/revisions/{version}/preview',
    '/v1/articles/{id}/revisions/{version}/restore',
    '/v1/articles/{id}/translations',
    '/v1/audit',
    '/v1/authors',
    '/v1/authors/{id}',
    '/v1/export',
    '/v1/feeds/atom',
    '/v1/feeds/rss',
    '/v1/images',
    '/v1/images/{id}',
    '/v1/import',
    '/v1/import/ninjs',
    '/v1/related-links',
    '/v1/search',
    '/v1/sitemap.xml',
    '/v1/sync',
    '/v1/trash',
    '/v1/webhooks',
    '/v1/webhooks/{id}',
    '/v1/webhooks/{id}/deliveries',
    '/v1/webhooks/{id}/deliveries/{deliveryId}/retry'
  ])
  const list = operations(committed).map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()
  t.same(list, [
    'DELETE /v1/api-keys/{id}',
    'DELETE /v1/articles/{id}',
    'DELETE /v1/articles/{id}/related-links/{linkId}',
    'DELETE /v1/authors/{id}',
    'DELETE /v1/images/{id}',
    'DELETE /v1/webhooks/{id}',
    'GET /',
    'GET /health',
    'GET /v1/api-keys',
    'GET /v1/article-by-slug/{slug}',
    'GET /v1/articles',
    'GET /v1/articles/slug/{slug}',
    'GET /v1/articles/{id}',
    'GET /v1/articles/{id}/bylines',
    'GET /v1/articles/{id}/preview',
    'GET /v1/articles/{id}/related-links',
    'GET /v1/articles/{id}/revisions',
    'GET /v1/articles/{id}/revisions/{version}',
    'GET /v1/articles/{id}/revisions/{version}/diff',
    'GET /v1/articles/{id}/revisions/{version}/preview',
    'GET /v1/articles/{id}/translations',
    'GET /v1/audit',
    'GET /v1/authors',
    'GET /v1/authors/{id}',
    'GET /v1/export',
    'GET /v1/feeds/atom',
    'GET /v1/feeds/rss',
    'GET /v1/images',
    'GET /v1/images/{id}',
    'GET /v1/related-links',
    'GET /v1/search',
    'GET /v1/sitemap.xml',
    'GET /v1/sync',
    'GET /v1/trash',
    'GET /v1/webhooks',
    'GET /v1/webhooks/{id}',
    'GET /v1/webhooks/{id}/deliveries',
    'PATCH /v1/articles/{id}',
    'PATCH /v1/articles/{id}/related-links/{linkId}',
    'PATCH /v1/authors/{id}',
    'PATCH /v1/images/{id}',
    'PATCH /v1/webhooks/{id}',
    'POST /v1/api-keys',
    'POST /v1/articles',
    'POST /v1/articles/{id}/related-links',
    'POST /v1/articles/{id}/restore',
    'POST /v1/articles/{id}/revisions/{version}/restore',
    'POST /v1/authors',
    'POST /v1/images',
    'POST /v1/import',
    'POST /v1/import/ninjs',
    'POST /v1/webhooks',
    'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry',
    'PUT /v1/articles/{id}',
    'PUT /v1/articles/{id}/bylines',
    'PUT /v1/authors/{id}',
    'PUT /v1/images/{id}'
  ], 'every operation, and no HEAD duplicates')
})

t.test('the documented operations are the ones the app answers', async (t) => {
  const app = await buildTestApp(t)
  // Every documented operation is routed: an unknown route answers ROUTE_NOT_FOUND.
  for (const { method, path } of operations(committed)) {
    const url = path.replace(/\{[^}]+\}/g, 'does-not-exist')
    const response = await app.inject({ method: method.toUpperCase() as 'GET', url, ...(['post', 'put', 'patch'].includes(method) && { payload: {} }) })
    t.not(response.statusCode === 404 && response.json().code === 'ROUTE_NOT_FOUND', true, `${method.toUpperCase()} ${path} is routed (${response.statusCode})`)
  }
})

t.test('every operation is documented', async (t) => {
  const declaredTags = new Set((committed.tags as Array<{ name: string, description?: string }>).map((tag) => tag.name))
  t.same([...declaredTags], apiTags.map((tag) => tag.name), 'the top-level tags are the declared ones')
  for (const tag of committed.tags) t.ok(tag.description?.length > 0, `tag ${tag.name} has a description`)

  const ids = new Set<string>()
  for (const { method, path, operation } of operations(committed)) {
    const name = `${method.toUpperCase()} ${path}`
    t.test(name, async (t) => {
      t.match(operation.operationId, /^[a-z][A-Za-z]+$/, 'has a camelCase operationId')
      t.notOk(ids.has(operation.operationId), `operationId ${operation.operationId} is unique`)
      ids.add(operation.operationId)

      t.ok(Array.isArray(operation.tags) && operation.tags.length > 0, 'has a tag')
      for (const tag of operation.tags ?? []) t.ok(declaredTags.has(tag), `tag "${tag}" is declared at the top level`)
      t.ok(typeof operation.summary === 'string' && operation.summary.trim().length > 0, 'has a summary')
      t.ok(typeof operation.description === 'string' && operation.description.trim().length > 0, 'has a description')

      if (operation.requestBody !== undefined) {
        // JSON, but for the bulk import's NDJSON.
        const schema = operation.requestBody.content?.['application/json']?.schema ?? (name === 'POST /v1/import' ? operation.requestBody.content?.['application/x-ndjson']?.schema : undefined)
        t.ok(schema, 'the request body is application/json with a schema')
        const resolved = resolveSchema(committed, schema)
        const mediaExample = operation.requestBody.content?.['application/x-ndjson']?.example
        t.ok((Array.isArray(resolved?.examples) && resolved.examples.length > 0) || typeof mediaExample === 'string', `the request body schema (${schema?.$ref ?? 'inline'}) has examples`)
      }

      const problems = Object.entries(operation.responses as Record<string, Json>)
        .filter(([status, response]) => /^4\d\d$/.test(status) && response.content?.['application/problem+json']?.schema !== undefined)
      const takesInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined
      // Every route can be sent something wrong: at least an unknown query parameter.
      t.ok(problems.length > 0, 'documents at least one 4xx problem+json response')
      t.ok(operation.responses['400'], 'documents its 400')
      if (!takesInput) t.ok(['GET /health', 'GET /'].includes(name), `${name}: only the index and the health check take no input`)
      if (operation['x-cms-access'] !== undefined) t.fail('the internal x-cms-access mark is removed')
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        t.ok(response.description?.length > 0, `response ${status} has a description`)
        t.not(response.description, 'Default Response', `response ${status} says what it holds`)
        t.equal(response.headers?.['X-Request-Id']?.$ref, '#/components/headers/X-Request-Id', `response ${status} documents X-Request-Id`)
        if (/^[45]\d\d$/.test(status) && response.content?.['application/problem+json'] !== undefined) {
          // A Problem, or one with fields of its own (an import's `lines`).
          const problem = resolveSchema(committed, response.content['application/problem+json'].schema)
          const problemFields = committed.components.schemas.Problem.properties
          t.same({ ...problem, properties: Object.fromEntries(Object.entries(problem.properties).filter(([field]) => field in problemFields)), required: problem.required.filter((field: string) => field in problemFields), description: undefined },
            { ...committed.components.schemas.Problem, description: undefined }, `response ${status} is a Problem`)
        }
      }
      for (const parameter of path.match(/\{[^}]+\}/g) ?? []) {
        const parameterName = parameter.slice(1, -1)
        t.ok((operation.parameters ?? []).some((p: Json) => p.in === 'path' && p.name === parameterName && p.required === true), `path parameter ${parameterName} is documented`)
      }
    })
  }
})

t.test('every request body example is accepted as it stands, once its ids name real resources', async (t) => {
  // Editors copy the examples into Swagger UI's "Try it out": each must work
  // once the invented ids are swapped for ids of their own newsroom.
  const app = await buildTestApp(t)
  const real = new Map<string, string>([
    [exampleIds.author, (await createAuthor(app)).id],
    [exampleIds.secondAuthor, (await createAuthor(app)).id],
    [exampleIds.reportingAuthor, (await createAuthor(app)).id],
    [exampleIds.image, (await createImage(app)).id],
    [exampleIds.linkedArticle, (await createArticle(app, { status: 'published' })).id]
  ])
  const withRealIds = (example: Json): Json => JSON.parse(JSON.stringify(example), (_key, value: unknown) => typeof value === 'string' ? real.get(value) ?? value : value)
  const story = await createArticle(app)
  const webhook = (await app.inject({ method: 'POST', url: '/v1/webhooks', payload: { url: 'https://hooks.newsroom.example/cms', events: ['article.published'] } })).json()
  const pathIds: Record<string, string> = { '/v1/articles/{id}': story.id, '/v1/authors/{id}': real.get(exampleIds.author)!, '/v1/images/{id}': real.get(exampleIds.image)!, '/v1/webhooks/{id}': webhook.id }
  let tried = 0
  for (const { method, path, operation } of operations(committed)) {
    const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref
    if (ref === undefined) continue
    const examples: Json[] = resolveSchema(committed, { $ref: ref }).examples ?? []
    t.ok(examples.length > 0, `${operation.operationId}: its request body has an example`)
    // The article examples replace the story's body: links are moved on a story of their own.
    const linkStory = path.includes('{linkId}') ? await createArticle(app, { body: [{ type: 'related_link', url: 'https://elsewhere.example.org/', text: 'A link to move' }] }) : undefined
    const url = path
      .replace('/v1/articles/{id}/related-links/{linkId}', () => `/v1/articles/${linkStory.id}/related-links/${linkStory.body[0].id}`)
      .replace(/^\/v1\/(articles|authors|images|webhooks)\/\{id\}/, (prefix: string) => prefix.replace('{id}', pathIds[prefix]!))
      .replace('{id}', story.id)
    for (const example of examples) {
      const response = await app.inject({ method: method.toUpperCase() as 'POST', url, payload: withRealIds(example) })
      t.ok(response.statusCode >= 200 && response.statusCode < 300, `${operation.operationId}: ${JSON.stringify(example).slice(0, 60)}… → ${response.statusCode} (${response.body.slice(0, 200)})`)
      tried++
    }
  }
  for (const example of [committed.paths['/v1/import'].post.requestBody.content['application/x-ndjson'].example]) {
    const response = await app.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: example })
    t.match(response.json(), { counts: { failed: 0 } }, `the NDJSON example imports (${response.body.slice(0, 200)})`)
    t.ok(response.json().counts.created > 0, 'and creates what it holds')
  }
  t.ok(tried >= 12, `every request body's examples were sent (${tried})`)
})

t.test('the document\'s own parts: servers, license, public routes, tags, components', async (t) => {
  t.same(committed.servers, [{ url: '/', description: 'This server' }], 'same origin, for Swagger UI\'s "Try it out"')
  t.ok(committed.info.license?.name, 'info.license is named')
  t.same(committed.paths['/health'].get.security, [], 'the public health check needs no key')
  for (const { method, path, operation } of operations(committed)) {
    if (path.startsWith('/v1/')) t.ok(operation.security?.some((requirement: Json) => 'bearerAuth' in requirement), `${method.toUpperCase()} ${path} accepts a bearer key`)
  }
  t.same(committed.tags.map((tag: Json) => tag.name), ['Articles', 'Bylines', 'Related links', 'Revisions', 'Authors', 'Images', 'Feeds', 'Search', 'Import and export', 'API keys', 'Audit', 'Sync', 'Webhooks', 'System'], 'tags in the order of an editing day')
  const schemas = committed.components.schemas as Record<string, Json>
  for (const name of Object.keys(schemas).filter((name) => name.endsWith('Input') && schemas[name.slice(0, -5)] !== undefined)) {
    t.notSame(schemas[name], schemas[name.slice(0, -5)], `${name} differs from ${name.slice(0, -5)} (otherwise one would do)`)
  }
})

t.test('tidySchemas: one component per shape, only those in use', async (t) => {
  const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
  const document = {
    paths: {
      '/a': { post: { requestBody: { content: { 'application/json': { schema: ref('OnlyInInput') } } }, responses: { 200: { content: { 'application/json': { schema: ref('Same') } } } } } },
      '/b': { put: { requestBody: { content: { 'application/json': { schema: ref('SameInput') } } }, responses: { 200: { content: { 'application/json': { schema: ref('Differs') } } } } } },
      '/c': { patch: { requestBody: { content: { 'application/json': { schema: ref('DiffersInput') } } }, responses: {} } }
    },
    components: {
      schemas: {
        OnlyInInput: { type: 'object', properties: { part: ref('PartInput') } },
        OnlyIn: { type: 'object', description: 'output form, unused' },
        PartInput: { type: 'string', description: 'input part' },
        Part: { type: 'string', description: 'output part, unused' },
        SameInput: { type: 'object', properties: { child: ref('ChildInput') } },
        Same: { type: 'object', properties: { child: ref('Child') } },
        ChildInput: { type: 'integer' },
        Child: { type: 'integer' },
        DiffersInput: { type: 'object', required: [] },
        Differs: { type: 'object', required: ['id'] },
        Unused: { type: 'boolean' },
        UnusedInput: { type: 'boolean' }
      }
    }
  }
  const tidy = tidySchemas(document)
  t.same(Object.keys(tidy.components.schemas).sort(), ['Child', 'Differs', 'DiffersInput', 'OnlyIn', 'Part', 'Same'])
  t.same(tidy.components.schemas.OnlyIn, { type: 'object', properties: { part: ref('Part') } }, 'an input form used alone takes the plain name, and so do its parts')
  t.same(tidy.components.schemas.Part, { type: 'string', description: 'input part' })
  t.same(tidy.paths['/a'].post.requestBody.content['application/json'].schema, ref('OnlyIn'), 'references follow the rename')
  t.same(tidy.paths['/b'].put.requestBody.content['application/json'].schema, ref('Same'), 'identical forms (with identical parts) merge')
  t.same(tidy.paths['/c'].patch.requestBody.content['application/json'].schema, ref('DiffersInput'), 'different forms both stay')
  t.same(document.components.schemas.OnlyInInput.properties.part, ref('PartInput'), 'the input document is left alone')
})

t.test('the documented response headers are the ones the server sends', async (t) => {
  // The headers src/openapi-document.ts documents; each must be sent exactly where documented.
  const managed = ['X-Request-Id', 'Location', 'Retry-After', 'WWW-Authenticate', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']
  const check = (response: LightMyRequestResponse, method: string, path: string): void => {
    const documented = committed.paths[path]?.[method]?.responses?.[String(response.statusCode)]
    if (documented === undefined) { t.fail(`${method.toUpperCase()} ${path} ${response.statusCode} is documented`); return }
    for (const header of managed) {
      const isDocumented = documented.headers?.[header] !== undefined
      const isSent = response.headers[header.toLowerCase()] !== undefined
      t.equal(isSent, isDocumented, `${method.toUpperCase()} ${path} ${response.statusCode}: ${header} is ${isDocumented ? '' : 'not '}documented and ${isSent ? '' : 'not '}sent`)
    }
  }
  const admin = { authorization: `Bearer ${testAdminKey}` }
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '2' }, { as: 'anonymous' })
  check(await app.inject({ method: 'GET', url: '/health' }), 'get', '/health')
  check(await app.inject({ method: 'POST', url: '/v1/authors', headers: admin, payload: { name: 'Ines Varga' } }), 'post', '/v1/authors')
  check(await app.inject({ method: 'GET', url: '/v1/authors/does-not-exist', headers: admin }), 'get', '/v1/authors/{id}')
  check(await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${testAdminKey}` }, payload: { name: 'Front end', role: 'reader' } }), 'post', '/v1/api-keys')
  check(await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'Nobody' } }), 'post', '/v1/authors')
  check(await app.inject({ method: 'GET', url: '/v1/articles' }), 'get', '/v1/articles')
  const limited = await app.inject({ method: 'GET', url: '/v1/articles' })
  t.equal(limited.statusCode, 429, 'the third anonymous request is over the limit of 2')
  check(limited, 'get', '/v1/articles')
})
