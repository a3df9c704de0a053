import type { Db } from '../db/client.ts'
import { authorColumns, toAuthor } from '../db/author-mapper.ts'
import { linkTargetSelect } from '../db/article-mapper.ts'
import { raw, readerOf, sql, type Sql } from '../db/client.ts'
import { containsText, countSql, keysetPage, listOrder, pageSql, readCount } from '../db/list-sql.ts'
import type { WriteMode } from '../db/write-mode.ts'
import { notFound } from '../errors.ts'
import type { Author, AuthorCreate, AuthorListQuery, AuthorUpdate } from '../schemas/author.ts'
import type { CountedPage } from '../schemas/common.ts'
import { withSlugConflict, writeWithFreeSlug } from './slug.ts'
import { deleteUnlessUsed } from './article-usage.ts'
import { everything, type ReadScope } from './read-scope.ts'
import type { WriteContext, WritePath } from './write-path.ts'
import { checkVersion, unconditional, type Precondition } from './version-check.ts'

export function createAuthorService ({ prisma, writes }: { prisma: Db, writes: WritePath }) {
  async function findRow (id: string) {
    const row = await prisma.author.findUnique({ where: { id } })
    if (row === null) throw notFound('Author', id)
    return row
  }

  const takenWithPrefix = async (prefix: string): Promise<string[]> =>
    (await prisma.author.findMany({ where: { slug: { startsWith: prefix } }, select: { slug: true } })).map((row) => row.slug)

  async function save (id: string, input: AuthorUpdate, mode: WriteMode, context: WriteContext, precondition: Precondition): Promise<Author> {
    // The slug only changes when asked to, so an edit never moves a URL.
    const row = await withSlugConflict('author', input.slug, async () => await writes.write(context, async ({ tx, record }) => {
      const current = await tx.author.findUnique({ where: { id }, select: { version: true } })
      if (current === null) throw notFound('Author', id)
      checkVersion('Author', id, { version: current.version, published: false }, precondition)
      const updated = await tx.author.update({ where: { id }, data: { ...authorColumns(input, mode), slug: input.slug, version: { increment: 1 } } })
      record({ resource: 'author', resourceId: id, action: mode === 'replace' ? 'replaced' : 'updated' })
      return updated
    }))
    return toAuthor(row)
  }

  return {
    /** Newest first by default; by name in byte order (the column is COLLATE "C" on PostgreSQL). */
    async list (query: AuthorListQuery, scope: ReadScope): Promise<CountedPage<Author>> {
      const sort = query.sort ?? '-createdAt'
      const column = sort.replace(/^-/, '') as 'createdAt' | 'name'
      const order = listOrder(sort, { field: column, kind: column === 'name' ? 'string' : 'date' }, { namePrefix: query.namePrefix, organization: query.organization })
      const where: Sql[] = [
        ...(query.namePrefix !== undefined ? [containsText(raw('m."name"'), query.namePrefix, { prefix: true })] : []),
        ...(query.organization !== undefined ? [sql`m."organization" = ${query.organization}`] : [])
      ]
      const list = { select: raw(`m."id", m."${column}"`), from: raw('"Author" m'), where, keyColumns: [raw(`m."${column}"`), raw('m."id"')] }
      const reader = readerOf(prisma)
      const { rows, nextCursor } = await keysetPage(reader, order, query.limit, (take) => pageSql(list, order, query.cursor, take),
        async (ids) => await reader.author.findMany({ where: { id: { in: ids } } }))
      return {
        data: rows.map((row) => toAuthor(row, scope)),
        nextCursor,
        ...(query.count === true && { totalCount: await readCount(reader, countSql(list)) })
      }
    },

    async get (id: string, scope: ReadScope = everything): Promise<Author> {
      return toAuthor(await findRow(id), scope)
    },

    async getBySlug (slug: string): Promise<Author> {
      const row = await prisma.author.findUnique({ where: { slug } })
      if (row === null) throw notFound('Author', `with slug "${slug}"`)
      return toAuthor(row)
    },

    async create (input: AuthorCreate, context: WriteContext): Promise<Author> {
      const row = await writeWithFreeSlug({
        requested: input.slug,
        derivedFrom: input.name,
        fallback: 'author',
        resource: 'author',
        takenWithPrefix,
        write: async (slug) => await writes.write(context, async ({ tx, record }) => {
          const created = await tx.author.create({ data: { ...authorColumns(input, 'replace'), name: input.name, slug } })
          record({ resource: 'author', resourceId: created.id, action: 'created' })
          return created
        })
      })
      return toAuthor(row)
    },

    /** PUT: absent optional fields are cleared; an absent slug is kept. */
    async replace (id: string, input: AuthorCreate, context: WriteContext, precondition = unconditional): Promise<Author> {
      return await save(id, input, 'replace', context, precondition)
    },

    async update (id: string, input: AuthorUpdate, context: WriteContext, precondition = unconditional): Promise<Author> {
      return await save(id, input, 'patch', context, precondition)
    },

    /**
     * An author still in a byline is not deleted (409 naming the articles)
     * unless `force`: then the bylines go too, in the same transaction.
     */
    async remove (id: string, { force }: { force: boolean }, context: WriteContext, precondition = unconditional): Promise<void> {
      await deleteUnlessUsed(writes, context, {
        resource: 'Author',
        id,
        version: async (tx) => (await tx.author.findUnique({ where: { id }, select: { version: true } }))?.version ?? null,
        usedBy: async (tx) => (await tx.byline.findMany({ where: { authorId: id }, select: { article: { select: linkTargetSelect } } })).map((use) => use.article),
        detach: async (tx) => { await tx.byline.deleteMany({ where: { authorId: id } }) },
        remove: async (tx) => { await tx.author.delete({ where: { id } }) }
      }, force, precondition)
    }
  }
}

export type AuthorService = ReturnType<typeof createAuthorService>
