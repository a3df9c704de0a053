// Configuration of Prisma's CLI (generate, migrate). It runs the WebAssembly
// schema engine through the same driver adapter the app uses, which is what
// makes Prisma 6.19 work without downloading native engines.
// @see https://www.prisma.io/docs/orm/reference/prisma-config-reference
import { defineConfig } from 'prisma/config'
import { loadConfig, loadDotEnvFile } from './src/config.ts'
import { createAdapterFactory, engineOf } from './src/db/engine.ts'

loadDotEnvFile()
const { DATABASE_URL } = loadConfig()
const engine = engineOf(DATABASE_URL)

/**
 * The full-text index over "ArticleSearch", which each engine's migration
 * creates by hand (prisma/<engine>/migrations/*_article_search): Prisma's
 * schema language cannot describe an FTS5 virtual table, nor a tsvector under
 * a GIN index in a provider-neutral model. Its introspection of SQLite lists
 * an FTS5 table and each of its shadow tables (_config, _data, _docsize, _idx)
 * as ordinary tables, so `migrate diff` would drop them. Named here, exactly
 * these are left out of every diff; everything else stays checked
 * (test/prisma-schemas.test.ts), and test/search.test.ts checks they work.
 * @see https://www.prisma.io/docs/orm/prisma-schema/data-model/externally-managed-tables
 */
const searchIndexTables = {
  sqlite: () => ['ArticleSearchIndex', ...['config', 'data', 'docsize', 'idx'].map((shadow) => `ArticleSearchIndex_${shadow}`)],
  // Qualified by the schema, as Prisma asks on PostgreSQL (`?schema=` in the URL, else public).
  postgresql: () => [`${new URL(DATABASE_URL).searchParams.get('schema') ?? 'public'}.ArticleSearchVector`]
}

export default defineConfig({
  experimental: { adapter: true, externalTables: true },
  engine: 'js',
  schema: `prisma/${engine}/schema.prisma`,
  tables: { external: searchIndexTables[engine]() },
  adapter: async () => createAdapterFactory(DATABASE_URL, { forMigrations: true })
})
