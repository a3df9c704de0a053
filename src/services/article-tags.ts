// An article's tags as rows (ArticleTag), which staff lists filter on (see
// db/article-lists.ts). Written in the same transaction as the `tags` column,
// by everything that writes it: create, PATCH and PUT (and so revision
// restores and ninjs imports, which go through them) and bulk imports.
import { insertRows, type Tx } from '../db/client.ts'

const tagColumns = ['articleId', 'tag'] as const

/** Replaces the article's tag rows with `tags` (`isNew`: created in this transaction, it has none yet). */
export async function writeArticleTags (tx: Tx, articleId: string, tags: string[], { isNew }: { isNew: boolean }): Promise<void> {
  if (!isNew) await tx.articleTag.deleteMany({ where: { articleId } })
  await insertRows(tx, 'ArticleTag', tagColumns, [...new Set(tags)].map((tag) => ({ articleId, tag }))) // raw: see insertRows
}
