// Retention of the change log (CHANGE_LOG_RETENTION_DAYS). Rows older than the
// retention are deleted through the write path, which records the deletion as
// a change of its own ("change-log deleted", resourceId = the last position
// deleted): the latest such row is the horizon below which a sync token can no
// longer be answered, and it survives every later pruning (it is newer than
// what that pruning deletes). Instances prune one at a time (the write path's
// lock); one that finds nothing to delete writes nothing.
import type { Db } from '../db/client.ts'
import { serverContext, type WritePath } from './write-path.ts'

/** The last position deleted by retention (0 when none ever was). */
export async function changeLogHorizon (prisma: Db): Promise<number> {
  const marker = await prisma.change.findFirst({ where: { resource: 'change-log' }, orderBy: { position: 'desc' }, select: { resourceId: true } })
  return marker === null ? 0 : Number(marker.resourceId)
}

/** Deletes the rows older than `days` days; returns the last position deleted, or null when nothing was old enough. */
export async function pruneChangeLog ({ writes }: { writes: WritePath }, days: number, now = new Date()): Promise<number | null> {
  const cutoff = new Date(now.getTime() - days * 86_400_000)
  return await writes.write(serverContext, async ({ tx, record }) => {
    const last = await tx.change.findFirst({ where: { createdAt: { lt: cutoff } }, orderBy: { position: 'desc' }, select: { position: true } })
    if (last === null) return null
    await tx.change.deleteMany({ where: { position: { lte: last.position } } })
    record({ resource: 'change-log', resourceId: String(last.position), action: 'deleted' })
    return last.position
  })
}
