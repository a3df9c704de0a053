// What a starting server does to its database once the app is ready: make sure
// an admin key exists (so that keys can be managed at all) and, on an empty
// database, load the demo article. Kept out of the app plugin so that building
// the app (for the OpenAPI document, say) touches no data.
import type { FastifyInstance } from 'fastify'
import { loadDemoContent } from './demo/demo-content.ts'
import { storeMissingPublicArticles } from './services/public-articles.ts'
import { storeMissingRevisions } from './services/revision-service.ts'

export async function bootstrap (app: FastifyInstance): Promise<void> {
  const generated = await app.services.apiKeys.ensureAdminKey(app.config.ADMIN_API_KEY)
  if (generated !== undefined) {
    // Deliberately not through the logger: logs never carry secrets. Shown once, on the terminal.
    process.stderr.write([
      '',
      'No admin API key existed, so one was created. It is shown this once; store it now:',
      '',
      `    ${generated}`,
      '',
      'Send it as "Authorization: Bearer <key>" (the Authorize button in /docs), create other keys',
      'with POST /v1/api-keys, and revoke this one when it is no longer needed.',
      ''
    ].join('\n') + '\n')
    app.log.warn('created the first admin API key (printed on stderr, not logged)')
  }
  await app.followChangeLog()
  await app.keepChangeLogRetention()
  // Deliveries queued before a crash or restart are sent from here on.
  app.startWebhookDelivery()
  // Stories that fell due while the server was down are published at once.
  app.startScheduler()
  // A database from before stored public forms existed: render the missing ones.
  const stored = await storeMissingPublicArticles({ prisma: app.db.prisma, writes: app.services.writes })
  if (stored > 0) app.log.info({ articles: stored }, 'stored the public JSON of published articles that had none')
  // A database from before revisions existed: each article's history starts with its state now.
  const revisions = await storeMissingRevisions(app.services.writes)
  if (revisions > 0) app.log.info({ articles: revisions }, 'stored a first revision of articles that had none')
  // A database from before the search: the search text of every article that has none.
  const indexed = await app.services.search.rebuildIndex({ missingOnly: true })
  if (indexed > 0) app.log.info({ articles: indexed }, 'stored the search text of articles that had none')
  if (app.config.DEMO_CONTENT && await app.db.prisma.article.count() === 0) {
    if (await loadDemoContent(app.services)) app.log.info('loaded the demo article into the empty database')
  }
}
