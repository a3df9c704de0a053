// Derives one schema.prisma per database engine from prisma/models.prisma.
// Run `npm run db:schemas` after editing the models; test/prisma-schemas.test.ts
// fails when the committed files differ from what this produces.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const providers = ['sqlite', 'postgresql'] as const
export type Provider = (typeof providers)[number]

const prismaDir = dirname(fileURLToPath(import.meta.url))

export function schemaPath (provider: Provider): string {
  return join(prismaDir, provider, 'schema.prisma')
}

function header (provider: Provider): string {
  // `url` is never used to connect (the CLI and the app go through the driver
  // adapter, see prisma.config.ts), but Prisma 6.19 falls back to downloading a
  // native engine when it is missing or names an unset variable.
  return `// GENERATED from prisma/models.prisma by \`npm run db:schemas\`. Do not edit.

generator client {
  provider   = "prisma-client"
  output     = "../../src/generated/${provider}"
  engineType = "client"
}

datasource db {
  provider = "${provider}"
  url      = "${provider === 'sqlite' ? 'file:./unused.db' : 'postgresql://unused'}"
}
`
}

// PostgreSQL gets proper time zone aware timestamps with millisecond precision
// (the precision the API exposes). Json is jsonb there by default.
function adaptModels (models: string, provider: Provider): string {
  if (provider === 'sqlite') return models
  return models.replace(/^(\s+\w+\s+DateTime\??)(.*)$/gm, (_line, field: string, rest: string) =>
    `${field}${rest} @db.Timestamptz(3)`)
}

export function renderSchema (provider: Provider): string {
  const models = readFileSync(join(prismaDir, 'models.prisma'), 'utf8')
  return `${header(provider)}\n${adaptModels(models, provider)}`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const provider of providers) {
    mkdirSync(dirname(schemaPath(provider)), { recursive: true })
    writeFileSync(schemaPath(provider), renderSchema(provider))
    console.log(`wrote ${schemaPath(provider)}`)
  }
}
