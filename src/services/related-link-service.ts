// Related links are body blocks of type related_link; this service edits them
// one at a time, in place, without resending the whole body.
import type { Db, Tx } from '../db/client.ts'
import { bodyInclude, linkTargetSelect, toRelatedLink, visibleTarget } from '../db/article-mapper.ts'
import { everything, live, notTrashed, visible, type ReadScope } from './read-scope.ts'
import { keyset, pageBy } from '../db/pagination.ts'
import { notFound } from '../errors.ts'
import type { Page } from '../schemas/common.ts'
import type { IncomingLink, IncomingLinkQuery, RelatedLink, RelatedLinkCreate, RelatedLinkUpdate } from '../schemas/related-link.ts'
import { beginArticleEdit } from './article-usage.ts'
import { unconditional, type Precondition } from './version-check.ts'
import { assertReferencesExist, checkLinkTarget, type Reference } from './references.ts'
import type { WriteContext, WritePath } from './write-path.ts'

const byId = keyset([{ field: 'id', direction: 'asc', kind: 'string' }])

interface StoredBlock { id: string, position: number }

/** The body's blocks in order, with the positions they are stored at. */
async function bodyOrder (tx: Tx, articleId: string): Promise<StoredBlock[]> {
  return await tx.bodyBlock.findMany({ where: { articleId }, orderBy: bodyInclude.orderBy, select: { id: true, position: true } })
}

/** Stores `order` (block ids) as the body's order: positions 0..n-1, writing only the blocks that moved. */
async function storeBodyOrder (tx: Tx, stored: StoredBlock[], order: string[]): Promise<void> {
  const positionOf = new Map(stored.map((block) => [block.id, block.position]))
  for (const [position, id] of order.entries()) {
    if (positionOf.get(id) !== position) await tx.bodyBlock.update({ where: { id }, data: { position } })
  }
}

function moved (order: string[], id: string, position: number): string[] {
  const rest = order.filter((other) => other !== id)
  return [...rest.slice(0, position), id, ...rest.slice(position)]
}

function targetReference (articleId: string | null | undefined): Reference[] {
  return articleId === undefined || articleId === null ? [] : [{ kind: 'article', id: articleId, path: 'body.articleId' }]
}

export function createRelatedLinkService ({ prisma, writes }: { prisma: Db, writes: WritePath }) {
  /** The links, with the version of the article they are part of. */
  async function list (articleId: string, scope: ReadScope, client: Db | Tx = prisma): Promise<{ links: RelatedLink[], version: number }> {
    const row = await client.article.findUnique({ where: { id: articleId }, select: { status: true, deletedAt: true, version: true, body: bodyInclude } })
    if (row === null || !visible(row, scope)) throw notFound('Article', articleId)
    // Positions count what this reader sees of the body (as in the article's `body`).
    const links = row.body
      .filter((block) => visibleTarget(block.targetArticle, scope.includeDrafts))
      .flatMap((block, position) => block.type === 'related_link' ? [toRelatedLink(block, position)] : [])
    return { links, version: row.version }
  }

  /** Runs in the write's transaction, so on the primary. */
  async function read (tx: Tx, articleId: string, linkId: string): Promise<{ link: RelatedLink, version: number }> {
    const { links, version } = await list(articleId, everything, tx)
    const link = links.find((candidate) => candidate.id === linkId)
    if (link === undefined) throw notFound('Related link', linkId)
    return { link, version }
  }

  return {
    list: async (articleId: string, scope: ReadScope) => await list(articleId, scope),

    async create (articleId: string, input: RelatedLinkCreate, context: WriteContext, precondition = unconditional): Promise<{ link: RelatedLink, version: number }> {
      checkLinkTarget(input, 'body')
      return await writes.write(context, async ({ tx, record }) => {
        await beginArticleEdit(tx, articleId, precondition)
        await assertReferencesExist(tx, targetReference(input.articleId), articleId)
        const stored = await bodyOrder(tx, articleId)
        const created = await tx.bodyBlock.create({
          data: { articleId, position: stored.length, type: 'related_link', text: input.text, targetArticleId: input.articleId ?? null, url: input.url ?? null },
          select: { id: true, position: true }
        })
        const order = stored.map((block) => block.id)
        await storeBodyOrder(tx, [...stored, created], moved(order, created.id, Math.min(input.position ?? order.length, order.length)))
        record({ resource: 'related-link', resourceId: created.id, action: 'created', revises: [articleId] })
        return await read(tx, articleId, created.id)
      })
    },

    async update (articleId: string, linkId: string, input: RelatedLinkUpdate, context: WriteContext, precondition = unconditional): Promise<{ link: RelatedLink, version: number }> {
      return await writes.write(context, async ({ tx, record }) => {
        await beginArticleEdit(tx, articleId, precondition)
        const link = await tx.bodyBlock.findFirst({ where: { id: linkId, articleId, type: 'related_link' } })
        if (link === null) throw notFound('Related link', linkId)
        const target = {
          articleId: input.articleId !== undefined ? input.articleId : link.targetArticleId,
          url: input.url !== undefined ? input.url : link.url
        }
        // Naming one kind of target in a patch replaces the other.
        if (input.articleId !== undefined && input.articleId !== null && input.url === undefined) target.url = null
        if (input.url !== undefined && input.url !== null && input.articleId === undefined) target.articleId = null
        checkLinkTarget(target, 'body')
        await assertReferencesExist(tx, targetReference(target.articleId), articleId)
        await tx.bodyBlock.update({
          where: { id: linkId },
          data: { text: input.text, targetArticleId: target.articleId, url: target.url }
        })
        if (input.position !== undefined) {
          const stored = await bodyOrder(tx, articleId)
          await storeBodyOrder(tx, stored, moved(stored.map((block) => block.id), linkId, Math.min(input.position, stored.length - 1)))
        }
        record({ resource: 'related-link', resourceId: linkId, action: 'updated', revises: [articleId] })
        return await read(tx, articleId, linkId)
      })
    },

    async remove (articleId: string, linkId: string, context: WriteContext, precondition = unconditional): Promise<void> {
      await writes.write(context, async ({ tx, record }) => {
        const article = await beginArticleEdit(tx, articleId, precondition)
        const { count } = await tx.bodyBlock.deleteMany({ where: { id: linkId, articleId, type: 'related_link' } })
        if (count === 0) throw notFound('Related link', linkId)
        record({ resource: 'related-link', resourceId: linkId, action: 'deleted', alsoAffects: article.status === 'published' ? [articleId] : [], revises: [articleId] })
      })
    },

    /** Which articles link to `articleId`: its backlinks, oldest link first. */
    async incoming (query: IncomingLinkQuery, scope: ReadScope): Promise<Page<IncomingLink>> {
      const target = await prisma.article.findUnique({ where: { id: query.articleId }, select: { status: true, deletedAt: true } })
      if (target === null || !visible(target, scope)) throw notFound('Article', query.articleId)
      // Links in trashed stories are nobody's backlinks until those are restored.
      const sources = { article: scope.includeDrafts ? notTrashed : live }
      return await pageBy(byId, query.limit, async (take) => await prisma.bodyBlock.findMany({
        where: { AND: [{ targetArticleId: query.articleId, type: 'related_link' }, sources, byId.after(query.cursor)] },
        orderBy: byId.orderBy,
        select: { id: true, text: true, article: { select: linkTargetSelect } },
        take
      }), (row) => ({ id: row.id, text: row.text ?? '', source: { id: row.article.id, slug: row.article.slug, headline: row.article.headline } }))
    }
  }
}

export type RelatedLinkService = ReturnType<typeof createRelatedLinkService>
