// The last step of the OpenAPI document, after fastify-type-provider-zod has
// turned the Zod schemas into JSON Schema: what no single route can say.
//
// - servers: same origin, so Swagger UI's "Try it out" calls the server it was loaded from;
// - security: [] on public routes, so they visibly need no key;
// - components: only those something refers to, and one name per shape (the
//   provider emits every registered schema twice, `X` for responses and
//   `XInput` for requests);
// - success responses described by what they hold, not "Default Response";
// - the response headers the server actually sends (see the table below);
// - array query parameters as repeated ones (form, explode);
// - the tags in the order of an editing day.
// @see https://github.com/fastify/fastify-swagger#transform
import { STATUS_CODES } from 'node:http'
import type { RouteOptions } from 'fastify'
import type { Access } from './plugins/app/access.ts'
import { problemExamples, resourceInUseExample } from './schemas/common.ts'
import { importRejectedExample } from './schemas/bulk.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

/** Carries a route's access level from the per-route transform to the document step; removed there. */
const accessKey = 'x-cms-access'

const schemaRef = '#/components/schemas/'
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/**
 * For the per-route transform: public routes get `security: []` (access.ts
 * gives every other route its requirement), and every route's access level
 * is noted for `finishDocument`.
 */
export function annotateOperation<T extends { schema: Json }> (transformed: T, route: RouteOptions): T {
  const access: Access | undefined = route.config?.access
  if (transformed.schema?.hide === true) return transformed
  const schema = { ...transformed.schema, [accessKey]: access ?? 'public' }
  if (access === undefined || access === 'public') schema.security = []
  return { ...transformed, schema }
}

/** The headers the server sends, each documented once under components.headers. */
export const responseHeaders: Record<string, Json> = {
  'X-Request-Id': {
    description: 'The id of this request, as in the logs, in problem bodies (`requestId`) and in the audit trail: quote it when reporting a problem. A UUID, unless a proxy the server trusts (TRUST_PROXY) sent a well-formed `X-Request-Id` (1 to 200 letters, digits and `._:-`), which is kept.',
    required: true,
    schema: { type: 'string', example: '0b4f2c1e-7d3a-4c8e-9f10-2a6b5d4e3c21' }
  },
  Location: {
    description: 'The URL of the resource just created.',
    required: true,
    schema: { type: 'string', format: 'uri-reference', example: '/v1/articles/cmi4v1x0d0000qz8k3f2a9b1c' }
  },
  'Retry-After': {
    description: 'Seconds to wait before sending another request.',
    required: true,
    schema: { type: 'integer', minimum: 0, example: 60 }
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme to use: send the API key as `Authorization: Bearer <key>`.',
    required: true,
    schema: { type: 'string', example: 'Bearer' }
  },
  ETag: {
    description: 'A strong validator, of one of two kinds. Read or written with a key that sees drafts (editor, integrator, admin), an article, author or image comes with its version, `"<id>.v<version>"` (a byline or related links with their article\'s): send it back in `If-Match` so that your write fails with 412 rather than overwrite a change you have not seen. A published article read without a key (or with a reader key) comes with the hash of its public JSON: send it back in `If-None-Match` to get a 304 while it is current (it never matches an `If-Match`).',
    required: false,
    schema: { type: 'string', example: '"cmi4v3c8l0004qz8kd2e3f4g5.v4"' }
  },
  'Cache-Control': {
    description: 'How the response may be cached. A published article read without a key (or with a reader key): `public, max-age=…, s-maxage=…, stale-while-revalidate=…` (PUBLIC_MAX_AGE, PUBLIC_S_MAXAGE, PUBLIC_STALE_WHILE_REVALIDATE). Anything read with a key that can see drafts, and a new API key\'s secret: `private, no-store`.',
    required: false,
    schema: { type: 'string', example: 'public, max-age=0, s-maxage=60, stale-while-revalidate=30' }
  },
  'Content-Disposition': {
    description: 'Saves the export as a file named after the day, when a browser (or Swagger UI) downloads it.',
    required: true,
    schema: { type: 'string', example: 'attachment; filename="export-2026-11-26.ndjson"' }
  },
  'Last-Modified': {
    description: 'When the published article\'s public JSON last changed (its own edit, or an author\'s, an image\'s or a linked story\'s).',
    required: false,
    schema: { type: 'string', example: 'Thu, 26 Nov 2026 06:00:00 GMT' }
  },
  'Surrogate-Key': {
    description: 'Space-separated keys of everything the public JSON shows (`article-<id>`, `author-<id>`, `image-<id>`), for a CDN to purge precisely: purge `author-<id>` after renaming an author, and every story with their byline goes.',
    required: false,
    schema: { type: 'string', example: 'article-cmi4v3c8l0004qz8kd2e3f4g5 author-cmi4v1x0d0000qz8k3f2a9b1c image-cmi4v2b7k0003qz8kc1d4e5f6' }
  },
  'X-RateLimit-Limit': {
    description: 'How many requests this API key may send per window (RATE_LIMIT_MAX); without a valid key, how many this address may send (RATE_LIMIT_ANONYMOUS_MAX).',
    required: false,
    schema: { type: 'integer', minimum: 1, example: 600 }
  },
  'X-RateLimit-Remaining': {
    description: 'How many requests are left in the current window.',
    required: false,
    schema: { type: 'integer', minimum: 0, example: 599 }
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends and the budget is full again.',
    required: false,
    schema: { type: 'integer', minimum: 0, example: 60 }
  }
}

const rateLimitHeaders = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']

/**
 * A route's own headers, by status: `schema: { [routeHeadersKey]: { 201: ['Cache-Control'] } }`
 * (names from `responseHeaders`). Moved into the responses here and removed.
 */
export const routeHeadersKey = 'x-cms-response-headers'

/**
 * 201s that send no Location: an API key's only URL is for revoking it, and
 * the response is the one place its secret is shown.
 */
const createdWithoutLocation = new Set(['createApiKey'])

/** Which of `responseHeaders` a response carries; checked against real responses in test/openapi.test.ts. */
function headersOf (status: string, method: string, operation: Json, path: string): string[] {
  const access: Access = operation[accessKey]
  // @fastify/rate-limit (plugins/app/access.ts) counts every /v1 route but the public ones, on every status.
  const rateLimited = path.startsWith('/v1/') && access !== 'public'
  return [
    'X-Request-Id',
    ...(status === '201' && !createdWithoutLocation.has(operation.operationId) ? ['Location'] : []),
    ...(status === '401' ? ['WWW-Authenticate'] : []),
    ...(status === '429' || status === '503' ? ['Retry-After'] : []),
    ...(rateLimited ? rateLimitHeaders : []),
    // Reads with a key that can see drafts are private (plugins/app/access.ts).
    ...(rateLimited && method === 'get' && !(operation[routeHeadersKey]?.[status] ?? []).includes('Cache-Control') ? ['Cache-Control'] : []),
    ...(operation[routeHeadersKey]?.[status] ?? [])
  ]
}

const acronyms: Record<string, string> = { api: 'API', url: 'URL', id: 'id' }

/** `ApiKey` → "API key", `RelatedLink` → "related link". */
function words (name: string): string {
  return name.split(/(?=[A-Z])/).map((word) => acronyms[word.toLowerCase()] ?? word.toLowerCase()).join(' ')
}

const plural = (noun: string): string => noun.endsWith('y') && !noun.endsWith('ey') ? `${noun.slice(0, -1)}ies` : `${noun}s`

function refName (schema: Json): string | undefined {
  const ref: unknown = schema?.$ref
  return typeof ref === 'string' && ref.startsWith(schemaRef) ? ref.slice(schemaRef.length) : undefined
}

/** "Default Response" (fastify-swagger's placeholder) → what the response holds, from its status, method and schema. */
function successDescription (document: Json, method: string, status: string, response: Json, operation: Json): string {
  if (status === '204') return 'Done; no content'
  if (!status.startsWith('2')) return `${STATUS_CODES[status] ?? status}: ${operation.summary}`
  const name = refName(response.content?.['application/json']?.schema)
  const target = document.components.schemas[name ?? '']
  // Not a registered resource (e.g. the health report): the operation's summary says what it is.
  if (target?.properties?.id === undefined && target?.properties?.data === undefined && target?.items === undefined) return operation.summary
  const itemName = refName(target.properties?.data?.items) ?? refName(target.items)
  if (itemName !== undefined) {
    const items = plural(words(itemName))
    if (target.properties?.nextCursor !== undefined) return `A page of ${items}, with the cursor of the next`
    return method === 'get' ? `The ${items}, in order` : `The ${items} as now stored, in order`
  }
  const noun = words(String(name).replace(/^Created(?=[A-Z])/, ''))
  if (status === '201') return createdWithoutLocation.has(operation.operationId) ? `Created: the new ${noun}` : `Created: the new ${noun}; its URL is in \`Location\``
  return method === 'get' ? `The ${noun}` : `The ${noun} as now stored`
}

function forEachOperation (document: Json, visit: (path: string, method: string, operation: Json) => void): void {
  for (const [path, item] of Object.entries(document.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      if (methods.includes(method)) visit(path, method, operation)
    }
  }
}

/** Every `#/components/schemas/…` name `value` refers to. */
function refsIn (value: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const entry of value) refsIn(entry, found)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '$ref' && typeof entry === 'string' && entry.startsWith(schemaRef)) found.add(decodeURIComponent(entry.slice(schemaRef.length)))
      else refsIn(entry, found)
    }
  }
  return found
}

/** `value` with its schema `$ref`s renamed. */
function renameRefs (value: Json, names: Map<string, string>): Json {
  if (Array.isArray(value)) return value.map((entry) => renameRefs(entry, names))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => {
    if (key === '$ref' && typeof entry === 'string' && entry.startsWith(schemaRef)) {
      const name = entry.slice(schemaRef.length)
      return [key, `${schemaRef}${names.get(name) ?? name}`]
    }
    return [key, renameRefs(entry, names)]
  }))
}

/**
 * The output form of an object says `additionalProperties: false` (responses
 * carry nothing else); its input form, for a response sent back as a request,
 * does not, unless it is strict. Compared without it, the two are one shape
 * (the output's, closed, is kept).
 */
function withoutClosedObjects (value: Json): Json {
  return JSON.parse(JSON.stringify(value), (key, entry: unknown) => key === 'additionalProperties' && entry === false ? undefined : entry)
}

/** JSON with sorted keys: equal for equal shapes. */
function canonical (value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`
}

/** The schema components reachable from outside components.schemas, transitively. */
function usedSchemas (document: Json, schemas: Record<string, Json>): Set<string> {
  const used = refsIn({ ...document, components: { ...document.components, schemas: {} } })
  const queue = [...used]
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const next of refsIn(schemas[name])) {
      if (!used.has(next)) { used.add(next); queue.push(next) }
    }
  }
  return used
}

/**
 * One component per shape, and only those in use. `XInput` is the request form
 * of `X`: when only it is used it takes the name `X`; when both are used and
 * are the same shape (their own references merged alike), `X` stays alone.
 */
export function tidySchemas (document: Json): Json {
  const schemas: Record<string, Json> = document.components.schemas
  const used = usedSchemas(document, schemas)
  const pairs = Object.keys(schemas)
    .filter((name) => name.endsWith('Input') && schemas[name.slice(0, -'Input'.length)] !== undefined && used.has(name))
    .map((input) => ({ input, output: input.slice(0, -'Input'.length) }))

  // XInput → X, for the pairs that merge. Start from "all merge" and drop the
  // pairs that differ until none does: shapes that refer to each other merge together.
  const renames = new Map(pairs.map(({ input, output }) => [input, output]))
  for (let changed = true; changed;) {
    changed = false
    for (const { input, output } of pairs) {
      if (!renames.has(input) || !used.has(output)) continue
      if (canonical(withoutClosedObjects(renameRefs(schemas[input], renames))) !== canonical(withoutClosedObjects(renameRefs(schemas[output], renames)))) {
        renames.delete(input)
        changed = true
      }
    }
  }

  const kept: Record<string, Json> = {}
  const inputs = new Set(pairs.map(({ input }) => input))
  for (const name of Object.keys(schemas).filter((name) => !inputs.has(name))) {
    const input = `${name}Input`
    if (renames.has(input)) kept[name] = renameRefs(schemas[used.has(name) ? name : input], renames)
    else if (used.has(name)) kept[name] = renameRefs(schemas[name], renames)
    if (inputs.has(input) && !renames.has(input)) kept[input] = renameRefs(schemas[input], renames)
  }
  const renamed = renameRefs({ ...document, components: { ...document.components, schemas: {} } }, renames)
  return { ...renamed, components: { ...renamed.components, schemas: kept } }
}

export interface DocumentOptions {
  tags: Array<{ name: string, description: string }>
}

/** The document as published: see the top of this file. */
export function finishDocument (generated: Json, options: DocumentOptions): Json {
  const document = tidySchemas(structuredClone(generated))
  const usedHeaders = new Set<string>()
  forEachOperation(document, (path, method, operation) => {
    for (const [status, response] of Object.entries(operation.responses as Json) as Array<[string, Json]>) {
      if (response.description === 'Default Response') response.description = successDescription(document, method, status, response, operation)
      const problem = response.content?.['application/problem+json']
      const example = status === '409' && /usedBy/.test(response.description)
        ? resourceInUseExample
        : refName(problem?.schema) === 'ImportRejected' ? importRejectedExample : problemExamples[Number(status)]
      if (problem !== undefined && example !== undefined) problem.example = example
      const names = headersOf(status, method, operation, path)
      for (const name of names) usedHeaders.add(name)
      response.headers = {
        ...Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }])),
        ...response.headers
      }
    }
    // A query parameter given as an array is repeated: `?tag=a&tag=b` (see `repeatable` in schemas/common.ts).
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'query' && parameter.schema?.type === 'array') Object.assign(parameter, { style: 'form', explode: true })
    }
    delete operation[accessKey]
    delete operation[routeHeadersKey]
  })

  const { openapi, info, ...rest } = document
  const headers = Object.fromEntries(Object.entries(responseHeaders).filter(([name]) => usedHeaders.has(name)))
  return {
    openapi,
    // A private API: no public licence text and no SPDX identifier to point to (see redocly.yaml).
    info: { ...info, license: { name: 'Proprietary: all rights reserved' } },
    // Relative: the server that serves this document (and Swagger UI).
    servers: [{ url: '/', description: 'This server' }],
    ...rest,
    components: { ...rest.components, headers: { ...rest.components?.headers, ...headers } },
    tags: options.tags
  }
}
