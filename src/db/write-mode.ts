/**
 * How a write treats fields the client left out: `replace` (POST, PUT) stores
 * them as null, `patch` (PATCH) leaves the stored value alone.
 */
export type WriteMode = 'replace' | 'patch'

/** The column value for an optional field under `mode`; undefined means "do not touch". */
export function columnValue<T> (value: T | undefined, mode: WriteMode): T | null | undefined {
  if (value !== undefined) return value
  return mode === 'replace' ? null : undefined
}
