// The one place that knows Prisma's error codes.
// @see https://www.prisma.io/docs/orm/reference/error-reference#prisma-client-query-engine

interface PrismaKnownError { code: string, meta?: Record<string, unknown> }

function isPrismaKnownError (error: unknown): error is PrismaKnownError {
  return error instanceof Error && error.name === 'PrismaClientKnownRequestError' &&
    typeof (error as { code?: unknown }).code === 'string'
}

/**
 * A raw query that failed (P2010) carries the driver adapter's error, whose
 * `kind` names the constraint the same way on both engines.
 */
function rawQueryFailure (error: PrismaKnownError): string | undefined {
  const cause = (error.meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined)?.cause
  return error.code === 'P2010' && typeof cause?.kind === 'string' ? cause.kind : undefined
}

/** A unique constraint failed (P2002, or a raw insert's), e.g. two writers claiming one slug. */
export function isUniqueViolation (error: unknown): boolean {
  return isPrismaKnownError(error) && (error.code === 'P2002' || rawQueryFailure(error) === 'UniqueConstraintViolation')
}

/** A foreign key failed (P2003, or a raw insert's): a referenced row vanished, or is still referenced. */
export function isForeignKeyViolation (error: unknown): boolean {
  return isPrismaKnownError(error) && (error.code === 'P2003' || rawQueryFailure(error) === 'ForeignKeyConstraintViolation')
}

/** The row to update or delete does not exist (P2025). */
export function isRecordMissing (error: unknown): boolean {
  return isPrismaKnownError(error) && error.code === 'P2025'
}

/**
 * Prisma's codes for a database it cannot reach or use right now: the server
 * cannot be reached, timed out, the database is gone or renamed, the server
 * closed the connection, the pool had no connection in time; and SQLite's
 * "cannot open the file".
 */
const unreachableCodes = new Set(['P1001', 'P1002', 'P1003', 'P1008', 'P1017', 'P2024', 'SQLITE_CANTOPEN', 'SQLITE_IOERR'])

/** The database is unreachable: a 503 to retry, not a 500. */
export function isDatabaseUnreachable (error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'PrismaClientInitializationError') return true
  const { code, meta } = error as { code?: unknown, meta?: { code?: unknown, driverAdapterError?: { cause?: { kind?: unknown } } } }
  const unreachable = (value: unknown): boolean => typeof value === 'string' && (unreachableCodes.has(value) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P01|57P03|3D000)$/.test(value))
  // A raw query (P2010) carries the database's or driver's own code, or the adapter's kind of failure.
  return unreachable(code) || (code === 'P2010' && (unreachable(meta?.code) || /^(DatabaseNotReachable|DatabaseDoesNotExist|DatabaseAccessDenied|SocketTimeout|ConnectionClosed)$/.test(String(meta?.driverAdapterError?.cause?.kind))))
}
