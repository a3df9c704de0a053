// A bounded in-memory cache of stored public representations (by article id
// and by slug), least recently used first out, sized in bytes. It is only ever
// emptied by the change log: this instance's own commits evict at once, other
// instances' commits when the change follower sees them (change-follower.ts).
import type { StoredArticle } from './public-articles.ts'

export interface CachedArticle extends StoredArticle {
  articleId: string
  /** For the Surrogate-Key header: the ids of everything it shows. */
  surrogateKeys: string
}

export interface PublicCache {
  /** The cached form under `key`, or what `load` reads (cached unless an eviction raced with the read). */
  read: (key: string, load: () => Promise<CachedArticle | null>) => Promise<CachedArticle | null>
  /** Forgets everything cached for these articles. */
  evict: (articleIds: Iterable<string>) => void
  clear: () => void
  stats: () => { entries: number, bytes: number }
}

/** `maxBytes` 0 turns the cache off (every read goes to the database). */
export function createPublicCache (maxBytes: number): PublicCache {
  const entries = new Map<string, { article: CachedArticle, bytes: number }>() // in use order: oldest first
  const keysOf = new Map<string, Set<string>>()
  let bytes = 0
  // Bumped by every eviction: a read that started before one may hold the old
  // bytes, so it is answered but not kept.
  let evictions = 0

  function drop (key: string): void {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    bytes -= entry.bytes
    keysOf.get(entry.article.articleId)?.delete(key)
  }

  function put (key: string, article: CachedArticle): void {
    const size = key.length * 2 + article.json.length * 2 + 200
    if (size > maxBytes) return
    drop(key)
    entries.set(key, { article, bytes: size })
    bytes += size
    let keys = keysOf.get(article.articleId)
    if (keys === undefined) keysOf.set(article.articleId, keys = new Set())
    keys.add(key)
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break
      drop(oldest)
    }
  }

  return {
    async read (key, load) {
      const hit = entries.get(key)
      if (hit !== undefined) {
        entries.delete(key) // most recently used goes last
        entries.set(key, hit)
        return hit.article
      }
      const before = evictions
      const article = await load()
      if (article !== null && maxBytes > 0 && before === evictions) put(key, article)
      return article
    },
    evict (articleIds) {
      evictions++
      for (const id of articleIds) {
        for (const key of [...keysOf.get(id) ?? []]) drop(key)
        keysOf.delete(id)
      }
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
