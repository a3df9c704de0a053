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

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: `prisma/${engine}/schema.prisma`,
  adapter: async () => createAdapterFactory(DATABASE_URL, { forMigrations: true })
})
