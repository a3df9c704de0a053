// The domain services, built once over the database and shared by the routes.
import fp from 'fastify-plugin'
import { createArticleService, type ArticleService } from '../../services/article-service.ts'
import { createAuthorService, type AuthorService } from '../../services/author-service.ts'
import { createImageService, type ImageService } from '../../services/image-service.ts'
import { createRelatedLinkService, type RelatedLinkService } from '../../services/related-link-service.ts'
import { createHealthService, type HealthService } from '../../services/health-service.ts'
import { createApiKeyService, type ApiKeyService } from '../../services/api-key-service.ts'
import { createAuditService, type AuditService } from '../../services/audit-service.ts'
import { createWritePath } from '../../services/write-path.ts'

export interface Services {
  authors: AuthorService
  images: ImageService
  articles: ArticleService
  relatedLinks: RelatedLinkService
  health: HealthService
  apiKeys: ApiKeyService
  audit: AuditService
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}

export function createServices (db: { prisma: import('../../db/client.ts').Db, engine: import('../../db/engine.ts').Engine }): Services {
  // Every write of every service goes through this one seam.
  const writes = createWritePath(db)
  const withWrites = { ...db, writes }
  return {
    authors: createAuthorService(withWrites),
    images: createImageService(withWrites),
    articles: createArticleService(withWrites),
    relatedLinks: createRelatedLinkService(withWrites),
    health: createHealthService(db),
    apiKeys: createApiKeyService(withWrites),
    audit: createAuditService(db)
  }
}

export default fp(async function services (fastify) {
  fastify.decorate('services', createServices(fastify.db))
}, { name: 'services', dependencies: ['database'] })
