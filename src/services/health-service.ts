import type { Db } from '../db/client.ts'
import type { Engine } from '../db/engine.ts'

export interface Health {
  status: 'ok' | 'unavailable'
  database: { engine: Engine, status: 'up' | 'down', latencyMs: number | null }
  uptimeSeconds: number
}

export function createHealthService ({ prisma, engine }: { prisma: Db, engine: Engine }) {
  return {
    async check (): Promise<Health> {
      const started = performance.now()
      let up = true
      try {
        await prisma.$queryRawUnsafe('SELECT 1')
      } catch {
        up = false
      }
      return {
        status: up ? 'ok' : 'unavailable',
        database: { engine, status: up ? 'up' : 'down', latencyMs: up ? Math.round((performance.now() - started) * 100) / 100 : null },
        uptimeSeconds: Math.round(process.uptime())
      }
    }
  }
}

export type HealthService = ReturnType<typeof createHealthService>
