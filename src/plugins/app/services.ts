// The domain services, built once over the database and shared by the routes.
import fp from 'fastify-plugin'
import { createArticleService, type ArticleService } from '../../services/article-service.ts'
import { createAuthorService, type AuthorService } from '../../services/author-service.ts'
import { createImageService, type ImageService } from '../../services/image-service.ts'
import { createRelatedLinkService, type RelatedLinkService } from '../../services/related-link-service.ts'
import { createHealthService, type HealthService } from '../../services/health-service.ts'
import { createApiKeyService, type ApiKeyService } from '../../services/api-key-service.ts'
import { createAuditService, type AuditService } from '../../services/audit-service.ts'
import { createSyncService, type SyncService } from '../../services/sync-service.ts'
import { pruneChangeLog } from '../../services/change-log-retention.ts'
import { createWritePath, type WritePath } from '../../services/write-path.ts'
import { createPublicArticleReader, type PublicArticleReader } from '../../services/public-articles.ts'
import { createPublicCache } from '../../services/public-cache.ts'
import { createFeedService, type FeedService } from '../../services/feed-service.ts'
import { createNinjsImport, type NinjsImport } from '../../services/ninjs-import.ts'
import { createBulkExport, type BulkExport } from '../../services/bulk-export.ts'
import { createBulkImport, type BulkImport } from '../../services/bulk-import.ts'
import { createRevisionService, type RevisionService } from '../../services/revision-service.ts'
import { followChanges, type ChangeFollower, type CommittedChange } from '../../services/change-follower.ts'
import { createWebhookService, type WebhookService } from '../../services/webhook-service.ts'
import { startDeliveryWorker, type DeliveryWorker } from '../../services/webhook-delivery.ts'
import { createScheduler, type Scheduler } from '../../services/scheduler.ts'
import { createSearchService, type SearchService } from '../../services/search-service.ts'
import type { Database } from '../../db/client.ts'

export interface Services {
  authors: AuthorService
  images: ImageService
  articles: ArticleService
  relatedLinks: RelatedLinkService
  health: HealthService
  apiKeys: ApiKeyService
  audit: AuditService
  publicArticles: PublicArticleReader
  sync: SyncService
  feeds: FeedService
  ninjsImport: NinjsImport
  bulkExport: BulkExport
  bulkImport: BulkImport
  revisions: RevisionService
  webhooks: WebhookService
  search: SearchService
  /** The write seam itself, for maintenance that writes outside a resource's service (re-rendering). */
  writes: WritePath
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    /** Starts following the change log for other instances' commits (once; stopped on close). */
    followChangeLog: () => Promise<void>
    /** Prunes the change log now and hourly when CHANGE_LOG_RETENTION_DAYS is set (once; stopped on close). */
    keepChangeLogRetention: () => Promise<void>
    /** Starts sending webhook deliveries (once; stopped on close). */
    startWebhookDelivery: () => void
    /** The running delivery worker, once started. */
    webhookDelivery: () => DeliveryWorker | undefined
    /** Starts publishing scheduled stories, taking down expired ones and emptying the trash (once, unless SCHEDULER_INTERVAL_MS is 0; stopped on close). */
    startScheduler: () => void
    /** The running scheduler, once started. */
    scheduler: () => Scheduler | undefined
  }
}

export interface ServiceOptions {
  /** See PUBLIC_CACHE_BYTES in src/config.ts; 0 (the default here) caches nothing. */
  publicCacheBytes?: number
  /** See WEBHOOKS_ALLOW_PRIVATE in src/config.ts. */
  webhooksAllowPrivate?: boolean
  /** See LANGUAGES in src/config.ts; empty (the default here): any tag, "en" by default. */
  languages?: string[]
  /** See SEARCH_CONCURRENCY in src/config.ts (default 2). */
  searchConcurrency?: number
}

/** The services, and how to tell their caches what other instances changed (this instance's commits tell them at once). */
export function createServices (db: Database, options: ServiceOptions = {}): Services & { forget: (changes: CommittedChange[]) => void } {
  // Every write of every service goes through this one seam.
  const writes = createWritePath(db)
  const withWrites = { ...db, writes }
  const publicCache = createPublicCache(options.publicCacheBytes ?? 0)
  const apiKeys = createApiKeyService(withWrites)
  const evict = (changes: CommittedChange[]): void => {
    publicCache.evict(changes.flatMap((change) => change.articleIds))
    apiKeys.forget(changes.filter((change) => change.resource === 'api-key').map((change) => change.resourceId))
  }
  // This instance's commits are applied at once, and skipped when the change
  // follower reads them back from the log: evicting again then would drop
  // what was cached since (a story read right after it was saved).
  const appliedHere = new Set<number>()
  writes.onCommitted((changes) => {
    evict(changes)
    if (appliedHere.size > 100_000) appliedHere.clear() // no follower reads them back (a CLI): keep it bounded
    for (const change of changes) appliedHere.add(change.position)
  })
  const forget = (changes: CommittedChange[]): void => {
    evict(changes.filter((change) => !appliedHere.delete(change.position)))
  }
  const authors = createAuthorService(withWrites)
  const images = createImageService(withWrites)
  const languages = options.languages ?? []
  const articles = createArticleService({ ...withWrites, languages: { default: languages[0] ?? 'en', allowed: languages.length === 0 ? null : new Set(languages) } })
  const sync = createSyncService(db)
  return {
    authors,
    images,
    articles,
    relatedLinks: createRelatedLinkService(withWrites),
    health: createHealthService(db),
    apiKeys,
    audit: createAuditService(db),
    sync,
    publicArticles: createPublicArticleReader({ ...db, cache: publicCache }),
    feeds: createFeedService(db),
    ninjsImport: createNinjsImport({ ...db, articles, authors, images }),
    bulkExport: createBulkExport({ ...db, tokenForNow: sync.tokenForNow }),
    bulkImport: createBulkImport(withWrites),
    revisions: createRevisionService({ ...db, articles }),
    webhooks: createWebhookService({ ...withWrites, allowPrivate: options.webhooksAllowPrivate ?? false }),
    search: createSearchService({ ...db, cache: publicCache, concurrency: options.searchConcurrency ?? 2 }),
    writes,
    forget
  }
}

export default fp(async function services (fastify) {
  const { config } = fastify
  const { forget, ...services } = createServices(fastify.db, { publicCacheBytes: config.PUBLIC_CACHE_BYTES, webhooksAllowPrivate: config.WEBHOOKS_ALLOW_PRIVATE, languages: config.LANGUAGES, searchConcurrency: config.SEARCH_CONCURRENCY })
  fastify.decorate('services', services)

  // Other instances' commits reach this one's caches through the change log,
  // followed from when the server starts serving (src/bootstrap.ts), not when
  // the app is built (building it for the OpenAPI document touches no data).
  let follower: ChangeFollower | undefined
  fastify.decorate('followChangeLog', async () => {
    follower ??= await followChanges({
      prisma: fastify.db.prisma,
      intervalMs: fastify.config.CHANGE_POLL_MS,
      onChanges: forget,
      onError: (error) => { fastify.log.warn({ err: error }, 'could not read the change log; cached public JSON and API keys may be stale until it can') }
    })
  })
  // Retention of the change log: at start and hourly, when CHANGE_LOG_RETENTION_DAYS is set.
  let pruning: NodeJS.Timeout | undefined
  fastify.decorate('keepChangeLogRetention', async () => {
    const days = fastify.config.CHANGE_LOG_RETENTION_DAYS
    if (days === 0 || pruning !== undefined) return
    const prune = async (): Promise<void> => {
      try {
        const through = await pruneChangeLog(services, days)
        if (through !== null) fastify.log.info({ through, days }, 'deleted change log rows older than the retention')
      } catch (error) {
        fastify.log.warn({ err: error }, 'could not prune the change log; trying again in an hour')
      }
    }
    pruning = setInterval(() => { void prune() }, 3_600_000).unref()
    await prune()
  })

  // Like the follower: started by a serving server (src/bootstrap.ts), not by building the app.
  let worker: DeliveryWorker | undefined
  fastify.decorate('startWebhookDelivery', () => {
    if (worker !== undefined) return
    worker = startDeliveryWorker({
      prisma: fastify.db.prisma,
      engine: fastify.db.engine,
      writes: services.writes,
      options: {
        retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
        retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
        maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        pollMs: config.WEBHOOK_POLL_MS,
        allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE
      },
      onError: (error) => { fastify.log.warn({ err: error }, 'webhook delivery: could not claim or record deliveries; retrying at the next poll') }
    })
    services.writes.onDeliveriesQueued(() => { worker?.wake() })
  })
  fastify.decorate('webhookDelivery', () => worker)

  let scheduler: Scheduler | undefined
  fastify.decorate('startScheduler', () => {
    if (scheduler !== undefined || config.SCHEDULER_INTERVAL_MS === 0) return
    scheduler = createScheduler({ prisma: fastify.db.prisma, writes: services.writes, trashRetentionDays: config.TRASH_RETENTION_DAYS }).start({
      intervalMs: config.SCHEDULER_INTERVAL_MS,
      onError: (error) => { fastify.log.warn({ err: error }, 'scheduler: could not publish, take down or purge due stories; trying again at the next tick') }
    })
  })
  fastify.decorate('scheduler', () => scheduler)
  fastify.addHook('onClose', async () => {
    follower?.stop()
    if (pruning !== undefined) clearInterval(pruning)
    await scheduler?.stop()
    await worker?.stop()
  })
}, { name: 'services', dependencies: ['database', 'config'] })
