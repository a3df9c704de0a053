// Text that no database should store: NUL characters. PostgreSQL refuses them
// in text columns (a 500 if they got that far) and SQLite truncates at them in
// places, so they are a 400 naming the field, on every route and both engines.
import fp from 'fastify-plugin'
import { validationFailed, type FieldError } from '../../errors.ts'

function nulPaths (value: unknown, path: string, found: FieldError[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ path, message: 'must not contain NUL (U+0000) characters' })
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => { nulPaths(item, `${path}.${index}`, found) })
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push({ path: `${path}.${key}`, message: 'field names must not contain NUL characters' })
      nulPaths(item, `${path}.${key}`, found)
    }
  }
}

export default fp(async function inputHygiene (fastify) {
  fastify.addHook('preValidation', async (request) => {
    const found: FieldError[] = []
    nulPaths(request.params, 'params', found)
    nulPaths(request.query, 'query', found)
    nulPaths(request.body, 'body', found)
    if (found.length > 0) throw validationFailed(found)
  })
}, { name: 'input-hygiene' })
