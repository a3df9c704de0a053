// The OpenAPI document as committed in openapi/openapi.json.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildServer } from './app.ts'
import { loadConfig } from './config.ts'

/** Builds the app (on a scratch SQLite file it never opens) and renders its document. */
export async function renderOpenApi (): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'cms-openapi-'))
  const server = await buildServer(loadConfig({ DATABASE_URL: `file:${join(scratch, 'unused.db')}`, LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', MIGRATE_ON_START: 'false' }))
  try {
    await server.ready()
    return `${JSON.stringify(server.swagger(), null, 2)}\n`
  } finally {
    await server.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}
