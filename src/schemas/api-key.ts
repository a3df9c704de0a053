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
  id: Id,
  createdAt: Timestamp,
  apiKeyId: Id.nullable(),
  apiKeyName: z.string().nullable(),
  role: z.string().nullable(),
  action: z.string().meta({ example: 'updated' }),
  resource: z.string().meta({ example: 'article' }),
  resourceId: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  requestId: z.string()
}).meta({ id: 'AuditEvent', description: 'One change: who (which key) did what to which resource, and when' })
export type AuditEvent = z.infer<typeof AuditEvent>

export const AuditQuery = ListQuery.extend({
  resource: z.string().max(50).optional().meta({ description: 'e.g. "article"' }),
  resourceId: z.string().max(200).optional().meta({ description: 'Only events about this resource id' }),
  apiKeyId: z.string().max(64).optional().meta({ description: 'Only events made with this API key' })
})
export type AuditQuery = z.infer<typeof AuditQuery>
export const AuditPage = pageOf(AuditEvent).meta({ id: 'AuditPage' })
