// Opens the database for the app's lifetime and exposes it as `fastify.db`.
import fp from 'fastify-plugin'
import { openDatabase, type Database } from '../../db/client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

export default fp(async function database (fastify) {
  const db = await openDatabase({ databaseUrl: fastify.config.DATABASE_URL, sqliteSynchronous: fastify.config.SQLITE_SYNCHRONOUS })
  fastify.decorate('db', db)
  fastify.addHook('onClose', async () => { await db.close() })
}, { name: 'database', dependencies: ['config'] })
