// Ids for rows the code inserts with raw SQL (see insertInto in client.ts):
// the shape of Prisma's cuid() (25 characters, "c" first, rising with time),
// so they sort and look like the ids Prisma makes for every other row.
import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0

/** A new id: "c", the time in ms, a counter within the ms, and 12 random base-36 characters. */
export function newId (): string {
  const now = Date.now()
  counter = now === lastMs ? counter + 1 : 0
  lastMs = now
  let random = ''
  for (const byte of randomBytes(12)) random += (byte % 36).toString(36)
  return `c${now.toString(36).padStart(8, '0')}${(counter % 1_679_616).toString(36).padStart(4, '0')}${random}`
}
