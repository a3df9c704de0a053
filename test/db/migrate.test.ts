// Migrations as `npm run db:migrate` and the server's start apply them: what
// they say they did, on an empty database and on an up-to-date one, and never a password.
import t from 'tap'
import { readdirSync } from 'node:fs'
import { describeDatabase, migrateDatabase, withoutMisleadingLines } from '../../src/db/migrate.ts'
import { engineUnderTest } from '../helper.ts'
import { emptyDatabase } from '../support/server-process.ts'

const engine = engineUnderTest()
const committed = readdirSync(new URL(`../../prisma/${engine}/migrations`, import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()

t.test('an empty database gets every migration, then finds nothing to do', async (t) => {
  const databaseUrl = await emptyDatabase(t, 'migrate')
  const first = await migrateDatabase(databaseUrl)
  t.match(first, engine === 'sqlite' ? /^SQLite database \S+cms\.db\n/ : /^PostgreSQL database \S+\n/, 'names the engine and the database')
  t.match(first, `${committed.length === 1 ? '1 migration has' : `${committed.length} migrations have`} been applied:`)
  for (const name of committed) t.match(first, `  ${name}\n`, `lists ${name}`)
  t.notMatch(first, /Datasource|prisma\/migrations|WARNING/, 'none of Prisma\'s misleading lines')

  const second = await migrateDatabase(databaseUrl)
  t.match(second, `No pending migrations: already up to date (${committed.length} migrations applied before).`)
})

t.test('the database is named without its password or query parameters', async (t) => {
  t.equal(describeDatabase('postgresql://cms:s3cret@db.internal:5432/cms?sslmode=require&password=x'), 'cms@db.internal:5432/cms')
  t.equal(describeDatabase('postgres://db.internal/cms'), 'db.internal/cms')
  t.match(describeDatabase('file:./data/cms.db'), /data\/cms\.db$/)
})

t.test('Prisma\'s misleading lines are left out of its error output', async (t) => {
  const output = [
    'Loaded Prisma config from prisma.config.ts.',
    'Prisma schema loaded from prisma/sqlite/schema.prisma',
    'Datasource "db": SQLite database "unused.db" at "file:unused.db"',
    '3 migrations found in prisma/migrations',
    '',
    '',
    '',
    'Error: P3009 migrate found failed migrations'
  ].join('\n')
  t.equal(withoutMisleadingLines(output), 'Error: P3009 migrate found failed migrations')
})
