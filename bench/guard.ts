// Cleans up after the bench if it dies without doing so itself (even SIGKILL):
// bench/orphan-guard.mjs turns the end of our stdin into SIGTERM, and SIGTERM
// stops the throw-away PostgreSQL cluster (when given) and removes the folders.
// Usage: node --import tsx --import bench/orphan-guard.mjs bench/guard.ts [--postgres <dataDir>] <folder>...
import { rmSync } from 'node:fs'
import { stopPostgresCluster } from '../test/support/postgres-cluster.ts'

const args = process.argv.slice(2)
const at = args.indexOf('--postgres')
const dataDir = at === -1 ? undefined : args.splice(at, 2)[1]
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => {
    if (dataDir !== undefined) stopPostgresCluster(dataDir)
    for (const folder of args) rmSync(folder, { recursive: true, force: true })
    process.exit(0)
  })
}
setInterval(() => {}, 1 << 30)
