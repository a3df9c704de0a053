// `npm run openapi`: writes openapi/openapi.json from the routes' Zod schemas.
// test/openapi.test.ts fails when the committed file differs.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderOpenApi } from '../openapi.ts'

const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'openapi', 'openapi.json')
mkdirSync(dirname(target), { recursive: true })
writeFileSync(target, await renderOpenApi())
console.log(`wrote ${target}`)
