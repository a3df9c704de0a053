// Slugs: lowercase-kebab URL keys derived from a headline or a name.
import { randomBytes } from 'node:crypto'
import { isUniqueViolation } from '../db/prisma-errors.ts'
import { slugTaken } from '../errors.ts'

const maxSlugLength = 80

// Latin letters that NFKD does not split into a base letter and an accent.
const transliterations: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' }

export function slugify (text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD
    .replace(/[øæœßłđðþı]/g, (letter) => transliterations[letter] ?? letter)
    .replace(/[’'"]/g, '') // "world's" → "worlds", not "world-s"
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= maxSlugLength) return slug
  // Cut at a word boundary where one is near enough.
  const cut = slug.slice(0, maxSlugLength)
  if (slug[maxSlugLength] === '-') return cut // the cut fell between two words
  const lastDash = cut.lastIndexOf('-')
  return lastDash > maxSlugLength / 2 ? cut.slice(0, lastDash) : cut.replace(/-+$/, '')
}

/**
 * A free slug derived from `text`: the slugified text, or with "-2", "-3"…
 * appended when taken. Text with no Latin letters or digits falls back to
 * `fallback` (e.g. "article").
 */
export async function deriveFreeSlug (
  text: string,
  fallback: string,
  takenWithPrefix: (prefix: string) => Promise<string[]>
): Promise<string> {
  const base = slugify(text) || fallback
  const taken = new Set(await takenWithPrefix(base))
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!taken.has(candidate)) return candidate
  }
}

export interface SlugWrite<T> {
  /** The slug the client asked for: taken → 409. */
  requested: string | undefined
  /** Text to derive a slug from when none was asked for: taken → "-2", "-3"… */
  derivedFrom: string
  fallback: string
  takenWithPrefix: (prefix: string) => Promise<string[]>
  write: (slug: string) => Promise<T>
  /** For the 409: "article", "author". */
  resource: string
}

/**
 * Writes with a slug that is free. The unique index decides races: a requested
 * slug that another writer took first is a conflict; a derived one is derived
 * again, a few times, before giving up with a conflict too.
 */
export async function writeWithFreeSlug<T> (options: SlugWrite<T>): Promise<T> {
  const requested = options.requested
  if (requested !== undefined) return await withSlugConflict(options.resource, requested, async () => await options.write(requested))
  let slug = ''
  for (let attempt = 0; attempt < 8; attempt++) {
    // Writers racing for the same headline all compute the same "next free"
    // slug; after a few lost races a random suffix ends the contest.
    slug = attempt < 3
      ? await deriveFreeSlug(options.derivedFrom, options.fallback, options.takenWithPrefix)
      : `${slugify(options.derivedFrom) || options.fallback}-${randomBytes(3).toString('hex')}`
    try {
      return await options.write(slug)
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
  }
  throw slugTaken(options.resource, slug)
}

/** Runs a write that sets `slug`; the unique index refusing it becomes a 409. */
export async function withSlugConflict<T> (resource: string, slug: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    throw isUniqueViolation(error) && slug !== undefined ? slugTaken(resource, slug) : error
  }
}
