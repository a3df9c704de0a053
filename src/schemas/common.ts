// Shapes shared by every resource: ids, paging, problem details.
import { z } from 'zod'
import { errorCodes } from '../errors.ts'

export const Id = z.string().min(1).max(64).meta({ description: 'Opaque identifier', example: 'cmi4v1x0d0000qz8k3f2a9b1c' })

export const Slug = z.string().min(1).max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase-kebab: a-z, 0-9 and single dashes')
  .meta({ description: 'Unique, lowercase-kebab URL key', example: 'coastal-line-reopens' })

export const IdParams = z.object({ id: Id })

export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 date-time, UTC', example: '2026-11-24T09:30:00.000Z' })

/** Optional text in a request: absent leaves it alone (PATCH) or empty (create); null clears it. */
export function optionalText (max: number, description: string) {
  return z.string().max(max).nullable().optional().meta({ description })
}

export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048)

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20)
    .meta({ description: 'Page size (1–100)' }),
  cursor: z.string().min(1).max(512).optional()
    .meta({ description: 'The `nextCursor` of the previous page; opaque' })
})
export type ListQuery = z.infer<typeof ListQuery>

export function pageOf<T extends z.ZodType> (item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' })
  })
}

export interface Page<T> {
  data: T[]
  nextCursor: string | null
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
  usedBy: z.array(ArticleReference).optional().meta({ description: 'Articles that still use the resource (RESOURCE_IN_USE)' })
}).meta({ id: 'Problem', description: 'RFC 9457 problem details' })
export type Problem = z.infer<typeof Problem>

const problemDescriptions: Record<number, string> = {
  400: 'Malformed JSON or invalid fields (each named in `errors`)',
  401: 'No API key, or one that is malformed, unknown, revoked or expired',
  403: 'The API key\'s role does not allow this',
  404: 'No such resource',
  409: 'Conflict: the slug is taken, or the resource is still in use',
  413: 'Request body too large',
  415: 'Unsupported content type (send application/json)',
  422: 'The request refers to authors, images or articles that do not exist',
  429: 'Too many requests for this key or address; see Retry-After',
  500: 'Unexpected server error (details are logged, not returned)',
  503: 'The database is unreachable'
}

/** Response schemas for the given error statuses, for a route's `response`. */
export function problemResponses (...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, {
    description: problemDescriptions[status] ?? 'Error',
    content: { 'application/problem+json': { schema: Problem } }
  }]))
}
