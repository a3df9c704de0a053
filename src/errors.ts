// Errors as typed values. Services throw them; plugins/app/error-handler.ts is
// the one place that turns them (and Fastify's own errors) into problem+json.

import type { ImportLineResult } from './schemas/bulk.ts'

export interface FieldError {
  /** Where the problem is: `body.bylines.0.authorId`, `query.limit`, ... */
  path: string
  message: string
}

export interface ArticleReference {
  id: string
  slug: string
  headline: string
}

/**
 * Every `code` a problem body can carry: the document lists them as an enum,
 * so clients can switch on them. The ones after FORBIDDEN come from the HTTP
 * layer (the router, body parsing) rather than from the services.
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'SLUG_TAKEN',
  'TRANSLATION_EXISTS',
  'UNKNOWN_REFERENCE',
  'RESOURCE_IN_USE',
  'IN_TRASH',
  'PRECONDITION_FAILED',
  'PRECONDITION_REQUIRED',
  'INVALID_DOCUMENT',
  'URL_NOT_ALLOWED',
  'DUPLICATE_RECORD',
  'ID_TAKEN',
  'IMPORT_REJECTED',
  'AUTHENTICATION_REQUIRED',
  'MALFORMED_AUTHORIZATION',
  'INVALID_API_KEY',
  'API_KEY_REVOKED',
  'API_KEY_EXPIRED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SYNC_TOKEN_EXPIRED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'BODY_TOO_LARGE',
  'BAD_CONTENT_LENGTH',
  'BAD_URL',
  'BAD_REQUEST',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'REQUEST_TIMEOUT',
  'URI_TOO_LONG',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE'
] as const

export type ErrorCode = typeof errorCodes[number]

/** A resource at its current version, as a 412 names it. */
export interface CurrentVersion {
  id: string
  version: number
}

export class AppError extends Error {
  constructor (
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly usedBy?: ArticleReference[],
    readonly current?: CurrentVersion,
    /** IMPORT_REJECTED: the lines that failed. */
    readonly lines?: ImportLineResult[]
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function validationFailed (errors: FieldError[], message = 'The request is not valid'): AppError {
  return new AppError('VALIDATION_FAILED', 400, message, errors)
}

export function notFound (resource: string, key: string): AppError {
  return new AppError('NOT_FOUND', 404, `${resource} ${key} does not exist`)
}

export function slugTaken (resource: string, slug: string): AppError {
  return new AppError('SLUG_TAKEN', 409, `Another ${resource} already has the slug "${slug}"`,
    [{ path: 'body.slug', message: `"${slug}" is already taken` }])
}

/** 409: a translation group has one version per language. */
export function translationExists (language: string, existingId: string, path: string): AppError {
  return new AppError('TRANSLATION_EXISTS', 409, `The story already has a version in "${language}" (article ${existingId}): one version per language`,
    [{ path, message: `"${language}" is taken in this translation group by article ${existingId}` }])
}

/** 409: a write that would change an article in the trash (a ninjs import of its uri, say). */
export function inTrash (id: string): AppError {
  return new AppError('IN_TRASH', 409, `Article ${id} is in the trash: restore it (POST /v1/articles/${id}/restore) or delete it for good, then try again`)
}

/** 422: the request is well-formed but names authors, images or articles that do not exist. */
export function unknownReferences (errors: FieldError[]): AppError {
  return new AppError('UNKNOWN_REFERENCE', 422, 'The request refers to resources that do not exist', errors)
}

/** 422: an imported document (ninjs) that its standard's schema, or what a story needs, refuses. */
export function invalidDocument (errors: FieldError[], message = 'The document is not valid ninjs 3.1'): AppError {
  return new AppError('INVALID_DOCUMENT', 422, `${message}: ${errors.slice(0, 3).map((error) => `${error.path} ${error.message}`).join('; ')}${errors.length > 3 ? '…' : ''}`, errors)
}

export function resourceInUse (resource: string, id: string, usedBy: ArticleReference[]): AppError {
  if (usedBy.length === 0) {
    // Another request started using it while this one was deleting it.
    return new AppError('RESOURCE_IN_USE', 409, `${resource} ${id} was just put to use by an article; try again to see which`, undefined, [])
  }
  const names = usedBy.slice(0, 5).map((article) => `"${article.slug}"`).join(', ')
  const more = usedBy.length > 5 ? ` and ${usedBy.length - 5} more` : ''
  return new AppError('RESOURCE_IN_USE', 409,
    `${resource} ${id} is used by ${usedBy.length} article(s): ${names}${more}. Remove it from them first, or delete with ?force=true to remove it everywhere`,
    undefined, usedBy)
}

/** 412: the write expected another version of the resource than the one it is at. */
export function preconditionFailed (resource: string, id: string, version: number): AppError {
  return new AppError('PRECONDITION_FAILED', 412,
    `${resource} ${id} is at version ${version}, not at the one this write expected: it has changed since you read it. Read it again and make your change to what is there`,
    undefined, undefined, { id, version })
}

/** 428: the server requires writes to this resource to say which version they expect (REQUIRE_IF_MATCH). */
export function preconditionRequired (resource: string, id: string, which: string): AppError {
  return new AppError('PRECONDITION_REQUIRED', 428,
    `This server requires If-Match on writes to ${which}: read ${resource} ${id} and send the ETag it comes with in If-Match`)
}

/** 401: no usable key. Answered with `WWW-Authenticate: Bearer`. */
export function unauthorized (code: Extract<ErrorCode, 'AUTHENTICATION_REQUIRED' | 'MALFORMED_AUTHORIZATION' | 'INVALID_API_KEY' | 'API_KEY_REVOKED' | 'API_KEY_EXPIRED'>, message: string): AppError {
  return new AppError(code, 401, message)
}

/** 403: a valid key whose role does not allow this. */
export function forbidden (message: string): AppError {
  return new AppError('FORBIDDEN', 403, message)
}

/** A sync token the change log can no longer answer: the client starts over. */
export function syncTokenExpired (message: string): AppError {
  return new AppError('SYNC_TOKEN_EXPIRED', 410, message)
}

export function rateLimited (message: string): AppError {
  return new AppError('RATE_LIMITED', 429, message)
}

/** 422: a webhook URL that points into the server's own network (see services/webhook-address.ts). */
export function urlNotAllowed (path: string, reason: string): AppError {
  return new AppError('URL_NOT_ALLOWED', 422, `The URL is not allowed: ${reason}`, [{ path, message: reason }])
}

/** 422: an all-or-nothing import with bad lines; nothing was written. */
export function importRejected (lines: ImportLineResult[]): AppError {
  return new AppError('IMPORT_REJECTED', 422, `Nothing was imported: ${lines.length} line(s) cannot be (${lines.slice(0, 3).map((line) => `line ${line.line}: ${line.problem?.code ?? 'failed'}`).join('; ')}${lines.length > 3 ? '…' : ''})`, undefined, undefined, undefined, lines)
}

/** 415: a body in a media type the route does not take (Fastify's own 415 covers types no route takes). */
export function unsupportedMediaType (message: string): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, message)
}
