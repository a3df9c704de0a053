import { columnValue, type WriteMode } from './write-mode.ts'
import type { Author as AuthorRow } from '../generated/sqlite/client.ts'
import type { Author, AuthorCreate, AuthorUpdate } from '../schemas/author.ts'
import { everything, seesContactDetails, type ReadScope } from '../services/read-scope.ts'

/** The author as `scope` may see it: contact details for the newsroom only. */
export function toAuthor (row: AuthorRow, scope: ReadScope = everything): Author {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    title: row.title,
    organization: row.organization,
    bio: row.bio,
    ...(seesContactDetails(scope) && { email: row.email }),
    url: row.url,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

/** Columns from a create/replace (absent → null) or a patch (absent → untouched). */
export function authorColumns (input: AuthorCreate | AuthorUpdate, mode: WriteMode) {
  const pick = <T>(value: T | undefined): T | null | undefined => columnValue(value, mode)
  return {
    ...(input.name !== undefined && { name: input.name }),
    title: pick(input.title),
    organization: pick(input.organization),
    bio: pick(input.bio),
    email: pick(input.email),
    url: pick(input.url)
  }
}
