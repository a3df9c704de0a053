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
  /** The cached form under `key`, or what `load` reads (cached unless an eviction raced with the read). */
  read: (key: string, load: () => Promise<CachedArticle | null>) => Promise<CachedArticle | null>
  /** The same for list pages: any change to any published article drops them all. */
  readList: (key: string, load: () => Promise<CachedList>) => Promise<CachedList>
  /** Forgets everything cached for these articles, and every list page when there are any. */
  evict: (articleIds: Iterable<string>) => void
  clear: () => void
  stats: () => { entries: number, bytes: number }
}

/** `maxBytes` 0 turns the cache off (every read goes to the database). */
// What list pages depend on, in `keysOf`: no article id looks like it.
const anyArticle = '*'

export function createPublicCache (maxBytes: number): PublicCache {
  const entries = new Map<string, { value: CachedArticle | CachedList, dependsOn: string, bytes: number }>() // in use order: oldest first
  const keysOf = new Map<string, Set<string>>() // article id (or anyArticle) → cache keys
  let bytes = 0
  // Bumped by every eviction: a read that started before one may hold the old
  // bytes, so it is answered but not kept.
  let evictions = 0

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
    async read (key, load) {
      const cached = hit(key) as CachedArticle | undefined
      if (cached !== undefined) return cached
      const before = evictions
      const article = await load()
      if (article !== null && maxBytes > 0 && before === evictions) put(key, article, article.articleId)
      return article
    },
    async readList (key, load) {
      const cached = hit(key) as CachedList | undefined
      if (cached !== undefined) return cached
      const before = evictions
      const list = await load()
      if (maxBytes > 0 && before === evictions) put(key, list, anyArticle)
      return list
    },
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
