// What changed between two revisions of an article: the fields that differ,
// and the body compared as a list of blocks, matched by block id (ids survive
// edits: see writeBody in article-service.ts). A block only in the newer
// revision is added, only in the older removed; one in both whose content
// differs is changed; and one whose place among the others changed is moved:
// the blocks kept in order are the longest common subsequence of the two id
// lists, so inserting a paragraph moves nothing else.
import { isDeepStrictEqual } from 'node:util'

export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

interface Block { id?: string, [field: string]: unknown }

export type BlockChange =
  | { change: 'added', id: string | null, position: number, block: Block }
  | { change: 'removed', id: string | null, position: number, block: Block }
  | { change: 'moved', id: string, from: number, to: number }
  | { change: 'changed', id: string, from: Block, to: Block, position: number }

/** The ids kept in order: a longest common subsequence of the two lists. */
function keptInOrder (before: string[], after: string[]): Set<string> {
  const lengths = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0))
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i]![j] = before[i] === after[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!)
    }
  }
  const kept = new Set<string>()
  for (let i = 0, j = 0; i < before.length && j < after.length;) {
    if (before[i] === after[j]) { kept.add(before[i]!); i++; j++ } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++
    else j++
  }
  return kept
}

export function diffBodies (before: Block[], after: Block[]): BlockChange[] {
  const changes: BlockChange[] = []
  const afterIds = new Map(after.flatMap((block, position) => block.id === undefined ? [] : [[block.id, position] as const]))
  const beforeIds = new Map(before.flatMap((block, position) => block.id === undefined ? [] : [[block.id, position] as const]))
  before.forEach((block, position) => {
    if (block.id === undefined || !afterIds.has(block.id)) changes.push({ change: 'removed', id: block.id ?? null, position, block })
  })
  const common = (blocks: Block[], others: Map<string, number>): string[] => blocks.flatMap((block) => block.id !== undefined && others.has(block.id) ? [block.id] : [])
  const kept = keptInOrder(common(before, afterIds), common(after, beforeIds))
  after.forEach((block, position) => {
    const earlier = block.id === undefined ? undefined : beforeIds.get(block.id)
    if (earlier === undefined) {
      changes.push({ change: 'added', id: block.id ?? null, position, block })
      return
    }
    if (!kept.has(block.id!)) changes.push({ change: 'moved', id: block.id!, from: earlier, to: position })
    if (!isDeepStrictEqual(before[earlier], block)) changes.push({ change: 'changed', id: block.id!, from: before[earlier]!, to: block, position })
  })
  return changes
}

/** Every top-level field but `body` and `ignore` that differs, in the order of `after`'s fields. */
export function diffFields (before: Record<string, unknown>, after: Record<string, unknown>, ignore: string[] = []): FieldChange[] {
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter((field) => field !== 'body' && !ignore.includes(field))
  return fields.flatMap((field) => isDeepStrictEqual(before[field], after[field]) ? [] : [{ field, from: before[field] ?? null, to: after[field] ?? null }])
}
