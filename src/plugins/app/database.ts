// Opens the database for the app's lifetime and exposes it as `fastify.db`.
import fp from 'fastify-plugin'
import { openDatabase, type Database } from '../../db/client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

export default fp(async function database (fastify) {
  const { config } = fastify
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    poolMax: config.DATABASE_POOL_MAX,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS
  })
  fastify.decorate('db', db)
  fastify.addHook('onClose', async () => { await db.close() })
}, { name: 'database', dependencies: ['config'] })
