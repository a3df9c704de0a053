// "Did you mean": for a field a schema does not know, the known field it was
// probably meant to be (`headlin` → `headline`, `leadImage` → `leadImageId`).
import type { z } from 'zod'

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  innerType?: z.ZodType
  in?: z.ZodType
  options?: z.ZodType[]
  values?: unknown[]
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/** Looks through wrappers (optional, nullable, default, catch, pipes) to the schema that decides the shape. */
function unwrap (schema: z.ZodType): z.ZodType {
  let current = schema
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current)
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined)
    if (inner === undefined) return current
    current = inner
  }
  return current
}

/** The member of a discriminated union that `value` is meant to be, by its `type`. */
function unionMember (options: z.ZodType[], value: unknown): z.ZodType | undefined {
  const tag = (value as { type?: unknown } | null)?.type
  return options.find((option) => {
    const typeField = defOf(unwrap(option)).shape?.type
    return typeField !== undefined && (defOf(typeField).values ?? []).includes(tag)
  })
}

/** The field names of the object at `path` inside `schema`, read with the request's `value`. */
export function knownFieldsAt (schema: z.ZodType, path: string[], value: unknown): string[] {
  let current: z.ZodType | undefined = unwrap(schema)
  let data = value
  for (const segment of [...path, '']) {
    if (current === undefined) return []
    const def = defOf(current)
    if (def.type === 'union' && def.options !== undefined) {
      current = unionMember(def.options, data)
      if (current === undefined) return []
      current = unwrap(current)
    }
    if (segment === '') break
    const container = defOf(current)
    data = (data as Record<string, unknown> | null | undefined)?.[segment]
    const next = container.type === 'object' ? container.shape?.[segment] : container.type === 'array' ? container.element : undefined
    current = next === undefined ? undefined : unwrap(next)
  }
  return current === undefined ? [] : Object.keys(defOf(current).shape ?? {})
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: the optimal string alignment distance. */
function editDistance (a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = best
    }
  }
  return rows[a.length]![b.length]!
}

/** The known field closest to `unknown`, when one is close enough to be a likely slip. */
export function closestField (unknown: string, known: string[]): string | undefined {
  const lower = unknown.toLowerCase()
  let best: { field: string, distance: number } | undefined
  for (const field of known) {
    const candidate = field.toLowerCase()
    // A prefix ("leadImage" of "leadImageId") counts as close; otherwise a few typos.
    const prefix = Math.min(lower.length, candidate.length) >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate))
    const distance = prefix ? 1 : editDistance(lower, candidate)
    if (distance <= Math.max(1, Math.floor(field.length / 4)) && (best === undefined || distance < best.distance)) best = { field, distance }
  }
  return best?.field
}
