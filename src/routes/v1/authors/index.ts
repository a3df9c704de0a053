import { Author, AuthorCreate, AuthorListQuery, AuthorPage, AuthorReplace, AuthorUpdate } from '../../../schemas/author.ts'
import { crudRoutes } from '../../crud-routes.ts'

export default crudRoutes({
  tag: 'Authors',
  noun: 'author',
  basePath: '/v1/authors',
  schemas: { item: Author, page: AuthorPage, create: AuthorCreate, replace: AuthorReplace, update: AuthorUpdate, listQuery: AuthorListQuery },
  service: (fastify) => fastify.services.authors,
  descriptions: {
    get: 'One author by id.',
    list: 'Newest first, or by name (`sort`). Filter by the start of the name (`namePrefix`, any case) and by `organization`; `count=true` adds the number of matches. Page with `limit` and the `nextCursor` of the previous page.',
    create: 'The slug is derived from the name when omitted ("-2", "-3"… when taken); a slug that is asked for and taken is a 409.',
    replace: 'Replaces every field: omitted optional fields are cleared. An omitted slug keeps the current one.',
    update: 'Changes only the fields sent; `null` clears an optional field.',
    delete: 'An author still in a byline is not deleted: 409 names the articles. With `?force=true` the author is removed from those bylines in the same transaction.'
  },
  access: { read: 'read', write: 'write' },
  forceDelete: true,
  writeErrors: [409]
})
