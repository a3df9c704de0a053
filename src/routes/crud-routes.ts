// The five routes every resource has (list, create, read, replace, update,
// delete), declared once. Each resource folder states its schemas, texts and
// service; anything beyond CRUD stays in the resource's own folder.
import { z } from 'zod'
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { DeleteQuery, IdParams, problemResponses, type Page } from '../schemas/common.ts'
import type { Access } from '../plugins/app/access.ts'
import type { ReadScope } from '../services/read-scope.ts'
import type { WriteContext } from '../services/write-path.ts'
import { writeContextOf } from './write-context.ts'
import { ConditionalReadHeaders, articleInFormats, notModified, readArticle, sendStored, storedListHeaders, storedReadHeaders } from './stored-representation.ts'
import { FormatQuery } from '../schemas/formats.ts'
import type { Article } from '../schemas/article.ts'
import { negotiatedFormat } from '../formats/negotiation.ts'
import { routeHeadersKey } from '../openapi-document.ts'
import { forbidden, notFound } from '../errors.ts'
import { ArticleDeleteQuery } from '../schemas/trash.ts'
import type { CachedArticle, CachedList } from '../services/public-cache.ts'
import type { Precondition } from '../services/version-check.ts'
import { IfMatchHeaders, preconditionOf, withVersionEtag } from './if-match.ts'

/** What every resource here is: an id, and a version its writes can be conditional on (see if-match.ts). */
type Versioned = { id: string, version: number }

export interface CrudService<Item, Create, Update, ListQuery> {
  /** Pages of items as `schemas.page` lists them (articles without their bodies, say). */
  list: (query: ListQuery, scope: ReadScope) => Promise<Page<{ id: string }>>
  get: (id: string, scope: ReadScope) => Promise<Item>
  create: (input: Create, context: WriteContext) => Promise<Item>
  replace: (id: string, input: Create, context: WriteContext, precondition: Precondition) => Promise<Item>
  update: (id: string, input: Update, context: WriteContext, precondition: Precondition) => Promise<Item>
  remove: (id: string, options: { force: boolean, permanent?: boolean }, context: WriteContext, precondition: Precondition) => Promise<void>
}

export interface CrudDefinition<
  Item extends z.ZodType<Versioned>,
  Create extends z.ZodType,
  Update extends z.ZodType,
  ListQuery extends z.ZodType
> {
  /** OpenAPI tag, e.g. "Authors". */
  tag: string
  /** "author": used in summaries and operation ids. */
  noun: string
  /** Where the folder is mounted, for Location headers: "/v1/authors". */
  basePath: string
  schemas: { item: Item, page: z.ZodType, create: Create, replace: Create, update: Update, listQuery: ListQuery }
  service: (fastify: FastifyInstance) => CrudService<z.output<Item>, z.output<Create>, z.output<Update>, z.output<ListQuery>>
  descriptions: { list: string, get: string, create: string, replace: string, update: string, delete: string }
  /** Whether DELETE takes ?force=true (the resource can be in use by articles). */
  forceDelete: boolean
  /**
   * Whether DELETE moves the item to a trash, and takes ?permanent=true
   * (admin keys only) to delete it for good instead.
   */
  trash?: boolean
  /** Extra error statuses writes can answer, e.g. 409 for slugs, 422 for references. */
  writeErrors: number[]
  /**
   * For resources with stored public representations (articles): how a reader
   * who may not see drafts gets one by id; served as stored, with its ETag.
   * A read by id then also answers in the other formats (`?format=`, see
   * formats/negotiation.ts).
   */
  storedForPublic?: (fastify: FastifyInstance) => (id: string) => Promise<CachedArticle | null>
  /** The same for list pages: how a reader who may not see drafts gets one, as stored. */
  storedListForPublic?: (fastify: FastifyInstance) => (query: z.output<ListQuery>) => Promise<CachedList>
  /** Access levels (see plugins/app/access.ts) for reading and for writing. */
  access: { read: Access, write: Access }
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

export function crudRoutes<
  Item extends z.ZodType<Versioned>,
  Create extends z.ZodType,
  Update extends z.ZodType,
  ListQuery extends z.ZodType
> (definition: CrudDefinition<Item, Create, Update, ListQuery>): FastifyPluginAsyncZod {
  const { tag, noun, schemas, descriptions } = definition
  const Noun = capitalize(noun)
  const a = /^[aeiou]/.test(noun) ? 'an' : 'a'
  const tags = [tag]
  // Typed loosely here: the service signatures above already tie inputs and outputs to the schemas.
  const item: z.ZodType = schemas.item
  const read = { access: definition.access.read }
  const write = { access: definition.access.write }
  // PUT, PATCH and DELETE can be made conditional on the version the client has seen.
  const conditional = { headers: IfMatchHeaders }
  const preconditionErrors = [412, 428]
  // Answers with the resource as stored carry its version's ETag.
  const withEtag = (status: number) => ({ [routeHeadersKey]: { [status]: ['ETag'] } })

  return async function routes (fastify) {
    const service = definition.service(fastify)

    const storedListForPublic = definition.storedListForPublic?.(fastify)
    fastify.get('/', {
      config: { ...read, ...(storedListForPublic !== undefined && { storedRead: 'list' as const }) },
      schema: {
        tags, operationId: `list${Noun}s`, summary: `List ${noun}s`, description: descriptions.list,
        querystring: schemas.listQuery,
        ...(storedListForPublic !== undefined && { headers: ConditionalReadHeaders, [routeHeadersKey]: { 200: storedListHeaders, 304: storedListHeaders } }),
        response: { 200: schemas.page, ...(storedListForPublic !== undefined && { 304: notModified }) }
      }
    }, async (request, reply) => {
      const query = request.query as z.output<ListQuery>
      if (storedListForPublic === undefined || request.canReadDrafts) return await service.list(query, { includeDrafts: request.canReadDrafts })
      return await sendStored(request, reply, await storedListForPublic(query))
    })

    fastify.post('/', {
      config: write,
      schema: {
        tags, operationId: `create${Noun}`, summary: `Create ${a} ${noun}`, description: descriptions.create,
        body: schemas.create,
        ...withEtag(201),
        response: { 201: item, ...problemResponses(...definition.writeErrors) }
      }
    }, async (request, reply) => {
      const created = await service.create(request.body as z.output<Create>, writeContextOf(request))
      return await reply.code(201).header('location', `${definition.basePath}/${created.id}`).send(withVersionEtag(reply, created))
    })

    const storedForPublic = definition.storedForPublic?.(fastify)
    fastify.get('/:id', {
      config: { ...read, ...(storedForPublic !== undefined && { storedRead: 'by-id' as const }) },
      schema: {
        tags, operationId: `get${Noun}`, summary: `Get ${a} ${noun}`, description: descriptions.get,
        params: IdParams,
        ...(storedForPublic === undefined ? withEtag(200) : { querystring: FormatQuery, headers: ConditionalReadHeaders, [routeHeadersKey]: { 200: storedReadHeaders, 304: storedReadHeaders } }),
        response: { 200: storedForPublic === undefined ? item : articleInFormats(item), ...(storedForPublic !== undefined && { 304: notModified }), ...problemResponses(404) }
      }
    }, async (request, reply) => {
      const live = async () => await service.get(request.params.id, { includeDrafts: request.canReadDrafts })
      if (storedForPublic === undefined) {
        const found = await live()
        // The version is what staff send back in If-Match; what the public reads (no contact details) is not what they write.
        return request.canReadDrafts ? withVersionEtag(reply, found) : found
      }
      return await readArticle(request, reply, {
        format: negotiatedFormat((request.query as FormatQuery).format, request.headers.accept),
        live: async () => await live() as Article,
        stored: async () => await storedForPublic(request.params.id),
        missing: () => notFound(Noun, request.params.id)
      })
    })

    fastify.put('/:id', {
      config: write,
      schema: {
        tags, operationId: `replace${Noun}`, summary: `Replace ${a} ${noun}`, description: descriptions.replace,
        params: IdParams,
        ...conditional,
        body: schemas.replace,
        ...withEtag(200),
        response: { 200: item, ...problemResponses(404, ...preconditionErrors, ...definition.writeErrors) }
      }
    }, async (request, reply) => withVersionEtag(reply, await service.replace(request.params.id, request.body as z.output<Create>, writeContextOf(request), preconditionOf(request, request.params.id))))

    fastify.patch('/:id', {
      config: write,
      schema: {
        tags, operationId: `update${Noun}`, summary: `Update part of ${a} ${noun}`, description: descriptions.update,
        params: IdParams,
        ...conditional,
        body: schemas.update,
        ...withEtag(200),
        response: { 200: item, ...problemResponses(404, ...preconditionErrors, ...definition.writeErrors) }
      }
    }, async (request, reply) => withVersionEtag(reply, await service.update(request.params.id, request.body as z.output<Update>, writeContextOf(request), preconditionOf(request, request.params.id))))

    fastify.delete('/:id', {
      config: write,
      schema: {
        tags, operationId: `delete${Noun}`, summary: `Delete ${a} ${noun}`, description: descriptions.delete,
        params: IdParams,
        ...(definition.forceDelete && { querystring: DeleteQuery }),
        ...(definition.trash === true && { querystring: ArticleDeleteQuery }),
        ...conditional,
        response: {
          204: z.undefined().describe(definition.trash === true ? 'Moved to the trash (deleted for good with `?permanent=true`)' : 'Deleted'),
          ...problemResponses(404, ...preconditionErrors, ...(definition.forceDelete ? [[409, `The ${noun} is still used by articles (\`usedBy\` names them): remove it from them, or delete with \`?force=true\``] as [number, string]] : [])),
          ...(definition.trash === true && problemResponses([403, 'The key may not do this: `?permanent=true` needs an admin key']))
        }
      }
    }, async (request, reply) => {
      const force = definition.forceDelete && (request.query as z.output<typeof DeleteQuery>).force
      const permanent = definition.trash === true && (request.query as z.output<typeof ArticleDeleteQuery>).permanent
      // Editors may trash (and restore); only admins may delete for good.
      if (permanent && request.actor.role !== 'admin') throw forbidden(`Deleting ${a} ${noun} for good (?permanent=true) needs an admin key; without it, it goes to the trash`)
      await service.remove(request.params.id, { force, permanent }, writeContextOf(request), preconditionOf(request, request.params.id))
      return await reply.code(204).send()
    })
  }
}
