// The delivery worker: every instance runs one. It claims due deliveries,
// POSTs them signed per Standard Webhooks, and records how each attempt went.
//
// Exactly once between instances: a delivery is claimed by setting a lease
// (claimedUntil) in a short transaction; on PostgreSQL the rows are first
// locked with FOR UPDATE SKIP LOCKED, so instances polling at the same moment
// take different rows instead of waiting on each other. A crashed instance's
// lease lapses and another sends the delivery: at least once after a crash,
// exactly once otherwise. The lease outlasts the send timeout.
//
// Order: only the earliest pending delivery of each webhook can be claimed,
// so a webhook never receives a delivery while an earlier one is still
// pending (waiting for a retry); each webhook gets them in commit order.
import { createHmac, randomUUID } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { join, type Db } from '../db/client.ts'
import type { Engine } from '../db/engine.ts'
import type { WebhookDelivery as DeliveryRow } from '../generated/sqlite/client.ts'
import { checkWebhookUrl, publicOnlyLookup } from './webhook-address.ts'
import { serverContext, type WritePath } from './write-path.ts'

export interface DeliveryOptions {
  retryBaseMs: number
  retryMaxMs: number
  maxAttempts: number
  timeoutMs: number
  pollMs: number
  allowPrivate: boolean
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (also on a timer, and after this instance's commits that queue some). */
  wake: () => void
  /** Runs one round: claims, sends, records; resolves when done. */
  runOnce: () => Promise<number>
  /** Stops the timer and waits for the sends in flight. */
  stop: () => Promise<void>
}

/** How long a claim holds: longer than any send (its timeout), with room for recording it. */
const leaseFor = (timeoutMs: number): number => 2 * timeoutMs + 5_000
/** Deliveries (one per webhook at most) claimed per round. */
const batch = 16
const maxErrorLength = 500

interface Claimed extends DeliveryRow {
  webhook: { url: string, secret: string }
}

export interface AttemptResult {
  ok: boolean
  status: number | null
  error: string | null
}

/** The Standard Webhooks signature: v1,base64(HMAC-SHA256(secret bytes, "id.timestamp.body")). */
export function sign (secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/** Exponential back-off with jitter: base·2^(n−1), capped, then between half and all of it. */
export function retryDelay (attempts: number, options: Pick<DeliveryOptions, 'retryBaseMs' | 'retryMaxMs'>): number {
  const ceiling = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.min(attempts - 1, 30))
  return Math.round(ceiling / 2 + Math.random() * ceiling / 2)
}

/** POSTs one body; any 2xx is success. Never throws. */
async function post (url: string, headers: Record<string, string>, body: string, options: DeliveryOptions): Promise<AttemptResult> {
  if (!options.allowPrivate) {
    // IP literals never reach the socket's look-up: check them (and names, early) here.
    const check = await checkWebhookUrl(url)
    if (!check.ok) return { ok: false, status: null, error: `refused: ${check.reason}` }
  }
  const target = new URL(url)
  const client = target.protocol === 'https:' ? https : http
  return await new Promise<AttemptResult>((resolve) => {
    let settled = false
    const settle = (result: AttemptResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ ...result, error: result.error?.slice(0, maxErrorLength) ?? null })
    }
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(!options.allowPrivate && { lookup: publicOnlyLookup }),
      agent: false
    }, (response) => {
      const status = response.statusCode ?? 0
      const ok = status >= 200 && status < 300
      // The body is not read for anything: drain it; the timer covers a slow one.
      response.resume()
      response.on('end', () => { settle({ ok, status, error: ok ? null : `HTTP ${status}` }) })
      response.on('error', (error) => { settle({ ok: false, status, error: error.message }) })
      response.on('close', () => { settle({ ok: false, status, error: 'the connection closed before the answer ended' }) })
    })
    const timer = setTimeout(() => { request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)) }, options.timeoutMs)
    request.on('error', (error) => { settle({ ok: false, status: null, error: error.message }) })
    request.end(body)
  })
}

export function startDeliveryWorker ({ prisma, engine, writes, options, onError }: {
  prisma: Db
  engine: Engine
  writes: WritePath
  options: DeliveryOptions
  onError: (error: unknown) => void
}): DeliveryWorker {
  let stopped = false
  let running: Promise<number> | undefined
  let again = false
  let timer: NodeJS.Timeout | undefined

  /** The earliest pending delivery of each active webhook, those due and not claimed, now claimed by this instance. */
  async function claim (): Promise<Claimed[]> {
    const heads = await prisma.webhookDelivery.groupBy({
      by: ['webhookId'], where: { status: 'pending', webhook: { active: true } }, _min: { position: true }
    })
    const positions = heads.map((head) => head._min.position).filter((position): position is number => position !== null)
    if (positions.length === 0) return []
    const now = new Date()
    const token = randomUUID()
    return await prisma.$transaction(async (tx) => {
      let candidates = positions
      if (engine === 'postgresql') {
        candidates = (await tx.$queryRaw<Array<{ position: number }>>`
          SELECT "position" FROM "WebhookDelivery"
          WHERE "position" IN (${join(positions)}) AND "status" = 'pending' AND "nextAttemptAt" <= ${now}
            AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
          ORDER BY "position" LIMIT ${batch}
          FOR UPDATE SKIP LOCKED`).map((row) => Number(row.position))
        if (candidates.length === 0) return []
      }
      // SQLite: one writer at a time, so this update alone is the claim.
      await tx.webhookDelivery.updateMany({
        where: { position: { in: candidates.slice(0, batch) }, status: 'pending', nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
        data: { claimedUntil: new Date(now.getTime() + leaseFor(options.timeoutMs)), claimToken: token }
      })
      return await tx.webhookDelivery.findMany({
        where: { claimToken: token }, include: { webhook: { select: { url: true, secret: true } } }, orderBy: { position: 'asc' }
      })
    })
  }

  async function record (delivery: Claimed, result: AttemptResult): Promise<void> {
    const attempts = delivery.attempts + 1
    const mine = { position: delivery.position, claimToken: delivery.claimToken }
    const attempt = { attempts, lastAttemptAt: new Date(), lastResponseStatus: result.status, lastError: result.error, claimedUntil: null, claimToken: null }
    if (result.ok) {
      await prisma.webhookDelivery.updateMany({ where: mine, data: { ...attempt, status: 'succeeded', deliveredAt: new Date() } })
      return
    }
    if (attempts < options.maxAttempts) {
      await prisma.webhookDelivery.updateMany({ where: mine, data: { ...attempt, nextAttemptAt: new Date(Date.now() + retryDelay(attempts, options)) } })
      return
    }
    // The last attempt failed: the delivery fails and the webhook is turned
    // off (through the write path: it is a change to the webhook, for the audit trail).
    await writes.write(serverContext, async ({ tx, record }) => {
      const failed = await tx.webhookDelivery.updateMany({ where: mine, data: { ...attempt, status: 'failed' } })
      if (failed.count === 0) return // retried by hand meanwhile, or its webhook deleted
      const turnedOff = await tx.webhook.updateMany({
        where: { id: delivery.webhookId, active: true },
        data: { active: false, disabledAt: new Date(), disabledReason: `Delivery ${delivery.position} (${delivery.eventType}) failed ${attempts} attempts in a row; the last: ${result.error ?? 'no answer'}. Turn the webhook on again (PATCH active: true) once the receiver works; retry the failed delivery with POST .../deliveries/${delivery.position}/retry.` }
      })
      if (turnedOff.count > 0) record({ resource: 'webhook', resourceId: delivery.webhookId, action: 'updated' })
    })
  }

  async function send (delivery: Claimed): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000)
    const id = String(delivery.position)
    const result = await post(delivery.webhook.url, {
      'content-type': 'application/json',
      'user-agent': 'newsroom-cms-webhooks/1',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(delivery.webhook.secret, id, timestamp, delivery.payload)
    }, delivery.payload, options)
    await record(delivery, result)
  }

  async function round (): Promise<number> {
    let sent = 0
    // Until nothing is due: a success makes the webhook's next delivery due at once.
    for (;;) {
      if (stopped) return sent
      const claimed = await claim()
      if (claimed.length === 0) return sent
      await Promise.all(claimed.map(async (delivery) => { await send(delivery).catch(onError) }))
      sent += claimed.length
    }
  }

  async function runOnce (): Promise<number> {
    if (running !== undefined) {
      // A commit during a round: look again right after it.
      again = true
      return await running
    }
    running = (async () => {
      let total = 0
      do {
        again = false
        total += await round().catch((error: unknown) => { onError(error); return 0 })
      } while (again && !stopped)
      return total
    })().finally(() => { running = undefined })
    return await running
  }

  function schedule (): void {
    if (stopped) return
    timer = setTimeout(() => { void runOnce().then(schedule) }, options.pollMs)
    timer.unref()
  }
  schedule()

  return {
    wake: () => { if (!stopped) void runOnce() },
    runOnce,
    stop: async () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      await running
    }
  }
}
