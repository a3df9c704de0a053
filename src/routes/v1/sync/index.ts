import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { SyncPage, SyncQuery } from '../../../schemas/sync.ts'
import { problemResponses } from '../../../schemas/common.ts'

const syncRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'read' },
    schema: {
      tags: ['Sync'],
      operationId: 'sync',
      summary: 'Sync: everything, then what changed since',
      description: [
        'For integrators keeping a copy (an app, a search index, a partner site). The first call, without a token, returns every published story and every author (and, for staff keys, every image), page by page: follow `nextPageToken` until a page carries `nextSyncToken` instead. Keep that token; the next call with `syncToken` returns only what changed since, in commit order, each item as it is now:',
        '- a created or changed item with its current form in `data` (a story also counts as changed when its public form did: its author renamed, its image credited anew, a story it links to retitled);',
        '- `{type, id, deletedAt}` for one that is gone, `{type: "article", id, unpublishedAt}` for a story no longer published.',
        'Apply the items in order; an item may come more than once across pages or syncs (apply it again). Tokens are opaque, work on any instance and survive restarts; a change committed while you sync is never skipped. A token the change log can no longer answer is a 410: start over without one. With `drafts=true` (integrator, editor and admin keys) stories come as they are now, drafts included.'
      ].join('\n\n'),
      querystring: SyncQuery,
      response: { 200: SyncPage, ...problemResponses(403, 410) }
    }
  }, async (request) => await fastify.services.sync.sync(request.query, { canReadDrafts: request.canReadDrafts }))
}

export default syncRoutes
