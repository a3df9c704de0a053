import t from 'tap'
import { buildTestApp, createArticle, createAuthor } from '../../test/helper.ts'

t.test('probe', async (t) => {
  const app = await buildTestApp(t)
  const article = await createArticle(app)
  const author = await createAuthor(app)
  const show = (label: string, r: any) => console.log(label, r.statusCode, r.headers['content-type'], r.body.slice(0, 200))
  for (const depth of [1000, 10000, 100000]) {
    const obj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    const arr = '['.repeat(depth) + ']'.repeat(depth)
    show(`obj ${depth}`, await app.inject({ method: 'POST', url: '/v1/articles', payload: `{"headline":"x","dek":${obj}}`, headers: { 'content-type': 'application/json' } }))
    show(`arr ${depth}`, await app.inject({ method: 'POST', url: '/v1/articles', payload: `{"headline":"x","tags":${arr}}`, headers: { 'content-type': 'application/json' } }))
    show(`unknown ${depth}`, await app.inject({ method: 'POST', url: '/v1/articles', payload: `{"headline":"x","zz":${obj}}`, headers: { 'content-type': 'application/json' } }))
  }
  show('lone', await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'lone \ud800 x', dek: 'a\udc00b' } }))
  const l = await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'lone2 \ud800 x', dek: 'a\udc00b' } })
  console.log(JSON.stringify(l.json().headline), JSON.stringify(l.json().dek))
  show('del text', await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}`, payload: 'hello', headers: { 'content-type': 'text/plain' } }))
  show('del json bad', await app.inject({ method: 'DELETE', url: `/v1/articles/${article.id}`, payload: '{', headers: { 'content-type': 'application/json' } }))
  show('lone path', await app.inject({ method: 'GET', url: '/v1/articles/%ED%A0%80' }))
  show('proto', await app.inject({ method: 'POST', url: '/v1/articles', payload: '{"headline":"x","__proto__":{"a":1}}', headers: { 'content-type': 'application/json' } }))
  show('ctor', await app.inject({ method: 'POST', url: '/v1/articles', payload: '{"headline":"x","constructor":{"prototype":{"a":1}}}', headers: { 'content-type': 'application/json' } }))
  show('big', await app.inject({ method: 'POST', url: '/v1/articles', payload: JSON.stringify({ headline: 'x', dek: 'y'.repeat(1100000) }), headers: { 'content-type': 'application/json' } }))
  show('limit arr', await app.inject({ method: 'GET', url: '/v1/articles?limit=1&limit=2' }))
  show('status arr', await app.inject({ method: 'GET', url: '/v1/articles?status=draft&status=published' }))
  show('slug unicode', await app.inject({ method: 'GET', url: '/v1/articles/slug/' + encodeURIComponent("' OR 1=1 --") }))
  show('force', await app.inject({ method: 'DELETE', url: `/v1/authors/${author.id}?force=yes` }))
  show('apikey del', await app.inject({ method: 'DELETE', url: `/v1/api-keys/${encodeURIComponent("' OR 1=1 --")}` }))
  show('form', await app.inject({ method: 'PUT', url: `/v1/articles/${article.id}/bylines`, payload: 'data=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
  show('nul key', await app.inject({ method: 'POST', url: '/v1/articles', payload: '{"headline":"x","a\\u0000":1}', headers: { 'content-type': 'application/json' } }))
  show('auth', await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'x' }, headers: { authorization: "Bearer ' OR 1=1 --" } }))
})
