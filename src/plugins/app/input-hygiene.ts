// Text that no database can store, and shapes no request needs, refused as a
// 400 naming the field, on every route and both engines:
// - NUL characters: PostgreSQL refuses them in text (a 500 if they got that
//   far), SQLite cuts strings at them in places;
// - lone UTF-16 surrogates: UTF-8 has no form for them, and Prisma's query
//   protocol fails on them;
// - nesting deeper than any field of the API (the deepest is three levels).
import fp from 'fastify-plugin'
import { validationFailed, type FieldError } from '../../errors.ts'

const maxDepth = 32
// With the `u` flag, \p{Cs} matches only surrogates that are not part of a pair.
const unstorable = /[\u0000\p{Cs}]/u

function problemWith (text: string): string | undefined {
  const match = unstorable.exec(text)
  if (match === null) return undefined
  return match[0] === '\u0000' ? 'must not contain NUL (U+0000) characters' : 'must be well-formed Unicode (no lone surrogates)'
}

/** Walks the value without recursion (a deep body must not exhaust the stack). */
export function unstorableFields (root: unknown, rootPath: string): FieldError[] {
  const found: FieldError[] = []
  const pending: Array<{ value: unknown, path: string, depth: number }> = [{ value: root, path: rootPath, depth: 0 }]
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!
    if (typeof value === 'string') {
      const message = problemWith(value)
      if (message !== undefined) found.push({ path, message })
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= maxDepth) {
      found.push({ path, message: `is nested too deeply (more than ${maxDepth} levels)` })
      continue
    }
    for (const [key, item] of Object.entries(value)) {
      const message = problemWith(key)
      if (message !== undefined) found.push({ path: `${path}.${key}`, message: `field name ${message}` })
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 })
    }
  }
  return found
}

export default fp(async function inputHygiene (fastify) {
  fastify.addHook('preValidation', async (request) => {
    const found = [
      ...unstorableFields(request.params, 'params'),
      ...unstorableFields(request.query, 'query'),
      ...unstorableFields(request.body, 'body')
    ]
    if (found.length > 0) throw validationFailed(found)
  })
}, { name: 'input-hygiene' })
