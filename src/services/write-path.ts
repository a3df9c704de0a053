// The one seam every write goes through (in the manner of Directus' services
// and Payload's operations): one transaction, who is writing, the typed
// changes the work records, the published articles each change affects, and
// before commit their stored public JSON and the change log rows. The audit
// trail is read from the log.
//
// One writer at a time, on both engines. SQLite has that by nature. On
// PostgreSQL every write takes one transaction-scoped advisory lock as its
// first statement, for two reasons:
// - Commit order. A sequence hands out positions in the order transactions
//   *ask*, not the order they commit: position 11 could commit before 10, and
//   a reader that has seen 11 would later find 10 appear behind it. Under the
//   lock the next writer draws its position only once this one has committed.
// - Stored public JSON that is never stale. Which published articles a change
//   affects, and what they look like, are read inside the transaction; with
//   concurrent writers (READ COMMITTED) an author's rename could read a story
//   as published while another writer unpublishes it, and store its public
//   form again after that writer removed it (the sync feed's concurrency test
//   found exactly that). Serialized, every write sees all earlier commits.
//   Taken first, not just before the append, because a delete's cascade holds
//   row locks the next holder of the lock could need (a deadlock).
// - Conditional writes. A write that names the version it expects (If-Match)
//   compares it with the version it reads inside its transaction
//   (version-check.ts): no other write can come between the check and the change.
// Writes are short (milliseconds), so this costs little in a newsroom, where
// concurrency is in the reads.
//
// Search. The search text of every article whose content a write changed is
// stored in its transaction too (db/search-index.ts): a search right after a
// commit finds what it wrote.
//
// Webhooks. The events a write makes (webhook-events.ts) become one
// WebhookDelivery row per subscribed active webhook, in the same transaction:
// a crash never loses one, and their positions too are in commit order, which
// is the order each webhook receives them in. A write that makes no events
// (drafts, API keys) costs nothing more; one that does costs one query for the
// active webhooks, and one insert when one subscribes.
import type BetterSqlite3 from 'better-sqlite3'
import { insertRows, runsOn, sql, type Db, type Tx } from '../db/client.ts'
import type { Change } from '../generated/sqlite/client.ts'
import type { Engine } from '../db/engine.ts'
import type { Actor } from './api-key-service.ts'
import { refreshPublicArticles, type KnownArticle } from './public-articles.ts'
import type { ArticleRow } from '../db/article-mapper.ts'
import type { CommittedChange } from './change-follower.ts'
import { webhookEventsOf } from './webhook-events.ts'
import type { WebhookPayload } from '../schemas/webhook.ts'
import { articleInclude } from '../db/article-mapper.ts'
import { articleContent } from './bulk-export.ts'
import { live } from './read-scope.ts'
import { publishedTranslations } from './translations.ts'
import { searchTextOf, storeSearchTexts } from '../db/search-index.ts'

/** Who is writing, and in answer to which request. */
export interface WriteContext {
  actor: Actor
  requestId: string | null
  method: string | null
  path: string | null
}

/** Changes the server makes on its own (the first admin key, the demo content). */
export const serverContext: WriteContext = Object.freeze({
  actor: Object.freeze({ apiKeyId: null, apiKeyName: null, role: 'anonymous' as const }),
  requestId: null,
  method: null,
  path: null
})

export type ChangeResource = 'article' | 'byline' | 'related-link' | 'author' | 'image' | 'api-key' | 'webhook' | 'change-log'
/**
 * `trashed`: an article moved to the trash (DELETE without ?permanent); to
 * the public, the sync feed and webhooks it is a deletion. `restored`: taken
 * back out; to them a (re)publication when it is published. `deleted` stays
 * what cannot be undone.
 */
export type ChangeAction = 'created' | 'updated' | 'replaced' | 'published' | 'unpublished' | 'deleted' | 'trashed' | 'restored' | 'revoked'

export interface ChangeEvent {
  resource: ChangeResource
  resourceId: string
  action: ChangeAction
  /**
   * Articles whose public form the change altered that the write path cannot
   * find after the fact (links or bylines the work itself removed): named by the work.
   */
  alsoAffects?: string[]
  /**
   * Article changes: the article as the work left it, read after its last
   * write to it. The write path renders from it instead of reading it again.
   */
  current?: ArticleRow
  /**
   * Other articles whose own content the change altered (a related link
   * edited, a byline or block taken off): each gets a revision. An article
   * change revises its article, a byline change the byline's article.
   */
  revises?: string[]
  /** The article's public form was rendered again, its content unchanged (a repair): no revision. */
  rerendered?: boolean
}

export interface WriteScope {
  tx: Tx
  record: (change: ChangeEvent) => void
}

type ChangeRow = Omit<Change, 'position' | 'createdAt' | 'articleIds'> & { articleIds: string[] }
type ChangeColumns = Omit<Change, 'position' | 'articleIds'> & { articleIds: string }
const changeColumns = ['resource', 'resourceId', 'action', 'articleIds', 'apiKeyId', 'apiKeyName', 'role', 'requestId', 'method', 'path', 'createdAt'] as const

// Any constant, the same on every instance.
export const changeLogLockKey = 4_207_310_002

/** The published articles whose public form a change alters, read after the work, inside its transaction. */
async function affectedArticles (tx: Tx, change: ChangeEvent): Promise<string[]> {
  const published = live
  const linking = async (articleId: string): Promise<string[]> => (await tx.bodyBlock.findMany({
    where: { targetArticleId: articleId, article: published }, select: { articleId: true }
  })).map((block) => block.articleId)
  switch (change.resource) {
    case 'article': {
      const article = change.current ?? await tx.article.findUnique({ where: { id: change.resourceId }, select: { status: true, deletedAt: true, translationGroupId: true } })
      // Unpublished: its public form is gone, which is a change to it too. (A
      // deleted or trashed one is no longer public to ask: its write names it in alsoAffects.)
      // A trashed one keeps its status: if that is published, its public form just went.
      const itself = (article?.status === 'published' && (article.deletedAt === null || change.action === 'trashed')) || change.action === 'unpublished'
      // Nothing links to an article created in this very transaction. Its
      // published translations list it (its headline, slug, whether it is public).
      return [
        ...(itself ? [change.resourceId] : []),
        ...(change.action === 'created' ? [] : await linking(change.resourceId)),
        ...await publishedTranslations(tx, article?.translationGroupId ?? null, change.resourceId)
      ]
    }
    case 'byline':
    case 'related-link': {
      // resourceId is the byline's article, or the link's block.
      const articleId = change.resource === 'byline'
        ? change.resourceId
        : (await tx.bodyBlock.findUnique({ where: { id: change.resourceId }, select: { articleId: true } }))?.articleId
      if (articleId === undefined) return []
      const article = await tx.article.findUnique({ where: { id: articleId }, select: { status: true, deletedAt: true } })
      return article?.status === 'published' && article.deletedAt === null ? [articleId] : []
    }
    case 'author':
      return (await tx.byline.findMany({ where: { authorId: change.resourceId, article: published }, select: { articleId: true } }))
        .map((byline) => byline.articleId)
    case 'image':
      return [
        ...(await tx.article.findMany({ where: { leadImageId: change.resourceId, ...published }, select: { id: true } })).map((article) => article.id),
        ...(await tx.bodyBlock.findMany({ where: { imageId: change.resourceId, article: published }, select: { articleId: true } })).map((block) => block.articleId)
      ]
    case 'api-key':
    case 'webhook':
    case 'change-log':
      return []
  }
}

const revisionColumns = ['articleId', 'version', 'changePosition', 'action', 'apiKeyId', 'apiKeyName', 'createdAt', 'content'] as const

/**
 * The articles whose own content the changes altered, each with the first
 * change that did: what gets a revision, at the article's new version.
 */
function revisedArticles (changes: ChangeEvent[], positions: number[]): Map<string, { action: string, position: number }> {
  const revised = new Map<string, { action: string, position: number }>()
  changes.forEach((change, index) => {
    // Trashing changes no content (the article is kept as it is): no revision; restoring is a new version.
    const own = change.resource === 'article' && change.action !== 'deleted' && change.action !== 'trashed' && change.rerendered !== true ? [change.resourceId] : change.resource === 'byline' ? [change.resourceId] : []
    for (const id of [...own, ...change.revises ?? []]) {
      if (!revised.has(id)) revised.set(id, { action: change.resource === 'article' ? change.action : 'updated', position: positions[index]! })
    }
  })
  return revised
}

/**
 * The articles whose content the changes may have altered, as they are now
 * (read once, unless the write holds them already): the revised ones, and
 * any article a change hands over as it left it (a bulk import can trash a
 * story and change its text at once). A deleted one is left out.
 */
async function contentRows (tx: Tx, changes: ChangeEvent[], revised: ReadonlyMap<string, unknown>, known: ReadonlyMap<string, KnownArticle>): Promise<Map<string, ArticleRow>> {
  const ids = new Set([...revised.keys(), ...changes.filter((change) => change.resource === 'article' && change.current !== undefined).map((change) => change.resourceId)])
  const rows = new Map<string, ArticleRow>()
  for (const id of ids) {
    const row = known.get(id)?.row ?? await tx.article.findUnique({ where: { id }, include: articleInclude })
    if (row !== null) rows.set(id, row) // else deleted by the same write
  }
  return rows
}

/** A revision of every revised article: its state after the changes, tied to the first change that made it. */
async function storeRevisions (tx: Tx, context: WriteContext, revised: ReadonlyMap<string, { action: string, position: number }>, rows: ReadonlyMap<string, ArticleRow>): Promise<void> {
  const revisions = []
  const createdAt = new Date()
  for (const [articleId, { action, position }] of revised) {
    const row = rows.get(articleId)
    if (row === undefined) continue // deleted by the same write
    revisions.push({ articleId, version: row.version, changePosition: position, action, apiKeyId: context.actor.apiKeyId, apiKeyName: context.actor.apiKeyName, createdAt, content: JSON.stringify(articleContent(row)) })
  }
  // Raw: an all-or-nothing import stores thousands at once, and Prisma plans a createMany row by row.
  await insertRows(tx, 'ArticleRevision', revisionColumns, revisions)
}

/**
 * Article events name the story's language and translation group, so that a
 * receiver can route them (one index per language, say) without a read. One
 * query, only for writes that deliver article events; a story deleted for good
 * has neither any more.
 */
async function withArticleLanguages (tx: Tx, payloads: WebhookPayload[]): Promise<void> {
  const ids = [...new Set(payloads.filter((payload) => payload.data.resource === 'article').map((payload) => payload.data.id))]
  if (ids.length === 0) return
  const articles = new Map((await tx.article.findMany({ where: { id: { in: ids } }, select: { id: true, language: true, translationGroupId: true } }))
    .map((article) => [article.id, article]))
  for (const payload of payloads) {
    const article = payload.data.resource === 'article' ? articles.get(payload.data.id) : undefined
    if (article !== undefined) Object.assign(payload.data, { language: article.language, translationGroupId: article.translationGroupId })
  }
}

export function createWritePath ({ prisma, engine, sqliteConnection }: { prisma: Db, engine: Engine, sqliteConnection?: () => BetterSqlite3.Database | undefined }) {
  const committedListeners: Array<(changes: CommittedChange[]) => void> = []
  const deliveryListeners: Array<() => void> = []

  /** Appends the change rows (their positions drawn in row order) and the webhook deliveries their events make. */
  async function queueDeliveries (tx: Tx, rows: ChangeRow[]): Promise<{ positions: number[], deliveries: number }> {
    const committedAt = new Date()
    // Multi-row inserts, one after the other, draw their positions in row
    // order. Raw, like the webhook query below: every write runs both (see insertRows).
    const inserted = await insertRows<ChangeColumns>(tx, 'Change', changeColumns,
      rows.map((row) => ({ ...row, articleIds: JSON.stringify(row.articleIds), createdAt: committedAt })), 'position')
    const positions = inserted.sort((a, b) => a - b)
    const events = webhookEventsOf(rows.map((row, index) => ({ ...row, position: positions[index]! })), committedAt)
    if (events.length === 0) return { positions, deliveries: 0 } // drafts, API keys: no query for webhooks
    const webhooks = (await tx.$queryRaw<Array<{ id: string, events: unknown }>>(sql`SELECT "id", "events" FROM "Webhook" WHERE "active" = ${true}`))
      .map((webhook) => ({ id: webhook.id, events: new Set(Array.isArray(webhook.events) ? webhook.events : []) }))
    const deliveries = events.flatMap((event) => webhooks.filter((webhook) => webhook.events.has(event.type)).map((webhook) => ({
      webhookId: webhook.id, eventType: event.type, changePosition: event.changePosition, payload: event.payload, nextAttemptAt: committedAt
    })))
    if (deliveries.length > 0) {
      await withArticleLanguages(tx, deliveries.map((delivery) => delivery.payload))
      await tx.webhookDelivery.createMany({ data: deliveries.map((delivery) => ({ ...delivery, payload: JSON.stringify(delivery.payload) })) })
    }
    return { positions, deliveries: deliveries.length }
  }

  async function append (tx: Tx, context: WriteContext, changes: ChangeEvent[]): Promise<{ committed: CommittedChange[], deliveries: number }> {
    if (changes.length === 0) return { committed: [], deliveries: 0 }
    const rows: ChangeRow[] = []
    const affected = new Set<string>()
    const known = new Map<string, KnownArticle>()
    for (const change of changes) {
      if (change.resource === 'article' && change.current !== undefined) known.set(change.resourceId, { row: change.current, isNew: change.action === 'created' })
      const articleIds = [...new Set([...change.alsoAffects ?? [], ...await affectedArticles(tx, change)])].sort()
      for (const id of articleIds) affected.add(id)
      rows.push({
        resource: change.resource,
        resourceId: change.resourceId,
        action: change.action,
        articleIds,
        apiKeyId: context.actor.apiKeyId,
        apiKeyName: context.actor.apiKeyName,
        role: context.actor.role === 'anonymous' ? null : context.actor.role,
        requestId: context.requestId,
        method: context.method,
        path: context.path
      })
    }
    // The public JSON of every article whose public form changed, in this transaction.
    await refreshPublicArticles(tx, affected, known, new Set(changes.filter((change) => change.rerendered === true).map((change) => change.resourceId)))
    const { positions, deliveries } = await queueDeliveries(tx, rows)
    const revised = revisedArticles(changes, positions)
    const contents = await contentRows(tx, changes, revised, known)
    await storeRevisions(tx, context, revised, contents)
    // The search finds what was just written: the text of every article whose
    // content changed (rewritten only where it differs). Whether the public may
    // find it (published, trashed) is read at search time; a deleted one's text
    // goes with it (a foreign key's cascade).
    await storeSearchTexts(tx, [...contents.values()].map(searchTextOf))
    return { committed: rows.map((row, index) => ({ position: positions[index]!, resource: row.resource, resourceId: row.resourceId, articleIds: row.articleIds })), deliveries }
  }

  return {
    /**
     * Runs `work` in one transaction; what it records lands in the change log
     * in the same transaction, after everything else it wrote. `timeoutMs`:
     * for the rare write that takes long (an all-or-nothing bulk import);
     * Prisma's default is 5 s.
     */
    async write<T> (context: WriteContext, work: (scope: WriteScope) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
      const { result, committed, deliveries } = await prisma.$transaction(async (tx) => {
        if (engine === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${changeLogLockKey})`)
        runsOn(tx, sqliteConnection?.())
        const changes: ChangeEvent[] = []
        const result = await work({ tx, record: (change) => { changes.push(change) } })
        return { result, ...await append(tx, context, changes) }
      }, options.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs })
      // This instance's caches forget at once; other instances when they follow the log.
      if (committed.length > 0) for (const listener of committedListeners) listener(committed)
      if (deliveries > 0) for (const listener of deliveryListeners) listener()
      return result
    },

    /** Called after each commit with what it changed. */
    onCommitted (listener: (changes: CommittedChange[]) => void): void {
      committedListeners.push(listener)
    },

    /** Called after a commit that queued webhook deliveries (the delivery worker wakes up). */
    onDeliveriesQueued (listener: () => void): void {
      deliveryListeners.push(listener)
    }
  }
}

export type WritePath = ReturnType<typeof createWritePath>
