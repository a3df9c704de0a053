// The migration that added list filters and orders, on a database with content
// written before it: the new columns of the stored public forms and the tag
// and author rows are filled from what is there (and the new tables are what
// the app itself would have written). Each migration's SQL is run as it is,
// one after the other, as `migrate deploy` runs it.
import t from 'tap'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { engineUnderTest } from '../helper.ts'
import { emptyDatabase } from '../support/server-process.ts'
import { sqliteFilePath } from '../../src/db/engine.ts'

type Row = Record<string, unknown>

const engine = engineUnderTest()
const folder = new URL(`../../prisma/${engine}/migrations/`, import.meta.url)
const migrations = readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
const listMigration = migrations.findIndex((name) => name.endsWith('_list_filters_and_sorts'))
const sqlOf = (name: string): string => readFileSync(new URL(`${name}/migration.sql`, folder), 'utf8')

/** Runs SQL scripts and queries on the engine under test, whatever its driver. */
async function openRaw (url: string): Promise<{ script: (text: string) => Promise<void>, rows: (text: string) => Promise<Row[]>, close: () => Promise<void> }> {
  if (engine === 'sqlite') {
    mkdirSync(dirname(sqliteFilePath(url)), { recursive: true })
    const db = new Database(sqliteFilePath(url))
    return { script: async (text) => { db.exec(text) }, rows: async (text) => db.prepare(text).all() as Row[], close: async () => { db.close() } }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return { script: async (text) => { await client.query(text) }, rows: async (text) => (await client.query(text)).rows as Row[], close: async () => { await client.end() } }
}

t.test('existing stories get their list columns and their tag and author rows', async (t) => {
  t.ok(listMigration > 0, 'the migration is there, after others')
  const db = await openRaw(await emptyDatabase(t, 'lists'))
  t.teardown(db.close)
  for (const name of migrations.slice(0, listMigration)) await db.script(sqlOf(name))

  // Content as the version before wrote it: dates in each engine's own form.
  const at = (iso: string): string => engine === 'sqlite' ? iso.replace('Z', '+00:00') : iso
  const [created, updated, published] = ['2026-11-01T08:00:00.000Z', '2026-11-02T09:30:00.000Z', '2026-11-01T10:00:00.000Z'].map(at)
  await db.script(`
    INSERT INTO "Author" ("id", "slug", "name", "version", "createdAt", "updatedAt") VALUES
      ('a1', 'mara', 'Mara', 1, '${created}', '${created}'), ('a2', 'ines', 'Ines', 1, '${created}', '${created}');
    INSERT INTO "Article" ("id", "slug", "headline", "section", "tags", "language", "status", "publishedAt", "version", "createdAt", "updatedAt") VALUES
      ('s1', 'published-one', 'Published one', 'Regional', '["Ports","Transport","Ports"]', 'en-GB', 'published', '${published}', 3, '${created}', '${updated}'),
      ('s2', 'draft-one', 'Draft one', NULL, '["Ports"]', 'de', 'draft', NULL, 1, '${created}', '${created}'),
      ('s3', 'untagged', 'Untagged', 'Sport', '[]', 'en', 'published', '${published}', 1, '${created}', '${created}');
    INSERT INTO "Byline" ("articleId", "position", "authorId", "role") VALUES
      ('s1', 0, 'a1', 'author'), ('s1', 1, 'a1', 'photographer'), ('s1', 2, 'a2', 'author'), ('s2', 0, 'a2', 'author');
    INSERT INTO "PublicArticle" ("articleId", "slug", "publishedAt", "section", "json", "summary", "etag", "renderedAt") VALUES
      ('s1', 'published-one', '${published}', 'Regional', '{}', '{}', '"e1"', '${updated}'),
      ('s3', 'untagged', '${published}', 'Sport', '{}', '{}', '"e3"', '${created}');
  `)
  await db.script(sqlOf(migrations[listMigration]!))

  const time = (value: unknown): string => new Date(value as string).toISOString()
  const stored = (await db.rows('SELECT "articleId", "language", "headline", "createdAt", "updatedAt", "publishedAt" FROM "PublicArticle" ORDER BY "articleId"'))
    .map((row) => ({ ...row, createdAt: time(row.createdAt), updatedAt: time(row.updatedAt), publishedAt: time(row.publishedAt) }))
  t.same(stored, [
    { articleId: 's1', language: 'en-GB', headline: 'Published one', createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-02T09:30:00.000Z', publishedAt: '2026-11-01T10:00:00.000Z' },
    { articleId: 's3', language: 'en', headline: 'Untagged', createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z', publishedAt: '2026-11-01T10:00:00.000Z' }
  ], 'the stored forms have the columns lists sort and filter on')
  t.same(await db.rows('SELECT "articleId", "tag" FROM "ArticleTag" ORDER BY "articleId", "tag"'),
    [{ articleId: 's1', tag: 'Ports' }, { articleId: 's1', tag: 'Transport' }, { articleId: 's2', tag: 'Ports' }], 'every article\'s tags, drafts included, once each')
  t.same((await db.rows('SELECT "tag", "articleId", "publishedAt", "section" FROM "PublicArticleTag" ORDER BY "tag"')).map((row) => ({ ...row, publishedAt: time(row.publishedAt) })),
    [{ tag: 'Ports', articleId: 's1', publishedAt: '2026-11-01T10:00:00.000Z', section: 'Regional' }, { tag: 'Transport', articleId: 's1', publishedAt: '2026-11-01T10:00:00.000Z', section: 'Regional' }], 'the published stories\' tags')
  t.same((await db.rows('SELECT "authorId", "articleId", "publishedAt" FROM "PublicArticleAuthor" ORDER BY "authorId"')).map((row) => ({ ...row, publishedAt: time(row.publishedAt) })),
    [{ authorId: 'a1', articleId: 's1', publishedAt: '2026-11-01T10:00:00.000Z' }, { authorId: 'a2', articleId: 's1', publishedAt: '2026-11-01T10:00:00.000Z' }], 'the published stories\' authors, once each')
  if (engine === 'sqlite') {
    // The text form Prisma writes and compares with: the same as the columns it was copied from.
    t.same(await db.rows('SELECT "publishedAt" FROM "PublicArticleTag" LIMIT 1'), [{ publishedAt: published }])
  }
})
