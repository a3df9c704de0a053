import type { Db } from '../db/client.ts'
import { linkTargetSelect } from '../db/article-mapper.ts'
import { imageColumns, toImage } from '../db/image-mapper.ts'
import { newestFirst, pageBy } from '../db/pagination.ts'
import { whenFound } from '../db/prisma-errors.ts'
import type { WriteMode } from '../db/write-mode.ts'
import { notFound } from '../errors.ts'
import type { ListQuery, Page } from '../schemas/common.ts'
import type { Image, ImageCreate, ImageUpdate } from '../schemas/image.ts'
import { deleteUnlessUsed } from './article-usage.ts'

export function createImageService ({ prisma }: { prisma: Db }) {
  async function save (id: string, input: ImageUpdate, mode: WriteMode): Promise<Image> {
    return toImage(await whenFound('Image', id, async () => await prisma.image.update({ where: { id }, data: imageColumns(input, mode) })))
  }

  return {
    async list (query: ListQuery): Promise<Page<Image>> {
      return await pageBy(newestFirst, query.limit, async (take) => await prisma.image.findMany({
        where: newestFirst.after(query.cursor), orderBy: newestFirst.orderBy, take
      }), toImage)
    },

    async get (id: string): Promise<Image> {
      const row = await prisma.image.findUnique({ where: { id } })
      if (row === null) throw notFound('Image', id)
      return toImage(row)
    },

    async create (input: ImageCreate): Promise<Image> {
      return toImage(await prisma.image.create({ data: { ...imageColumns(input, 'replace'), url: input.url } }))
    },

    async replace (id: string, input: ImageCreate): Promise<Image> {
      return await save(id, input, 'replace')
    },

    async update (id: string, input: ImageUpdate): Promise<Image> {
      return await save(id, input, 'patch')
    },

    /**
     * An image that is an article's lead image or sits in a body is not deleted
     * (409 naming the articles) unless `force`: then it is taken off those
     * articles (lead image cleared, image blocks removed) in the same transaction.
     */
    async remove (id: string, { force }: { force: boolean }): Promise<void> {
      await deleteUnlessUsed(prisma, {
        resource: 'Image',
        id,
        exists: async (tx) => await tx.image.count({ where: { id } }) > 0,
        usedBy: async (tx) => [
          ...await tx.article.findMany({ where: { leadImageId: id }, select: linkTargetSelect }),
          ...(await tx.bodyBlock.findMany({ where: { imageId: id }, select: { article: { select: linkTargetSelect } } })).map((block) => block.article)
        ],
        detach: async (tx) => {
          await tx.article.updateMany({ where: { leadImageId: id }, data: { leadImageId: null } })
          await tx.bodyBlock.deleteMany({ where: { imageId: id } })
        },
        remove: async (tx) => { await tx.image.delete({ where: { id } }) }
      }, force)
    }
  }
}

export type ImageService = ReturnType<typeof createImageService>
