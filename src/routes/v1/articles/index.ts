import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Article, ArticleCreate, ArticleListQuery, ArticlePage, ArticleReplace, ArticleUpdate, TranslationList } from '../../../schemas/article.ts'
import { articleBySlugSchema, readArticleBySlug } from '../article-by-slug/index.ts'
import { crudRoutes } from '../../crud-routes.ts'
import { IdParams, documented, problemResponses } from '../../../schemas/common.ts'
import bylineRoutes from './bylines.ts'
import revisionRoutes from './revisions.ts'
import relatedLinkRoutes from './related-links.ts'
import { IfMatchHeaders, preconditionOf, withVersionEtag } from '../../if-match.ts'
import { writeContextOf } from '../../write-context.ts'
import { routeHeadersKey } from '../../../openapi-document.ts'

const articleCrud = crudRoutes({
  tag: 'Articles',
  noun: 'article',
  basePath: '/v1/articles',
  schemas: { item: Article, page: ArticlePage, create: ArticleCreate, replace: ArticleReplace, update: ArticleUpdate, listQuery: ArticleListQuery },
  service: (fastify) => fastify.services.articles,
  descriptions: {
    get: 'One article by id, with bylines (authors embedded), lead image (with credit line) and body blocks in order. Image blocks embed the image; related links embed the linked article\'s current id, slug and headline.',
    list: 'Articles without their bodies (read one article for its body), with bylines and lead image embedded: the section, tag, author and latest-stories pages of a front end. Filter by `status`, `section`, `tag` (any or all of several), `authorId`, `language`, publication time (`publishedAfter` inclusive, `publishedBefore` exclusive) and `updatedSince`; every filter given must hold. Order with `sort` (by default latest publication first for published stories, newest created first for lists that include drafts); send only some fields of each item with `fields`; ask for the number of matches with `count=true`. Page with `limit` and the `nextCursor` of the previous page: keyset paging, so a page costs the same at any depth and stories added meanwhile never shift what you have not read. Read without a key (or with a reader key), a page is assembled from the stored public forms (drafts never appear) and carries a strong `ETag` (`If-None-Match` → 304) and a `Surrogate-Key` that includes `articles`.',
    create: 'Stores the article, its bylines and its body in one transaction. The slug is derived from the headline when omitted. Ids of authors, images and linked articles must exist (422 names each that does not).',
    replace: 'Replaces the whole article: omitted optional fields are cleared (no bylines, empty body, status draft). An omitted slug keeps the current one.',
    update: 'Changes only the fields sent; `bylines`, `body` and `tags` are replaced whole when sent. Publishing sets `publishedAt` the first time only.',
    delete: 'Moves the article to the trash, as it is (bylines, body, slug, old slugs, revisions kept): a published story leaves the public at once (its public form, lists, feeds; sync and webhooks see a deletion), and related links to it in other stories stop resolving (left out of what readers see, as links to drafts are). Staff no longer find it either (404) but at `GET /v1/trash`; `POST /v1/articles/{id}/restore` puts it back, and the server deletes it for good after TRASH_RETENTION_DAYS. With `?permanent=true` (admin keys only; a trashed article too) it is deleted for good at once, with its bylines and body, and related links to it in other articles are removed in the same transaction.'
  },
  storedForPublic: (fastify) => fastify.services.publicArticles.byId,
  storedListForPublic: (fastify) => fastify.services.publicArticles.list,
  access: { read: 'read', write: 'write' },
  forceDelete: false,
  trash: true,
  writeErrors: [409, 422]
})

const articleRoutes: FastifyPluginAsyncZod = async function (fastify) {
  await fastify.register(articleCrud)

  fastify.get('/slug/:slug', {
    config: { access: 'read', storedRead: 'by-slug' },
    schema: {
      tags: ['Articles'],
      operationId: 'getArticleBySlugDeprecated',
      summary: 'Get an article by slug (old path)',
      description: 'Deprecated: use `GET /v1/article-by-slug/{slug}`, which answers the same. This path is kept for existing callers; it reads ambiguously next to `/v1/articles/{id}/bylines`.',
      deprecated: true,
      ...articleBySlugSchema
    }
  }, readArticleBySlug(fastify))

  fastify.get('/:id/preview', {
    config: { access: 'read:drafts' },
    schema: {
      tags: ['Articles'],
      operationId: 'previewArticle',
      summary: 'Preview an article as the public will see it',
      description: 'A draft, scheduled or archived story (or a published one) exactly as a reader without a key would receive it once published: rendered by the same code that renders the stored public JSON, so related links to stories that are not published are left out and authors show no contact details. `publishedAt` is the story\'s own, else its `scheduledAt`, else now.',
      params: IdParams,
      response: { 200: documented(Article, 'The public JSON the story would have once published'), ...problemResponses(403, 404) }
    }
  }, async (request, reply) => {
    // Sent as rendered (the bytes the stored form would have), not serialised again: the type provider expects an object.
    return await reply.type('application/json; charset=utf-8').send(await fastify.services.articles.preview(request.params.id) as never)
  })

  fastify.get('/:id/translations', {
    config: { access: 'read' },
    schema: {
      tags: ['Articles'],
      operationId: 'listTranslations',
      summary: 'List an article\'s other language versions',
      description: 'The other versions of the story (its translation group), by language: what a language switcher offers. Without a key, published versions only; a draft\'s list is a 404 like the draft itself. Every article representation carries the same list as `translations`.',
      params: IdParams,
      response: { 200: TranslationList, ...problemResponses(404) }
    }
  }, async (request) => ({ data: (await fastify.services.articles.get(request.params.id, { includeDrafts: request.canReadDrafts })).translations }))

  fastify.post('/:id/restore', {
    config: { access: 'write' },
    schema: {
      tags: ['Articles'],
      operationId: 'restoreArticleFromTrash',
      summary: 'Take an article out of the trash',
      description: 'Puts a trashed article back as it was: a published story is public again (its public form rendered, related links to it in other stories resolve again; sync and webhooks see it published). A change of its own: a new version and revision (`restored`). 404 when the article is not in the trash. Send the `If-Match` of the version listed at `GET /v1/trash` to restore only that version.',
      params: IdParams,
      headers: IfMatchHeaders,
      [routeHeadersKey]: { 200: ['ETag'] },
      response: { 200: documented(Article, 'The article, out of the trash'), ...problemResponses(404, 412, 428) }
    }
  }, async (request, reply) => withVersionEtag(reply, await fastify.services.articles.restoreFromTrash(request.params.id, writeContextOf(request), preconditionOf(request, request.params.id))))

  await fastify.register(bylineRoutes)
  await fastify.register(revisionRoutes)
  await fastify.register(relatedLinkRoutes)
}

export default articleRoutes
