// Follows the change log from where it stood at start, so that what this
// instance keeps in memory (public representations, API keys) drops what
// another instance's commit changed.
//
// Polling, not LISTEN/NOTIFY: one small indexed query every CHANGE_POLL_MS on
// the connection pool the app already has, the same on SQLite and PostgreSQL,
// through PgBouncer or a replica-less primary alike; it cannot miss a change
// (it resumes from the last position it read, after an outage too: positions
// become visible in commit order, see write-path.ts), and it bounds how long
// an instance serves an old version to one poll interval plus a query.
import type { Db } from '../db/client.ts'

/** What a cache needs to know of a committed change. */
export interface CommittedChange {
  position: number
  resource: string
  resourceId: string
  articleIds: string[]
}

export interface ChangeFollower {
  /** Reads what was committed since the last call (also called on a timer). */
  poll: () => Promise<void>
  stop: () => void
  position: () => number
}

const batch = 1000

export function articleIdsOf (value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []
}

export async function followChanges (options: {
  prisma: Db
  intervalMs: number
  onChanges: (changes: CommittedChange[]) => void
  onError: (error: unknown) => void
}): Promise<ChangeFollower> {
  const { prisma } = options
  let last = (await prisma.change.findFirst({ orderBy: { position: 'desc' }, select: { position: true } }))?.position ?? 0
  let stopped = false
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined

  async function readNew (): Promise<void> {
    for (;;) {
      const rows = await prisma.change.findMany({
        where: { position: { gt: last } },
        orderBy: { position: 'asc' },
        select: { position: true, resource: true, resourceId: true, articleIds: true },
        take: batch
      })
      if (rows.length === 0) return
      last = rows[rows.length - 1]!.position
      options.onChanges(rows.map((row) => ({ position: row.position, resource: row.resource, resourceId: row.resourceId, articleIds: articleIdsOf(row.articleIds) })))
      if (rows.length < batch) return
    }
  }

  async function poll (): Promise<void> {
    // One poll at a time: a slow database must not pile them up.
    running ??= readNew().catch(options.onError).finally(() => { running = undefined })
    await running
  }

  function schedule (): void {
    if (stopped) return
    timer = setTimeout(() => { void poll().then(schedule) }, options.intervalMs)
    timer.unref()
  }
  schedule()

  return {
    poll,
    stop: () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
    },
    position: () => last
  }
}
