// tap `after` script: stops the cluster the setup started and removes the run's files.
import { existsSync, rmSync } from 'node:fs'
import { stopPostgresCluster } from './postgres-cluster.ts'
import { postgresStateFile, readPostgresState, stateDir } from './test-databases.ts'

if (existsSync(postgresStateFile)) {
  const { dataDir } = readPostgresState()
  if (dataDir !== undefined) stopPostgresCluster(dataDir)
}
rmSync(stateDir, { recursive: true, force: true })
