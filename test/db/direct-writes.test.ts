// SQLite: the write path's raw statements go straight to the adapter's driver
// connection inside Prisma's transaction (src/db/client.ts, executeSql). They
// must belong to that transaction (rolled back with it, seen by its later
// reads), bind values as Prisma does, and fail with Prisma's errors.
import t from 'tap'
import { Prisma } from '../../src/generated/sqlite/client.ts'
import { executeSql, insertRows, runsOn, sql } from '../../src/db/client.ts'
import { buildTestApp, createAuthor, engineUnderTest } from '../helper.ts'

const sqlite = engineUnderTest() === 'sqlite'

t.test('statements sent to the driver belong to the write\'s transaction and fail as Prisma\'s do', async (t) => {
  const app = await buildTestApp(t)
  const { prisma } = app.db
  const author = await createAuthor(app, { name: 'Direct Writer' })
  t.equal(app.db.sqliteConnection() !== undefined, sqlite, sqlite ? 'the adapter\'s connection is known' : 'PostgreSQL: none (Prisma runs them)')

  // Rolled back with the transaction.
  const at = new Date('2026-11-27T10:11:12.345Z')
  await t.rejects(prisma.$transaction(async (tx) => {
    runsOn(tx, app.db.sqliteConnection())
    t.equal(await executeSql(tx, sql`UPDATE "Author" SET "name" = ${'Inside'}, "updatedAt" = ${at} WHERE "id" = ${author.id}`), 1, 'one row changed')
    const seen = await tx.author.findUniqueOrThrow({ where: { id: author.id } })
    t.match(seen, { name: 'Inside', updatedAt: at }, 'the transaction\'s own reads see it, the date as Prisma writes one')
    throw new Error('roll back')
  }), /roll back/)
  t.equal((await prisma.author.findUniqueOrThrow({ where: { id: author.id } })).name, 'Direct Writer', 'gone with the rollback')

  // A refused statement throws the error Prisma's own raw statement throws (what the error mapping reads).
  const twin = [{ id: author.id, slug: 'another-slug', name: 'Twin', createdAt: at, updatedAt: at }]
  const columns = ['id', 'slug', 'name', 'createdAt', 'updatedAt'] as const
  const failure = (error: unknown): unknown => error instanceof Prisma.PrismaClientKnownRequestError ? { type: 'known', code: error.code, meta: error.meta } : error
  const viaPrisma = await prisma.$transaction(async (tx) => { await insertRows(tx, 'Author', columns, twin) }).then(() => null, failure)
  t.match(viaPrisma, { type: 'known', code: /^P\d+$/ }, 'Prisma refuses the duplicate id')
  const viaDriver = await prisma.$transaction(async (tx) => {
    runsOn(tx, app.db.sqliteConnection())
    await insertRows(tx, 'Author', columns, twin)
  }).then(() => null, failure)
  t.same(viaDriver, viaPrisma, 'the same error through the driver')

  // SQLite: a refused statement leaves the transaction open (as with Prisma's own): the write goes on and commits.
  if (sqlite) {
    await prisma.$transaction(async (tx) => {
      runsOn(tx, app.db.sqliteConnection())
      await insertRows(tx, 'Author', columns, twin).catch(() => {})
      await executeSql(tx, sql`UPDATE "Author" SET "name" = ${'Committed'} WHERE "id" = ${author.id}`)
    })
    t.equal((await prisma.author.findUniqueOrThrow({ where: { id: author.id } })).name, 'Committed')
  }
})
