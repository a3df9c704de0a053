// Starts the API: configuration, migrations, listen, graceful close.
import { buildServer } from './app.ts'
import { ConfigError, loadConfig, loadDotEnvFile } from './config.ts'
import { migrateDatabase } from './db/migrate.ts'
import { bootstrap } from './bootstrap.ts'

async function main (): Promise<void> {
  loadDotEnvFile()
  const config = loadConfig()
  if (config.MIGRATE_ON_START) await migrateDatabase(config.DATABASE_URL)
  const server = await buildServer(config)
  await server.ready()
  await bootstrap(server)

  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (closing) return
      closing = true
      server.log.info({ signal }, 'closing')
      server.close().then(() => process.exit(0), (error: unknown) => {
        server.log.error({ err: error }, 'error while closing')
        process.exit(1)
      })
    })
  }

  const address = await server.listen({ host: config.HOST, port: config.PORT })
  server.log.info(`API docs at ${address}/docs`)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
