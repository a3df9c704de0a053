// An article's history, read from the revisions the write path stores in the
// transaction of every change to the article's content (write-path.ts).
import type { Db, Tx } from '../db/client.ts'
import type { Article as ArticleColumns } from '../generated/sqlite/client.ts'
import { articleInclude, assembleArticleRow, blockRow, translationGroupInclude } from '../db/article-mapper.ts'
import { loadReferences, articleReferences } from './references.ts'
import { renderPublicArticle } from './public-articles.ts'
import { keyset, pageBy } from '../db/pagination.ts'
import { notFound } from '../errors.ts'
import type { Page } from '../schemas/common.ts'
import type { Article, ArticleUpdate } from '../schemas/article.ts'
import type { DiffQuery, Revision, RevisionDiff, RevisionListQuery } from '../schemas/revision.ts'
import type { ArticleService } from './article-service.ts'
import { articleContent } from './bulk-export.ts'
import { diffBodies, diffFields } from './revision-diff.ts'
import type { Precondition } from './version-check.ts'
import { serverContext, type WriteContext, type WritePath } from './write-path.ts'

const newestFirst = keyset([{ field: 'version', direction: 'desc', kind: 'number' }], 'revisions')

type RevisionRow = { version: number, action: string, changePosition: number | null, apiKeyId: string | null, apiKeyName: string | null, createdAt: Date }

const summaryOf = (row: RevisionRow) => ({
  version: row.version,
  action: row.action as Revision['action'],
  changePosition: row.changePosition,
  apiKeyId: row.apiKeyId,
  apiKeyName: row.apiKeyName,
  createdAt: row.createdAt.toISOString()
})

export function createRevisionService ({ prisma, articles }: { prisma: Db, articles: ArticleService }) {
  async function articleMustExist (id: string): Promise<void> {
    if (await prisma.article.findUnique({ where: { id, deletedAt: null }, select: { id: true } }) === null) throw notFound('Article', id)
  }

  async function get (id: string, version: number): Promise<Revision> {
    // A trashed article's history is out of reach until it is restored.
    await articleMustExist(id)
    const row = await prisma.articleRevision.findUnique({ where: { articleId_version: { articleId: id, version } } })
    if (row === null) {
      throw notFound('Revision', `${version} of article ${id}`)
    }
    return { ...summaryOf(row), content: JSON.parse(row.content) }
  }

  return {
    /** Newest first. */
    async list (id: string, query: RevisionListQuery): Promise<Page<Omit<Revision, 'content'>>> {
      await articleMustExist(id)
      return await pageBy(newestFirst, query.limit, async (take) => await prisma.articleRevision.findMany({
        where: { AND: [{ articleId: id }, newestFirst.after(query.cursor)] },
        orderBy: newestFirst.orderBy,
        select: { version: true, action: true, changePosition: true, apiKeyId: true, apiKeyName: true, createdAt: true },
        take
      }), summaryOf)
    },

    get,

    /** What changed from version `from` (by default the revision before) to `version`. */
    async diff (id: string, version: number, query: DiffQuery): Promise<RevisionDiff> {
      const to = await get(id, version)
      let fromVersion = query.from
      if (fromVersion === undefined) {
        const before = await prisma.articleRevision.findFirst({ where: { articleId: id, version: { lt: version } }, orderBy: { version: 'desc' }, select: { version: true } })
        if (before === null) throw notFound('Revision', `before ${version} of article ${id}`)
        fromVersion = before.version
      }
      const from = await get(id, fromVersion)
      const { body: fromBody, ...fromFields } = from.content
      const { body: toBody, ...toFields } = to.content
      return {
        from: from.version,
        to: to.version,
        fields: diffFields(fromFields, toFields, ['id', 'updatedAt']),
        body: diffBodies(fromBody ?? [], toBody ?? [])
      }
    },

    /**
     * Revision `version` as the public would see it published: its content
     * with the authors, images and linked stories it names as they are now,
     * through the renderer of the stored public JSON. One it names that has
     * been deleted since is a 422, as a restore would be.
     */
    async preview (id: string, version: number): Promise<string> {
      const { content } = await get(id, version)
      // A link to a story in the trash is left out, as readers would get it.
      const referenced = await loadReferences(prisma as unknown as Tx, articleReferences(content as ArticleUpdate, 'content'), { linksToTrash: true })
      // Its translations as they are now (a revision does not hold the group).
      const group = await prisma.article.findUnique({ where: { id }, select: { translationGroupId: true, translationGroup: translationGroupInclude } })
      const date = (value: string | null | undefined): Date | null => value === null || value === undefined ? null : new Date(value)
      const article: ArticleColumns = {
        id,
        slug: content.slug ?? '',
        headline: content.headline,
        seoTitle: content.seoTitle ?? null,
        dek: content.dek ?? null,
        section: content.section ?? null,
        tags: content.tags ?? [],
        dateline: content.dateline ?? null,
        language: content.language ?? 'en',
        status: 'published',
        publishedAt: date(content.publishedAt) ?? date(content.scheduledAt) ?? new Date(),
        scheduledAt: date(content.scheduledAt),
        expiresAt: date(content.expiresAt),
        displayUpdatedAt: date(content.displayUpdatedAt),
        editorsNote: content.editorsNote ?? null,
        corrections: content.corrections ?? [],
        version,
        leadImageId: content.leadImageId ?? null,
        externalUri: content.externalUri ?? null,
        translationGroupId: group?.translationGroupId ?? null,
        deletedAt: null,
        deletedBy: null,
        createdAt: date(content.createdAt) ?? new Date(),
        updatedAt: date(content.updatedAt) ?? new Date()
      }
      const bylines = (content.bylines ?? []).map((byline, position) => ({ articleId: id, position, authorId: byline.authorId, role: byline.role ?? 'author' }))
      const blocks = (content.body ?? []).map((block, position) => blockRow(block, id, position, block.id ?? `${id}-${position}`))
      return renderPublicArticle(assembleArticleRow(article, bylines, blocks, referenced, group?.translationGroup?.articles ?? [])).json
    },

    /** Puts back revision `version`'s content (itself a new revision); slug and publication state stay. */
    async restore (id: string, version: number, context: WriteContext, precondition: Precondition): Promise<Article> {
      const { content } = await get(id, version)
      return await articles.restore(id, {
        headline: content.headline,
        seoTitle: content.seoTitle ?? null,
        dek: content.dek ?? null,
        section: content.section ?? null,
        tags: content.tags ?? [],
        dateline: content.dateline ?? null,
        language: content.language,
        leadImageId: content.leadImageId ?? null,
        bylines: content.bylines ?? [],
        body: content.body ?? [],
        displayUpdatedAt: content.displayUpdatedAt ?? null,
        editorsNote: content.editorsNote ?? null,
        corrections: content.corrections ?? []
      }, context, precondition)
    }
  }
}

/**
 * The first revision of articles that have none (a database from before
 * revisions existed): their state now. Returns how many were stored.
 */
export async function storeMissingRevisions (writes: WritePath): Promise<number> {
  let stored = 0
  for (;;) {
    // Under the write lock, so no instance's edit stores the same version meanwhile.
    const count = await writes.write(serverContext, async ({ tx }) => {
      const rows = await tx.article.findMany({ where: { revisions: { none: {} } }, include: articleInclude, take: 200 })
      if (rows.length > 0) {
        await tx.articleRevision.createMany({
          data: rows.map((row) => ({ articleId: row.id, version: row.version, changePosition: null, action: 'created', content: JSON.stringify(articleContent(row)), createdAt: row.updatedAt }))
        })
      }
      return rows.length
    })
    if (count === 0) return stored
    stored += count
  }
}

export type RevisionService = ReturnType<typeof createRevisionService>
