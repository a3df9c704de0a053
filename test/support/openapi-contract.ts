// The API contract, checked on every response a test produces: the status, the
// content type, the API's own headers and the body must be what the OpenAPI
// document says the operation answers. test/helper.ts runs it on every
// `app.inject`, so an undocumented status or a body that drifts from its schema
// fails the test that produced it, on both engines, for every route there is.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

// ajv-formats is CommonJS: under ESM its function arrives as the module's `default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default

/** Headers that belong to the API's contract: a response that carries one must document it. */
const contractHeaders = [
  'location', 'retry-after', 'www-authenticate', 'x-request-id',
  'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'etag', 'last-modified', 'cache-control', 'surrogate-key'
]

const documentId = 'https://contract.test/openapi.json'
const methods = ['get', 'put', 'post', 'patch', 'delete']

interface Route {
  method: string
  template: string
  segments: string[]
  operation: Json
}

export interface ExchangeSummary {
  method: string
  url: string
  status: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

export class ContractChecker {
  private readonly ajv: Ajv2020
  private readonly routes: Route[]
  private readonly validators = new Map<string, ValidateFunction>()

  constructor (private readonly document: Json) {
    // strict: false: OpenAPI adds keywords (example, discriminator...) that are not JSON Schema's.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
    addFormats(this.ajv)
    this.ajv.addSchema({ $id: documentId, components: document.components ?? {} })
    this.routes = Object.entries(document.paths as Record<string, Json>).flatMap(([template, item]) =>
      methods.filter((method) => item[method] !== undefined).map((method) => ({
        method, template, segments: template.split('/').filter((part) => part !== ''), operation: item[method]
      })))
  }

  /** The documented operation a request reaches: static segments win over parameters, as in Fastify's router. */
  private route (method: string, path: string): Route | undefined {
    const segments = path.split('/').filter((part) => part !== '')
    const candidates = this.routes.filter((route) => route.method === method && route.segments.length === segments.length &&
      route.segments.every((part, index) => part.startsWith('{') || part === segments[index]))
    const specificity = (route: Route): string => route.segments.map((part) => part.startsWith('{') ? '1' : '0').join('')
    return candidates.sort((a, b) => specificity(a).localeCompare(specificity(b)))[0]
  }

  private validator (key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key)
    if (validate === undefined) {
      const anchored = JSON.parse(JSON.stringify(schema), (_key, value: unknown) =>
        typeof value === 'string' && value.startsWith('#/components/') ? `${documentId}${value}` : value)
      validate = this.ajv.compile(anchored)
      this.validators.set(key, validate)
    }
    return validate
  }

  private schemaProblems (key: string, schema: Json, value: unknown): string[] {
    const validate = this.validator(key, schema)
    if (validate(value)) return []
    return (validate.errors ?? []).slice(0, 5).map((error) =>
      `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`)
  }

  /** What is wrong with one exchange, as sentences; empty when it keeps the contract. */
  check (exchange: ExchangeSummary): string[] {
    const method = exchange.method.toLowerCase()
    const path = (exchange.url.split('?')[0] ?? '').replace(/\/+$/, '') || '/'
    // Not part of the API's own contract: CORS preflights (answered by @fastify/cors),
    // and the pages and files of the documentation itself.
    if (method === 'options' || path === '/docs' || path.startsWith('/docs/') || path === '/openapi.json') return []
    const probing = method === 'head' ? 'get' : method
    const route = this.route(probing, path)
    const where = `${exchange.method} ${path} → ${exchange.status}`
    const contentType = String(exchange.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''

    if (route === undefined) {
      // A path or method the API does not have: a problem+json 404 is the whole contract.
      if (exchange.status !== 404 || contentType !== 'application/problem+json') {
        return [`${where}: no documented operation matches, and the answer is not a problem+json 404`]
      }
      const problem = this.document.components?.schemas?.Problem
      return problem === undefined ? [] : this.schemaProblems('Problem', { $ref: '#/components/schemas/Problem' }, JSON.parse(exchange.body)).map((text) => `${where}: ${text}`)
    }

    const operation = route.operation
    const label = `${exchange.method} ${route.template} (${String(operation.operationId)}) → ${exchange.status}`
    const responses = operation.responses ?? {}
    const documented = responses[String(exchange.status)] ?? responses[`${String(exchange.status)[0]}XX`] ?? responses.default
    if (documented === undefined) {
      return [`${label}: status ${exchange.status} is not documented (documented: ${Object.keys(responses).join(', ')}); body: ${exchange.body.slice(0, 300)}`]
    }

    const problems: string[] = []
    const headers = documented.headers ?? {}
    const documentedHeaders = new Map(Object.entries(headers as Record<string, Json>).map(([name, header]) => [name.toLowerCase(), this.resolve(header)]))
    for (const name of contractHeaders) {
      if (exchange.headers[name] !== undefined && !documentedHeaders.has(name)) problems.push(`${label}: sends the header ${name}, which is not documented for this status`)
    }
    for (const [name, header] of documentedHeaders) {
      const value = exchange.headers[name]
      if (value === undefined) {
        if (header.required === true) problems.push(`${label}: the required header ${name} is missing`)
        continue
      }
      if (header.schema !== undefined) {
        const typed = header.schema.type === 'integer' || header.schema.type === 'number' ? Number(value) : String(value)
        problems.push(...this.schemaProblems(`${route.template} ${method} ${exchange.status} header ${name}`, header.schema, typed).map((text) => `${label}: header ${name} ${text}`))
      }
    }

    const content = documented.content as Record<string, Json> | undefined
    if (content === undefined || Object.keys(content).length === 0 || method === 'head') {
      if (method !== 'head' && exchange.body !== '') problems.push(`${label}: documented without a body, but sent ${exchange.body.slice(0, 200)}`)
      return problems
    }
    // A media type with parameters of its own (ninjs: `application/json; profile="…"`) is documented with them; the charset is not.
    const withParameters = String(exchange.headers['content-type'] ?? '').split(';').map((part) => part.trim()).filter((part) => part !== '' && !/^charset=/i.test(part)).join('; ')
    const media = content[withParameters] ?? content[contentType]
    if (media === undefined) {
      problems.push(`${label}: content type "${withParameters}" is not documented (documented: ${Object.keys(content).join(', ')})`)
      return problems
    }
    // NDJSON (the bulk export) is documented by the schema of one line: every line is checked.
    if (media.schema !== undefined && contentType === 'application/x-ndjson') {
      exchange.body.split('\n').filter((line) => line !== '').forEach((line, index) => {
        problems.push(...this.schemaProblems(`${route.template} ${method} ${exchange.status} ${contentType}`, media.schema, JSON.parse(line))
          .map((text) => `${label}: line ${index + 1} ${text}`))
      })
      return problems
    }
    // Only JSON bodies are checked against a schema here; the feeds' XML has tests of its own.
    if (media.schema === undefined || !/(^application\/json|\+json)$/.test(contentType)) return problems
    let parsed: unknown
    try {
      parsed = JSON.parse(exchange.body)
    } catch {
      problems.push(`${label}: the body is not JSON: ${exchange.body.slice(0, 200)}`)
      return problems
    }
    problems.push(...this.schemaProblems(`${route.template} ${method} ${exchange.status} ${withParameters}`, media.schema, parsed)
      .map((text) => `${label}: body ${text}`))
    return problems
  }

  private resolve (value: Json): Json {
    const ref: unknown = value?.$ref
    if (typeof ref !== 'string') return value
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? []
    return this.resolve(this.document.components?.[section ?? '']?.[name ?? ''])
  }
}
