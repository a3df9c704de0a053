import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { SearchPage, SearchQuery } from '../../../schemas/search.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { ConditionalReadHeaders, notModified, sendStored, storedListHeaders } from '../../stored-representation.ts'

const searchRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'read', storedRead: 'search' },
    schema: {
      tags: ['Search'],
      operationId: 'searchArticles',
      summary: 'Search articles',
      description: [
        'Stories whose headline, dek or body text (paragraphs, headings, quotes) match `q`, best match first: headline matches above dek matches above body matches, ties broken by latest publication, then id. A query matching more than 2,000 stories (one common word) ranks the 2,000 most recently added of them: more words, a phrase or a filter reach further back. Each hit carries the story as lists show it, its `score` and `highlights`: the fields that matched, as HTML with the matched words in `<mark>` (everything else escaped).',
        'Filters as the article list has them: `status`, `section`, `language`, `tag` (repeatable: any of them), `authorId`, `publishedAfter` (inclusive) and `publishedBefore`. Page with `limit` and the `nextCursor` of the previous page (a cursor belongs to its search: same `q` and filters).',
        'Without a key (or with a reader key) only published stories are found, each as its stored public list item; the page carries a strong `ETag` (`If-None-Match` → 304), the public `Cache-Control` and a `Surrogate-Key` that includes `articles`. Keys that see drafts find every story that is not in the trash (drafts, scheduled and archived ones too), read live, `private, no-store`.',
        'A search reflects every write as soon as it is committed.'
      ].join('\n\n'),
      querystring: SearchQuery,
      headers: ConditionalReadHeaders,
      [routeHeadersKey]: { 200: storedListHeaders, 304: storedListHeaders },
      response: { 200: SearchPage, 304: notModified }
    }
  }, async (request, reply) => {
    if (request.canReadDrafts) return await fastify.services.search.search(request.query, { includeDrafts: true })
    return await sendStored(request, reply, await fastify.services.search.searchPublished(request.query))
  })
}

export default searchRoutes
