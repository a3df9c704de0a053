// Loads the demo article into an empty database at start (DEMO_CONTENT=false turns it off).
import fp from 'fastify-plugin'
import { loadDemoContent } from '../../demo/demo-content.ts'

export default fp(async function demoContent (fastify) {
  if (!fastify.config.DEMO_CONTENT) return
  fastify.addHook('onReady', async () => {
    if (await fastify.db.prisma.article.count() > 0) return
    if (await loadDemoContent(fastify.services)) fastify.log.info('loaded the demo article into the empty database')
  })
}, { name: 'demo-content', dependencies: ['services'] })
