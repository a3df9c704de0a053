import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article } from '../../../schemas/article.ts'
import { documented, problemResponses } from '../../../schemas/common.ts'
import { ImportQuery, ImportRejected, ImportReport } from '../../../schemas/bulk.ts'
import { importRejected, unsupportedMediaType } from '../../../errors.ts'
import { writeContextOf } from '../../write-context.ts'
import { withVersionEtag } from '../../if-match.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'

/** Any JSON object: the ninjs 3.1 schema itself is applied by the service, so that its complaints are 422s naming the field. */
const NinjsDocument = z.record(z.string(), z.unknown()).meta({
  id: 'NinjsDocument',
  description: 'An IPTC ninjs 3.1 document (http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json); `uri` is required',
  examples: [{
    uri: 'urn:partner-wire:story:2026-11-26-0412',
    type: 'text',
    pubStatus: 'usable',
    language: 'en',
    slugline: 'harbour-crane-returns',
    located: 'PORT ELSING, Norland',
    headlines: [{ role: 'main', contentType: 'text/plain', value: 'Harbour crane returns to work after repairs' }],
    descriptions: [{ role: 'summary', contentType: 'text/plain', value: 'The port\'s largest crane lifted its first container in six weeks.' }],
    bodies: [{ role: 'main', contentType: 'text/html', value: '<p>The crane, rebuilt after a gearbox failure, lifted its first container at dawn.</p><figure data-association="image-1"><img src="https://images.example.org/crane.jpg" alt="A crane against a grey sky"></figure>' }],
    people: [{ name: 'Mara Lindqvist', rel: 'author' }],
    subjects: [{ name: 'Regional', rel: 'section' }, { name: 'Ports', rel: 'tag' }],
    associations: [{
      name: 'image-1',
      uri: 'urn:partner-wire:picture:8812',
      type: 'picture',
      by: 'Ines Varga',
      infoSources: [{ name: 'Continental Press', role: 'agency' }],
      renditions: [{ name: 'original', href: 'https://images.example.org/crane.jpg', width: 2000, height: 1333 }]
    }]
  }]
})

const NdjsonBody = z.string().meta({
  description: 'NDJSON: one record per line, as `GET /v1/export` writes them (see the BulkLine schema): `{"type":"author"|"image"|"article","data":{…}}`; header and end lines are skipped, blank lines ignored',
  examples: ['{"type":"author","data":{"id":"mara-lindqvist","name":"Mara Lindqvist","organization":"Continental Press"}}\n{"type":"article","data":{"id":"harbour-crane","headline":"Harbour crane returns to work","status":"published","bylines":[{"authorId":"mara-lindqvist"}],"body":[{"type":"paragraph","text":"The crane lifted its first container at dawn."}]}}\n']
})

const importRoutes: FastifyPluginAsyncZod = async function (fastify) {
  // NDJSON is read whole (every line is checked before any is written), up to IMPORT_BODY_LIMIT.
  fastify.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: fastify.config.IMPORT_BODY_LIMIT }, (_request, text, done) => {
    done(null, text)
  })

  fastify.post('/', {
    config: { access: 'admin', bodyLimitSetting: 'IMPORT_BODY_LIMIT', bodyMediaType: 'application/x-ndjson' },
    bodyLimit: fastify.config.IMPORT_BODY_LIMIT,
    schema: {
      tags: ['Import and export'],
      operationId: 'importContent',
      summary: 'Import NDJSON records (an export, or your own)',
      description: [
        'Creates or replaces authors, images and stories from NDJSON records, the format `GET /v1/export` writes: importing an export into an empty database gives the same content, ids, slugs and dates included. A record with the id of a stored item replaces it (PUT semantics: what the record leaves out is cleared; an absent `slug`, `createdAt` or `externalUri` keeps the stored one); one equal to what is stored is `unchanged` and writes nothing, so importing a file twice is safe. Nothing is deleted.',
        'Every line is checked before anything is written: its JSON, its fields, its slug and ids (free, and not on two lines), and what it refers to (authors, images and stories stored or on another good line of the body; a story linking to a bad line is bad too). Authors are written first, then images, then stories, whatever their order in the body. The answer reports every line: `created`, `replaced`, `unchanged`, `skipped` (header and end lines) or `failed` with its problem (code, detail and the fields), without stopping at the first bad line.',
        'By default each good line is written in its own transaction and bad lines are left out (200). With `atomic=true` it is all or nothing: one bad line and nothing is written (422 listing the bad lines); otherwise all lines are written in one transaction, during which other writes wait.',
        'Every write goes through the change log: stored public JSON, the sync feed and webhooks follow as for any edit. Send it with `Content-Type: application/x-ndjson`; at most IMPORT_BODY_LIMIT bytes.'
      ].join('\n\n'),
      consumes: ['application/x-ndjson'],
      querystring: ImportQuery,
      body: NdjsonBody,
      response: {
        200: documented(ImportReport, 'Done: every line with what became of it'),
        ...problemResponses(403),
        422: { description: 'All or nothing (`atomic=true`), and some lines cannot be imported: nothing was written', content: { 'application/problem+json': { schema: ImportRejected } } }
      }
    },
    // The JSON parser would hand this route an object: say what it takes instead.
    preValidation: async (request) => {
      if (!/^application\/x-ndjson\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
        throw unsupportedMediaType(`Send the records as NDJSON, one per line, with the header "Content-Type: application/x-ndjson" (this request sent ${request.headers['content-type'] ?? 'no content type'})`)
      }
    }
  }, async (request) => {
    const { report, rejected } = await fastify.services.bulkImport.importLines(request.body, { atomic: request.query.atomic }, writeContextOf(request))
    if (rejected) throw importRejected(report.lines.filter((line) => line.status === 'failed'))
    return report
  })

  fastify.post('/ninjs', {
    config: { access: 'write' },
    schema: {
      tags: ['Import and export'],
      operationId: 'importNinjs',
      summary: 'Import a story from ninjs 3.1',
      description: 'Creates a story from an IPTC ninjs 3.1 document, or updates the one imported before from the same `uri` (so sending a document again is safe). The document is checked against the official ninjs 3.1 schema: a 422 names each field it refuses. Headlines (`main`, `seo`), the `summary` description, the body (`text/html`, else `text/plain`), `people` (or `by`) as the byline (authors matched by exact name, else created), `subjects` (`section`, `tag`), `located`, `language`, `slugline`, `edNote` (the editors\' note), `pubStatus` (`usable`: published; otherwise a draft) and `embargoedUntil` (scheduled: the server publishes it then) are read; picture associations become images (matched by URL, else created, with caption, alt, credit line, photographer, agency, copyright notice and usage terms), the one named `lead-image` (else the first the body does not show) the lead image. Related links to a story we do not have, nor imported, are left out.',
      body: NinjsDocument,
      [routeHeadersKey]: { 200: ['ETag'], 201: ['ETag'] },
      response: {
        200: documented(Article, 'Updated: the story imported before from this uri, as now stored'),
        201: documented(Article, 'Created: the new story; its URL is in `Location`'),
        ...problemResponses([422, 'The document is not valid ninjs 3.1, or does not make a story (each field named in `errors`)'], [409, 'The slug is taken (SLUG_TAKEN), or the story imported before from this uri is in the trash (IN_TRASH): restore it or delete it for good first'])
      }
    }
  }, async (request, reply) => {
    const { article, created } = await fastify.services.ninjsImport.importNinjs(request.body, writeContextOf(request))
    withVersionEtag(reply, article)
    if (!created) return article
    return await reply.code(201).header('location', `/v1/articles/${article.id}`).send(article)
  })
}

export default importRoutes
