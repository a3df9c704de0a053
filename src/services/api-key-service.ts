// API keys: random secrets handed out once, stored only as SHA-256 hashes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/client.ts'
import { newestFirst, pageBy } from '../db/pagination.ts'
import { notFound } from '../errors.ts'
import { serverContext, type WriteContext, type WritePath } from './write-path.ts'
import type { ApiKey as ApiKeyRow } from '../generated/sqlite/client.ts'
import type { ApiKey, ApiKeyCreate, ApiKeyRole, CreatedApiKey } from '../schemas/api-key.ts'
import type { ListQuery, Page } from '../schemas/common.ts'

const prefixLength = 12
const lastUsedResolutionMs = 60_000

/** Who is calling: resolved from the Authorization header once per request. */
export interface Actor {
  apiKeyId: string | null
  apiKeyName: string | null
  role: ApiKeyRole | 'anonymous'
}

export const anonymous: Actor = Object.freeze({ apiKeyId: null, apiKeyName: null, role: 'anonymous' })

export type KeyCheck =
  | { ok: true, actor: Actor }
  | { ok: false, reason: 'unknown' | 'revoked' | 'expired' }

function hashSecret (secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

function toApiKey (row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiKeyRole,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null
  }
}

export function createApiKeyService ({ prisma, writes }: { prisma: Db, writes: WritePath }) {
  async function store (name: string, role: ApiKeyRole, secret: string, context: WriteContext, expiresAt?: Date): Promise<ApiKeyRow> {
    return await writes.write(context, async ({ tx, record }) => {
      const key = await tx.apiKey.create({
        data: { name, role, prefix: secret.slice(0, prefixLength), secretHash: hashSecret(secret).toString('hex'), expiresAt }
      })
      record({ resource: 'api-key', resourceId: key.id, action: 'created' })
      return key
    })
  }

  // Keys found by their secret's hash, so that a request with a key costs no
  // query. A key's change (revocation) empties its entry: at once on this
  // instance, on the others when they follow the change log (forget, below).
  const known = new Map<string, ApiKeyRow>()
  const maxKnown = 10_000

  async function lookUp (secret: string): Promise<ApiKeyRow | undefined> {
    const presented = hashSecret(secret)
    const cached = known.get(presented.toString('hex'))
    if (cached !== undefined) return cached
    const candidates = await prisma.apiKey.findMany({ where: { prefix: secret.slice(0, prefixLength) } })
    const key = candidates.find((candidate) => timingSafeEqual(Buffer.from(candidate.secretHash, 'hex'), presented))
    // Unknown secrets are not remembered: anyone can send any number of them.
    if (key !== undefined && known.size < maxKnown) known.set(key.secretHash, key)
    return key
  }

  /** Finds the key a bearer secret belongs to; the hashes are compared in constant time. */
  async function check (secret: string, now = new Date(), { touch } = { touch: true }): Promise<KeyCheck> {
    const key = await lookUp(secret)
    if (key === undefined) return { ok: false, reason: 'unknown' }
    if (key.revokedAt !== null) return { ok: false, reason: 'revoked' }
    if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, reason: 'expired' }
    if (touch && (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() > lastUsedResolutionMs)) {
      await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } })
      key.lastUsedAt = now
    }
    return { ok: true, actor: { apiKeyId: key.id, apiKeyName: key.name, role: key.role as ApiKeyRole } }
  }

  async function create (input: ApiKeyCreate, context: WriteContext): Promise<CreatedApiKey> {
    const secret = `cms_${randomBytes(30).toString('base64url')}`
    const row = await store(input.name, input.role, secret, context, input.expiresAt === undefined ? undefined : new Date(input.expiresAt))
    return { ...toApiKey(row), secret }
  }

  return {
    create,

    async list (query: ListQuery): Promise<Page<ApiKey>> {
      return await pageBy(newestFirst, query.limit, async (take) => await prisma.apiKey.findMany({
        where: newestFirst.after(query.cursor), orderBy: newestFirst.orderBy, take
      }), toApiKey)
    },

    /** Revoking keeps the key (for the audit trail) but it never works again. Revoking it again changes nothing. */
    async revoke (id: string, context: WriteContext): Promise<void> {
      await writes.write(context, async ({ tx, record }) => {
        const key = await tx.apiKey.findUnique({ where: { id }, select: { revokedAt: true } })
        if (key === null) throw notFound('API key', id)
        if (key.revokedAt !== null) return
        await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } })
        record({ resource: 'api-key', resourceId: id, action: 'revoked' })
      })
    },

    check,

    /** Drops what is remembered of these keys (they changed: revoked). */
    forget (ids: string[]): void {
      if (ids.length === 0) return
      const changed = new Set(ids)
      for (const [hash, key] of known) if (changed.has(key.id)) known.delete(hash)
    },

    /**
     * At start: stores `configured` (ADMIN_API_KEY) unless it is already known
     * (a revoked or expired one stays so); without it, makes sure a working
     * admin key exists, creating one when none does. Returns the secret when it
     * generated one, so that the caller can show it once.
     */
    async ensureAdminKey (configured: string | undefined): Promise<string | undefined> {
      const now = new Date()
      if (configured !== undefined) {
        // Stored once; a revoked or expired ADMIN_API_KEY stays so.
        // Looking it up is not using it: lastUsedAt stays as it was.
        const known = await check(configured, now, { touch: false })
        if (!known.ok && known.reason === 'unknown') await store('Admin (ADMIN_API_KEY)', 'admin', configured, serverContext)
        return undefined
      }
      const admins = await prisma.apiKey.count({
        where: { role: 'admin', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }
      })
      if (admins > 0) return undefined
      return (await create({ name: 'Admin (first run)', role: 'admin' }, serverContext)).secret
    }
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>
