// An article's history: its revisions (one per change to its own content),
// the difference between any two, and restoring one.
import { z } from 'zod'
import { Id, Timestamp, pageOf } from './common.ts'
import { ArticleRecord } from './bulk.ts'

export const RevisionParams = z.object({
  id: Id,
  version: z.coerce.number().int().min(1).max(2_147_483_647).meta({ description: 'The article\'s version the revision was', example: 3 })
})

export const RevisionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Revisions per page (1–100)' }),
  cursor: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page' })
})
export type RevisionListQuery = z.infer<typeof RevisionListQuery>

export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1).max(2_147_483_647).optional()
    .meta({ description: 'The version to compare with (earlier or later); the revision before this one when omitted', example: 1 })
})
export type DiffQuery = z.infer<typeof DiffQuery>

export const RevisionSummary = z.object({
  version: z.number().int(),
  action: z.enum(['created', 'updated', 'replaced', 'published', 'unpublished', 'restored']).meta({ description: 'What made it: the change\'s action (an edit of a byline or related link is `updated`; `restored`: taken out of the trash)' }),
  changePosition: z.number().int().nullable().meta({ description: 'The change log position of the change that made it (see the audit trail); null for the state found at an upgrade' }),
  apiKeyId: Id.nullable().meta({ description: 'Who made it; null for the server (scheduled publication, the demo content, an upgrade)' }),
  apiKeyName: z.string().nullable(),
  createdAt: Timestamp
}).meta({ id: 'RevisionSummary', description: 'One revision of an article, without its content' })

export const RevisionContent = ArticleRecord.omit({ previousSlugs: true })
  .meta({ id: 'RevisionContent', description: 'The article as it was: every stored field, referring to authors, images and linked stories by id' })

export const Revision = RevisionSummary.extend({ content: RevisionContent })
  .meta({ id: 'Revision', description: 'One revision of an article, with the full content it had' })
export type Revision = z.infer<typeof Revision>

export const RevisionPage = pageOf(RevisionSummary).meta({ id: 'RevisionPage' })

const Block = z.record(z.string(), z.unknown()).meta({ description: 'A body block as stored in the revision (see BlockWrite)' })
export const BlockChange = z.discriminatedUnion('change', [
  z.object({ change: z.literal('added'), id: Id.nullable(), position: z.number().int(), block: Block }),
  z.object({ change: z.literal('removed'), id: Id.nullable(), position: z.number().int().meta({ description: 'Its place in the older revision' }), block: Block }),
  z.object({ change: z.literal('moved'), id: Id, from: z.number().int(), to: z.number().int() }),
  z.object({ change: z.literal('changed'), id: Id, position: z.number().int(), from: Block, to: Block })
]).meta({ id: 'BlockChange', description: 'How one body block differs: blocks are matched by id; `moved` when its place among the blocks both revisions keep changed' })

export const RevisionDiff = z.object({
  from: z.number().int().meta({ description: 'The version compared from' }),
  to: z.number().int().meta({ description: 'The version compared to' }),
  fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }))
    .meta({ description: 'Every field but the body whose value differs (`version` and `updatedAt` aside), with both values' }),
  body: z.array(BlockChange).meta({ description: 'The body compared as a list: blocks added, removed, moved and changed' })
}).meta({
  id: 'RevisionDiff',
  examples: [{
    from: 2,
    to: 3,
    fields: [{ field: 'headline', from: 'Valley rail line to reopen', to: 'Valley rail line reopens eight months after landslide' }],
    body: [
      { change: 'added', id: 'cmi4v9z0a0010qz8k0a1b2c3d', position: 1, block: { id: 'cmi4v9z0a0010qz8k0a1b2c3d', type: 'paragraph', text: 'Services run every 30 minutes.' } },
      { change: 'moved', id: 'cmi4v9z0a0011qz8k4e5f6a7b', from: 3, to: 0 }
    ]
  }]
})
export type RevisionDiff = z.infer<typeof RevisionDiff>
