import { z } from 'zod'
import { CountParam, HttpUrl, Id, ListQuery, Slug, Timestamp, countedPageOf, optionalText, readOnly, versionField } from './common.ts'

export const Author = z.object({
  id: Id,
  slug: Slug,
  name: z.string(),
  title: z.string().nullable(),
  organization: z.string().nullable(),
  bio: z.string().nullable(),
  email: z.string().nullable().optional().meta({ description: 'Contact address: only in answers to editor, integrator and admin keys, never to the public or reader keys' }),
  url: z.string().nullable(),
  version: versionField('the author'),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).meta({ id: 'Author', description: 'A person who appears in bylines' })
export type Author = z.infer<typeof Author>

export const authorFields = {
  name: z.string().trim().min(1).max(200).meta({ description: 'Full name as printed in the byline' }),
  slug: Slug.optional().meta({ description: 'Derived from the name when omitted' }),
  title: optionalText(200, 'Job title, e.g. "Staff Writer"'),
  organization: optionalText(200, 'Organisation, e.g. a wire service'),
  bio: optionalText(5000, 'Short biography'),
  email: z.email().max(320).nullable().optional(),
  url: HttpUrl.nullable().optional().meta({ description: 'Profile page' }),
  // What a GET adds: a response can be edited and sent back as it is.
  id: readOnly(Id),
  version: readOnly(z.number().int()),
  createdAt: readOnly(Timestamp),
  updatedAt: readOnly(Timestamp)
}

const authorExample = {
  name: 'Mara Lindqvist',
  title: 'Correspondent',
  organization: 'Continental Press',
  bio: 'Covers transport and infrastructure from the northern bureau.',
  email: 'mlindqvist@example.org'
}

export const AuthorCreate = z.strictObject(authorFields)
  .meta({ id: 'AuthorCreate', examples: [authorExample] })
export type AuthorCreate = z.infer<typeof AuthorCreate>

/** PUT: the full author; an omitted slug keeps the current one (URLs must not change by accident). */
export const AuthorReplace = z.strictObject(authorFields).meta({ id: 'AuthorReplace', examples: [authorExample] })

export const AuthorUpdate = z.strictObject(authorFields).partial()
  .meta({ id: 'AuthorUpdate', examples: [{ title: 'Senior Correspondent' }] })
export type AuthorUpdate = z.infer<typeof AuthorUpdate>

export const authorSorts = ['-createdAt', 'createdAt', 'name', '-name'] as const
export type AuthorSort = (typeof authorSorts)[number]

export const AuthorListQuery = ListQuery.extend({
  namePrefix: z.string().trim().min(1).max(200).optional().meta({ description: 'Only authors whose name starts with this, in any case (on SQLite, case is ignored for the letters A–Z only)', example: 'Mar' }),
  organization: z.string().min(1).max(200).optional().meta({ description: 'Only authors of this organisation (exact)', example: 'Continental Press' }),
  sort: z.enum(authorSorts).optional().meta({ description: 'The order: `-createdAt` (newest first, the default), `createdAt`, `name` or `-name` (byte order of the UTF-8, on both database engines: `Z` before `a`); ties are broken by id. A cursor belongs to the order and filters it was issued under: with any other, 400', example: 'name' }),
  count: CountParam
})
export type AuthorListQuery = z.infer<typeof AuthorListQuery>
export const AuthorPage = countedPageOf(Author).meta({ id: 'AuthorPage' })
