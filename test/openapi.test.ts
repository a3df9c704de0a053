import t from 'tap'
import { buildTestApp } from './helper.ts'
t.test('probe', async (t) => {
  const app = await buildTestApp(t)
  for (const url of ['/docs', '/docs/', '/docs/static/index.html', '/openapi.json', '/docs/json']) {
    const r = await app.inject({ method: 'GET', url })
    console.log(url, r.statusCode, r.headers['content-type'], r.headers.location, r.body.slice(0, 100))
  }
  t.ok(app)
})
