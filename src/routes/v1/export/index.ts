import { Readable } from 'node:stream'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ExportLine, ExportQuery } from '../../../schemas/bulk.ts'
import { problemResponses } from '../../../schemas/common.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'

const exportRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.get('/', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Import and export'],
      operationId: 'exportContent',
      summary: 'Export everything as NDJSON',
      description: [
        'Every author, image and story (drafts included), one JSON record per line (`application/x-ndjson`), streamed: the server reads the database in batches, so the export of a large archive needs no more memory than that of a small one. `POST /v1/import` reads the same records back, here or on another server.',
        'The first line is a header (`{"type":"header","data":{"format","version","exportedAt","syncToken"}}`), then the authors, the images and the stories, each kind oldest first, then an end line with the counts (`{"type":"end","data":{"authors","images","articles"}}`): a file without it was cut short. Records refer to each other by id and hold every stored field, ids, slugs and dates included; a story\'s related links may point at stories later in the file.',
        'The export is not one snapshot: a change made while it runs may or may not be in it. The header\'s `syncToken` is from before the first read: `GET /v1/sync?syncToken=…` then returns every change made since, so a copy made from the export and that sync misses nothing.'
      ].join('\n\n'),
      querystring: ExportQuery,
      [routeHeadersKey]: { 200: ['Content-Disposition'] },
      response: {
        200: { description: 'The records, one per line', content: { 'application/x-ndjson': { schema: ExportLine } } },
        ...problemResponses(403)
      }
    }
  }, async (request, reply) => {
    const lines = fastify.services.bulkExport.lines(request.query.types)
    async function * ndjson (): AsyncGenerator<string> {
      for await (const line of lines) yield `${JSON.stringify(line)}\n`
    }
    return await reply
      .type('application/x-ndjson; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="export-${new Date().toISOString().slice(0, 10)}.ndjson"`)
      // A stream is sent as it comes (the 200's schema documents one line): the type provider expects one record.
      .send(Readable.from(ndjson()) as never)
  })
}

export default exportRoutes
