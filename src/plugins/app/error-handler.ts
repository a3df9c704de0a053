// The one place where errors become HTTP responses: RFC 9457 problem+json with a
// stable `code`. 5xx details are logged, never sent.
import fp from 'fastify-plugin'
import { z } from 'zod'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { AppError, type CurrentVersion, type ErrorCode, type FieldError } from '../../errors.ts'
import { versionEtag } from '../../routes/if-match.ts'
import { isDatabaseUnreachable, isRecordMissing } from '../../db/prisma-errors.ts'
import { closestField, knownFieldsAt } from '../../schemas/known-fields.ts'
import type { Problem } from '../../schemas/common.ts'
import type { ImportLineResult } from '../../schemas/bulk.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The setting that sets a route's own bodyLimit, for the 413's detail (BODY_LIMIT when absent). */
    bodyLimitSetting?: string
    /** The media type a route's body must be sent as, for the 415's detail (application/json when absent). */
    bodyMediaType?: string
  }
}

/** What a 503 asks clients to wait before trying again while the database is away. */
export const retryAfterOutageSeconds = 5

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  401: 'Unauthorized',
  403: 'Forbidden',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable'
}

/** Fastify's own client-error codes, given names that say what went wrong. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_CONTENT_LENGTH',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'BAD_URL'
}

/** Any other client error Fastify raises gets the code of its status. */
const statusCodes: Record<number, ErrorCode> = {
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'BODY_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE'
}

const validationContexts: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' }

interface ZodIssueLike { instancePath: string, message: string, keyword: string, params: { keys?: string[] } }

/** Where a request part's schema and data are, to look up the fields it knows. */
interface RequestPart { schema: unknown, value: unknown }

/**
 * Zod issues → one `{path, message}` per offending field, e.g. `body.bylines.0.role`.
 * An unknown field gets a "did you mean" when a known one is close.
 */
export function fieldErrors (context: string, issues: ZodIssueLike[], part?: RequestPart): FieldError[] {
  const prefix = validationContexts[context] ?? context
  return issues.flatMap((issue) => {
    const segments = issue.instancePath.split('/').filter((segment) => segment !== '')
    const path = [prefix, ...segments].join('.')
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      const known = part?.schema instanceof z.ZodType ? knownFieldsAt(part.schema, segments, part.value) : []
      return issue.params.keys.map((key) => {
        const hint = closestField(key, known)
        return { path: `${path}.${key}`, message: hint === undefined ? 'is not a known field' : `is not a known field; did you mean "${hint}"?` }
      })
    }
    return [{ path, message: issue.message }]
  })
}

function problemType (code: string): string {
  return `urn:cms:problem:${code.toLowerCase().replaceAll('_', '-')}`
}

export function sendProblem (
  request: FastifyRequest,
  reply: FastifyReply,
  problem: { status: number, code: ErrorCode, detail: string, errors?: FieldError[], usedBy?: Problem['usedBy'], current?: CurrentVersion, lines?: ImportLineResult[] }
): FastifyReply {
  const body: Problem & { lines?: ImportLineResult[] } = {
    type: problemType(problem.code),
    title: statusTitles[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(problem.errors !== undefined && { errors: problem.errors }),
    ...(problem.usedBy !== undefined && { usedBy: problem.usedBy }),
    ...(problem.current !== undefined && { currentVersion: problem.current.version, currentEtag: versionEtag(problem.current.id, problem.current.version) }),
    ...(problem.lines !== undefined && { lines: problem.lines })
  }
  if (problem.status === 401) void reply.header('www-authenticate', 'Bearer')
  // Errors the router raises skip the app's hooks, and with them the one that sets this.
  void reply.header('x-request-id', request.id)
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(body)
}

/** The stable code for one of Fastify's own client errors. */
export function fastifyErrorCode (error: { code?: string }, status: number): ErrorCode {
  return fastifyCodes[error.code ?? ''] ?? statusCodes[status] ?? 'BAD_REQUEST'
}

/** What the client should do about one of Fastify's own client errors, where its message does not say. */
function clientErrorDetail (request: FastifyRequest, code: ErrorCode, message: string): string {
  switch (code) {
    case 'UNSUPPORTED_MEDIA_TYPE': {
      const sent = request.headers['content-type'] ?? 'no content type'
      const mediaType = request.routeOptions.config.bodyMediaType ?? 'application/json'
      const what = mediaType === 'application/json' ? 'JSON' : mediaType
      return `Send the body as ${what} with the header "Content-Type: ${mediaType}" (this request sent ${sent}; with curl, add -H 'content-type: ${mediaType}')`
    }
    case 'BODY_TOO_LARGE':
      return `The body is larger than this server accepts: at most ${request.routeOptions.bodyLimit ?? 'the configured'} bytes (${request.routeOptions.config.bodyLimitSetting ?? 'BODY_LIMIT'})`
    default:
      return message
  }
}

export default fp(async function errorHandler (fastify) {
  fastify.setErrorHandler(function handleError (error: FastifyError, request, reply) {
    if (error instanceof AppError) {
      return sendProblem(request, reply, { status: error.status, code: error.code, detail: error.message, errors: error.errors, usedBy: error.usedBy, current: error.current, lines: error.lines })
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body'
      const part = { schema: request.routeOptions.schema?.[context as 'body'], value: context === 'querystring' ? request.query : context === 'params' ? request.params : request.body }
      const errors = fieldErrors(context, error.validation as unknown as ZodIssueLike[], part)
      const fields = errors.map((fieldError) => fieldError.path).join(', ')
      return sendProblem(request, reply, { status: 400, code: 'VALIDATION_FAILED', detail: `Invalid ${fields}`, errors })
    }
    if (isDatabaseUnreachable(error)) {
      request.log.warn({ err: error }, 'the database is unreachable')
      void reply.header('retry-after', String(retryAfterOutageSeconds))
      return sendProblem(request, reply, { status: 503, code: 'SERVICE_UNAVAILABLE', detail: `The database does not answer; try again in ${retryAfterOutageSeconds} seconds` })
    }
    if (isRecordMissing(error)) {
      // Deleted by another request between our read and our write.
      return sendProblem(request, reply, { status: 404, code: 'NOT_FOUND', detail: 'The resource no longer exists' })
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
      // Fastify's own client errors: malformed JSON, wrong content type, too large...
      const code = fastifyErrorCode(error, status)
      const errors = status === 400 ? [{ path: 'body', message: error.message }] : undefined
      return sendProblem(request, reply, { status, code, detail: clientErrorDetail(request, code, error.message), errors })
    }
    request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, { status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred; it has been logged' })
  })

  fastify.setNotFoundHandler(function routeNotFound (request, reply) {
    return sendProblem(request, reply, { status: 404, code: 'ROUTE_NOT_FOUND', detail: `No route ${request.method} ${request.url.split('?')[0]}` })
  })
}, { name: 'error-handler' })
