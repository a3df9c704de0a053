// Integrators generate clients from openapi/openapi.json. This proves that works:
// openapi-typescript turns the committed document into types, a small openapi-fetch
// program (test/client/wire-desk.ts) type-checks against them in strict mode, and
// the same program then files and reads back a story on the real app over HTTP.
// A program that misuses the types must fail the check, or the check proves nothing.
import t from 'tap'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { run } from './client/wire-desk.ts'
import { buildTestApp, testAdminKey } from './helper.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const documentPath = join(root, 'openapi', 'openapi.json')
const clientProgram = join(root, 'test', 'client', 'wire-desk.ts')
// The module name the client program imports its types from (see wire-desk.ts).
const typesModule = 'newsroom-cms-openapi'

// One folder per run: runs on both engines, or by several people, never share one.
const workDir = resolve(root, '.tap', 'generated-client', `run-${process.pid}-${Date.now()}`)

/**
 * Misuses of the generated types, one a line, each marked with the error it must
 * cause. Everything else in the file is valid, so each error is the misuse's own.
 */
const misuseProgram = `import createClient from 'openapi-fetch'
import type { paths } from '${typesModule}'

export async function misuse (baseUrl: string): Promise<void> {
  const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl })
  await client.POST('/v1/articles', { body: { headline: 42 } }) // misuse TS2322: a number as headline
  await client.POST('/v1/articles', { body: { headline: 'A', bylines: [{ authorId: 'a', role: 'writer' }] } }) // misuse TS2322: a role not in the enum
  await client.POST('/v1/articles', { body: { dek: 'no headline' } }) // misuse TS2322: the required headline left out
  await client.GET('/v1/articles/{id}') // misuse TS2554: the path parameter left out
  await client.GET('/v1/no-such-route', {}) // misuse TS2345: a path the API does not have
  const { data } = await client.GET('/v1/articles/{id}', { params: { path: { id: 'x' } } })
  console.log(data.headline) // misuse TS18048: data read without checking for an error
  if (data === undefined) return
  console.log(data.kicker) // misuse TS2339: a field articles do not have
  console.log(data.leadImage.creditLine) // misuse TS18047: a nullable lead image read without a check
  const block = data.body[0]
  if (block === undefined) return
  console.log(block.text) // misuse TS2339: text read before narrowing the block type
  if (block.type === 'related_link') console.log(block.article.slug) // misuse TS18047: the link's target may be null (an external URL)
}
`

interface ExpectedError { line: number, code: number, what: string }

function expectedErrors (source: string): ExpectedError[] {
  return source.split('\n').flatMap((text, index) => {
    const match = /\/\/ misuse TS(\d+): (.+)$/.exec(text)
    return match === null ? [] : [{ line: index + 1, code: Number(match[1]), what: match[2] ?? '' }]
  })
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n'
}

let program: ts.Program | undefined

t.before(async () => {
  mkdirSync(workDir, { recursive: true })
  const nodes = await openapiTS(readFileSync(documentPath, 'utf8'))
  // .ts rather than .d.ts, so that skipLibCheck does not skip checking the generated file itself.
  writeFileSync(join(workDir, 'schema.ts'), astToString(nodes))
  writeFileSync(join(workDir, 'misuse.ts'), misuseProgram)
  // A tsconfig a person can run by hand (npx tsc -p <this folder>) when the test fails.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      paths: { [typesModule]: ['./schema.ts'] }
    },
    files: [relative(workDir, clientProgram), './misuse.ts']
  }
  writeFileSync(join(workDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n')
  const parsed = ts.getParsedCommandLineOfConfigFile(join(workDir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => { throw new Error(ts.formatDiagnostic(diagnostic, formatHost)) }
  })
  if (parsed === undefined) throw new Error('the tsconfig for the client could not be read')
  // One program for both files: the types are generated and checked once.
  program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })
})

// Kept when something failed, so the generated types and the tsconfig can be looked at.
t.teardown(() => {
  if (t.passing()) rmSync(workDir, { recursive: true, force: true })
  else t.comment(`generated client kept in ${workDir}`)
})

function diagnosticsOf (fileName: string): readonly ts.Diagnostic[] {
  if (program === undefined) throw new Error('no program: generating the types failed')
  const file = program.getSourceFile(fileName)
  if (file === undefined) throw new Error(`${fileName} is not in the program`)
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
}

t.test('openapi-typescript generates types that the client program type-checks against', async (t) => {
  if (program === undefined) throw new Error('no program: generating the types failed')
  const generated = readFileSync(join(workDir, 'schema.ts'), 'utf8')
  t.match(generated, /export interface paths \{/, 'the generated file declares paths')
  t.match(generated, /"\/v1\/articles\/\{id\}": \{/, 'with the article routes')
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...diagnosticsOf(join(workDir, 'schema.ts')),
    ...diagnosticsOf(clientProgram)
  ]
  t.equal(ts.formatDiagnostics(diagnostics, formatHost), '',
    'test/client/wire-desk.ts type-checks against the generated types (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes)')
})

t.test('a program that misuses the generated types does not type-check', async (t) => {
  const misusePath = join(workDir, 'misuse.ts')
  const diagnostics = diagnosticsOf(misusePath)
  const found = diagnostics.map((diagnostic) => {
    const line = diagnostic.file !== undefined && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
      : 0
    return { line, code: diagnostic.code }
  })
  const expected = expectedErrors(misuseProgram)
  t.ok(expected.length >= 10, 'the misuse program has its misuses marked')
  for (const { line, code, what } of expected) {
    t.ok(found.some((error) => error.line === line && error.code === code), `TS${code} on line ${line}: ${what}`)
  }
  const unexpected = diagnostics.filter((_, index) => !expected.some(({ line }) => line === found[index]?.line))
  t.equal(ts.formatDiagnostics(unexpected, formatHost), '', 'no errors on the lines that use the types correctly')
})

t.test('the client program files a story on the real app and reads it back', async (t) => {
  const app = await buildTestApp(t)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })

  const story = await run(address, testAdminKey)

  const { id, ...read } = story
  t.match(id, /^\S+$/, 'the article\'s id')
  t.same(read, {
    headline: 'Ferry service to the Halvard Islands resumes as strike ends',
    slug: 'ferry-service-to-the-halvard-islands-resumes-as-strike-ends',
    bylines: ['Ines Varga (author)'],
    creditLine: 'Ines Varga / Continental Press',
    blockTypes: ['paragraph', 'ad_slot', 'related_link', 'paragraph', 'related_link'],
    relatedLinks: [
      { text: 'Related: shopkeepers count the cost', articleSlug: 'shopkeepers-on-the-halvard-islands-count-the-cost-of-the-ferry-strike', url: null },
      { text: 'The new timetable', articleSlug: null, url: 'https://harbour.example.test/timetable' }
    ],
    notFoundCode: 'NOT_FOUND'
  }, 'what the program read back')

  // And a wrong key is a failure the program reports, not a story filed.
  await t.rejects(run(address, 'cms_not-a-key-0123456789abcdefghij'), /create the author: 401 /)
})
