// Shapes shared by every resource: ids, paging, problem details.
import { STATUS_CODES } from 'node:http'
import { z } from 'zod'
import { errorCodes } from '../errors.ts'

/**
 * The invented ids the document's examples use, the same in every example, so
 * that they read as one story (test/openapi.test.ts swaps in real ones).
 */
export const exampleIds = {
  author: 'cmi4v1x0d0000qz8k3f2a9b1c',
  secondAuthor: 'cmi4v1y2e0001qz8k7h6g5f4d',
  reportingAuthor: 'cmi4v1z3f0002qz8k9j8k7l6m',
  image: 'cmi4v2b7k0003qz8kc1d4e5f6',
  linkedArticle: 'cmi4v3c8l0004qz8kd2e3f4g5'
} as const

export const Id = z.string().min(1).max(64).meta({ description: 'Opaque identifier', example: 'cmi4v1x0d0000qz8k3f2a9b1c' })

export const Slug = z.string().min(1).max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase-kebab: a-z, 0-9 and single dashes')
  .meta({ description: 'Unique, lowercase-kebab URL key', example: 'coastal-line-reopens' })

export const IdParams = z.object({ id: Id })

/**
 * A field of a resource's representation that a request may carry but not
 * change: an editor can GET a resource, edit it and send it back as PUT or
 * PATCH. Documented with its type and `readOnly: true`; on input any value is
 * accepted and the services ignore it: they
 * write only the fields they name.
 */
export function readOnly<T extends z.ZodType> (schema: T) {
  // An invalid value is kept as sent (not validated, never written), so that a
  // refinement can still see that the field was sent (see leadImage in article.ts).
  return schema.optional().catch((context) => context.input as z.output<T> | undefined)
    .meta({ readOnly: true, description: 'Read-only: accepted as a GET sent it, and ignored' })
}

/** The JSON Schema of "exactly one of articleId and url", for the document (the services enforce it). */
export const linkTargetOneOf = {
  oneOf: [
    { title: 'Link to one of our articles', required: ['articleId'], properties: { articleId: { type: 'string' } } },
    { title: 'Link to an external URL', required: ['url'], properties: { url: { type: 'string' } } }
  ]
}

/** A resource's version: what its ETag names and what `If-Match` is compared with (see routes/preconditions.ts). */
export function versionField (what: string) {
  return z.number().int().min(1).meta({ description: `1 when created, one more with every change to ${what}. The \`ETag\` of a read or write with a staff key is \`"<id>.v<version>"\`: send it back in \`If-Match\` so that a write cannot overwrite a change you have not seen`, example: 3 })
}

export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 date-time, UTC', example: '2026-11-24T09:30:00.000Z' })

/** Optional text in a request: absent leaves it alone (PATCH) or empty (create); null clears it. */
export function optionalText (max: number, description: string) {
  return z.string().max(max).nullable().optional().meta({ description })
}

export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048)

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20)
    .meta({ description: 'Page size (1–100)', example: 20 }),
  // Room for a cursor at a 500-character headline (sort=headline) of 4-byte characters, JSON-escaped, in base64url.
  cursor: z.string().min(1).max(4096).optional()
    .meta({ description: 'The `nextCursor` of the previous page; opaque', example: 'WyItcHVibGlzaGVkQXR-WGIyZFYwcFExYyIsIjIwMjYtMTEtMjRUMDk6MzA6MDAuMDAwWiIsImNtaTR2M2M4bDAwMDRxejhrZDJlM2Y0ZzUiXQ' })
})
export type ListQuery = z.infer<typeof ListQuery>

export function pageOf<T extends z.ZodType> (item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' })
  })
}

/** A page of a list that can count its matches (`count=true`). */
export function countedPageOf<T extends z.ZodType> (item: T) {
  return pageOf(item).extend({
    totalCount: z.number().int().min(0).optional()
      .meta({ description: 'Only with `count=true`: how many items match the filters in all, on every page (the cursor aside). Absent otherwise: it is not computed' })
  })
}

/** `count=true`: the page also says how many items match in all (a query of its own, so only on request). */
export const CountParam = z.enum(['true', 'false']).transform((value) => value === 'true').optional()
  .meta({ description: 'With `true`, the page carries `totalCount`: how many items match the filters in all (counted afresh for each page: ask on the first page only)', example: 'true' })

/**
 * A query parameter that may be repeated (`?tag=a&tag=b`): Fastify's parser
 * gives one occurrence as a string and several as an array; both become an array.
 */
export function repeatable<T extends z.ZodType> (item: T, max: number) {
  return z.preprocess((value) => typeof value === 'string' ? [value] : value, z.array(item).min(1).max(max)).optional()
}

/** A time bound of a list filter: an ISO 8601 date-time, or a date (midnight UTC). */
export const TimeBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date-time (2026-11-24T09:30:00Z) or date (2026-11-24)' })

export interface Page<T> {
  data: T[]
  nextCursor: string | null
}

/** A page of a list that counts on request (`count=true`). */
export interface CountedPage<T> extends Page<T> {
  totalCount?: number
}

/**
 * A success response with a description of its own, for a route's `response`:
 * `201: documented(Article, 'The new article')`. fastify-type-provider-zod keeps
 * the description of a response given with its `content` (instead of "Default Response").
 */
export function documented<T extends z.ZodType> (schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

export const DeleteQuery = z.strictObject({
  force: z.enum(['true', 'false']).default('false').transform((value) => value === 'true')
    .meta({ description: 'Also remove every use of it from articles, in the same transaction' })
})

export const FieldError = z.object({
  path: z.string().meta({ example: 'body.headline' }),
  message: z.string().meta({ example: 'Required' })
})

export const ArticleReference = z.object({
  id: Id,
  slug: Slug,
  headline: z.string()
}).meta({ id: 'ArticleReference', description: 'The id, slug and headline of an article' })

export const Problem = z.object({
  type: z.string().meta({ description: 'URI naming the kind of problem', example: 'urn:cms:problem:validation-failed' }),
  title: z.string().meta({ example: 'Bad Request' }),
  status: z.number().int().meta({ example: 400 }),
  detail: z.string().meta({ example: 'The request is not valid' }),
  code: z.enum(errorCodes).meta({ description: 'Stable error code: switch on it rather than on `title` or `detail`', example: 'VALIDATION_FAILED' }),
  instance: z.string().optional().meta({ description: 'The request path' }),
  requestId: z.string().meta({ description: 'Quote it when reporting a problem' }),
  errors: z.array(FieldError).optional().meta({ description: 'One entry per invalid field' }),
  usedBy: z.array(ArticleReference).optional().meta({ description: 'Articles that still use the resource (RESOURCE_IN_USE)' }),
  currentVersion: z.number().int().optional().meta({ description: 'The version the resource is at now (PRECONDITION_FAILED)' }),
  currentEtag: z.string().optional().meta({ description: 'Its ETag (PRECONDITION_FAILED): read the resource again, make your change to what is there, and send this in If-Match' })
}).meta({ id: 'Problem', description: 'RFC 9457 problem details' })
export type Problem = z.infer<typeof Problem>

const problemDescriptions: Record<number, string> = {
  400: 'Malformed JSON or invalid fields (each named in `errors`)',
  401: 'No API key, or one that is malformed, unknown, revoked or expired',
  403: 'The API key\'s role does not allow this',
  404: 'No such resource',
  409: 'Conflict: the slug is taken',
  410: 'The sync token is older than what the change log keeps (or from another database): sync again from the start, without a token',
  412: 'The resource is no longer at the version `If-Match` names: someone changed it since you read it (`currentVersion` and `currentEtag` say where it is now)',
  413: 'Request body too large',
  415: 'Unsupported content type (send application/json)',
  422: 'The request refers to authors, images or articles that do not exist',
  428: 'The server requires `If-Match` on this write (REQUIRE_IF_MATCH): read the resource and send its `ETag`',
  429: 'Too many requests for this key, or for this address without a valid key (each has its own limit); see Retry-After',
  500: 'Unexpected server error (details are logged, not returned)',
  503: 'The database is unreachable: retry after `Retry-After` seconds'
}

/** One example problem per status, as the server sends it (for the document). */
export const problemExamples: Record<number, Problem> = Object.fromEntries(([
  [400, 'VALIDATION_FAILED', 'Invalid body.headline, body.bylines.0.role', [
    { path: 'body.headline', message: 'Too small: expected string to have >=1 characters' },
    { path: 'body.bylines.0.role', message: 'Invalid option: expected one of "author"|"contributor"|"photographer"|"editor"|"reporting"' }
  ]],
  [401, 'AUTHENTICATION_REQUIRED', 'This needs an API key: send "Authorization: Bearer <key>"'],
  [403, 'FORBIDDEN', 'A reader key cannot do this (needs write access)'],
  [404, 'NOT_FOUND', 'Article cmi4v1x0d0000qz8k3f2a9b1c does not exist'],
  [409, 'SLUG_TAKEN', 'Another article already has the slug "valley-rail-line-reopens"', [{ path: 'body.slug', message: '"valley-rail-line-reopens" is already taken' }]],
  [410, 'SYNC_TOKEN_EXPIRED', 'This sync token is from before what the change log keeps: sync again from the start, without a token'],
  [412, 'PRECONDITION_FAILED', 'Article cmi4v3c8l0004qz8kd2e3f4g5 is at version 4, not at the one this write expected: it has changed since you read it. Read it again and make your change to what is there'],
  [413, 'BODY_TOO_LARGE', 'The body is larger than this server accepts: at most 1048576 bytes (BODY_LIMIT)'],
  [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with the header "Content-Type: application/json" (this request sent application/x-www-form-urlencoded; with curl, add -H \'content-type: application/json\')'],
  [422, 'UNKNOWN_REFERENCE', 'The request refers to resources that do not exist', [{ path: 'body.bylines.0.authorId', message: 'no author has the id "cmi4v1x0d0000qz8k3f2a9b1c"' }]],
  [428, 'PRECONDITION_REQUIRED', 'This server requires If-Match on writes to published articles: read Article cmi4v3c8l0004qz8kd2e3f4g5 and send the ETag it comes with in If-Match'],
  [429, 'RATE_LIMITED', 'Too many requests: at most 600 per 1 minute; retry in 42 seconds'],
  [500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged'],
  [503, 'SERVICE_UNAVAILABLE', 'The database does not answer; try again shortly']
] as Array<[number, Problem['code'], string, Problem['errors']?]>).map(([status, code, detail, errors]) => [status, {
  type: `urn:cms:problem:${code.toLowerCase().replaceAll('_', '-')}`,
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  code,
  instance: '/v1/articles',
  requestId: '0b4f2c1e-7d3a-4c8e-9f10-2a6b5d4e3c21',
  ...(errors !== undefined && { errors }),
  ...(code === 'PRECONDITION_FAILED' && { instance: `/v1/articles/${exampleIds.linkedArticle}`, currentVersion: 4, currentEtag: `"${exampleIds.linkedArticle}.v4"` }),
  ...(code === 'PRECONDITION_REQUIRED' && { instance: `/v1/articles/${exampleIds.linkedArticle}` })
}]))

/** The other 409: a delete refused while articles use the resource. */
export const resourceInUseExample: Problem = {
  ...problemExamples[409]!,
  type: 'urn:cms:problem:resource-in-use',
  code: 'RESOURCE_IN_USE',
  detail: 'Image cmi4v2b7k0003qz8kc1d4e5f6 is used by 1 article(s): "valley-rail-line-reopens". Remove it from them first, or delete with ?force=true to remove it everywhere',
  instance: '/v1/images/cmi4v2b7k0003qz8kc1d4e5f6',
  errors: undefined,
  usedBy: [{ id: 'cmi4v3c8l0004qz8kd2e3f4g5', slug: 'valley-rail-line-reopens', headline: 'Valley rail line reopens eight months after landslide' }]
}

/**
 * Response schemas for the given error statuses, for a route's `response`:
 * a status, or a status with what it means for this route.
 */
export function problemResponses (...statuses: Array<number | [number, string]>) {
  return Object.fromEntries(statuses.map((entry) => {
    const [status, description] = typeof entry === 'number' ? [entry, problemDescriptions[entry] ?? 'Error'] : entry
    return [status, { description, content: { 'application/problem+json': { schema: Problem } } }]
  }))
}
