// How the engines run the list queries of src/db/article-lists.ts: a database
// of N stories (20,000 by default; 70 % published, 10 sections, 5 languages,
// 300 tags, 200 authors) written straight into the tables, then for each main
// shape of a list the plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN
// ANALYZE) and the time of its first page and of a page deep in it. Not a
// test: run it after changing a list query or an index, and read the plans.
//
//   npx tsx bench/list-plans.ts [--engine sqlite|postgresql|both] [--stories 20000]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { insertRows, openDatabase, sql, type Database, type Sql } from '../src/db/client.ts'
import { migrateDatabase } from '../src/db/migrate.ts'
import { articleList, publicCountSql, publicPageSql, staffCountSql, staffPageSql, type ArticleList, type ArticleListFilter } from '../src/db/article-lists.ts'
import { startPostgresCluster } from '../test/support/postgres-cluster.ts'
import { latestPublishedFirst } from '../src/db/pagination.ts'
import { seededRandom as generator } from '../test/support/seeded-random.ts'

const { values: args } = parseArgs({ options: { engine: { type: 'string' }, stories: { type: 'string' } } })
const engines = args.engine === undefined || args.engine === 'both' ? ['sqlite', 'postgresql'] as const : [args.engine as 'sqlite' | 'postgresql']
const storyCount = Number(args.stories ?? 20_000)

async function seed (db: Database): Promise<void> {
  const random = generator(7)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
  // Tags and authors are skewed, as in a newsroom: a few carry most stories.
  const skewed = (size: number): number => Math.floor(size * random() ** 2)
  const now = Date.UTC(2026, 10, 27)
  const authors = Array.from({ length: 200 }, (_, index) => ({ id: `author${String(index).padStart(4, '0')}`, slug: `author-${index}`, name: `Author ${index}`, version: 1, createdAt: new Date(now), updatedAt: new Date(now) }))
  const sections = ['World', 'Regional', 'Business', 'Sport', 'Culture', 'Science', 'Opinion', 'Travel', 'Food', 'Weather']
  const languages = ['en', 'en', 'en', 'en', 'de', 'fr', 'pt-BR', 'es']
  type Row = Record<string, unknown>
  const articles: Row[] = []
  const publicRows: Row[] = []
  const tagRows: Row[] = []
  const publicTagRows: Row[] = []
  const bylineRows: Row[] = []
  const publicAuthorRows: Row[] = []
  for (let index = 0; index < storyCount; index++) {
    const id = `story${String(index).padStart(7, '0')}`
    const createdAt = new Date(now - (storyCount - index) * 600_000)
    const published = random() < 0.7
    const publishedAt = published ? new Date(createdAt.getTime() + Math.floor(random() * 3_600_000)) : null
    const tags = [...new Set([skewed(300), skewed(300), skewed(300)].map((tag) => `tag-${tag}`))]
    const section = pick(sections)
    const language = pick(languages)
    const headline = `${pick(['Valley', 'Harbour', 'Council', 'Ferry', 'Market', 'School'])} story number ${index}`
    const byline = [...new Set([authors[skewed(200)]!.id, ...(random() < 0.3 ? [authors[skewed(200)]!.id] : [])])]
    articles.push({ id, slug: `story-${index}`, headline, section, tags: JSON.stringify(tags), language, status: published ? 'published' : 'draft', publishedAt, version: 1, createdAt, updatedAt: createdAt })
    for (const tag of tags) tagRows.push({ articleId: id, tag })
    byline.forEach((authorId, position) => bylineRows.push({ articleId: id, position, authorId, role: 'author' }))
    if (published) {
      publicRows.push({ articleId: id, slug: `story-${index}`, publishedAt, section, language, headline, createdAt, updatedAt: createdAt, json: '{}', summary: `{"id":"${id}"}`, etag: '"x"', renderedAt: createdAt })
      for (const tag of tags) publicTagRows.push({ tag, articleId: id, publishedAt, section })
      for (const authorId of byline) publicAuthorRows.push({ authorId, articleId: id, publishedAt })
    }
  }
  await db.prisma.$transaction(async (tx) => {
    await insertRows(tx, 'Author', ['id', 'slug', 'name', 'version', 'createdAt', 'updatedAt'], authors)
    await insertRows(tx, 'Article', ['id', 'slug', 'headline', 'section', 'tags', 'language', 'status', 'publishedAt', 'version', 'createdAt', 'updatedAt'], articles)
    await insertRows(tx, 'ArticleTag', ['articleId', 'tag'], tagRows)
    await insertRows(tx, 'Byline', ['articleId', 'position', 'authorId', 'role'], bylineRows)
    await insertRows(tx, 'PublicArticle', ['articleId', 'slug', 'publishedAt', 'section', 'language', 'headline', 'createdAt', 'updatedAt', 'json', 'summary', 'etag', 'renderedAt'], publicRows)
    await insertRows(tx, 'PublicArticleTag', ['tag', 'articleId', 'publishedAt', 'section'], publicTagRows)
    await insertRows(tx, 'PublicArticleAuthor', ['authorId', 'articleId', 'publishedAt'], publicAuthorRows)
  }, { timeout: 600_000 })
  await db.prisma.$executeRawUnsafe(db.engine === 'sqlite' ? 'ANALYZE' : 'ANALYZE')
}

const filter = (parts: Partial<ArticleListFilter>): ArticleListFilter => ({ tags: [], tagMatch: 'any', authorIds: [], ...parts })

/** The main shapes of a front end's lists. */
const shapes: Array<{ name: string, sort: string, filter: ArticleListFilter, staff?: boolean }> = [
  { name: 'latest (unfiltered)', sort: '-publishedAt', filter: filter({ status: 'published' }) },
  { name: 'section', sort: '-publishedAt', filter: filter({ status: 'published', section: 'Sport' }) },
  { name: 'tag', sort: '-publishedAt', filter: filter({ status: 'published', tags: ['tag-3'] }) },
  { name: 'tag + section', sort: '-publishedAt', filter: filter({ status: 'published', tags: ['tag-3'], section: 'Sport' }) },
  { name: 'two tags (any)', sort: '-publishedAt', filter: filter({ status: 'published', tags: ['tag-3', 'tag-40'] }) },
  { name: 'author', sort: '-publishedAt', filter: filter({ status: 'published', authorIds: ['author0002'] }) },
  { name: 'language', sort: '-publishedAt', filter: filter({ status: 'published', language: 'de' }) },
  { name: 'by headline', sort: 'headline', filter: filter({ status: 'published' }) },
  { name: 'staff: newest created', sort: '-createdAt', filter: filter({}), staff: true },
  { name: 'staff: published by publication', sort: '-publishedAt', filter: filter({ status: 'published' }), staff: true },
  { name: 'staff: tag', sort: '-createdAt', filter: filter({ tags: ['tag-3'] }), staff: true }
]

/** The SQL text with its parameters inlined, for EXPLAIN (trusted, generated values only). */
function inline (query: Sql, engine: string): string {
  let index = 0
  const literal = (value: unknown): string => {
    if (value instanceof Date) return `'${engine === 'sqlite' ? value.toISOString().replace('Z', '+00:00') : value.toISOString()}'`
    if (typeof value === 'number') return String(value)
    return `'${String(value).replaceAll('\'', '\'\'')}'`
  }
  return engine === 'sqlite'
    ? query.sql.replace(/\?/g, () => literal(query.values[index++]))
    : query.text.replace(/\$(\d+)/g, (_match, position: string) => literal(query.values[Number(position) - 1]))
}

async function explain (db: Database, query: Sql): Promise<string> {
  const text = inline(query, db.engine)
  if (db.engine === 'sqlite') {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${text}`)
    return rows.map((row) => `    ${row.detail}`).join('\n')
  }
  const rows = await db.prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${text}`)
  return rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n')
}

async function timed (db: Database, query: Sql): Promise<{ ms: number, rows: Array<Record<string, unknown>> }> {
  let rows: Array<Record<string, unknown>> = []
  const runs = 20
  const start = performance.now()
  for (let run = 0; run < runs; run++) rows = await db.prisma.$queryRaw(query)
  return { ms: (performance.now() - start) / runs, rows }
}

/** A cursor `depth` rows into the list, from the list's own first `depth` rows. */
async function cursorAt (db: Database, list: ArticleList, staff: boolean, depth: number): Promise<string | undefined> {
  const rows = await db.prisma.$queryRaw<Array<Record<string, unknown>>>(staff ? staffPageSql(list, undefined, depth) : publicPageSql(list, undefined, depth))
  const last = rows.at(-1)
  return last === undefined ? undefined : list.order.encode(last)
}

async function report (db: Database): Promise<void> {
  console.log(`\n=== ${db.engine}: ${storyCount} stories ===`)
  for (const shape of shapes) {
    const list = articleList(shape.sort, shape.filter)
    const page = (cursor?: string): Sql => shape.staff === true ? staffPageSql(list, cursor, 21) : publicPageSql(list, cursor, 21)
    const count = Number((await db.prisma.$queryRaw<Array<{ count: bigint }>>(shape.staff === true ? staffCountSql(list) : publicCountSql(list)))[0]!.count)
    const deep = await cursorAt(db, list, shape.staff === true, Math.max(1, Math.floor(count * 0.9)))
    const first = await timed(db, page())
    const last = await timed(db, page(deep))
    console.log(`\n${shape.name} (${shape.sort}): ${count} stories`)
    console.log(`  first page ${first.ms.toFixed(2)} ms (${first.rows.length} rows), page at 90 % ${last.ms.toFixed(2)} ms (${last.rows.length} rows)`)
    console.log('  the page at 90 %:')
    console.log(await explain(db, page(deep)))
    if (shape.staff === true) {
      console.log('  the first page:')
      console.log(await explain(db, page()))
    }
  }
  // What Prisma's `where` makes of the same cursor: a OR (a = x AND b < y).
  const prismaOrder = latestPublishedFirst('articleId')
  const [middle] = await db.prisma.publicArticle.findMany({ orderBy: prismaOrder.orderBy, skip: Math.floor(storyCount * 0.6), take: 1, select: { articleId: true, publishedAt: true } })
  const cursor = prismaOrder.encode(middle!)
  const start = performance.now()
  for (let run = 0; run < 20; run++) await db.prisma.publicArticle.findMany({ where: prismaOrder.after(cursor), orderBy: prismaOrder.orderBy, take: 21, select: { articleId: true, summary: true } })
  console.log(`\nfor comparison, the latest list deep through Prisma's OR expansion: ${((performance.now() - start) / 20).toFixed(2)} ms`)
  const values = prismaOrder.decode(cursor)!
  console.log(await explain(db, sql`SELECT "articleId", "summary" FROM "PublicArticle" WHERE "publishedAt" < ${values[0]} OR ("publishedAt" = ${values[0]} AND "articleId" < ${values[1]}) ORDER BY "publishedAt" DESC, "articleId" DESC LIMIT 21`))
}

for (const engine of engines) {
  const folder = mkdtempSync(join(tmpdir(), 'cms-list-plans-'))
  const cluster = engine === 'postgresql' ? await startPostgresCluster() : undefined
  try {
    const url = cluster?.url ?? `file:${join(folder, 'plans.db')}`
    await migrateDatabase(url)
    const db = await openDatabase({ databaseUrl: url })
    try {
      await seed(db)
      await report(db)
    } finally {
      await db.close()
    }
  } finally {
    cluster?.stop()
    rmSync(folder, { recursive: true, force: true })
  }
}
