import { Image, ImageCreate, ImageListQuery, ImagePage, ImageReplace, ImageUpdate } from '../../../schemas/image.ts'
import { crudRoutes } from '../../crud-routes.ts'

export default crudRoutes({
  tag: 'Images',
  noun: 'image',
  basePath: '/v1/images',
  schemas: { item: Image, page: ImagePage, create: ImageCreate, replace: ImageReplace, update: ImageUpdate, listQuery: ImageListQuery },
  service: (fastify) => fastify.services.images,
  descriptions: {
    get: 'One image with its credit and `creditLine`.',
    list: 'Newest first, or oldest first (`sort`). Filter by credit (`photographer`, `agency`) and by words in the caption or alt text (`caption`, any case); `count=true` adds the number of matches. Page with `limit` and the `nextCursor` of the previous page.',
    create: 'Registers a picture served from `url`, with its caption and credit. Responses add `creditLine`, the credit as a reader sees it.',
    replace: 'Replaces every field: omitted optional fields (and credit parts) are cleared.',
    update: 'Changes only the fields sent; `null` clears one. A partial `credit` changes only the parts it names.',
    delete: 'An image used as a lead image or in a body is not deleted: 409 names the articles. With `?force=true` it is taken off those articles (lead image cleared, image blocks removed) in the same transaction.'
  },
  access: { read: 'read:drafts', write: 'write' },
  forceDelete: true,
  writeErrors: []
})
