// Shared by the services whose deletes reach into articles.
import type { Tx } from '../db/client.ts'
import { isForeignKeyViolation } from '../db/prisma-errors.ts'
import { notFound, resourceInUse, type ArticleReference } from '../errors.ts'
import type { WriteContext, WritePath } from './write-path.ts'

export function uniqueArticles (articles: ArticleReference[]): ArticleReference[] {
  return [...new Map(articles.map(({ id, slug, headline }) => [id, { id, slug, headline }])).values()]
}

/** An article whose content changed through another resource is updated too (change feeds see it). */
export async function touchArticles (tx: Tx, articles: Array<{ id: string }>): Promise<void> {
  if (articles.length === 0) return
  await tx.article.updateMany({ where: { id: { in: articles.map((article) => article.id) } }, data: { updatedAt: new Date() } })
}

/**
 * Marks the article updated as the transaction's first write. The UPDATE also
 * locks its row until commit, so concurrent edits of one article's body or
 * bylines (from any instance) run one after the other instead of interleaving.
 */
export async function lockArticleForEdit (tx: Tx, id: string): Promise<void> {
  const { count } = await tx.article.updateMany({ where: { id }, data: { updatedAt: new Date() } })
  if (count === 0) throw notFound('Article', id)
}

export interface ArticleDependency {
  /** "Author", "Image": for the 404 and 409 messages. */
  resource: 'Author' | 'Image'
  id: string
  exists: (tx: Tx) => Promise<boolean>
  /** The articles that use it (duplicates are fine). */
  usedBy: (tx: Tx) => Promise<Array<ArticleReference & { status: string }>>
  /** Takes it off those articles (for a forced delete). */
  detach: (tx: Tx) => Promise<void>
  remove: (tx: Tx) => Promise<void>
}

/**
 * Deletes something articles may use (an author, an image): refused with a 409
 * naming the articles, unless `force`, when it is first taken off them; all in
 * one transaction, and the articles count as updated.
 */
export async function deleteUnlessUsed (writes: WritePath, context: WriteContext, dependency: ArticleDependency, force: boolean): Promise<void> {
  try {
    await writes.write(context, async ({ tx, record }) => {
      if (!await dependency.exists(tx)) throw notFound(dependency.resource, dependency.id)
      const users = await dependency.usedBy(tx)
      const articles = uniqueArticles(users)
      if (articles.length > 0) {
        if (!force) throw resourceInUse(dependency.resource, dependency.id, articles)
        await dependency.detach(tx)
        await touchArticles(tx, articles)
      }
      await dependency.remove(tx)
      const published = [...new Set(users.filter((article) => article.status === 'published').map((article) => article.id))]
      record({ resource: dependency.resource === 'Author' ? 'author' : 'image', resourceId: dependency.id, action: 'deleted', alsoAffects: published })
    })
  } catch (error) {
    // A new use added by another request between the check and the delete.
    if (isForeignKeyViolation(error)) throw resourceInUse(dependency.resource, dependency.id, [])
    throw error
  }
}
