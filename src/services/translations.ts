// Translation groups: the versions of one story in several languages. Each
// version is an article of its own (headline, body, slug, bylines, its own
// publication); the group only links them, one version per language. Every
// version lists the others its reader may see (`translations`), so a change to
// one (published, unpublished, retitled, trashed, moved between groups)
// alters the public form of the published others: the write path re-renders
// them (see affectedArticles in write-path.ts), as it does for related links.
import type { Tx } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { translationExists, unknownReferences, validationFailed } from '../errors.ts'
import { live } from './read-scope.ts'

/** The published versions of `groupId` other than `articleId`, whose public forms list it. */
export async function publishedTranslations (tx: Tx, groupId: string | null, articleId: string): Promise<string[]> {
  if (groupId === null) return []
  return (await tx.article.findMany({ where: { translationGroupId: groupId, id: { not: articleId }, ...live }, select: { id: true } }))
    .map((article) => article.id)
}

/** 409 when another version of the group has `language` (compared as stored: tags are canonical). */
async function assertLanguageFree (tx: Tx, groupId: string, language: string, articleId: string, path: string): Promise<void> {
  const holder = await tx.article.findFirst({ where: { translationGroupId: groupId, language, id: { not: articleId } }, select: { id: true } })
  if (holder !== null) throw translationExists(language, holder.id, path)
}

export interface Placement {
  /** The group the article is in after the write (null: none). */
  groupId: string | null
  /** Published versions of the group it left: they no longer list it. */
  left: string[]
}

/**
 * Where an article goes, given the `translationOf` of its write: into the
 * group of that article (one is made for it when it has none), out of its
 * group (null), or where it is (undefined; its language is checked against
 * the group's others when it changes). A version in the trash still holds its
 * language: restore it or delete it for good to free it.
 */
export async function placeTranslation (
  tx: Tx,
  article: { id: string, language: string, translationGroupId: string | null },
  translationOf: string | null | undefined
): Promise<Placement> {
  const current = article.translationGroupId
  if (translationOf === undefined) {
    if (current !== null) await assertLanguageFree(tx, current, article.language, article.id, 'body.language')
    return { groupId: current, left: [] }
  }
  if (translationOf === null) return { groupId: null, left: await publishedTranslations(tx, current, article.id) }
  if (translationOf === article.id) throw validationFailed([{ path: 'body.translationOf', message: 'is this article itself: name another version of the story' }])
  const other = await tx.article.findUnique({ where: { id: translationOf }, select: { id: true, translationGroupId: true, deletedAt: true, updatedAt: true } })
  if (other === null || other.deletedAt !== null) {
    throw unknownReferences([{ path: 'body.translationOf', message: `no article has the id "${translationOf}"${other === null ? '' : ' outside the trash'}` }])
  }
  let groupId = other.translationGroupId
  if (groupId === null) {
    // The group takes the id of the story it grew from, its original (JSON-LD
    // says which versions are translations of which), unless an earlier group had it.
    groupId = await tx.translationGroup.findUnique({ where: { id: other.id }, select: { id: true } }) === null ? other.id : newId()
    await tx.translationGroup.create({ data: { id: groupId } })
    // Its content and version stay: only what it lists changes (re-rendered by the write path like a related link's target).
    await tx.article.update({ where: { id: other.id }, data: { translationGroupId: groupId, updatedAt: other.updatedAt } })
  }
  await assertLanguageFree(tx, groupId, article.language, article.id, 'body.language')
  return { groupId, left: groupId === current ? [] : await publishedTranslations(tx, current, article.id) }
}
