// Publishes scheduled stories when their time comes, and takes down published
// ones whose `expiresAt` has passed, without a request.
//
// Every instance runs it. A tick first asks, with one indexed read outside any
// write, whether anything is due; only then does it write, and inside that
// write it reads again what is due. Writes run one at a time (write-path.ts:
// on PostgreSQL every write takes the change log's advisory lock first), so
// when two instances tick at once the second finds the stories already
// published: each is published exactly once. Ticks start with the server, so
// the first one catches up on everything that fell due while it was down.
//
// Scheduled stories publish with `publishedAt` = their `scheduledAt` (unless
// they were published before): the time the newsroom chose, also after downtime.
//
// The same tick empties the trash: stories trashed more than
// TRASH_RETENTION_DAYS ago are deleted for good (as a permanent DELETE does),
// by the same read-first, read-again-inside-the-write rule, so exactly once.
import type { Db, Tx } from '../db/client.ts'
import { articleInclude } from '../db/article-mapper.ts'
import { serverContext, type WritePath } from './write-path.ts'
import { deleteForGood } from './article-service.ts'

/** Stories per write: a backlog after downtime goes in several short writes. */
const batchSize = 50

export interface Scheduler {
  /** Publishes, takes down and purges what is due now; returns how many stories changed. */
  tick: (now?: Date) => Promise<number>
  stop: () => Promise<void>
}

// A trashed story is neither published nor taken down: it stays as it was, to be restored as it was.
const dueToPublish = (now: Date) => ({ status: 'scheduled', scheduledAt: { lte: now }, deletedAt: null })
const dueToExpire = (now: Date) => ({ status: 'published', expiresAt: { lte: now }, deletedAt: null })

/** `trashRetentionDays`: see TRASH_RETENTION_DAYS (0: the trash is kept for good). */
export function createScheduler ({ prisma, writes, trashRetentionDays = 0 }: { prisma: Db, writes: WritePath, trashRetentionDays?: number }) {
  const current = async (tx: Tx, id: string) => await tx.article.findUniqueOrThrow({ where: { id }, include: articleInclude })
  const dueToPurge = (now: Date) => trashRetentionDays === 0 ? [] : [{ deletedAt: { lte: new Date(now.getTime() - trashRetentionDays * 86_400_000) } }]

  /** `now`: the clock (tests pass a later one instead of waiting). */
  async function tick (now = new Date()): Promise<number> {
    const anything = await prisma.article.findFirst({ where: { OR: [dueToPublish(now), dueToExpire(now), ...dueToPurge(now)] }, select: { id: true } })
    if (anything === null) return 0
    return await writes.write(serverContext, async ({ tx, record }) => {
      const publish = await tx.article.findMany({ where: dueToPublish(now), select: { id: true, publishedAt: true, scheduledAt: true }, orderBy: { scheduledAt: 'asc' }, take: batchSize })
      for (const story of publish) {
        await tx.article.update({ where: { id: story.id }, data: { status: 'published', publishedAt: story.publishedAt ?? story.scheduledAt, version: { increment: 1 } } })
        record({ resource: 'article', resourceId: story.id, action: 'published', current: await current(tx, story.id) })
      }
      const expire = await tx.article.findMany({ where: dueToExpire(now), select: { id: true }, orderBy: { expiresAt: 'asc' }, take: batchSize })
      for (const story of expire) {
        await tx.article.update({ where: { id: story.id }, data: { status: 'archived', version: { increment: 1 } } })
        record({ resource: 'article', resourceId: story.id, action: 'unpublished', current: await current(tx, story.id) })
      }
      const purge = dueToPurge(now).length === 0
        ? []
        : await tx.article.findMany({ where: dueToPurge(now)[0], select: { id: true, status: true, deletedAt: true }, orderBy: { deletedAt: 'asc' }, take: batchSize })
      for (const story of purge) await deleteForGood(tx, record, story)
      return publish.length + expire.length + purge.length
    })
  }

  return {
    tick,
    /** Ticks every `intervalMs` (at once again while a backlog lasts) until stopped. */
    start ({ intervalMs, onError }: { intervalMs: number, onError: (error: unknown) => void }): Scheduler {
      let timer: NodeJS.Timeout | undefined
      let running: Promise<void> = Promise.resolve()
      let stopped = false
      const run = (): void => {
        running = (async () => {
          let changed = 0
          try {
            changed = await tick()
          } catch (error) {
            onError(error)
          }
          if (!stopped) timer = setTimeout(run, changed >= batchSize ? 0 : intervalMs)
        })()
      }
      run()
      return {
        tick,
        stop: async () => {
          stopped = true
          clearTimeout(timer)
          await running
        }
      }
    }
  }
}
