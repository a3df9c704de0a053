import { z } from 'zod'
import { HttpUrl, Id, ListQuery, Timestamp, pageOf } from './common.ts'

export const webhookEventTypes = [
  'article.published', 'article.updated', 'article.unpublished', 'article.deleted',
  'author.created', 'author.updated', 'author.deleted',
  'image.created', 'image.updated', 'image.deleted'
] as const
export const WebhookEventType = z.enum(webhookEventTypes).meta({
  description: 'Articles: `published` (became public), `updated` (its public form changed: its own edit, or an author, image or linked story it shows), `unpublished`, `deleted` (a published one). Authors and images (no publication state): `created`, `updated`, `deleted`.'
})
export type WebhookEventType = z.infer<typeof WebhookEventType>

const example = {
  id: 'cmi4v9w1h0007qz8kq3r4s5t6',
  url: 'https://hooks.newsroom.example/cms',
  description: 'Search index',
  events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'],
  active: true,
  disabledReason: null,
  disabledAt: null,
  createdAt: '2026-11-24T09:30:00.000Z',
  updatedAt: '2026-11-24T09:30:00.000Z'
}

export const Webhook = z.object({
  id: Id,
  url: z.string().meta({ description: 'Where events are POSTed' }),
  description: z.string().nullable(),
  events: z.array(WebhookEventType),
  active: z.boolean().meta({ description: 'Only active webhooks are sent events (and get deliveries queued)' }),
  disabledReason: z.string().nullable().meta({ description: 'Why the server turned the webhook off (a delivery failed every attempt); cleared when it is turned on again' }),
  disabledAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).meta({ id: 'Webhook', description: 'A subscriber to events; its secret is never shown again after creation', examples: [example] })
export type Webhook = z.infer<typeof Webhook>

export const CreatedWebhook = Webhook.extend({
  secret: z.string().meta({ description: 'The signing secret (`whsec_` + base64). Shown once: store it now, and verify each delivery with it (see the Standard Webhooks libraries).' })
}).meta({ id: 'CreatedWebhook', examples: [{ ...example, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }] })
export type CreatedWebhook = z.infer<typeof CreatedWebhook>

const Events = z.array(WebhookEventType).min(1).max(webhookEventTypes.length)
  .refine((events) => new Set(events).size === events.length, 'lists an event twice')

export const WebhookCreate = z.strictObject({
  url: HttpUrl.meta({ description: 'An http(s) URL on a public address (loopback, private and link-local addresses are refused unless WEBHOOKS_ALLOW_PRIVATE)' }),
  events: Events,
  description: z.string().trim().max(500).nullable().optional(),
  active: z.boolean().default(true)
}).meta({ id: 'WebhookCreate', examples: [{ url: 'https://hooks.newsroom.example/cms', events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'], description: 'Search index' }] })
export type WebhookCreate = z.infer<typeof WebhookCreate>

export const WebhookUpdate = z.strictObject({
  url: WebhookCreate.shape.url.optional(),
  events: Events.optional(),
  description: z.string().trim().max(500).nullable().optional(),
  active: z.boolean().optional().meta({ description: 'true turns a webhook on again (clearing `disabledReason`): deliveries still pending are sent, in order' })
}).meta({ id: 'WebhookUpdate', examples: [{ active: true }, { events: ['article.published'] }] })
export type WebhookUpdate = z.infer<typeof WebhookUpdate>

export const WebhookPage = pageOf(Webhook).meta({ id: 'WebhookPage' })

export const WebhookPayload = z.object({
  type: WebhookEventType,
  timestamp: Timestamp.meta({ description: 'When the change was committed' }),
  data: z.object({
    resource: z.enum(['article', 'author', 'image']),
    id: Id.meta({ description: 'The article, author or image: read it through the API (`GET /v1/articles/{id}`...) for its current form' }),
    changePosition: z.number().int().meta({ description: 'The change\'s position in the change log (the audit trail\'s `id`): later changes have higher positions' }),
    language: z.string().optional().meta({ description: 'Article events: the story\'s language (absent when the story was deleted for good)', example: 'en' }),
    translationGroupId: Id.nullable().optional().meta({ description: 'Article events: the story\'s translation group (null: none; absent when the story was deleted for good)' }),
    cause: z.object({
      resource: z.string().meta({ example: 'author' }),
      id: Id,
      action: z.string().meta({ example: 'updated' })
    }).optional().meta({ description: '`article.updated` caused by a change to something the article shows (an author renamed, an image recaptioned, a linked story deleted): that change' })
  })
}).meta({
  id: 'WebhookPayload',
  description: 'The JSON body of a delivery. Small on purpose: ids, not content.',
  examples: [{ type: 'article.updated', timestamp: '2026-11-24T09:30:00.000Z', data: { resource: 'article', id: 'cmi4v3c8l0004qz8kd2e3f4g5', changePosition: 1234, cause: { resource: 'author', id: 'cmi4v1x0d0000qz8k3f2a9b1c', action: 'updated' } } }]
})
export type WebhookPayload = z.infer<typeof WebhookPayload>

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const

export const WebhookDelivery = z.object({
  id: Id.meta({ description: 'Also the `webhook-id` header of every attempt (the same on retries: receivers drop duplicates by it). Higher ids were committed later.', example: '42' }),
  webhookId: Id,
  eventType: WebhookEventType,
  status: z.enum(deliveryStatuses).meta({ description: '`pending` (waiting for its turn or its next attempt), `succeeded` (answered 2xx), `failed` (every attempt failed)' }),
  attempts: z.number().int().meta({ description: 'Attempts since it was queued (or last retried by hand)' }),
  lastAttemptAt: Timestamp.nullable(),
  lastResponseStatus: z.number().int().nullable().meta({ description: 'The HTTP status of the last attempt; null when no answer came' }),
  lastError: z.string().nullable().meta({ description: 'Why the last attempt failed (connection refused, timeout, HTTP 500...)' }),
  nextAttemptAt: Timestamp.nullable().meta({ description: 'When a pending delivery is due (it also waits for earlier deliveries of its webhook)' }),
  deliveredAt: Timestamp.nullable(),
  createdAt: Timestamp,
  payload: WebhookPayload
}).meta({ id: 'WebhookDelivery', description: 'One event sent (or to be sent) to one webhook, with how its attempts went' })
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

export const WebhookDeliveryPage = pageOf(WebhookDelivery).meta({ id: 'WebhookDeliveryPage' })

export const WebhookDeliveryQuery = ListQuery.extend({
  status: z.enum(deliveryStatuses).optional().meta({ description: 'Only deliveries in this state' })
})
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuery>

export const WebhookDeliveryParams = z.object({ id: Id, deliveryId: z.string().regex(/^\d{1,15}$/, 'must be a delivery id').meta({ description: 'The delivery\'s id', example: '42' }) })
