import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article } from '../../../schemas/article.ts'
import { IdParams, documented, problemResponses } from '../../../schemas/common.ts'
import { DiffQuery, Revision, RevisionDiff, RevisionListQuery, RevisionPage, RevisionParams } from '../../../schemas/revision.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'
import { writeContextOf } from '../../write-context.ts'
import { IfMatchHeaders, preconditionOf, withVersionEtag } from '../../if-match.ts'

// An article's history. Every change to its own content stores a revision in
// the change's transaction (services/write-path.ts): edits, bylines, related
// links, publication, restores, and what another write takes off it.
const revisionRoutes: FastifyPluginAsyncZod = async function (fastify) {
  const { revisions } = fastify.services

  fastify.get('/:id/revisions', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Revisions'],
      operationId: 'listRevisions',
      summary: 'List an article\'s revisions',
      description: 'Newest first: each revision\'s version, what made it (`action`), who (`apiKeyId`, null for the server) and when, and the change log position of that change. Read one for its content.',
      params: IdParams,
      querystring: RevisionListQuery,
      response: { 200: RevisionPage, ...problemResponses(403, 404) }
    }
  }, async (request) => await revisions.list(request.params.id, request.query))

  fastify.get('/:id/revisions/:version', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Revisions'],
      operationId: 'getRevision',
      summary: 'Get one revision of an article',
      description: 'The article as it was at that version: every stored field, with authors, images and linked stories referred to by id.',
      params: RevisionParams,
      response: { 200: Revision, ...problemResponses(403, 404) }
    }
  }, async (request) => await revisions.get(request.params.id, request.params.version))

  fastify.get('/:id/revisions/:version/diff', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Revisions'],
      operationId: 'diffRevisions',
      summary: 'What changed between two revisions',
      description: 'Field by field, from revision `from` (by default the one before) to this one: every field but the body whose value differs, with both values; and the body compared as a list of blocks, matched by id: `added`, `removed`, `changed` (its content), `moved` (its place among the blocks both keep; inserting a block moves nothing else).',
      params: RevisionParams,
      querystring: DiffQuery,
      response: { 200: RevisionDiff, ...problemResponses(403, 404) }
    }
  }, async (request) => await revisions.diff(request.params.id, request.params.version, request.query))

  fastify.get('/:id/revisions/:version/preview', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Revisions'],
      operationId: 'previewRevision',
      summary: 'Preview a revision as the public would see it',
      description: 'The revision\'s content as a reader without a key would receive it published, rendered by the code that renders the stored public JSON, with the authors, images and linked stories it names as they are now (a link to a story that is not published is left out, as for readers). `publishedAt` is the revision\'s, else its `scheduledAt`, else now. One it names that has been deleted since is a 422.',
      params: RevisionParams,
      response: { 200: documented(Article, 'The public JSON the revision would have published'), ...problemResponses(403, 404, 422) }
    }
  }, async (request, reply) => {
    // Sent as rendered, not serialised again: the type provider expects an object.
    return await reply.type('application/json; charset=utf-8').send(await revisions.preview(request.params.id, request.params.version) as never)
  })

  fastify.post('/:id/revisions/:version/restore', {
    config: { access: 'write' },
    schema: {
      tags: ['Revisions'],
      operationId: 'restoreRevision',
      summary: 'Restore an article to an earlier revision',
      description: 'Puts back the revision\'s content: headline, SEO title, dek, section, tags, dateline, language, lead image, bylines, body (blocks keep their ids), corrections, editors\' note and displayed update time. The slug and the publication state (status, dates) stay as they are now. The restore is itself a change, and a new revision. An author, image or linked story deleted since is a 422 naming it. `If-Match` takes the article\'s `ETag`.',
      params: RevisionParams,
      headers: IfMatchHeaders,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: documented(Article, 'The article as now stored, with its new version'), ...problemResponses(403, 404, 412, 422, 428) }
    }
  }, async (request, reply) => {
    const { id, version } = request.params
    return withVersionEtag(reply, await revisions.restore(id, version, writeContextOf(request), preconditionOf(request, id)))
  })
}

export default revisionRoutes
