// Shared by the services whose deletes reach into articles.
import type { Tx } from '../db/client.ts'
import { notFound, type ArticleReference } from '../errors.ts'

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
