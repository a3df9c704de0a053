// The bulk import: NDJSON records (schemas/bulk.ts, what the bulk export
// writes) created or replaced by id, through the write path, so the change
// log, the stored public JSON, the sync feed and webhooks all follow.
//
// Every line is checked before anything is written: JSON, the record's
// schema, slugs and ids against what is stored and against the other lines,
// and references (authors, images, linked stories) against what is stored
// and the other good lines. A story whose linked story's line is bad is bad
// too. Then, by default, each good line is written in its own transaction
// (authors, then images, then stories, whatever their order in the body) and
// the bad ones reported; with `atomic`, one bad line writes nothing, and the
// good ones are written in one transaction.
//
// Related links between stories of the same import may run both ways (A
// links B, B links A) and the database checks link targets at once, so a
// story's links to stories the import is about to create are written after
// every story is: in the same transaction with `atomic`, in one more write per
// such story otherwise.
//
// A record equal to what is stored is `unchanged` and writes nothing, so an
// import run twice makes no changes (nor webhook events) the second time.
import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import { insertRows, type Db, type Tx } from '../db/client.ts'
import type { Article as ArticleColumns, BodyBlock as BlockColumns, Byline as BylineColumns } from '../generated/sqlite/client.ts'
import { articleInclude, assembleArticleRow, blockColumns, blockRow, bodyColumns, translationSelect, type ArticleRow } from '../db/article-mapper.ts'
import { newId } from '../db/ids.ts'
import { isForeignKeyViolation, isUniqueViolation } from '../db/prisma-errors.ts'
import { AppError, type ErrorCode, type FieldError } from '../errors.ts'
import { unstorableFields } from '../plugins/app/input-hygiene.ts'
import { ImportRecord, type ArticleRecord, type AuthorRecord, type BulkType, type ImageRecord, type ImportLineResult, type ImportReport, lineStatuses } from '../schemas/bulk.ts'
import { canonicalLanguageTag, type BlockInput } from '../schemas/article.ts'
import { articleRecord, articleRecordInclude, authorRecord, imageRecord, type ArticleRecordOut, type ArticleRecordRow, type AuthorRecordOut, type ImageRecordOut } from './bulk-export.ts'
import { articleColumnNames, statusChange, writeBylines } from './article-service.ts'
import { loadReferences } from './references.ts'
import { writeArticleTags } from './article-tags.ts'
import { slugify } from './slug.ts'
import type { ChangeAction, WriteContext, WritePath } from './write-path.ts'

/** A record's language as it is stored: canonical, "en" when it names none. */
const recordLanguage = (record: ArticleRecord): string => canonicalLanguageTag(record.language ?? 'en') ?? 'en'

/** New stories as one transaction wrote them (their columns, bylines and blocks), by id: see currentArticles. */
type WrittenStories = Map<string, { article: ArticleColumns, bylines: BylineColumns[], blocks: BlockColumns[] }>

/** An all-or-nothing import holds the write lock this long at most. */
const atomicTimeoutMs = 10 * 60_000
/** Ids per `IN (...)`: well under SQLite's and PostgreSQL's limits on bound values. */
const chunkSize = 500

interface LineProblem { code: ErrorCode, detail: string, errors?: FieldError[] }

/** A record after checking: every field present, as the export would write it after the import. */
type Canonical<T extends BulkType> = T extends 'author' ? AuthorRecordOut : T extends 'image' ? ImageRecordOut : ArticleRecordOut

interface Entry<T extends BulkType = BulkType> {
  line: number
  type: T
  id: string
  record: T extends 'author' ? AuthorRecord : T extends 'image' ? ImageRecord : ArticleRecord
  problem?: LineProblem
  /** What is stored under this id now, as an export record (undefined: nothing). */
  stored?: Canonical<T>
  canonical?: Canonical<T>
  /** Stories only: related links written after every story of the import is. */
  deferred?: Array<{ block: BlockInput, position: number }>
  status?: ImportLineResult['status']
}

const problem = (code: ErrorCode, detail: string, errors?: FieldError[]): LineProblem => ({ code, detail, ...(errors !== undefined && { errors }) })

function zodProblem (error: z.ZodError): LineProblem {
  const errors = error.issues.map((issue) => ({ path: issue.path.join('.') || '(line)', message: issue.message }))
  return problem('VALIDATION_FAILED', `Invalid ${errors.map((entry) => entry.path).join(', ')}`, errors)
}

function chunks<T> (values: T[]): T[][] {
  const result: T[][] = []
  for (let index = 0; index < values.length; index += chunkSize) result.push(values.slice(index, index + chunkSize))
  return result
}

async function inChunks<T, R> (values: T[], read: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = []
  for (const chunk of chunks([...new Set(values)])) rows.push(...await read(chunk))
  return rows
}

const date = (value: string): Date => new Date(value)

function canonicalBlock (block: BlockInput): BlockInput {
  const id = block.id
  switch (block.type) {
    case 'paragraph': return { id, type: 'paragraph', text: block.text }
    case 'heading': return { id, type: 'heading', text: block.text, level: block.level ?? 2 }
    case 'quote': return { id, type: 'quote', text: block.text, attribution: block.attribution ?? null }
    case 'image': return { id, type: 'image', imageId: block.imageId }
    case 'ad_slot': return { id, type: 'ad_slot', slot: block.slot ?? null }
    case 'related_link': return { id, type: 'related_link', articleId: block.articleId ?? null, url: block.url ?? null, text: block.text }
  }
}

/** Equal but for `updatedAt`, which an import without one leaves to the write. */
function sameContent (stored: { updatedAt?: string } | undefined, canonical: { updatedAt?: string }, givenUpdatedAt: string | undefined): boolean {
  if (stored === undefined) return false
  if (givenUpdatedAt !== undefined && date(givenUpdatedAt).getTime() !== date(stored.updatedAt ?? '').getTime()) return false
  return isDeepStrictEqual({ ...stored, updatedAt: undefined }, { ...canonical, updatedAt: undefined })
}

/** The problem a write failed with, for its line; undefined when it is not the line's fault (the import fails). */
function writeProblem (error: unknown): LineProblem | undefined {
  if (error instanceof AppError) return problem(error.code, error.message, error.errors)
  if (isUniqueViolation(error)) return problem('ID_TAKEN', 'A slug, id or uri of this record was taken by another write while the import ran')
  if (isForeignKeyViolation(error)) return problem('UNKNOWN_REFERENCE', 'An item this record refers to was deleted while the import ran')
  return undefined
}

export function createBulkImport ({ prisma, writes }: { prisma: Db, writes: WritePath }) {
  /** Lines → entries: parsed and checked against the record schema. Header, end and blank lines are skipped. */
  function parse (text: string): { entries: Entry[], results: ImportLineResult[] } {
    const entries: Entry[] = []
    const results: ImportLineResult[] = []
    const lines = text.split('\n')
    lines.forEach((raw, index) => {
      const line = index + 1
      const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      if (source.trim() === '') return
      let value: unknown
      try {
        value = JSON.parse(source)
      } catch (error) {
        results.push({ line, type: null, id: null, status: 'failed', problem: problem('MALFORMED_JSON', `Line ${line} is not JSON: ${(error as Error).message}`) })
        return
      }
      const typeOf = (candidate: unknown): string | null => typeof candidate === 'object' && candidate !== null && typeof (candidate as { type?: unknown }).type === 'string' ? (candidate as { type: string }).type : null
      const idOf = (candidate: unknown): string | null => {
        const data = typeof candidate === 'object' && candidate !== null ? (candidate as { data?: unknown }).data : undefined
        const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined
        return typeof id === 'string' ? id : null
      }
      const unstorable = unstorableFields(value, '')
      if (unstorable.length > 0) {
        const errors = unstorable.map((entry) => ({ ...entry, path: entry.path.replace(/^\./, '') }))
        results.push({ line, type: typeOf(value), id: idOf(value), status: 'failed', problem: problem('VALIDATION_FAILED', `Invalid ${errors.map((entry) => entry.path).join(', ')}`, errors) })
        return
      }
      const parsed = ImportRecord.safeParse(value)
      if (!parsed.success) {
        results.push({ line, type: typeOf(value), id: idOf(value), status: 'failed', problem: zodProblem(parsed.error) })
        return
      }
      const record = parsed.data
      if (record.type === 'header' || record.type === 'end') {
        results.push({ line, type: record.type, id: null, status: 'skipped' })
        return
      }
      entries.push({ line, type: record.type, id: record.data.id, record: record.data } as Entry)
    })
    return { entries, results }
  }

  /** A second line with the id of an earlier one of its kind is refused: which should win is not ours to guess. */
  function refuseDuplicates (entries: Entry[]): void {
    const first = new Map<string, number>()
    for (const entry of entries) {
      const key = `${entry.type} ${entry.id}`
      const earlier = first.get(key)
      if (earlier === undefined) first.set(key, entry.line)
      else entry.problem = problem('DUPLICATE_RECORD', `Line ${earlier} already has the ${entry.type} ${entry.id}`, [{ path: 'data.id', message: `repeats line ${earlier}` }])
    }
  }

  /** Slugs: a given one must be free (here and in the import); an absent one is the stored item's, or derived. */
  async function assignSlugs (entries: Array<Entry<'author'> | Entry<'article'>>, table: 'author' | 'article'): Promise<Map<string, string>> {
    const slugs = new Map<string, string>() // entry id → slug
    const claimed = new Map<string, number>() // slug → line
    const owners = new Map<string, string>() // stored slug → stored id
    const given = entries.flatMap((entry) => entry.record.slug === undefined ? [] : [entry.record.slug])
    const stored = table === 'author'
      ? await inChunks(given, async (chunk) => await prisma.author.findMany({ where: { slug: { in: chunk } }, select: { id: true, slug: true } }))
      : [
          ...await inChunks(given, async (chunk) => await prisma.article.findMany({ where: { slug: { in: chunk } }, select: { id: true, slug: true } })),
          // A story's old slugs still answer: taken as well.
          ...(await inChunks(given, async (chunk) => await prisma.articleSlug.findMany({ where: { slug: { in: chunk } }, select: { articleId: true, slug: true } })))
            .map((row) => ({ id: row.articleId, slug: row.slug }))
        ]
    for (const row of stored) owners.set(row.slug, row.id)
    const taken = (slug: string, id: string): boolean => (owners.has(slug) && owners.get(slug) !== id) || claimed.has(slug)

    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const slug = entry.record.slug ?? entry.stored?.slug
      if (slug === undefined) continue // derived below, once the given ones are claimed
      if (taken(slug, entry.id)) {
        const where = claimed.has(slug) ? `line ${claimed.get(slug)} of this import` : `another ${table}`
        entry.problem = problem('SLUG_TAKEN', `The slug "${slug}" is taken by ${where}`, [{ path: 'data.slug', message: `"${slug}" is already taken` }])
        continue
      }
      claimed.set(slug, entry.line)
      slugs.set(entry.id, slug)
    }
    for (const entry of entries.filter((candidate) => candidate.problem === undefined && !slugs.has(candidate.id))) {
      const base = slugify(entry.type === 'author' ? (entry as Entry<'author'>).record.name : (entry as Entry<'article'>).record.headline) || table
      const prefixed = table === 'author'
        ? await prisma.author.findMany({ where: { slug: { startsWith: base } }, select: { id: true, slug: true } })
        : [
            ...await prisma.article.findMany({ where: { slug: { startsWith: base } }, select: { id: true, slug: true } }),
            ...(await prisma.articleSlug.findMany({ where: { slug: { startsWith: base } }, select: { articleId: true, slug: true } })).map((row) => ({ id: row.articleId, slug: row.slug }))
          ]
      for (const row of prefixed) owners.set(row.slug, row.id)
      let slug = base
      for (let n = 2; taken(slug, entry.id); n++) slug = `${base}-${n}`
      claimed.set(slug, entry.line)
      slugs.set(entry.id, slug)
    }
    return slugs
  }

  async function checkAuthors (entries: Array<Entry<'author'>>, now: string): Promise<void> {
    const stored = await inChunks(entries.map((entry) => entry.id), async (chunk) => await prisma.author.findMany({ where: { id: { in: chunk } } }))
    const byId = new Map(stored.map((row) => [row.id, authorRecord(row)]))
    for (const entry of entries) entry.stored = byId.get(entry.id)
    const slugs = await assignSlugs(entries, 'author')
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const { record, stored: current } = entry
      entry.canonical = {
        id: entry.id,
        slug: slugs.get(entry.id)!,
        name: record.name,
        title: record.title ?? null,
        organization: record.organization ?? null,
        bio: record.bio ?? null,
        email: record.email ?? null,
        url: record.url ?? null,
        createdAt: record.createdAt ?? current?.createdAt ?? now,
        updatedAt: record.updatedAt ?? now
      }
    }
  }

  async function checkImages (entries: Array<Entry<'image'>>, now: string): Promise<void> {
    const stored = await inChunks(entries.map((entry) => entry.id), async (chunk) => await prisma.image.findMany({ where: { id: { in: chunk } } }))
    const byId = new Map(stored.map((row) => [row.id, imageRecord(row)]))
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const { record } = entry
      entry.stored = byId.get(entry.id)
      entry.canonical = {
        id: entry.id,
        url: record.url,
        alt: record.alt ?? null,
        caption: record.caption ?? null,
        width: record.width ?? null,
        height: record.height ?? null,
        credit: {
          photographer: record.credit?.photographer ?? null,
          agency: record.credit?.agency ?? null,
          copyright: record.credit?.copyright ?? null,
          license: record.credit?.license ?? null
        },
        createdAt: record.createdAt ?? entry.stored?.createdAt ?? now,
        updatedAt: record.updatedAt ?? now
      }
    }
  }

  /** Old slugs are taken like current ones: by no other story, stored or in the import. */
  async function checkPreviousSlugs (entries: Array<Entry<'article'>>, current: Map<string, string>): Promise<void> {
    const given = entries.flatMap((entry) => entry.record.previousSlugs ?? [])
    const owners = new Map<string, string>([
      ...(await inChunks(given, async (chunk) => await prisma.article.findMany({ where: { slug: { in: chunk } }, select: { id: true, slug: true } }))).map((row) => [row.slug, row.id] as const),
      ...(await inChunks(given, async (chunk) => await prisma.articleSlug.findMany({ where: { slug: { in: chunk } }, select: { articleId: true, slug: true } }))).map((row) => [row.slug, row.articleId] as const)
    ])
    for (const [id, slug] of current) owners.set(slug, id) // the slugs the import gives its stories win over stored ones
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const errors: FieldError[] = []
      entry.record.previousSlugs?.forEach((slug, index) => {
        const owner = owners.get(slug)
        if (owner !== undefined && owner !== entry.id) errors.push({ path: `data.previousSlugs.${index}`, message: `"${slug}" is a slug of the story ${owner}` })
        else owners.set(slug, entry.id)
      })
      if (errors.length > 0) entry.problem = problem('SLUG_TAKEN', 'A story\'s old slugs are taken like its current one', errors)
    }
  }

  /** Block ids and external uris are unique across stories: refused when another story has one, stored or in the import. */
  async function checkArticleIds (entries: Array<Entry<'article'>>): Promise<void> {
    const blockIds = entries.flatMap((entry) => (entry.record.body ?? []).flatMap((block) => block.id === undefined ? [] : [block.id]))
    const blockOwners = new Map((await inChunks(blockIds, async (chunk) => await prisma.bodyBlock.findMany({ where: { id: { in: chunk } }, select: { id: true, articleId: true } })))
      .map((row) => [row.id, row.articleId]))
    const uris = entries.flatMap((entry) => entry.record.externalUri === undefined || entry.record.externalUri === null ? [] : [entry.record.externalUri])
    const uriOwners = new Map((await inChunks(uris, async (chunk) => await prisma.article.findMany({ where: { externalUri: { in: chunk } }, select: { id: true, externalUri: true } })))
      .map((row) => [row.externalUri, row.id]))
    const claimedBlocks = new Map<string, string>() // block id → story id
    const claimedUris = new Map<string, number>()
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const errors: FieldError[] = []
      const mine = new Set<string>()
      ;(entry.record.body ?? []).forEach((block, index) => {
        if (block.id === undefined) return
        const owner = claimedBlocks.get(block.id) ?? blockOwners.get(block.id)
        if (mine.has(block.id)) errors.push({ path: `data.body.${index}.id`, message: 'is the id of an earlier block of this story' })
        else if (owner !== undefined && owner !== entry.id) errors.push({ path: `data.body.${index}.id`, message: `is the id of a block of the story ${owner}` })
        mine.add(block.id)
      })
      const uri = entry.record.externalUri
      if (uri !== undefined && uri !== null) {
        const owner = uriOwners.get(uri)
        if (claimedUris.has(uri)) errors.push({ path: 'data.externalUri', message: `is the uri of the story on line ${claimedUris.get(uri)}` })
        else if (owner !== undefined && owner !== entry.id) errors.push({ path: 'data.externalUri', message: `is the uri of the story ${owner}` })
      }
      if (errors.length > 0) {
        entry.problem = problem('ID_TAKEN', 'Block ids and external uris belong to one story', errors)
        continue
      }
      for (const id of mine) claimedBlocks.set(id, entry.id)
      if (uri !== undefined && uri !== null) claimedUris.set(uri, entry.line)
    }
  }

  /**
   * One version per language in a translation group: a record that would make
   * a second (with a stored story, or an earlier line) is refused.
   */
  async function checkTranslationGroups (entries: Array<Entry<'article'>>): Promise<void> {
    const groupOf = (entry: Entry<'article'>): string | null => entry.record.translationGroupId !== undefined ? entry.record.translationGroupId : entry.stored?.translationGroupId ?? null
    const groups = [...new Set(entries.flatMap((entry) => groupOf(entry) ?? []))]
    const holders = new Map((await inChunks(groups, async (chunk) => await prisma.article.findMany({ where: { translationGroupId: { in: chunk } }, select: { id: true, language: true, translationGroupId: true } })))
      .map((row) => [`${row.translationGroupId!} ${row.language}`, row.id]))
    // The stored versions these lines move or change no longer hold their old language.
    for (const entry of entries) for (const [key, id] of holders) if (id === entry.id) holders.delete(key)
    const claimed = new Map<string, number>()
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const group = groupOf(entry)
      if (group === null) continue
      const key = `${group} ${recordLanguage(entry.record)}`
      const holder = holders.get(key)
      if (claimed.has(key) || holder !== undefined) {
        entry.problem = problem('TRANSLATION_EXISTS', 'A translation group has one version per language', [{
          path: 'data.language', message: claimed.has(key) ? `the story on line ${claimed.get(key)!} is the group's version in it` : `article ${holder!} is the group's version in it`
        }])
        continue
      }
      claimed.set(key, entry.line)
    }
  }

  /**
   * References: to authors and images stored or in the import's good lines;
   * to stories stored or in its good lines, which may in turn turn bad (until
   * nothing changes).
   */
  async function checkReferences (articles: Array<Entry<'article'>>, authors: Array<Entry<'author'>>, images: Array<Entry<'image'>>): Promise<void> {
    const good = (entries: Entry[]): Set<string> => new Set(entries.filter((entry) => entry.problem === undefined).map((entry) => entry.id))
    const goodAuthors = good(authors)
    const goodImages = good(images)
    const referenced = { author: new Set<string>(), image: new Set<string>(), article: new Set<string>() }
    for (const entry of articles) {
      const { record } = entry
      for (const byline of record.bylines ?? []) referenced.author.add(byline.authorId)
      if (record.leadImageId !== undefined && record.leadImageId !== null) referenced.image.add(record.leadImageId)
      for (const block of record.body ?? []) {
        if (block.type === 'image') referenced.image.add(block.imageId)
        if (block.type === 'related_link' && block.articleId !== undefined && block.articleId !== null) referenced.article.add(block.articleId)
      }
    }
    const storedIds = async (ids: Set<string>, read: (chunk: string[]) => Promise<Array<{ id: string }>>): Promise<Set<string>> =>
      new Set((await inChunks([...ids], read)).map((row) => row.id))
    const storedAuthors = await storedIds(referenced.author, async (chunk) => await prisma.author.findMany({ where: { id: { in: chunk } }, select: { id: true } }))
    const storedImages = await storedIds(referenced.image, async (chunk) => await prisma.image.findMany({ where: { id: { in: chunk } }, select: { id: true } }))
    const storedArticles = await storedIds(referenced.article, async (chunk) => await prisma.article.findMany({ where: { id: { in: chunk } }, select: { id: true } }))

    for (let changed = true; changed;) {
      changed = false
      const goodArticles = good(articles)
      for (const entry of articles.filter((candidate) => candidate.problem === undefined)) {
        const errors: FieldError[] = []
        const need = (kind: 'author' | 'image' | 'article', id: string, path: string): void => {
          const known = kind === 'author' ? goodAuthors.has(id) || storedAuthors.has(id) : kind === 'image' ? goodImages.has(id) || storedImages.has(id) : goodArticles.has(id) || storedArticles.has(id)
          if (!known) errors.push({ path, message: `no ${kind} has the id "${id}", stored or on a good line of this import` })
        }
        const { record } = entry
        record.bylines?.forEach((byline, index) => { need('author', byline.authorId, `data.bylines.${index}.authorId`) })
        if (record.leadImageId !== undefined && record.leadImageId !== null) need('image', record.leadImageId, 'data.leadImageId')
        record.body?.forEach((block, index) => {
          if (block.type === 'image') need('image', block.imageId, `data.body.${index}.imageId`)
          if (block.type !== 'related_link') return
          const hasArticle = block.articleId !== undefined && block.articleId !== null
          if (hasArticle === (block.url !== undefined && block.url !== null)) errors.push({ path: `data.body.${index}`, message: 'a related link needs exactly one of articleId or url' })
          else if (block.articleId === entry.id) errors.push({ path: `data.body.${index}.articleId`, message: 'an article cannot link to itself' })
          else if (hasArticle) need('article', block.articleId!, `data.body.${index}.articleId`)
        })
        if (errors.length > 0) {
          entry.problem = problem(errors.some((error) => error.message.startsWith('no ')) ? 'UNKNOWN_REFERENCE' : 'VALIDATION_FAILED', 'The record refers to items that are neither stored nor on a good line of this import', errors)
          changed = true
        }
      }
    }
    // Links to stories that do not exist until this import writes them wait until every story is written.
    for (const entry of articles.filter((candidate) => candidate.problem === undefined)) {
      entry.deferred = (entry.record.body ?? []).flatMap((block, position) =>
        block.type === 'related_link' && block.articleId !== undefined && block.articleId !== null && !storedArticles.has(block.articleId) ? [{ block, position }] : [])
    }
  }

  async function checkArticles (entries: Array<Entry<'article'>>, authors: Array<Entry<'author'>>, images: Array<Entry<'image'>>, now: string): Promise<void> {
    const stored = await inChunks(entries.map((entry) => entry.id), async (chunk) => await prisma.article.findMany({ where: { id: { in: chunk } }, include: articleRecordInclude }))
    const byId = new Map<string, ArticleRecordRow>(stored.map((row) => [row.id, row]))
    for (const entry of entries) {
      const row = byId.get(entry.id)
      entry.stored = row === undefined ? undefined : articleRecord(row)
    }
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      if (entry.record.status === 'scheduled' && (entry.record.scheduledAt ?? null) === null) {
        entry.problem = problem('VALIDATION_FAILED', 'Invalid data.scheduledAt', [{ path: 'data.scheduledAt', message: 'a scheduled story needs scheduledAt: the time the server publishes it' }])
      }
    }
    const slugs = await assignSlugs(entries, 'article')
    await checkPreviousSlugs(entries, slugs)
    await checkArticleIds(entries)
    await checkTranslationGroups(entries)
    await checkReferences(entries, authors, images)
    for (const entry of entries.filter((candidate) => candidate.problem === undefined)) {
      const { record, stored: current } = entry
      const status = record.status ?? 'draft'
      const publishedAt = record.publishedAt !== undefined ? record.publishedAt : current?.publishedAt ?? null
      entry.canonical = {
        id: entry.id,
        slug: slugs.get(entry.id)!,
        previousSlugs: record.previousSlugs ?? current?.previousSlugs ?? [],
        headline: record.headline,
        seoTitle: record.seoTitle ?? null,
        dek: record.dek ?? null,
        section: record.section ?? null,
        tags: [...new Set(record.tags ?? [])],
        dateline: record.dateline ?? null,
        language: recordLanguage(record),
        status,
        publishedAt: publishedAt ?? (status === 'published' ? now : null),
        scheduledAt: record.scheduledAt ?? null,
        expiresAt: record.expiresAt ?? null,
        displayUpdatedAt: record.displayUpdatedAt ?? null,
        editorsNote: record.editorsNote ?? null,
        corrections: (record.corrections ?? []).map((correction) => ({ text: correction.text, date: correction.date ?? now })),
        externalUri: record.externalUri !== undefined ? record.externalUri : current?.externalUri ?? null,
        translationGroupId: record.translationGroupId !== undefined ? record.translationGroupId : current?.translationGroupId ?? null,
        deletedAt: record.deletedAt !== undefined ? record.deletedAt : current?.deletedAt ?? null,
        leadImageId: record.leadImageId ?? null,
        bylines: (record.bylines ?? []).map((byline) => ({ authorId: byline.authorId, role: byline.role ?? 'author' })),
        body: (record.body ?? []).map(canonicalBlock),
        createdAt: record.createdAt ?? current?.createdAt ?? now,
        updatedAt: record.updatedAt ?? now
      }
    }
  }

  // --- writing ------------------------------------------------------------------

  async function writeAuthor (tx: Tx, entry: Entry<'author'>): Promise<ChangeAction> {
    const { id, createdAt, updatedAt, ...fields } = entry.canonical!
    const data = { ...fields, createdAt: date(createdAt), updatedAt: date(updatedAt) }
    if (entry.stored !== undefined) await tx.author.update({ where: { id }, data: { ...data, version: { increment: 1 } } })
    else await tx.author.create({ data: { id, ...data } })
    return entry.stored !== undefined ? 'replaced' : 'created'
  }

  async function writeImage (tx: Tx, entry: Entry<'image'>): Promise<ChangeAction> {
    const { id, credit, createdAt, updatedAt, ...fields } = entry.canonical!
    const data = {
      ...fields,
      creditPhotographer: credit?.photographer ?? null,
      creditAgency: credit?.agency ?? null,
      creditCopyright: credit?.copyright ?? null,
      creditLicense: credit?.license ?? null,
      createdAt: date(createdAt),
      updatedAt: date(updatedAt)
    }
    if (entry.stored !== undefined) await tx.image.update({ where: { id }, data: { ...data, version: { increment: 1 } } })
    else await tx.image.create({ data: { id, ...data } })
    return entry.stored !== undefined ? 'replaced' : 'created'
  }

  /** The story, its bylines and its body but the deferred links. */
  async function writeArticle (tx: Tx, entry: Entry<'article'>, written: WrittenStories): Promise<ChangeAction> {
    const { id, bylines, body, previousSlugs, publishedAt, scheduledAt, expiresAt, displayUpdatedAt, deletedAt, createdAt, updatedAt, ...fields } = entry.canonical!
    const optionalDate = (value: string | null): Date | null => value === null ? null : date(value)
    const data = {
      ...fields,
      publishedAt: optionalDate(publishedAt),
      scheduledAt: optionalDate(scheduledAt),
      expiresAt: optionalDate(expiresAt),
      displayUpdatedAt: optionalDate(displayUpdatedAt),
      deletedAt: optionalDate(deletedAt),
      createdAt: date(createdAt),
      updatedAt: date(updatedAt)
    }
    const isNew = entry.stored === undefined
    if (fields.translationGroupId !== null) await tx.translationGroup.upsert({ where: { id: fields.translationGroupId }, create: { id: fields.translationGroupId }, update: {} })
    const deferred = new Set(entry.deferred?.map((link) => link.position))
    if (isNew) {
      // Raw, and kept for the row the write path renders from (see assembleNew): an
      // archive of thousands of stories is mostly new ones, and Prisma's per-call
      // planning was most of an import's time.
      const article: ArticleColumns = { id, ...data, version: 1, deletedBy: null }
      await insertRows(tx, 'Article', [...articleColumnNames, 'deletedAt', 'deletedBy'] as const, [{ ...article, tags: JSON.stringify(article.tags), corrections: JSON.stringify(article.corrections) }])
      const bylineRows = await writeBylines(tx, id, bylines, true)
      await writeArticleTags(tx, id, fields.tags, { isNew })
      const blocks = body.flatMap((block, position) => deferred.has(position) ? [] : [blockRow(block, id, position, block.id ?? newId())])
      await insertRows(tx, 'BodyBlock', bodyColumns, blocks)
      if (previousSlugs.length > 0) await tx.articleSlug.createMany({ data: previousSlugs.map((slug) => ({ slug, articleId: id })) })
      if (deferred.size === 0) written.set(id, { article, bylines: bylineRows, blocks })
      return 'created'
    } else {
      await tx.article.update({ where: { id }, data: { ...data, version: { increment: 1 } } })
      await tx.bodyBlock.deleteMany({ where: { articleId: id } })
      await tx.articleSlug.deleteMany({ where: { articleId: id } })
    }
    if (previousSlugs.length > 0) await tx.articleSlug.createMany({ data: previousSlugs.map((slug) => ({ slug, articleId: id })) })
    await writeBylines(tx, id, bylines, isNew)
    await writeArticleTags(tx, id, fields.tags, { isNew })
    const blocks = body.flatMap((block, position) => deferred.has(position) ? [] : [blockColumns(block, id, position, block.id)])
    if (blocks.length > 0) await tx.bodyBlock.createMany({ data: blocks })
    // Into or out of the trash: to the public a deletion or a (re)publication, as through the API.
    const wasTrashed = entry.stored!.deletedAt !== null
    if (wasTrashed !== (deletedAt !== null)) return wasTrashed ? 'restored' : 'trashed'
    return statusChange(entry.stored!.status, fields.status) ?? 'replaced'
  }

  async function writeDeferredLinks (tx: Tx, entry: Entry<'article'>, { isNewVersion }: { isNewVersion: boolean }): Promise<void> {
    await tx.bodyBlock.createMany({ data: entry.deferred!.map(({ block, position }) => blockColumns(block, entry.id, position, block.id)) })
    // A write of its own (not the all-or-nothing one): the story's next version.
    if (isNewVersion) await tx.article.update({ where: { id: entry.id }, data: { version: { increment: 1 }, updatedAt: date(entry.canonical!.updatedAt) } })
  }

  const currentArticle = async (tx: Tx, id: string) => await tx.article.findUniqueOrThrow({ where: { id }, include: articleInclude })

  /**
   * The rows the write path renders from, for every story of `ids`: a new one
   * (without links to stories of the import, which are written after it) assembled from what was written and the rows it
   * refers to (read once for all of them: three queries, not seven per story);
   * the others read back.
   */
  async function currentArticles (tx: Tx, ids: string[], written: WrittenStories): Promise<Map<string, ArticleRow>> {
    const rows = new Map<string, ArticleRow>()
    const assembled = ids.flatMap((id) => written.get(id) ?? [])
    const references = assembled.flatMap(({ article, bylines, blocks }) => [
      ...bylines.map((byline) => ({ kind: 'author' as const, id: byline.authorId, path: '' })),
      ...(article.leadImageId === null ? [] : [{ kind: 'image' as const, id: article.leadImageId, path: '' }]),
      ...blocks.flatMap((block) => [
        ...(block.imageId === null ? [] : [{ kind: 'image' as const, id: block.imageId, path: '' }]),
        ...(block.targetArticleId === null ? [] : [{ kind: 'article' as const, id: block.targetArticleId, path: '' }])
      ])
    ])
    const referenced = await loadReferences(tx, references, { linksToTrash: true })
    for (const { article, bylines, blocks } of assembled) {
      const translations = article.translationGroupId === null ? [] : await tx.article.findMany({ where: { translationGroupId: article.translationGroupId }, select: translationSelect })
      rows.set(article.id, assembleArticleRow(article, bylines, blocks, referenced, translations))
    }
    for (const id of ids) if (!rows.has(id)) rows.set(id, await currentArticle(tx, id))
    return rows
  }

  /** One line per transaction; a line the database refuses is reported, the others go on. */
  async function writeEach (ordered: Entry[], context: WriteContext): Promise<void> {
    for (const entry of ordered) {
      try {
        await writes.write(context, async ({ tx, record }) => {
          if (entry.type === 'author') record({ resource: 'author', resourceId: entry.id, action: await writeAuthor(tx, entry as Entry<'author'>) })
          else if (entry.type === 'image') record({ resource: 'image', resourceId: entry.id, action: await writeImage(tx, entry as Entry<'image'>) })
          else {
            const written: WrittenStories = new Map()
            const action = await writeArticle(tx, entry as Entry<'article'>, written)
            record({ resource: 'article', resourceId: entry.id, action, current: (await currentArticles(tx, [entry.id], written)).get(entry.id)! })
          }
        })
      } catch (error) {
        const lineProblem = writeProblem(error)
        if (lineProblem === undefined) throw error
        entry.problem = lineProblem
      }
    }
    for (const entry of ordered.filter((candidate): candidate is Entry<'article'> => candidate.type === 'article' && candidate.problem === undefined && (candidate as Entry<'article'>).deferred!.length > 0)) {
      try {
        await writes.write(context, async ({ tx, record }) => {
          await writeDeferredLinks(tx, entry, { isNewVersion: true })
          record({ resource: 'article', resourceId: entry.id, action: 'updated', current: await currentArticle(tx, entry.id) })
        })
      } catch (error) {
        const lineProblem = writeProblem(error)
        if (lineProblem === undefined) throw error
        entry.problem = { ...lineProblem, detail: `The story was written without its links to stories of this import: ${lineProblem.detail}` }
      }
    }
  }

  /** Every line in one transaction. */
  async function writeAll (ordered: Entry[], context: WriteContext): Promise<void> {
    const written: WrittenStories = new Map()
    await writes.write(context, async ({ tx, record }) => {
      const articles: Array<{ entry: Entry<'article'>, action: ChangeAction }> = []
      for (const entry of ordered) {
        if (entry.type === 'author') record({ resource: 'author', resourceId: entry.id, action: await writeAuthor(tx, entry as Entry<'author'>) })
        else if (entry.type === 'image') record({ resource: 'image', resourceId: entry.id, action: await writeImage(tx, entry as Entry<'image'>) })
        else articles.push({ entry: entry as Entry<'article'>, action: await writeArticle(tx, entry as Entry<'article'>, written) })
      }
      for (const { entry } of articles) if (entry.deferred!.length > 0) await writeDeferredLinks(tx, entry, { isNewVersion: false })
      const current = await currentArticles(tx, articles.map(({ entry }) => entry.id), written)
      for (const { entry, action } of articles) record({ resource: 'article', resourceId: entry.id, action, current: current.get(entry.id)! })
    }, { timeoutMs: atomicTimeoutMs })
  }

  return {
    /** Checks every line, then writes the good ones (`atomic`: all or none). `rejected`: atomic, and nothing was written. */
    async importLines (text: string, { atomic }: { atomic: boolean }, context: WriteContext): Promise<{ report: ImportReport, rejected: boolean }> {
      const now = new Date().toISOString()
      const { entries, results } = parse(text)
      refuseDuplicates(entries)
      const authors = entries.filter((entry): entry is Entry<'author'> => entry.type === 'author')
      const images = entries.filter((entry): entry is Entry<'image'> => entry.type === 'image')
      const articles = entries.filter((entry): entry is Entry<'article'> => entry.type === 'article')
      await checkAuthors(authors, now)
      await checkImages(images, now)
      await checkArticles(articles, authors, images, now)

      const rejected = atomic && (results.some((result) => result.status === 'failed') || entries.some((entry) => entry.problem !== undefined))
      const toWrite: Entry[] = []
      for (const entry of [...authors, ...images, ...articles]) {
        if (entry.problem !== undefined) continue
        if (sameContent(entry.stored, entry.canonical!, entry.record.updatedAt)) entry.status = 'unchanged'
        else toWrite.push(entry)
      }
      if (!rejected && toWrite.length > 0) {
        if (atomic) await writeAll(toWrite, context)
        else await writeEach(toWrite, context)
      }

      for (const entry of entries) {
        const status = entry.problem !== undefined ? 'failed' : rejected ? 'unchanged' : entry.status ?? (entry.stored === undefined ? 'created' : 'replaced')
        results.push({ line: entry.line, type: entry.type, id: entry.id, status, ...(entry.problem !== undefined && { problem: entry.problem }) })
      }
      results.sort((a, b) => a.line - b.line)
      const counts = Object.fromEntries(lineStatuses.map((status) => [status, results.filter((result) => result.status === status).length])) as ImportReport['counts']
      return { report: { atomic, counts, lines: results }, rejected }
    }
  }
}

export type BulkImport = ReturnType<typeof createBulkImport>
