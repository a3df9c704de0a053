// Ad-hoc: the SQL statements one story save sends.
import Database from 'better-sqlite3'
const statements: string[] = []
const prepare = Database.prototype.prepare
let counting = false
Database.prototype.prepare = function (this: Database.Database, sql: string) { if (counting) statements.push(sql.replace(/\s+/g, ' ').slice(0, 160)); return prepare.call(this, sql) } as typeof prepare
const { buildServer } = await import('../src/app.ts')
const { bootstrap } = await import('../src/bootstrap.ts')
const { loadConfig } = await import('../src/config.ts')
const { migrateDatabase } = await import('../src/db/migrate.ts')
const { storyBody } = await import('../bench/story.ts')
const { rmSync } = await import('node:fs')
const file = `/tmp/prof/count-${process.pid}.db`
rmSync(file, { force: true })
await migrateDatabase(`file:${file}`)
const key = 'cms_bench-admin-key-0123456789abcdef'
const app = await buildServer(loadConfig({ LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', ADMIN_API_KEY: key, RATE_LIMIT_MAX: '100000000', DATABASE_URL: `file:${file}` }))
await app.ready()
await bootstrap(app)
const headers = { authorization: `Bearer ${key}` }
const post = async (url: string, payload: object) => { const r = await app.inject({ method: 'POST', url, headers, payload }); if (r.statusCode !== 201) throw new Error(r.body); return r.json() }
const authors = [await post('/v1/authors', { name: 'A One' }), await post('/v1/authors', { name: 'A Two' }), await post('/v1/authors', { name: 'A Three' })]
const image = await post('/v1/images', { url: 'https://x.example/a.jpg' })
const targets = [await post('/v1/articles', { headline: 'T1', status: 'published' }), await post('/v1/articles', { headline: 'T2', status: 'published' })]
const refs = { authorIds: authors.map((a) => a.id), imageId: image.id, targetIds: targets.map((a) => a.id) }
await post('/v1/articles', storyBody(refs, 'warm'))
counting = true
await post('/v1/articles', storyBody(refs, 'counted'))
counting = false
statements.forEach((s, i) => console.log(i + 1, s))
await app.close()
