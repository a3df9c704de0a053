// The data model has one definition (prisma/models.prisma); each engine's
// schema is derived from it and each engine's migrations must build exactly it.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { providers, renderSchema, schemaPath } from '../prisma/derive-schemas.ts'
import { engineUnderTest, readPostgresState, stateDir } from './support/test-databases.ts'

t.test('each engine\'s committed schema is the one derived from prisma/models.prisma', async (t) => {
  for (const provider of providers) {
    t.equal(readFileSync(schemaPath(provider), 'utf8'), renderSchema(provider),
      `prisma/${provider}/schema.prisma differs from prisma/models.prisma: edit the models, then run \`npm run db:schemas\``)
  }
})

t.test('the derivation only adds engine-specific column types', async (t) => {
  const withoutDbAttributes = (schema: string): string => schema.replace(/ @db\.\w+(\([^)]*\))?/g, '')
  const [sqlite, postgresql] = providers.map((provider) => renderSchema(provider).split('datasource db')[1]?.split('}').slice(1).join('}') ?? '')
  t.match(sqlite, /model Article \{/, 'compares the models, not empty text')
  t.equal(withoutDbAttributes(postgresql ?? ''), sqlite, 'the models are the same on both engines')
  t.match(renderSchema('postgresql'), /DateTime\s+@default\(now\(\)\) @db\.Timestamptz\(3\)/, 'PostgreSQL stores time zone aware timestamps')
})

t.test(`the committed ${engineUnderTest()} migrations build exactly the schema`, async (t) => {
  const engine = engineUnderTest()
  const databaseUrl = engine === 'sqlite' ? `file:${join(stateDir, 'migration-diff.db')}` : readPostgresState().url
  // --exit-code: 0 when there is no difference, 2 when there is one.
  const run = (): string => execFileSync(process.execPath, [
    join('node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff',
    '--from-migrations', `prisma/${engine}/migrations`, '--to-schema-datamodel', `prisma/${engine}/schema.prisma`, '--exit-code'
  ], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let exitCode = 0
  try {
    output = run()
  } catch (error) {
    const failure = error as { status: number, stdout: string, stderr: string }
    exitCode = failure.status
    output = `${failure.stdout}\n${failure.stderr}`
  }
  t.equal(exitCode, 0, `migrations and schema differ: author a migration with \`npm run db:migration -- <name>\`\n${output}`)
  t.match(output, /No difference detected/)
})
