// The audit trail: one event per successful change, with the key that made it.
import type { Db } from '../db/client.ts'
import { newestFirst, pageBy } from '../db/pagination.ts'
import type { AuditEvent, AuditQuery } from '../schemas/api-key.ts'
import type { Page } from '../schemas/common.ts'
import type { Actor } from './api-key-service.ts'

export interface Change {
  actor: Actor
  action: string
  resource: string
  resourceId: string | null
  method: string
  path: string
  status: number
  requestId: string
}

export function createAuditService ({ prisma }: { prisma: Db }) {
  return {
    async record (change: Change): Promise<void> {
      const { actor, ...rest } = change
      await prisma.auditEvent.create({
        data: { ...rest, apiKeyId: actor.apiKeyId, apiKeyName: actor.apiKeyName, role: actor.role === 'anonymous' ? null : actor.role }
      })
    },

    async list (query: AuditQuery): Promise<Page<AuditEvent>> {
      const filters = {
        ...(query.resource !== undefined && { resource: query.resource }),
        ...(query.resourceId !== undefined && { resourceId: query.resourceId }),
        ...(query.apiKeyId !== undefined && { apiKeyId: query.apiKeyId })
      }
      return await pageBy(newestFirst, query.limit, async (take) => await prisma.auditEvent.findMany({
        where: { AND: [filters, newestFirst.after(query.cursor)] }, orderBy: newestFirst.orderBy, take
      }), (row) => ({ ...row, createdAt: row.createdAt.toISOString() }))
    }
  }
}

export type AuditService = ReturnType<typeof createAuditService>
