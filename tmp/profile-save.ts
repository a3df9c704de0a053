// Ad-hoc: how long a story save takes in-process, and where the time goes.
import { buildServer } from '../src/app.ts'
import { bootstrap } from '../src/bootstrap.ts'
import { loadConfig } from '../src/config.ts'
import { storyBody } from '../bench/story.ts'
import { rmSync } from 'node:fs'
import { migrateDatabase } from '../src/db/migrate.ts'

const file = `/tmp/prof/save-${process.pid}.db`
rmSync(file, { force: true })
const key = 'cms_bench-admin-key-0123456789abcdef'
await migrateDatabase(`file:${file}`)
const app = await buildServer(loadConfig({ LOG_LEVEL: process.env.LL ?? 'info', DEMO_CONTENT: 'false', ADMIN_API_KEY: key, RATE_LIMIT_MAX: '100000000', DATABASE_URL: `file:${file}`, SQLITE_SYNCHRONOUS: process.env.SYNC ?? 'FULL' }))
await app.ready()
await bootstrap(app)
const headers = { authorization: `Bearer ${key}` }
const post = async (url: string, payload: object) => {
  const r = await app.inject({ method: 'POST', url, headers, payload })
  if (r.statusCode !== 201) throw new Error(r.body)
  return r.json()
}
const authors = [await post('/v1/authors', { name: 'A One' }), await post('/v1/authors', { name: 'A Two' }), await post('/v1/authors', { name: 'A Three' })]
const image = await post('/v1/images', { url: 'https://x.example/a.jpg', credit: { photographer: 'P', agency: 'Q' } })
const targets = [await post('/v1/articles', { headline: 'T1', status: 'published' }), await post('/v1/articles', { headline: 'T2', status: 'published' })]
const refs = { authorIds: authors.map((a) => a.id), imageId: image.id, targetIds: targets.map((a) => a.id) }
const n = Number(process.env.N ?? 400)
const conc = Number(process.env.C ?? 8)
let i = 0
const start = performance.now()
await Promise.all(Array.from({ length: conc }, async () => {
  while (i < n) { const k = i++; await post('/v1/articles', storyBody(refs, `story-${k}`)) }
}))
const ms = performance.now() - start
console.log(`${n} saves, ${conc} concurrent: ${(n / ms * 1000).toFixed(0)} saves/s, ${(ms / n).toFixed(2)} ms each`)
await app.close()
