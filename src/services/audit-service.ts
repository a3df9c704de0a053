// The audit trail: the change log (written by src/services/write-path.ts in
// each write's own transaction) as who did what, newest first.
import type { Db } from '../db/client.ts'
import { keyset, pageBy } from '../db/pagination.ts'
import type { AuditEvent, AuditQuery } from '../schemas/api-key.ts'
import type { Page } from '../schemas/common.ts'

/** Newest change first. */
const latestFirst = keyset([{ field: 'position', direction: 'desc', kind: 'number' }])

/** What each method answers on success: the change log keeps the request, not the response. */
const successStatus: Record<string, number> = { POST: 201, DELETE: 204, PUT: 200, PATCH: 200 }

/** The bulk import answers 200 with its report, whatever its lines did. */
const bulkImportPath = /^\/v1\/import(\?|$)/

/**
 * A POST answers 201 when it created what the change names (an article, a
 * key, a ninjs story new to us); one that acted on something that exists (a
 * restore from the trash or of a revision, a ninjs update, the bulk import) 200.
 */
function statusOf (method: string | null, action: string, path: string | null): number | null {
  if (method === 'POST') return action === 'created' && !bulkImportPath.test(path ?? '') ? 201 : 200
  return successStatus[method ?? ''] ?? null
}

export function createAuditService ({ prisma }: { prisma: Db }) {
  return {
    async list (query: AuditQuery): Promise<Page<AuditEvent>> {
      const filters = {
        ...(query.resource !== undefined && { resource: query.resource }),
        ...(query.resourceId !== undefined && { resourceId: query.resourceId }),
        ...(query.apiKeyId !== undefined && { apiKeyId: query.apiKeyId })
      }
      return await pageBy(latestFirst, query.limit, async (take) => await prisma.change.findMany({
        where: { AND: [filters, latestFirst.after(query.cursor)] }, orderBy: latestFirst.orderBy, take
      }), (row) => ({
        id: String(row.position),
        createdAt: row.createdAt.toISOString(),
        apiKeyId: row.apiKeyId,
        apiKeyName: row.apiKeyName,
        role: row.role,
        action: row.action as AuditEvent['action'],
        resource: row.resource as AuditEvent['resource'],
        resourceId: row.resourceId,
        method: row.method,
        path: row.path,
        status: statusOf(row.method, row.action, row.path),
        requestId: row.requestId
      }))
    }
  }
}

export type AuditService = ReturnType<typeof createAuditService>
