import { insertRows, readerOf, sql, type Db, type Tx } from '../db/client.ts'
import type { Article as ArticleColumns, BodyBlock as BlockColumns, Byline as BylineColumns } from '../generated/sqlite/client.ts'
import { articleInclude, assembleArticleRow, blockRow, bodyColumns, bylinesInclude, summaryInclude, toArticle, toArticleSummary, toByline, translationSelect, type ArticleRow } from '../db/article-mapper.ts'
import { newId } from '../db/ids.ts'
import { keyset, pageBy } from '../db/pagination.ts'
import { staffCountSql, staffPageSql } from '../db/article-lists.ts'
import { keysetPage, readCount } from '../db/list-sql.ts'
import { columnValue, type WriteMode } from '../db/write-mode.ts'
import { inTrash, notFound, slugTaken, validationFailed } from '../errors.ts'
import { canonicalLanguageTag, type Article, type ArticleCreate, type ArticleSummary, type ArticleListQuery, type ArticleUpdate, type BlockInput, type Byline, type BylineInput } from '../schemas/article.ts'
import type { CountedPage, ListQuery, Page } from '../schemas/common.ts'
import type { TrashedArticle } from '../schemas/trash.ts'
import { everything, visible, type ReadScope } from './read-scope.ts'
import { renderPublicArticle } from './public-articles.ts'
import { writeArticleTags } from './article-tags.ts'
import { articleListOf, withFields } from './article-list-query.ts'
import { beginArticleEdit, touchArticles } from './article-usage.ts'
import { articleReferences, assertReferencesExist, bylineReferences, loadReferences } from './references.ts'
import { withSlugConflict, writeWithFreeSlug } from './slug.ts'
import type { ChangeAction, WriteContext, WritePath, WriteScope } from './write-path.ts'
import { checkVersion, unconditional, type Precondition } from './version-check.ts'
import { placeTranslation, publishedTranslations } from './translations.ts'

const dateValue = (value: string | null | undefined, mode: WriteMode): Date | null | undefined => {
  const column = columnValue(value, mode)
  return column === null || column === undefined ? column : new Date(column)
}

/** The columns of an Article, in the order raw inserts name them. */
export const articleColumnNames = ['id', 'slug', 'headline', 'seoTitle', 'dek', 'section', 'tags', 'dateline', 'language', 'status', 'publishedAt', 'scheduledAt', 'expiresAt', 'displayUpdatedAt', 'editorsNote', 'corrections', 'version', 'leadImageId', 'externalUri', 'translationGroupId', 'createdAt', 'updatedAt'] as const

function articleColumns (input: ArticleCreate | ArticleUpdate, mode: WriteMode, languages: Languages) {
  return {
    scheduledAt: dateValue(input.scheduledAt, mode),
    expiresAt: dateValue(input.expiresAt, mode),
    displayUpdatedAt: dateValue(input.displayUpdatedAt, mode),
    editorsNote: columnValue(input.editorsNote, mode),
    // A correction without a date is dated by the save that adds it.
    corrections: input.corrections !== undefined
      ? input.corrections.map((correction) => ({ text: correction.text, date: new Date(correction.date ?? Date.now()).toISOString() }))
      : (mode === 'replace' ? [] : undefined),
    ...(input.headline !== undefined && { headline: input.headline }),
    seoTitle: columnValue(input.seoTitle, mode),
    dek: columnValue(input.dek, mode),
    section: columnValue(input.section, mode),
    dateline: columnValue(input.dateline, mode),
    leadImageId: columnValue(input.leadImageId, mode),
    tags: input.tags !== undefined ? [...new Set(input.tags)] : (mode === 'replace' ? [] : undefined),
    language: input.language !== undefined ? canonicalLanguageTag(input.language) ?? input.language : (mode === 'replace' ? languages.default : undefined),
    status: input.status ?? (mode === 'replace' ? 'draft' : undefined)
  }
}

/**
 * The change a status edit makes to the public: published, or unpublished
 * (to a draft, or archived). Undefined when it makes none: the status stays,
 * or moves between states the public does not see (draft, scheduled, archived).
 */
export function statusChange (before: string, after: string | undefined): ChangeAction | undefined {
  if (after === undefined || after === before) return undefined
  if (after === 'published') return 'published'
  return before === 'published' ? 'unpublished' : undefined
}

/**
 * `publishedAt` is set the first time an article is published, and kept
 * through corrections and unpublishing; an editor may set it (backdating).
 */
function publishedAtFor (input: { publishedAt?: string | null }, status: string | undefined, current: Date | null): Date | undefined {
  if (input.publishedAt !== undefined && input.publishedAt !== null) return new Date(input.publishedAt)
  return status === 'published' && current === null ? new Date() : undefined
}

/** The deployment's languages (LANGUAGES): new articles get `default`; `allowed` (null: any tag) refuses others. */
export interface Languages {
  default: string
  allowed: ReadonlySet<string> | null
}

export const anyLanguage: Languages = Object.freeze({ default: 'en', allowed: null })

function checkLanguage (language: string | undefined, languages: Languages): void {
  if (language === undefined || languages.allowed === null || languages.allowed.has(language)) return
  throw validationFailed([{ path: 'body.language', message: `is not one of this deployment's languages (${[...languages.allowed].join(', ')})` }])
}

/** A scheduled story needs the time the server publishes it. */
function checkSchedule (status: string, scheduledAt: Date | string | null | undefined): void {
  if (status === 'scheduled' && (scheduledAt === null || scheduledAt === undefined)) {
    throw validationFailed([{ path: 'body.scheduledAt', message: 'a scheduled story needs scheduledAt: the time the server publishes it' }])
  }
}

const bylineColumns = ['articleId', 'position', 'authorId', 'role'] as const
/**
 * Replaces the bylines (`isNew`: the article was created in this transaction
 * and has none yet); returns the rows written.
 */
export async function writeBylines (tx: Tx, articleId: string, bylines: BylineInput[], isNew = false): Promise<BylineColumns[]> {
  if (!isNew) await tx.byline.deleteMany({ where: { articleId } })
  const rows = bylines.map((byline, position) => ({ articleId, position, authorId: byline.authorId, role: byline.role ?? 'author' }))
  await insertRows(tx, 'Byline', bylineColumns, rows)
  return rows
}

/**
 * Replaces the body; returns the rows written. A block sent with the id of one
 * of this article's blocks keeps it (so a related link keeps its id across
 * edits); other ids are ignored.
 */
async function writeBody (tx: Tx, articleId: string, blocks: BlockInput[], isNew = false, { restoring = false } = {}): Promise<BlockColumns[]> {
  const reusable = new Set<string>()
  if (!isNew) {
    for (const block of await tx.bodyBlock.findMany({ where: { articleId }, select: { id: true } })) reusable.add(block.id)
    await tx.bodyBlock.deleteMany({ where: { articleId } })
  }
  if (restoring) {
    // A restored revision's blocks get their ids back, unless another block has taken one since.
    const wanted = blocks.flatMap((block) => block.id === undefined || reusable.has(block.id) ? [] : [block.id])
    const taken = new Set((await tx.bodyBlock.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((block) => block.id))
    for (const id of wanted) if (!taken.has(id)) reusable.add(id)
  }
  const rows = blocks.map((block, position) => {
    const keep = block.id !== undefined && reusable.delete(block.id) // each id at most once
    return blockRow(block, articleId, position, keep ? block.id! : newId())
  })
  await insertRows(tx, 'BodyBlock', bodyColumns, rows)
  return rows
}

/** The trash: most recently trashed first. */
const recentlyTrashedFirst = keyset([
  { field: 'deletedAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'string' }
], 'trash')

/**
 * Deletes an article for good, inside the caller's write (a permanent DELETE,
 * the trash's purge). Related links to it in other articles' bodies are
 * removed in the same transaction, so no reader's page links to a story that
 * is gone; those articles count as updated.
 */
export async function deleteForGood (tx: Tx, record: WriteScope['record'], article: { id: string, status: string, deletedAt: Date | null }): Promise<void> {
  const { id } = article
  // Its published translations list it until now.
  const group = await tx.article.findUnique({ where: { id }, select: { translationGroupId: true } })
  const translations = await publishedTranslations(tx, group?.translationGroupId ?? null, id)
  const incoming = await tx.bodyBlock.findMany({ where: { targetArticleId: id }, select: { articleId: true, article: { select: { status: true, deletedAt: true } } } })
  const sources = incoming.filter((link) => link.articleId !== id)
  if (incoming.length > 0) {
    await tx.bodyBlock.deleteMany({ where: { targetArticleId: id } })
    await touchArticles(tx, sources.map((link) => ({ id: link.articleId })))
  }
  await tx.article.delete({ where: { id } })
  // Gone with it: its own public form, if it had one, and its links in other
  // published stories (those count as updated, with a new version, even where
  // the link was not shown: to a draft, or to a story in the trash).
  const isPublic = (row: { status: string, deletedAt: Date | null }): boolean => row.status === 'published' && row.deletedAt === null
  const published = [...(isPublic(article) ? [id] : []), ...sources.filter((link) => isPublic(link.article)).map((link) => link.articleId), ...translations]
  record({ resource: 'article', resourceId: id, action: 'deleted', alsoAffects: published, revises: sources.map((link) => link.articleId) })
}

function visibleArticle (row: ArticleRow, scope: ReadScope, key: string): Article {
  if (!visible(row, scope)) throw notFound('Article', key)
  return toArticle(row, scope)
}

/**
 * A slug change. A story that has been published keeps its old slug, which
 * then answers with a 301 to the new one (links already shared keep working);
 * a slug another story had before is taken; one this story had before is its
 * own again.
 */
async function moveSlug (tx: Tx, id: string, current: { slug: string, publishedAt: Date | null }, slug: string): Promise<void> {
  const previous = await tx.articleSlug.findUnique({ where: { slug }, select: { articleId: true } })
  if (previous !== null && previous.articleId !== id) throw slugTaken('article', slug)
  if (previous !== null) await tx.articleSlug.delete({ where: { slug } })
  if (current.publishedAt !== null) await tx.articleSlug.create({ data: { slug: current.slug, articleId: id } })
}

export function createArticleService ({ prisma, writes, languages = anyLanguage }: { prisma: Db, writes: WritePath, languages?: Languages }) {
  // Reads that follow a write run inside its transaction: on the primary, even
  // when reads otherwise go to a replica (DATABASE_REPLICA_URLS).
  async function readRow (where: { id: string } | { slug: string }, client: Db | Tx = prisma): Promise<ArticleRow> {
    const row = await client.article.findUnique({ where, include: articleInclude })
    if (row === null) throw notFound('Article', 'id' in where ? where.id : `with slug "${where.slug}"`)
    return row
  }

  // Old slugs of published stories still answer (a 301), so they stay taken.
  const takenWithPrefix = async (prefix: string): Promise<string[]> => [
    ...(await prisma.article.findMany({ where: { slug: { startsWith: prefix } }, select: { slug: true } })).map((row) => row.slug),
    ...(await prisma.articleSlug.findMany({ where: { slug: { startsWith: prefix } }, select: { slug: true } })).map((row) => row.slug)
  ]

  /** The byline, with the version of the article it is part of. */
  async function getBylines (id: string, scope: ReadScope, client: Db | Tx = prisma): Promise<{ bylines: Byline[], version: number }> {
    const row = await client.article.findUnique({ where: { id }, select: { status: true, deletedAt: true, version: true, bylines: bylinesInclude } })
    if (row === null || !visible(row, scope)) throw notFound('Article', id)
    return { bylines: row.bylines.map((byline) => toByline(byline, scope)), version: row.version }
  }

  async function save (id: string, input: ArticleUpdate, mode: WriteMode, context: WriteContext, precondition: Precondition, { restoring = false } = {}): Promise<Article> {
    const references = articleReferences(input)
    const row = await withSlugConflict('article', input.slug, async () => await writes.write(context, async ({ tx, record }) => {
      const current = await beginArticleEdit(tx, id, precondition)
      await assertReferencesExist(tx, references, id, { keepsOwnLinks: true })
      if (input.slug !== undefined && input.slug !== current.slug) await moveSlug(tx, id, current, input.slug)
      const columns = articleColumns(input, mode, languages)
      if (columns.language !== current.language) checkLanguage(columns.language, languages)
      checkSchedule(columns.status ?? current.status, columns.scheduledAt === undefined ? current.scheduledAt : columns.scheduledAt)
      const language = columns.language ?? current.language
      const placement = input.translationOf !== undefined || language !== current.language
        ? await placeTranslation(tx, { id, language, translationGroupId: current.translationGroupId }, input.translationOf)
        : { groupId: current.translationGroupId, left: [] }
      await tx.article.update({
        where: { id },
        // The slug only changes when asked to, so an edit never moves a URL.
        data: { ...columns, slug: input.slug, publishedAt: publishedAtFor(input, columns.status, current.publishedAt), translationGroupId: placement.groupId }
      })
      if (columns.tags !== undefined) await writeArticleTags(tx, id, columns.tags, { isNew: false })
      if (input.bylines !== undefined || mode === 'replace') await writeBylines(tx, id, input.bylines ?? [])
      if (input.body !== undefined || mode === 'replace') await writeBody(tx, id, input.body ?? [], false, { restoring })
      const saved = await readRow({ id }, tx)
      record({ resource: 'article', resourceId: id, action: statusChange(current.status, columns.status) ?? (mode === 'replace' ? 'replaced' : 'updated'), current: saved, alsoAffects: placement.left })
      return saved
    }))
    return toArticle(row)
  }

  return {
    /**
     * Live from the tables (public readers get the same from the stored forms,
     * see public-articles.ts): the page's ids in the list's order by one query
     * (db/article-lists.ts), then their rows. By default published articles
     * latest publication first; lists that include drafts, which have no
     * publication date, newest first.
     */
    async list (query: ArticleListQuery, scope: ReadScope): Promise<CountedPage<Partial<ArticleSummary> & { id: string }>> {
      const list = articleListOf(query, scope)
      if (list === null) return { data: [], nextCursor: null, ...(query.count === true && { totalCount: 0 }) }
      const reader = readerOf(prisma)
      const { rows, nextCursor } = await keysetPage(reader, list.order, query.limit, (take) => staffPageSql(list, query.cursor, take),
        async (ids) => await reader.article.findMany({ where: { id: { in: ids } }, include: summaryInclude }))
      return {
        data: rows.map((row) => withFields(toArticleSummary(row, scope), query.fields)),
        nextCursor,
        ...(query.count === true && { totalCount: await readCount(reader, staffCountSql(list)) })
      }
    },

    async get (id: string, scope: ReadScope = everything): Promise<Article> {
      return visibleArticle(await readRow({ id }), scope, id)
    },

    async getBySlug (slug: string, scope: ReadScope = everything): Promise<Article> {
      return visibleArticle(await readRow({ slug }), scope, `with slug "${slug}"`)
    },

    /** `externalUri`: the uri of the ninjs document it is imported from (see ninjs-import.ts). */
    async create (input: ArticleCreate, context: WriteContext, { externalUri }: { externalUri?: string } = {}): Promise<Article> {
      const references = articleReferences(input)
      const row = await writeWithFreeSlug({
        requested: input.slug,
        derivedFrom: input.headline,
        fallback: 'article',
        resource: 'article',
        takenWithPrefix,
        write: async (slug) => await writes.write(context, async ({ tx, record }) => {
          const referenced = await loadReferences(tx, references)
          // Raw: a model query is compiled afresh on every call (see insertRows).
          if ((await tx.$queryRaw<unknown[]>(sql`SELECT 1 FROM "ArticleSlug" WHERE "slug" = ${slug}`)).length > 0) throw slugTaken('article', slug)
          const columns = articleColumns(input, 'replace', languages)
          checkLanguage(columns.language, languages)
          checkSchedule(columns.status ?? 'draft', columns.scheduledAt)
          const now = new Date()
          const id = newId()
          const { groupId } = await placeTranslation(tx, { id, language: columns.language ?? languages.default, translationGroupId: null }, input.translationOf ?? undefined)
          const article: ArticleColumns = {
            id,
            slug,
            headline: input.headline,
            seoTitle: columns.seoTitle ?? null,
            dek: columns.dek ?? null,
            section: columns.section ?? null,
            tags: columns.tags ?? [],
            dateline: columns.dateline ?? null,
            language: columns.language ?? languages.default,
            status: columns.status ?? 'draft',
            publishedAt: publishedAtFor(input, columns.status, null) ?? null,
            scheduledAt: columns.scheduledAt ?? null,
            expiresAt: columns.expiresAt ?? null,
            displayUpdatedAt: columns.displayUpdatedAt ?? null,
            editorsNote: columns.editorsNote ?? null,
            corrections: columns.corrections ?? [],
            version: 1,
            leadImageId: columns.leadImageId ?? null,
            externalUri: externalUri ?? null,
            translationGroupId: groupId,
            deletedAt: null,
            deletedBy: null,
            createdAt: now,
            updatedAt: now
          }
          await insertRows(tx, 'Article', articleColumnNames, [{ ...article, tags: JSON.stringify(article.tags), corrections: JSON.stringify(article.corrections) }])
          await writeArticleTags(tx, article.id, columns.tags ?? [], { isNew: true })
          const bylines = await writeBylines(tx, article.id, input.bylines ?? [], true)
          const blocks = await writeBody(tx, article.id, input.body ?? [], true)
          // Built from what was just written, not read back (a read with the
          // nested includes is seven queries).
          const translations = groupId === null ? [] : await tx.article.findMany({ where: { translationGroupId: groupId }, select: translationSelect })
          const saved = assembleArticleRow(article, bylines, blocks, referenced, translations)
          record({ resource: 'article', resourceId: article.id, action: 'created', current: saved })
          return saved
        })
      })
      return toArticle(row)
    },

    /** PUT: absent optional fields are cleared (status back to draft, no bylines, empty body); an absent slug is kept. */
    async replace (id: string, input: ArticleCreate, context: WriteContext, precondition = unconditional): Promise<Article> {
      return await save(id, input, 'replace', context, precondition)
    },

    async update (id: string, input: ArticleUpdate, context: WriteContext, precondition = unconditional): Promise<Article> {
      return await save(id, input, 'patch', context, precondition)
    },

    /**
     * Moves the article to the trash (a 404 when it is there already); with
     * `permanent` (the route lets admins only), deletes it for good, in the
     * trash or not: see deleteForGood.
     */
    async remove (id: string, { permanent = false }: { force: boolean, permanent?: boolean }, context: WriteContext, precondition = unconditional): Promise<void> {
      await writes.write(context, async ({ tx, record }) => {
        const article = await tx.article.findUnique({ where: { id }, select: { id: true, status: true, version: true, deletedAt: true, updatedAt: true } })
        // Only a permanent delete reaches into the trash.
        if (article === null || (!permanent && article.deletedAt !== null)) throw notFound('Article', id)
        checkVersion('Article', id, { version: article.version, published: article.status === 'published' && article.deletedAt === null }, precondition)
        if (permanent) {
          await deleteForGood(tx, record, article)
          return
        }
        // Kept as it is (content, version, updatedAt), only out of sight: its
        // public form goes, and the write path renders again the stories linking to it (their links stop resolving).
        await tx.article.update({ where: { id }, data: { deletedAt: new Date(), deletedBy: context.actor.apiKeyName, updatedAt: article.updatedAt } })
        record({ resource: 'article', resourceId: id, action: 'trashed' })
      })
    },

    /** Trashed articles, most recently trashed first. */
    async listTrash (query: ListQuery): Promise<Page<TrashedArticle>> {
      return await pageBy(recentlyTrashedFirst, query.limit, async (take) => await prisma.article.findMany({
        where: { AND: [{ deletedAt: { not: null } }, recentlyTrashedFirst.after(query.cursor)] },
        orderBy: recentlyTrashedFirst.orderBy,
        include: summaryInclude,
        take
      }), (row) => ({ ...toArticleSummary(row), deletedAt: row.deletedAt!.toISOString(), deletedBy: row.deletedBy }))
    },

    /**
     * Takes an article out of the trash, as it was: a published one is public
     * again (its public form rendered, and the stories linking to it, whose links
     * resolve again). A change of its own: a new version, and a revision.
     */
    async restoreFromTrash (id: string, context: WriteContext, precondition: Precondition = unconditional): Promise<Article> {
      const row = await writes.write(context, async ({ tx, record }) => {
        const article = await tx.article.findUnique({ where: { id }, select: { status: true, version: true, deletedAt: true } })
        if (article === null || article.deletedAt === null) throw notFound('Trashed article', id)
        // A restore publishes a published story again: REQUIRE_IF_MATCH=published counts it as one.
        checkVersion('Article', id, { version: article.version, published: article.status === 'published' }, precondition)
        await tx.article.update({ where: { id }, data: { deletedAt: null, deletedBy: null, version: { increment: 1 } } })
        const saved = await readRow({ id }, tx)
        record({ resource: 'article', resourceId: id, action: 'restored', current: saved })
        return saved
      })
      return toArticle(row)
    },

    /**
     * Puts back an earlier state of the article's content (a revision's): its
     * text, bylines, body (block ids included), lead image, corrections and
     * notes. Its slug and publication state stay as they are now.
     */
    async restore (id: string, content: ArticleUpdate, context: WriteContext, precondition: Precondition = unconditional): Promise<Article> {
      return await save(id, content, 'patch', context, precondition, { restoring: true })
    },

    /** The public JSON the article would have once published (the renderer of the stored forms, public-articles.ts). */
    async preview (id: string): Promise<string> {
      const row = await readRow({ id })
      if (row.deletedAt !== null) throw notFound('Article', id)
      return renderPublicArticle({ ...row, status: 'published', publishedAt: row.publishedAt ?? row.scheduledAt ?? new Date() }).json
    },

    /** The current slug of the story that had `slug` before, when `scope` may see it; null otherwise. */
    async currentSlug (slug: string, scope: ReadScope): Promise<string | null> {
      const previous = await prisma.articleSlug.findUnique({ where: { slug }, select: { article: { select: { slug: true, status: true, deletedAt: true } } } })
      return previous !== null && visible(previous.article, scope) ? previous.article.slug : null
    },

    /** The id of the article imported from `uri`, if there is one; 409 when it is in the trash. */
    async idByExternalUri (uri: string): Promise<string | null> {
      const article = await prisma.article.findUnique({ where: { externalUri: uri }, select: { id: true, deletedAt: true } })
      // Its next version does not silently go to the trash, nor take the story out of it.
      if (article !== null && article.deletedAt !== null) throw inTrash(article.id)
      return article?.id ?? null
    },

    getBylines,

    async replaceBylines (id: string, bylines: BylineInput[], context: WriteContext, precondition = unconditional): Promise<{ bylines: Byline[], version: number }> {
      return await writes.write(context, async ({ tx, record }) => {
        await beginArticleEdit(tx, id, precondition)
        await assertReferencesExist(tx, bylineReferences(bylines, 'body.data'))
        await writeBylines(tx, id, bylines)
        record({ resource: 'byline', resourceId: id, action: 'replaced' })
        return await getBylines(id, everything, tx)
      })
    }
  }
}

export type ArticleService = ReturnType<typeof createArticleService>
