// Webhooks: subscribers to events, managed by admins. Their changes go
// through the write path like any other (so they are in the audit trail);
// their deliveries are written by the write path itself and sent by
// webhook-delivery.ts.
import { randomBytes } from 'node:crypto'
import type { Db } from '../db/client.ts'
import { keyset, newestFirst, pageBy } from '../db/pagination.ts'
import { notFound, urlNotAllowed } from '../errors.ts'
import type { ListQuery, Page } from '../schemas/common.ts'
import type { CreatedWebhook, Webhook, WebhookCreate, WebhookDelivery, WebhookDeliveryQuery, WebhookEventType, WebhookPayload, WebhookUpdate } from '../schemas/webhook.ts'
import type { Webhook as WebhookRow, WebhookDelivery as DeliveryRow } from '../generated/sqlite/client.ts'
import { checkWebhookUrl } from './webhook-address.ts'
import type { WriteContext, WritePath } from './write-path.ts'

/** `whsec_` + base64 of 24 random bytes, as Standard Webhooks libraries expect. */
function newSecret (): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

function toWebhook (row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: (Array.isArray(row.events) ? row.events : []) as WebhookEventType[],
    active: row.active,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

export function toDelivery (row: DeliveryRow): WebhookDelivery {
  return {
    id: String(row.position),
    webhookId: row.webhookId,
    eventType: row.eventType as WebhookEventType,
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    lastResponseStatus: row.lastResponseStatus,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    payload: JSON.parse(row.payload) as WebhookPayload
  }
}

/** Latest delivery first. */
const latestFirst = keyset([{ field: 'position', direction: 'desc', kind: 'number' }], 'deliveries')

export function createWebhookService ({ prisma, writes, allowPrivate }: { prisma: Db, writes: WritePath, allowPrivate: boolean }) {
  async function assertAllowed (url: string | undefined): Promise<void> {
    if (url === undefined || allowPrivate) return
    const check = await checkWebhookUrl(url)
    if (!check.ok) throw urlNotAllowed('body.url', check.reason)
  }

  async function findRow (id: string): Promise<WebhookRow> {
    const row = await prisma.webhook.findUnique({ where: { id } })
    if (row === null) throw notFound('Webhook', id)
    return row
  }

  return {
    async create (input: WebhookCreate, context: WriteContext): Promise<CreatedWebhook> {
      await assertAllowed(input.url)
      const secret = newSecret()
      const row = await writes.write(context, async ({ tx, record }) => {
        const created = await tx.webhook.create({ data: { url: input.url, events: input.events, description: input.description ?? null, active: input.active, secret } })
        record({ resource: 'webhook', resourceId: created.id, action: 'created' })
        return created
      })
      return { ...toWebhook(row), secret }
    },

    async list (query: ListQuery): Promise<Page<Webhook>> {
      return await pageBy(newestFirst, query.limit, async (take) => await prisma.webhook.findMany({
        where: newestFirst.after(query.cursor), orderBy: newestFirst.orderBy, take
      }), toWebhook)
    },

    async get (id: string): Promise<Webhook> {
      return toWebhook(await findRow(id))
    },

    /** Turning a webhook on again clears why the server turned it off. */
    async update (id: string, input: WebhookUpdate, context: WriteContext): Promise<Webhook> {
      await assertAllowed(input.url)
      const row = await writes.write(context, async ({ tx, record }) => {
        const current = await tx.webhook.findUnique({ where: { id }, select: { id: true } })
        if (current === null) throw notFound('Webhook', id)
        const updated = await tx.webhook.update({
          where: { id },
          data: {
            url: input.url,
            events: input.events,
            description: input.description,
            active: input.active,
            ...(input.active === true && { disabledReason: null, disabledAt: null })
          }
        })
        record({ resource: 'webhook', resourceId: id, action: 'updated' })
        return updated
      })
      return toWebhook(row)
    },

    /** Its deliveries go with it, sent or not. */
    async remove (id: string, context: WriteContext): Promise<void> {
      await writes.write(context, async ({ tx, record }) => {
        const deleted = await tx.webhook.deleteMany({ where: { id } })
        if (deleted.count === 0) throw notFound('Webhook', id)
        record({ resource: 'webhook', resourceId: id, action: 'deleted' })
      })
    },

    async deliveries (id: string, query: WebhookDeliveryQuery): Promise<Page<WebhookDelivery>> {
      await findRow(id)
      return await pageBy(latestFirst, query.limit, async (take) => await prisma.webhookDelivery.findMany({
        where: { AND: [{ webhookId: id, ...(query.status !== undefined && { status: query.status }) }, latestFirst.after(query.cursor)] },
        orderBy: latestFirst.orderBy,
        take
      }), toDelivery)
    },

    /**
     * Queues a delivery again, whatever its state (a succeeded one is sent
     * again: receivers drop duplicates by `webhook-id`). It is sent in its
     * place in its webhook's order, once the webhook is active.
     */
    async retry (id: string, deliveryId: string): Promise<WebhookDelivery> {
      const position = Number(deliveryId)
      const queued = await prisma.webhookDelivery.updateMany({
        where: { position, webhookId: id },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null, claimToken: null }
      })
      if (queued.count === 0) throw notFound('Delivery', `${deliveryId} of webhook ${id}`)
      return toDelivery(await prisma.webhookDelivery.findUniqueOrThrow({ where: { position } }))
    }
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>
