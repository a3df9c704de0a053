// Shared by the services whose deletes reach into articles.
import type { Tx } from '../db/client.ts'
import { isForeignKeyViolation } from '../db/prisma-errors.ts'
import { notFound, resourceInUse, type ArticleReference } from '../errors.ts'
import type { WriteContext, WritePath } from './write-path.ts'
import { checkVersion, type Precondition } from './version-check.ts'

export function uniqueArticles (articles: ArticleReference[]): ArticleReference[] {
  return [...new Map(articles.map(({ id, slug, headline }) => [id, { id, slug, headline }])).values()]
}

/**
 * An article whose content changed through another resource (its author or
 * image deleted, a story it linked to gone) is updated too: change feeds see
 * it, and its version moves on, so an editor's save from before fails its If-Match.
 */
export async function touchArticles (tx: Tx, articles: Array<{ id: string }>): Promise<void> {
  if (articles.length === 0) return
  await tx.article.updateMany({ where: { id: { in: articles.map((article) => article.id) } }, data: { updatedAt: new Date(), version: { increment: 1 } } })
}

/**
 * Starts an edit of an article (its fields, bylines or body) as the
 * transaction's first write: checks the version the request expects, then
 * marks the article updated and counts the edit in its version. The UPDATE
 * also locks its row until commit, so concurrent edits of one article (from
 * any instance) run one after the other instead of interleaving. Returns the
 * article as it was before.
 */
export async function beginArticleEdit (tx: Tx, id: string, precondition: Precondition): Promise<{ slug: string, status: string, publishedAt: Date | null, scheduledAt: Date | null, version: number, language: string, translationGroupId: string | null }> {
  const before = await tx.article.findUnique({ where: { id }, select: { slug: true, status: true, publishedAt: true, scheduledAt: true, version: true, deletedAt: true, language: true, translationGroupId: true } })
  // A trashed article cannot be edited (restore it first): to its editors it is not there.
  if (before === null || before.deletedAt !== null) throw notFound('Article', id)
  checkVersion('Article', id, { version: before.version, published: before.status === 'published' }, precondition)
  await tx.article.update({ where: { id }, data: { updatedAt: new Date(), version: { increment: 1 } } })
  return before
}

export interface ArticleDependency {
  /** "Author", "Image": for the 404 and 409 messages. */
  resource: 'Author' | 'Image'
  id: string
  /** Its version now; null when it does not exist. */
  version: (tx: Tx) => Promise<number | null>
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
export async function deleteUnlessUsed (writes: WritePath, context: WriteContext, dependency: ArticleDependency, force: boolean, precondition: Precondition): Promise<void> {
  try {
    await writes.write(context, async ({ tx, record }) => {
      const version = await dependency.version(tx)
      if (version === null) throw notFound(dependency.resource, dependency.id)
      checkVersion(dependency.resource, dependency.id, { version, published: false }, precondition)
      const users = await dependency.usedBy(tx)
      const articles = uniqueArticles(users)
      if (articles.length > 0) {
        if (!force) throw resourceInUse(dependency.resource, dependency.id, articles)
        await dependency.detach(tx)
        await touchArticles(tx, articles)
      }
      await dependency.remove(tx)
      const published = [...new Set(users.filter((article) => article.status === 'published').map((article) => article.id))]
      record({ resource: dependency.resource === 'Author' ? 'author' : 'image', resourceId: dependency.id, action: 'deleted', alsoAffects: published, revises: articles.map((article) => article.id) })
    })
  } catch (error) {
    // A new use added by another request between the check and the delete.
    if (isForeignKeyViolation(error)) throw resourceInUse(dependency.resource, dependency.id, [])
    throw error
  }
}
