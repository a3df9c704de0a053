import { z } from 'zod'
import { Id, ListQuery, Timestamp, pageOf } from './common.ts'

export const apiKeyRoles = ['reader', 'editor', 'integrator', 'admin'] as const
export const ApiKeyRole = z.enum(apiKeyRoles).meta({
  description: '`reader`: published content; `editor`: reads drafts, writes content; `integrator`: reads everything; `admin`: also manages keys and reads the audit trail'
})
export type ApiKeyRole = z.infer<typeof ApiKeyRole>

export const ApiKey = z.object({
  id: Id,
  name: z.string(),
  role: ApiKeyRole,
  prefix: z.string().meta({ description: 'The first characters of the secret, to tell keys apart' }),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable().meta({ description: 'Updated at most once a minute' })
}).meta({ id: 'ApiKey', description: 'An API key; its secret is never shown again after creation' })
export type ApiKey = z.infer<typeof ApiKey>

export const CreatedApiKey = ApiKey.extend({
  secret: z.string().meta({ description: 'Send as `Authorization: Bearer <secret>`. Shown once: store it now.' })
}).meta({ id: 'CreatedApiKey' })
export type CreatedApiKey = z.infer<typeof CreatedApiKey>

export const ApiKeyCreate = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ description: 'Who or what uses the key, e.g. "Homepage front end"' }),
  role: ApiKeyRole,
  expiresAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'When the key stops working; never when omitted' })
}).meta({ id: 'ApiKeyCreate', examples: [{ name: 'Homepage front end', role: 'reader' }, { name: 'Night desk', role: 'editor', expiresAt: '2027-06-30T00:00:00Z' }] })
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>

export const ApiKeyPage = pageOf(ApiKey).meta({ id: 'ApiKeyPage' })

export const AuditEvent = z.object({
  id: Id.meta({ description: 'The change\'s position in the change log: later changes have higher positions' }),
  createdAt: Timestamp,
  apiKeyId: Id.nullable(),
  apiKeyName: z.string().nullable(),
  role: z.string().nullable(),
  action: z.enum(['created', 'updated', 'replaced', 'published', 'unpublished', 'deleted', 'trashed', 'restored', 'revoked']).meta({ example: 'updated', description: '`trashed`: an article moved to the trash (restorable); `restored`: taken back out of it; `deleted`: gone for good (a permanent delete, or the trash\'s purge, which the server makes itself)' }),
  resource: z.enum(['article', 'byline', 'related-link', 'author', 'image', 'api-key', 'webhook', 'change-log']).meta({ example: 'article', description: '"change-log": the server deleted the log\'s rows through position `resourceId` (CHANGE_LOG_RETENTION_DAYS)' }),
  resourceId: z.string(),
  method: z.string().nullable().meta({ description: 'The request\'s method; null for changes the server made itself (the first admin key, the demo content, scheduled publication and expiry)' }),
  path: z.string().nullable(),
  status: z.number().int().nullable().meta({ description: 'What the request was answered' }),
  requestId: z.string().nullable()
}).meta({ id: 'AuditEvent', description: 'One change: who (which key) did what to which resource, and when' })
export type AuditEvent = z.infer<typeof AuditEvent>

export const AuditQuery = ListQuery.extend({
  resource: z.string().max(50).optional().meta({ description: 'e.g. "article"' }),
  resourceId: z.string().max(200).optional().meta({ description: 'Only events about this resource id' }),
  apiKeyId: z.string().max(64).optional().meta({ description: 'Only events made with this API key' })
})
export type AuditQuery = z.infer<typeof AuditQuery>
export const AuditPage = pageOf(AuditEvent).meta({ id: 'AuditPage' })
