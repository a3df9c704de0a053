// The domain services, built once over the database and shared by the routes.
import fp from 'fastify-plugin'
import { createArticleService, type ArticleService } from '../../services/article-service.ts'
import { createAuthorService, type AuthorService } from '../../services/author-service.ts'
import { createImageService, type ImageService } from '../../services/image-service.ts'
import { createRelatedLinkService, type RelatedLinkService } from '../../services/related-link-service.ts'
import { createHealthService, type HealthService } from '../../services/health-service.ts'
import { createApiKeyService, type ApiKeyService } from '../../services/api-key-service.ts'
import { createAuditService, type AuditService } from '../../services/audit-service.ts'
import { createWritePath, type WritePath } from '../../services/write-path.ts'
import { createPublicArticleReader, type PublicArticleReader } from '../../services/public-articles.ts'
import { createPublicCache } from '../../services/public-cache.ts'
import { createFeedService, type FeedService } from '../../services/feed-service.ts'
import { createNinjsImport, type NinjsImport } from '../../services/ninjs-import.ts'
import { followChanges, type ChangeFollower, type CommittedChange } from '../../services/change-follower.ts'
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
  feeds: FeedService
  ninjsImport: NinjsImport
  /** The write seam itself, for maintenance that writes outside a resource's service (re-rendering). */
  writes: WritePath
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    /** Starts following the change log for other instances' commits (once; stopped on close). */
    followChangeLog: () => Promise<void>
  }
}

export interface ServiceOptions {
  /** See PUBLIC_CACHE_BYTES in src/config.ts; 0 (the default here) caches nothing. */
  publicCacheBytes?: number
}

/** The services, and how to tell their caches what changed (this instance's commits tell them at once). */
export function createServices (db: Database, options: ServiceOptions = {}): Services & { forget: (changes: CommittedChange[]) => void } {
  // Every write of every service goes through this one seam.
  const writes = createWritePath(db)
  const withWrites = { ...db, writes }
  const publicCache = createPublicCache(options.publicCacheBytes ?? 0)
  const apiKeys = createApiKeyService(withWrites)
  const forget = (changes: CommittedChange[]): void => {
    publicCache.evict(changes.flatMap((change) => change.articleIds))
    apiKeys.forget(changes.filter((change) => change.resource === 'api-key').map((change) => change.resourceId))
  }
  writes.onCommitted(forget)
  const authors = createAuthorService(withWrites)
  const images = createImageService(withWrites)
  const articles = createArticleService(withWrites)
  return {
    authors,
    images,
    articles,
    relatedLinks: createRelatedLinkService(withWrites),
    health: createHealthService(db),
    apiKeys,
    audit: createAuditService(db),
    publicArticles: createPublicArticleReader({ ...db, cache: publicCache }),
    feeds: createFeedService(db),
    ninjsImport: createNinjsImport({ ...db, articles, authors, images }),
    writes,
    forget
  }
}

export default fp(async function services (fastify) {
  const { forget, ...services } = createServices(fastify.db, { publicCacheBytes: fastify.config.PUBLIC_CACHE_BYTES })
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
  fastify.addHook('onClose', async () => { follower?.stop() })
}, { name: 'services', dependencies: ['database', 'config'] })
