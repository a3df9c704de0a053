// The real server process, as `npm start` runs it (through tsx, without the
// build): started on an empty database of its own, its stdout (the JSON logs)
// and stderr kept for the test to read.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import type { Test } from 'tap'
import { databaseUrlFor, engineUnderTest, readPostgresState } from './test-databases.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

/** An empty database (not migrated: the server does that at start), dropped after the test. */
export async function emptyDatabase (t: Test, suffix: string): Promise<string> {
  if (engineUnderTest() === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'cms-server-'))
    t.teardown(() => { rmSync(folder, { recursive: true, force: true }) })
    return `file:${join(folder, 'not-yet', 'cms.db')}` // the folder too is made at start
  }
  const server = readPostgresState().url
  const name = `t_server_${suffix}_${process.pid}`
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  await client.query(`CREATE DATABASE "${name}"`)
  t.teardown(async () => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await client.end()
  })
  return databaseUrlFor(server, name)
}

export interface RunningServer {
  address: string
  stdout: () => string
  stderr: () => string
  logLines: () => Json[]
  stop: () => Promise<number | null>
  /** Ends the process at once, as a crash or `kill -9` would: no graceful close. */
  kill: () => Promise<void>
}

export async function startServer (t: Test, env: Record<string, string>): Promise<RunningServer> {
  const { ADMIN_API_KEY: _inherited, ...inherited } = process.env
  // tsx as a loader in one process (its CLI would run the server in a child
  // process of its own, which a SIGKILL of the parent leaves running).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', DEMO_CONTENT: 'false', MIGRATE_ON_START: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  const lines: string[] = []
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`server did not start within 60 s:\n${stderr}`)) }, 60_000)
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line)
      let entry: { msg?: string }
      try {
        entry = JSON.parse(line) as { msg?: string }
      } catch {
        return
      }
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(entry.msg ?? '')
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then((code) => { reject(new Error(`server exited with ${code}:\n${stderr}`)) })
  })
  return {
    address,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines: () => lines.map((line) => { try { return JSON.parse(line) } catch { return { unparsable: line } } }),
    stop: async () => {
      child.kill('SIGTERM')
      return await exited
    },
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    }
  }
}

