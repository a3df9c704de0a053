// The processes of a bench run: API servers, the bare server, load workers.
// Every one is started here, remembered, and ended by its pid when the run
// ends, fails or is interrupted (bench/run.ts calls `cleanup`); each also ends
// itself if the bench dies without cleaning up (bench/orphan-guard.mjs).
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { LoadResult } from './load.ts'
import { freePort } from '../test/support/postgres-cluster.ts'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const guard = join(benchDir, 'orphan-guard.mjs')
const running = new Set<ChildProcess>()
const cleanups: Array<() => void> = []

/** `node --import tsx <script>`: one process (the tsx CLI would add a second), guarded against orphaning. */
function startNode (script: string, args: string[], options: { cwd: string, env?: NodeJS.ProcessEnv, stdout: 'pipe' | 'ignore' | number, stderr: 'pipe' | 'inherit' | number }): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', guard, script, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', options.stdout, options.stderr]
  })
  running.add(child)
  child.once('exit', () => { running.delete(child) })
  return child
}

async function exited (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => child.once('exit', () => { resolve() }))
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop (child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => { child.kill('SIGKILL') }, graceMs)
  await exited(child)
  clearTimeout(timer)
}

/** Run at the end, or when the run is interrupted (synchronous: also on 'exit'). */
export function onCleanup (fn: () => void): void {
  cleanups.push(fn)
}

/** Ends every process still running and runs the registered clean-ups, in reverse order. */
export async function cleanup (): Promise<void> {
  await Promise.all([...running].map(async (child) => { await stop(child, 3000) }))
  while (cleanups.length > 0) {
    try { cleanups.pop()!() } catch (error) { console.error('clean-up failed:', error) }
  }
}

/** Last resort, synchronous (process 'exit'): SIGKILL what still runs, run clean-ups. */
export function cleanupNow (): void {
  for (const child of running) child.kill('SIGKILL')
  while (cleanups.length > 0) {
    try { cleanups.pop()!() } catch { /* exiting anyway */ }
  }
}

export async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

function tail (file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

export interface ApiServer {
  name: string
  url: string
  logFile: string
  stop: () => Promise<void>
}

/**
 * The API as `npm start` runs it (src/server.ts: migrations when asked, bootstrap,
 * listen), through tsx instead of the build. Its logs (JSON lines) go to a file,
 * as a deployed server's would go to a file or collector, not through the bench.
 * Ready when GET /health answers 200.
 */
export async function startApi (options: { name: string, appDir: string, scratch: string, env: Record<string, string> }): Promise<ApiServer> {
  const port = await freePort()
  const logFile = join(options.scratch, `${options.name}.log`)
  const log = openSync(logFile, 'a')
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !apiSettings.has(name)))
  const child = startNode('src/server.ts', [], {
    cwd: options.appDir,
    env: { ...inherited, HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdout: log,
    stderr: log
  })
  closeSync(log)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`API server ${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; the end of ${logFile}:\n${tail(logFile)}`)
    }
    if (Date.now() > deadline) throw new Error(`API server ${options.name} not ready within 120 s; the end of ${logFile}:\n${tail(logFile)}`)
    try {
      const response = await fetch(`${url}/health`)
      await response.arrayBuffer()
      if (response.status === 200) break
    } catch { /* not listening yet */ }
    await sleep(200)
  }
  return { name: options.name, url, logFile, stop: async () => { await stop(child) } }
}

/** The server's settings (src/config.ts): none is inherited from the bench's environment, each is set on purpose. */
const apiSettings = new Set([
  'DATABASE_URL', 'DATABASE_REPLICA_URLS', 'DATABASE_POOL_MAX', 'HOST', 'PORT', 'LOG_LEVEL', 'DEMO_CONTENT',
  'MIGRATE_ON_START', 'BODY_LIMIT', 'SQLITE_SYNCHRONOUS', 'PUBLIC_READS', 'ADMIN_API_KEY', 'CORS_ORIGINS',
  'RATE_LIMIT_MAX', 'RATE_LIMIT_WINDOW', 'PUBLIC_CACHE_BYTES', 'CHANGE_POLL_MS', 'REQUEST_TIMEOUT_MS', 'SEARCH_CONCURRENCY'
])

export interface BareServer { url: string, stop: () => Promise<void> }

export async function startBare (payloadFile: string): Promise<BareServer> {
  const child = startNode(join(benchDir, 'bare-server.ts'), [payloadFile], { cwd: join(benchDir, '..'), stdout: 'pipe', stderr: 'inherit' })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('bare server did not start within 30 s')) }, 30_000)
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      try {
        resolve((JSON.parse(line) as { address: string }).address)
      } catch {
        reject(new Error(`bare server: unexpected output ${line}`))
      }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`bare server exited with ${code}`)) })
  })
  child.stdout!.resume()
  return { url, stop: async () => { await stop(child) } }
}

/** A process that stops the PostgreSQL cluster in `dataDir` (if given) and removes `folders` when the bench ends, however it ends (bench/guard.ts). */
export function guardLeftovers (folders: string[], dataDir?: string): void {
  startNode(join(benchDir, 'guard.ts'), [...(dataDir === undefined ? [] : ['--postgres', dataDir]), ...folders], { cwd: join(benchDir, '..'), stdout: 'ignore', stderr: 'inherit' })
}

/** Runs one load job (bench/load.ts) in a process of its own; its result. */
export async function runLoad (job: Record<string, unknown>): Promise<LoadResult> {
  const child = startNode(join(benchDir, 'load.ts'), [JSON.stringify(job)], { cwd: join(benchDir, '..'), stdout: 'pipe', stderr: 'inherit' })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  await exited(child)
  if (child.exitCode !== 0) throw new Error(`load worker failed (${child.exitCode ?? child.signalCode}) for ${String(job.mode)} ${String(job.url)}`)
  return JSON.parse(output.trim().split('\n').at(-1)!) as LoadResult
}
