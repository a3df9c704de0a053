// The first README command, as a user runs it: the server process starts on an
// empty database, migrates it, loads the demo article and serves the docs.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { demoArticleSlug } from '../src/demo/demo-content.ts'
import { engineUnderTest } from './helper.ts'
import { databaseUrlFor, readPostgresState } from './support/test-databases.ts'

async function emptyDatabase (t: Test): Promise<string> {
  if (engineUnderTest() === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'cms-server-'))
    t.teardown(() => { rmSync(folder, { recursive: true, force: true }) })
    return `file:${join(folder, 'not-yet', 'cms.db')}` // the folder too is created at start
  }
  const server = readPostgresState().url
  const name = `t_server_${process.pid}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  })
  return databaseUrlFor(server, name)
}

t.test('the server starts on an empty database and serves the demo article and the docs', async (t) => {
  const databaseUrl = await emptyDatabase(t)
  const child = spawn(process.execPath, [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_CONTENT: 'true', MIGRATE_ON_START: 'true' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  // Structured logs: one JSON object per line.
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`server did not start within 60 s:\n${stderr}`)) }, 60_000)
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string }
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(entry.msg ?? '')
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then((code) => { reject(new Error(`server exited with ${code}:\n${stderr}`)) })
  })

  const docs = await fetch(`${address}/docs`)
  t.equal(docs.status, 200, '/docs answers')
  t.match(docs.headers.get('content-type'), /text\/html/)
  t.match(await docs.text(), /swagger/i, 'Swagger UI')

  const spec = await (await fetch(`${address}/openapi.json`)).json() as { openapi: string }
  t.equal(spec.openapi, '3.1.0')

  const response = await fetch(`${address}/v1/articles/slug/${demoArticleSlug}`)
  t.equal(response.status, 200, 'the demo article is there')
  const article = await response.json() as { bylines: unknown[], leadImage: { creditLine: string }, body: Array<{ type: string }> }
  t.equal(article.bylines.length, 2)
  t.equal(article.leadImage.creditLine, 'Ines Varga / Continental Press')
  t.equal(article.body.filter((block) => block.type === 'paragraph').length, 12)

  const health = await (await fetch(`${address}/health`)).json() as { database: { engine: string } }
  t.equal(health.database.engine, engineUnderTest())

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'closes cleanly on SIGTERM')
})
