// A bounded in-memory cache of stored public representations (articles by id
// and by slug, pages of the public list and of public search results), least recently used first out,
// sized in bytes. It is only ever emptied by the change log: this instance's
// own commits evict at once, other instances' commits when the change follower
// sees them (change-follower.ts).

/**
 * A public representation as it goes on the wire: its bytes (UTF-8, sent as
 * they are: no re-encoding, no length to count) and the values of the headers
 * that describe them.
 */
export interface StoredAnswer {
  body: Buffer
  /** A strong ETag of the bytes. */
  etag: string
  /** For the Surrogate-Key header: the ids of everything it shows. */
  surrogateKeys: string
}

/** A published article's stored JSON. */
export interface CachedArticle extends StoredAnswer {
  articleId: string
  /** When the stored bytes last changed, as Last-Modified sends it (an HTTP date). */
  lastModified: string
}

/** A page of the public article list or of public search results. */
export type CachedList = StoredAnswer

export interface PublicCache {
  /**
   * The cached form under `key`, or what `load` reads (cached unless an
   * eviction raced with the read). Reads of a missing key that arrive while
   * its load is running, with no eviction since it started, wait for that load
   * instead of starting their own: the first requests after a publish (which
   * drops every list page) cost the database one read per page, not one each.
   */
  read: (key: string, load: () => Promise<CachedArticle | null>) => Promise<CachedArticle | null>
  /** The same for list pages: any change to any published article drops them all. */
  readList: (key: string, load: () => Promise<CachedList>) => Promise<CachedList>
  /** Forgets everything cached for these articles, and every list page when there are any. */
  evict: (articleIds: Iterable<string>) => void
  clear: () => void
  stats: () => { entries: number, bytes: number }
}

// What list pages depend on, in `keysOf`: no article id looks like it.
const anyArticle = '*'

/** `maxBytes` 0 turns the cache off: every read goes to the database, on its own. */
export function createPublicCache (maxBytes: number): PublicCache {
  const entries = new Map<string, { value: CachedArticle | CachedList, dependsOn: string, bytes: number }>() // in use order: oldest first
  const keysOf = new Map<string, Set<string>>() // article id (or anyArticle) → cache keys
  let bytes = 0
  // Bumped by every eviction: a read that started before one may hold the old
  // bytes, so it is answered but not kept, and no later request joins it.
  let evictions = 0
  // Loads under way, with the eviction count they started at.
  const loading = new Map<string, { startedAt: number, answer: Promise<CachedArticle | CachedList | null> }>()

  /**
   * What is cached under `key`, else `load`'s answer, shared with every
   * request for `key` that arrives before it ends with no eviction meanwhile,
   * and kept (under the id `dependsOn` names; undefined: not kept) when no
   * eviction raced with it.
   */
  async function readThrough<T extends CachedArticle | CachedList | null> (key: string, load: () => Promise<T>, dependsOn: (value: T) => string | undefined): Promise<T> {
    if (maxBytes === 0) return await load()
    const cached = hit(key)
    if (cached !== undefined) return cached as T
    const running = loading.get(key)
    if (running !== undefined && running.startedAt === evictions) return await (running.answer as Promise<T>)
    const startedAt = evictions
    const answer = load()
    const entry = { startedAt, answer }
    loading.set(key, entry)
    try {
      const value = await answer
      const on = startedAt === evictions ? dependsOn(value) : undefined
      if (on !== undefined) put(key, value as CachedArticle | CachedList, on)
      return value
    } finally {
      if (loading.get(key) === entry) loading.delete(key)
    }
  }

  function drop (key: string): void {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    bytes -= entry.bytes
    keysOf.get(entry.dependsOn)?.delete(key)
  }

  function put (key: string, value: CachedArticle | CachedList, dependsOn: string): void {
    const size = key.length * 2 + value.body.length + value.surrogateKeys.length * 2 + 200
    if (size > maxBytes) return
    drop(key)
    entries.set(key, { value, dependsOn, bytes: size })
    bytes += size
    let keys = keysOf.get(dependsOn)
    if (keys === undefined) keysOf.set(dependsOn, keys = new Set())
    keys.add(key)
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break
      drop(oldest)
    }
  }

  function hit (key: string): CachedArticle | CachedList | undefined {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    entries.delete(key) // most recently used goes last
    entries.set(key, entry)
    return entry.value
  }

  function dropAll (dependsOn: string): void {
    for (const key of [...keysOf.get(dependsOn) ?? []]) drop(key)
    keysOf.delete(dependsOn)
  }

  return {
    read: async (key, load) => await readThrough(key, load, (article) => article?.articleId),
    readList: async (key, load) => await readThrough(key, load, () => anyArticle),
    evict (articleIds) {
      const ids = [...articleIds]
      if (ids.length === 0) return // a change no public form shows (a new author, a key): nothing in flight is stale
      evictions++
      for (const id of ids) dropAll(id)
      dropAll(anyArticle)
    },
    clear () {
      evictions++
      entries.clear()
      keysOf.clear()
      bytes = 0
    },
    stats: () => ({ entries: entries.size, bytes })
  }
}
