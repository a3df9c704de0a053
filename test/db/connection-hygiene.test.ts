// One query at a time on a connection: a write whose response embeds
// relations (read inside its transaction) must not send them concurrently on
// the transaction's one connection, which pg deprecates and pg 9 refuses.
import t from 'tap'
import { buildTestApp, createArticle, createAuthor, createImage } from '../helper.ts'

t.test('writes that read relations inside their transaction raise no driver warning', async (t) => {
  const warnings: string[] = []
  const onWarning = (warning: Error): void => { warnings.push(`${warning.name}: ${warning.message}`) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })

  const app = await buildTestApp(t)
  const author = await createAuthor(app)
  const image = await createImage(app)
  for (let i = 0; i < 5; i++) {
    const article = await createArticle(app, {
      leadImageId: image.id,
      bylines: [{ authorId: author.id }],
      body: [{ type: 'paragraph', text: 'Text.' }, { type: 'image', imageId: image.id }]
    })
    t.equal(article.bylines.length, 1, 'the response embeds what the transaction read')
  }
  // Warnings are emitted on the next tick.
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings.filter((warning) => /already executing a query/.test(warning)), [], 'no "client is already executing a query"')
})
