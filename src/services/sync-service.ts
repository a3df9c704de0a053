// The sync feed, read from the change log. The first sync lists everything
// the caller may see, page by page, and ends with a token holding the log
// position read before the first page; later syncs read the log after that
// position, in commit order, and answer each changed item with what it is now
// (or a tombstone). Positions become visible in commit order on both engines
// (see write-path.ts), so a token never skips a change committed while a sync
// ran; an item changed during a first sync comes again in the next one.
//
// What the public sees changes only through published stories, so without
// drafts the articles come from the log's `articleIds` (the published stories
// each change altered, unpublished and deleted ones included) and never from
// the ids of drafts, whose existence stays private.
import type { Db } from '../db/client.ts'
import { articleInclude, toArticle } from '../db/article-mapper.ts'
import { toAuthor } from '../db/author-mapper.ts'
import { toImage } from '../db/image-mapper.ts'
import { articleIdsOf } from './change-follower.ts'
import { changeLogHorizon } from './change-log-retention.ts'
import { everything, type ReadScope } from './read-scope.ts'
import { forbidden, syncTokenExpired, validationFailed, type AppError } from '../errors.ts'
import { syncTypes, type SyncItem, type SyncQuery, type SyncType } from '../schemas/sync.ts'

/** Who is syncing: staff keys may read images and, when they ask, drafts. */
export interface SyncReader {
  canReadDrafts: boolean
}

/** Where a sync stands: in its first listing (a kind, after an id) or in the log after a position. */
type Position =
  | { phase: 'first', horizon: number, type: SyncType, afterId: string }
  | { phase: 'log', after: number }

function encode (position: Position): string {
  const parts = position.phase === 'first' ? ['f', position.horizon, position.type, position.afterId] : ['l', position.after]
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

function decode (token: string, field: 'syncToken' | 'pageToken'): Position {
  const invalid = (): AppError => validationFailed([{ path: `query.${field}`, message: 'is not a token this feed issued' }], 'Invalid sync token')
  let parts: unknown
  try {
    parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parts)) throw invalid()
  const [phase, a, b, c] = parts as unknown[]
  const isPosition = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
  if (phase === 'l' && parts.length === 2 && isPosition(a)) return { phase: 'log', after: a }
  if (phase === 'f' && parts.length === 4 && field === 'pageToken' && isPosition(a) && (syncTypes as readonly unknown[]).includes(b) && typeof c === 'string') {
    return { phase: 'first', horizon: a, type: b as SyncType, afterId: c }
  }
  throw invalid()
}

export interface SyncPage {
  items: SyncItem[]
  nextPageToken: string | null
  nextSyncToken: string | null
}

export function createSyncService ({ prisma }: { prisma: Db }) {
  const latestPosition = async (): Promise<number> =>
    (await prisma.change.findFirst({ orderBy: { position: 'desc' }, select: { position: true } }))?.position ?? 0

  /** Current items of one kind by id, for the first sync: up to `take`, after `afterId`. */
  async function listing (type: SyncType, afterId: string, take: number, drafts: boolean, scope: ReadScope): Promise<SyncItem[]> {
    const after = { gt: afterId }
    switch (type) {
      case 'article':
        if (drafts) {
          return (await prisma.article.findMany({ where: { id: after, deletedAt: null }, orderBy: { id: 'asc' }, include: articleInclude, take }))
            .map((row) => ({ type, id: row.id, data: toArticle(row, everything) }))
        }
        return (await prisma.publicArticle.findMany({ where: { articleId: after }, orderBy: { articleId: 'asc' }, select: { articleId: true, json: true }, take }))
          .map((row) => ({ type, id: row.articleId, data: JSON.parse(row.json) }))
      case 'author':
        return (await prisma.author.findMany({ where: { id: after }, orderBy: { id: 'asc' }, take }))
          .map((row) => ({ type, id: row.id, data: toAuthor(row, scope) }))
      case 'image':
        return (await prisma.image.findMany({ where: { id: after }, orderBy: { id: 'asc' }, take }))
          .map((row) => ({ type, id: row.id, data: toImage(row) }))
    }
  }

  async function firstSync (position: Extract<Position, { phase: 'first' }>, types: SyncType[], limit: number, drafts: boolean, scope: ReadScope): Promise<SyncPage> {
    const items: SyncItem[] = []
    let { type, afterId } = position
    for (let index = types.indexOf(type); index < types.length; index++) {
      type = types[index]!
      const wanted = limit - items.length
      const found = await listing(type, afterId, wanted + 1, drafts, scope)
      items.push(...found.slice(0, wanted))
      if (found.length > wanted) return { items, nextPageToken: encode({ ...position, type, afterId: items.at(-1)!.id }), nextSyncToken: null }
      afterId = ''
    }
    return { items, nextPageToken: null, nextSyncToken: encode({ phase: 'log', after: position.horizon }) }
  }

  async function logSync (after: number, types: SyncType[], limit: number, drafts: boolean, scope: ReadScope): Promise<SyncPage> {
    const rows = await prisma.change.findMany({
      where: { position: { gt: after } },
      orderBy: { position: 'asc' },
      select: { position: true, resource: true, resourceId: true, articleIds: true, createdAt: true },
      take: limit + 1
    })
    const page = rows.slice(0, limit)
    // Each changed item once, where it last changed, with the time of that change.
    const changed = new Map<string, { type: SyncType, id: string, at: Date }>()
    const touch = (type: SyncType, id: string, at: Date): void => {
      if (!types.includes(type)) return
      const key = `${type}:${id}`
      changed.delete(key)
      changed.set(key, { type, id, at })
    }
    for (const row of page) {
      for (const id of articleIdsOf(row.articleIds)) touch('article', id, row.createdAt)
      if (drafts && (row.resource === 'article' || row.resource === 'byline')) touch('article', row.resourceId, row.createdAt)
      if (row.resource === 'author' || row.resource === 'image') touch(row.resource, row.resourceId, row.createdAt)
    }
    const idsOf = (type: SyncType): string[] => [...changed.values()].filter((item) => item.type === type).map((item) => item.id)
    const articleIds = idsOf('article')
    const current = new Map<string, SyncItem>()
    if (articleIds.length > 0) {
      if (drafts) {
        for (const row of await prisma.article.findMany({ where: { id: { in: articleIds }, deletedAt: null }, include: articleInclude })) {
          current.set(`article:${row.id}`, { type: 'article', id: row.id, data: toArticle(row, everything) })
        }
      } else {
        for (const row of await prisma.publicArticle.findMany({ where: { articleId: { in: articleIds } }, select: { articleId: true, json: true } })) {
          current.set(`article:${row.articleId}`, { type: 'article', id: row.articleId, data: JSON.parse(row.json) })
        }
      }
    }
    // Stories that still exist but are not published (the public only hears of ones it saw published).
    // A trashed story is gone (a deletedAt tombstone), as for drafts=true.
    const unpublished = new Set(drafts || articleIds.length === 0
      ? []
      : (await prisma.article.findMany({ where: { id: { in: articleIds.filter((id) => !current.has(`article:${id}`)) }, deletedAt: null }, select: { id: true } })).map((row) => row.id))
    const authorIds = idsOf('author')
    if (authorIds.length > 0) {
      for (const row of await prisma.author.findMany({ where: { id: { in: authorIds } } })) current.set(`author:${row.id}`, { type: 'author', id: row.id, data: toAuthor(row, scope) })
    }
    const imageIds = idsOf('image')
    if (imageIds.length > 0) {
      for (const row of await prisma.image.findMany({ where: { id: { in: imageIds } } })) current.set(`image:${row.id}`, { type: 'image', id: row.id, data: toImage(row) })
    }
    const items = [...changed.entries()].map(([key, { type, id, at }]): SyncItem => {
      const item = current.get(key)
      if (item !== undefined) return item
      if (type === 'article' && unpublished.has(id)) return { type: 'article', id, unpublishedAt: at.toISOString() }
      return { type, id, deletedAt: at.toISOString() }
    })
    const last = page.at(-1)?.position ?? after
    return rows.length > limit
      ? { items, nextPageToken: encode({ phase: 'log', after: last }), nextSyncToken: null }
      : { items, nextPageToken: null, nextSyncToken: encode({ phase: 'log', after: last }) }
  }

  return {
    async sync (query: SyncQuery, reader: SyncReader): Promise<SyncPage> {
      if (query.drafts && !reader.canReadDrafts) throw forbidden('Drafts need an integrator, editor or admin key')
      if (query.types?.includes('image') === true && !reader.canReadDrafts) throw forbidden('Images need an integrator, editor or admin key')
      if (query.syncToken !== undefined && query.pageToken !== undefined) {
        throw validationFailed([{ path: 'query.pageToken', message: 'send either syncToken or pageToken, not both' }])
      }
      const types = (query.types ?? syncTypes.filter((type) => type !== 'image' || reader.canReadDrafts))
        .slice().sort((a, b) => syncTypes.indexOf(a) - syncTypes.indexOf(b))
      const scope: ReadScope = { includeDrafts: reader.canReadDrafts }
      const token = query.pageToken ?? query.syncToken
      const position: Position = token === undefined
        ? { phase: 'first', horizon: await latestPosition(), type: types[0]!, afterId: '' }
        : decode(token, query.pageToken !== undefined ? 'pageToken' : 'syncToken')
      if (position.phase === 'first') {
        if (!types.includes(position.type)) throw validationFailed([{ path: 'query.types', message: 'must be the same in every call of one sync' }])
        return await firstSync(position, types, query.limit, query.drafts, scope)
      }
      // A position the log has not reached: a token from another database, or from before a restore.
      if (position.after > await latestPosition()) throw syncTokenExpired('This sync token is ahead of the change log (another database, or one restored from a backup): sync again from the start, without a token')
      // Or one from before what the log keeps (CHANGE_LOG_RETENTION_DAYS).
      if (position.after < await changeLogHorizon(prisma)) throw syncTokenExpired('This sync token is from before what the change log keeps: sync again from the start, without a token')
      return await logSync(position.after, types, query.limit, query.drafts, scope)
    },

    /** A sync token for the log as it stands now: syncing from it returns every change committed after this call. */
    async tokenForNow (): Promise<string> {
      return encode({ phase: 'log', after: await latestPosition() })
    }
  }
}

export type SyncService = ReturnType<typeof createSyncService>
