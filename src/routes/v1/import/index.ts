import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article } from '../../../schemas/article.ts'
import { documented, problemResponses } from '../../../schemas/common.ts'
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

const importRoutes: FastifyPluginAsyncZod = async function (fastify) {
  fastify.post('/ninjs', {
    config: { access: 'write' },
    schema: {
      tags: ['Import'],
      operationId: 'importNinjs',
      summary: 'Import a story from ninjs 3.1',
      description: 'Creates a story from an IPTC ninjs 3.1 document, or updates the one imported before from the same `uri` (so sending a document again is safe). The document is checked against the official ninjs 3.1 schema: a 422 names each field it refuses. Headlines (`main`, `seo`), the `summary` description, the body (`text/html`, else `text/plain`), `people` (or `by`) as the byline (authors matched by exact name, else created), `subjects` (`section`, `tag`), `located`, `language`, `slugline` and `pubStatus` (`usable`: published; otherwise a draft) are read; picture associations become images (matched by URL, else created, with caption, alt, credit line, photographer, agency, copyright notice and usage terms), the one named `lead-image` (else the first the body does not show) the lead image. Related links to a story we do not have, nor imported, are left out.',
      body: NinjsDocument,
      [routeHeadersKey]: { 200: ['ETag'], 201: ['ETag'] },
      response: {
        200: documented(Article, 'Updated: the story imported before from this uri, as now stored'),
        201: documented(Article, 'Created: the new story; its URL is in `Location`'),
        ...problemResponses([422, 'The document is not valid ninjs 3.1, or does not make a story (each field named in `errors`)'], 409)
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
