// A throw-away PostgreSQL cluster: initdb + pg_ctl in a temporary folder,
// listening on loopback only, on a free port. Used by the test setup when no
// TEST_DATABASE_URL is given, and by `npm run db:migration` to author migrations.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

export interface PostgresCluster {
  url: string
  dataDir: string
  stop: () => void
}

function binDir (): string {
  const onPath = execFileSync('sh', ['-c', 'command -v pg_ctl || true'], { encoding: 'utf8' }).trim()
  if (onPath !== '') return join(onPath, '..')
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  if (versions[0] === undefined) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL (apt-get install -y postgresql) or set TEST_DATABASE_URL')
  }
  return join(root, versions[0], 'bin')
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

// initdb refuses to run as root: as root, the server binaries run as the postgres user.
function runServerBinary (command: string, args: string[]): void {
  const path = join(binDir(), command)
  const [file, fileArgs] = userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args]
  execFileSync(file, fileArgs, { stdio: ['ignore', 'ignore', 'pipe'] })
}

/** Stops a cluster this module started and removes its folder. */
export function stopPostgresCluster (dataDir: string): void {
  try {
    runServerBinary('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
  } catch { /* not running */ }
  rmSync(dataDir, { recursive: true, force: true })
}

export async function startPostgresCluster (): Promise<PostgresCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cms-pg-'))
  if (userInfo().uid === 0) {
    const pgUser = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()
    const pgGroup = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()
    chownSync(dataDir, Number(pgUser), Number(pgGroup))
  }
  const port = await freePort()
  runServerBinary('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  // Durability settings off: the cluster lives for one test run.
  const serverOptions = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dataDir}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'
  ].join(' ')
  runServerBinary('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(dataDir, 'server.log'), '-w', 'start'])
  let stopped = false
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: () => {
      if (stopped) return
      stopped = true
      stopPostgresCluster(dataDir)
    }
  }
}
