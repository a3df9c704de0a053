import t from 'tap'
import { buildTestApp, createArticle, createAuthor } from '../../test/helper.ts'

t.test('probe', async (t) => {
  const app = await buildTestApp(t, { LOG_LEVEL: 'fatal' })
  const a = await createArticle(app)
  const show = (label: string, r: any) => console.log(label, r.statusCode, r.headers['content-type'], r.body.slice(0, 150))
  for (let depth = 1000; depth <= 5000; depth += 500) {
    const obj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    show(`unknown ${depth}`, await app.inject({ method: 'POST', url: '/v1/articles', payload: `{"headline":"x","zz":${obj}}`, headers: { 'content-type': 'application/json' } }))
  }
  show('lead lone', await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'lone', leadImageId: '\ud800' } }))
  show('byline lone', await app.inject({ method: 'PUT', url: `/v1/articles/${a.id}/bylines`, payload: { data: [{ authorId: 'x\udfff' }] } }))
  show('rl lone', await app.inject({ method: 'POST', url: `/v1/articles/${a.id}/related-links`, payload: { articleId: '\ud800', text: 'x' } }))
  show('q lone', await app.inject({ method: 'GET', url: `/v1/related-links?articleId=%ED%A0%80` }))
  show('q lone2', await app.inject({ method: 'GET', url: `/v1/articles?section=%ED%A0%80` }))
  show('q lone3', await app.inject({ method: 'GET', url: `/v1/articles?section=%F0%9F` }))
  show('emoji ref', await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'lone', leadImageId: '🙂\u202e\u200d' } }))
  show('slug lone', await app.inject({ method: 'POST', url: '/v1/articles', payload: { headline: 'lone', slug: 'a\ud800' } }))
  show('email lone', await app.inject({ method: 'POST', url: '/v1/authors', payload: { name: 'lone', email: 'a\ud800@x.com' } }))
  show('url lone', await app.inject({ method: 'POST', url: '/v1/images', payload: { url: 'https://x.test/\ud800' } }))
  show('audit lone', await app.inject({ method: 'GET', url: '/v1/audit?resourceId=%ED%A0%80' }))
  show('rl patch', await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}/related-links/nope`, payload: { text: 'x' } }))
  const before = await app.db.prisma.article.findUnique({ where: { id: a.id } })
  const after = await app.db.prisma.article.findUnique({ where: { id: a.id } })
  console.log(before?.updatedAt, after?.updatedAt)
  show('lead lone PUT', await app.inject({ method: 'PUT', url: `/v1/articles/${a.id}`, payload: { headline: 'lone', leadImageId: '\ud800' } }))
  show('lead lone PATCH', await app.inject({ method: 'PATCH', url: `/v1/articles/${a.id}`, payload: { leadImageId: '\ud800' } }))
})
