import type { Db } from '../db/client.ts'
import { linkTargetSelect } from '../db/article-mapper.ts'
import { imageColumns, toImage } from '../db/image-mapper.ts'
import { raw, readerOf, sql, type Sql } from '../db/client.ts'
import { containsText, countSql, keysetPage, listOrder, pageSql, readCount } from '../db/list-sql.ts'
import type { WriteMode } from '../db/write-mode.ts'
import { notFound } from '../errors.ts'
import type { CountedPage } from '../schemas/common.ts'
import type { Image, ImageCreate, ImageListQuery, ImageUpdate } from '../schemas/image.ts'
import { deleteUnlessUsed } from './article-usage.ts'
import type { WriteContext, WritePath } from './write-path.ts'
import { checkVersion, unconditional, type Precondition } from './version-check.ts'

export function createImageService ({ prisma, writes }: { prisma: Db, writes: WritePath }) {
  async function save (id: string, input: ImageUpdate, mode: WriteMode, context: WriteContext, precondition: Precondition): Promise<Image> {
    return toImage(await writes.write(context, async ({ tx, record }) => {
      const current = await tx.image.findUnique({ where: { id }, select: { version: true } })
      if (current === null) throw notFound('Image', id)
      checkVersion('Image', id, { version: current.version, published: false }, precondition)
      const updated = await tx.image.update({ where: { id }, data: { ...imageColumns(input, mode), version: { increment: 1 } } })
      record({ resource: 'image', resourceId: id, action: mode === 'replace' ? 'replaced' : 'updated' })
      return updated
    }))
  }

  return {
    async list (query: ImageListQuery): Promise<CountedPage<Image>> {
      const sort = query.sort ?? '-createdAt'
      const order = listOrder(sort, { field: 'createdAt', kind: 'date' }, { photographer: query.photographer, agency: query.agency, caption: query.caption })
      const where: Sql[] = [
        ...(query.photographer !== undefined ? [sql`m."creditPhotographer" = ${query.photographer}`] : []),
        ...(query.agency !== undefined ? [sql`m."creditAgency" = ${query.agency}`] : []),
        ...(query.caption !== undefined ? [sql`(${containsText(raw('m."caption"'), query.caption)} OR ${containsText(raw('m."alt"'), query.caption)})`] : [])
      ]
      const list = { select: raw('m."id", m."createdAt"'), from: raw('"Image" m'), where, keyColumns: [raw('m."createdAt"'), raw('m."id"')] }
      const reader = readerOf(prisma)
      const { rows, nextCursor } = await keysetPage(reader, order, query.limit, (take) => pageSql(list, order, query.cursor, take),
        async (ids) => await reader.image.findMany({ where: { id: { in: ids } } }))
      return {
        data: rows.map(toImage),
        nextCursor,
        ...(query.count === true && { totalCount: await readCount(reader, countSql(list)) })
      }
    },

    async get (id: string): Promise<Image> {
      const row = await prisma.image.findUnique({ where: { id } })
      if (row === null) throw notFound('Image', id)
      return toImage(row)
    },

    async create (input: ImageCreate, context: WriteContext): Promise<Image> {
      return toImage(await writes.write(context, async ({ tx, record }) => {
        const created = await tx.image.create({ data: { ...imageColumns(input, 'replace'), url: input.url } })
        record({ resource: 'image', resourceId: created.id, action: 'created' })
        return created
      }))
    },

    async replace (id: string, input: ImageCreate, context: WriteContext, precondition = unconditional): Promise<Image> {
      return await save(id, input, 'replace', context, precondition)
    },

    async update (id: string, input: ImageUpdate, context: WriteContext, precondition = unconditional): Promise<Image> {
      return await save(id, input, 'patch', context, precondition)
    },

    /**
     * An image that is an article's lead image or sits in a body is not deleted
     * (409 naming the articles) unless `force`: then it is taken off those
     * articles (lead image cleared, image blocks removed) in the same transaction.
     */
    async remove (id: string, { force }: { force: boolean }, context: WriteContext, precondition = unconditional): Promise<void> {
      await deleteUnlessUsed(writes, context, {
        resource: 'Image',
        id,
        version: async (tx) => (await tx.image.findUnique({ where: { id }, select: { version: true } }))?.version ?? null,
        usedBy: async (tx) => [
          ...await tx.article.findMany({ where: { leadImageId: id }, select: linkTargetSelect }),
          ...(await tx.bodyBlock.findMany({ where: { imageId: id }, select: { article: { select: linkTargetSelect } } })).map((block) => block.article)
        ],
        detach: async (tx) => {
          await tx.article.updateMany({ where: { leadImageId: id }, data: { leadImageId: null } })
          await tx.bodyBlock.deleteMany({ where: { imageId: id } })
        },
        remove: async (tx) => { await tx.image.delete({ where: { id } }) }
      }, force, precondition)
    }
  }
}

export type ImageService = ReturnType<typeof createImageService>
