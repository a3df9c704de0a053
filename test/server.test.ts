// The first README command, as a user runs it: the server process starts on an
// empty database, migrates it, loads the demo article and serves the docs.
import t from 'tap'
import { demoArticleSlug } from '../src/demo/demo-content.ts'
import { engineUnderTest } from './helper.ts'
import { emptyDatabase, startServer } from './support/server-process.ts'

t.test('the server starts on an empty database and serves the demo article and the docs', async (t) => {
  const server = await startServer(t, { DATABASE_URL: await emptyDatabase(t, 'start'), LOG_LEVEL: 'info', DEMO_CONTENT: 'true' })
  const { address } = server

  const docs = await fetch(`${address}/docs`)
  t.equal(docs.status, 200, '/docs answers')
  t.match(docs.headers.get('content-type'), /text\/html/)
  t.match(await docs.text(), /swagger/i, 'Swagger UI')

  const spec = await (await fetch(`${address}/openapi.json`)).json() as { openapi: string }
  t.equal(spec.openapi, '3.1.0')

  const response = await fetch(`${address}/v1/article-by-slug/${demoArticleSlug}`)
  t.equal(response.status, 200, 'the demo article is there')
  const article = await response.json() as { bylines: unknown[], leadImage: { creditLine: string }, body: Array<{ type: string }> }
  t.equal(article.bylines.length, 2)
  t.equal(article.leadImage.creditLine, 'Ines Varga / Continental Press')
  t.equal(article.body.filter((block) => block.type === 'paragraph').length, 12)

  const health = await (await fetch(`${address}/health`)).json() as { database: { engine: string } }
  t.equal(health.database.engine, engineUnderTest())

  t.equal(await server.stop(), 0, 'closes cleanly on SIGTERM')
})
