// The committed OpenAPI document passes Redocly's linter with the committed
// rules (redocly.yaml, and the scoped exceptions in .redocly.lint-ignore.yaml):
// the CLI that `npm run lint:openapi` runs, with its JSON report.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

interface Problem {
  ruleId: string
  severity: 'error' | 'warn'
  message: string
  location: Array<{ pointer: string, source: { ref: string } }>
}

interface Report {
  totals: { errors: number, warnings: number, ignored: number }
  problems: Problem[]
}

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js')
const config = join(root, 'redocly.yaml')
const document = 'openapi/openapi.json'

/** `redocly lint <file>` with the committed config; a broken config is an error too. */
async function lint (file: string): Promise<Report> {
  const args = [cli, 'lint', file, `--config=${config}`, '--lint-config=error', '--format=json']
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, args, {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024
    }, (error, stdout, stderr) => {
      // Exit code 1 means "problems found": the report says which.
      try {
        resolve(JSON.parse(stdout) as Report)
      } catch {
        reject(new Error(`redocly lint gave no JSON report (${error?.message ?? 'exit 0'}): ${stderr.slice(0, 2000)}`))
      }
    })
  })
}

const describe = (problem: Problem): string =>
  `${problem.severity} ${problem.ruleId} at ${problem.location.map((location) => location.pointer).join(', ')}: ${problem.message}`

t.test(`${document} passes redocly lint with redocly.yaml`, async (t) => {
  const report = await lint(document)
  t.same(report.problems.map(describe), [],
    'no problems: fix the route schemas or src/openapi-document.ts, run `npm run openapi`; a rule that does not fit goes off in redocly.yaml with its reason')
  t.equal(report.totals.errors, 0, 'no errors')
  t.equal(report.totals.warnings, 0, 'no warnings')

  // Every exception in the ignore file still matches a problem: a stale one
  // would silently hide the next problem at the same place.
  const ignoreFile = readFileSync(join(root, '.redocly.lint-ignore.yaml'), 'utf8')
  const entries = ignoreFile.match(/^\s+- '#\/[^']*'$/gm) ?? []
  t.ok(entries.length > 0, 'the ignore file has entries (or delete it and this check)')
  t.equal(report.totals.ignored, entries.length, 'each entry of .redocly.lint-ignore.yaml is still needed: remove the ones that are not')
})

t.test('the linter reports faults (so the test above can fail)', async (t) => {
  const faulty: Json = JSON.parse(readFileSync(join(root, document), 'utf8'))
  delete faulty.servers
  const [firstPath] = Object.keys(faulty.paths)
  const [method, firstOperation] = Object.entries(faulty.paths[firstPath!] as Record<string, Json>)[0]!
  delete firstOperation.summary
  const [firstStatus] = Object.keys(firstOperation.responses)
  delete firstOperation.responses[firstStatus!].headers?.['X-Request-Id']
  faulty.components.schemas.NobodyUsesMe = { type: 'object', description: 'An unused component' }

  const scratch = mkdtempSync(join(tmpdir(), 'cms-openapi-lint-'))
  t.teardown(() => { rmSync(scratch, { recursive: true, force: true }) })
  const file = join(scratch, 'openapi.json')
  writeFileSync(file, JSON.stringify(faulty, null, 2))

  const report = await lint(file)
  const found = report.problems.map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer ?? ''}`)
  const operationPointer = `#/paths/${firstPath!.replaceAll('~', '~0').replaceAll('/', '~1')}`
  for (const [rule, pointer] of [
    ['no-empty-servers', '#/'],
    ['operation-summary', operationPointer],
    ['response-contains-header', `${operationPointer}/${method}/responses/${firstStatus!}`],
    ['no-unused-components', '#/components/schemas/NobodyUsesMe']
  ] as const) {
    t.ok(found.some((problem) => problem.startsWith(`${rule} ${pointer}`)), `${rule} is reported at ${pointer}`)
  }
  t.ok(report.totals.errors >= 4, `the faults are errors (${report.totals.errors})`)
  t.ok(report.problems.map(describe).every((line) => /^(error|warn) [\w.-]+ at #\/\S* ?.*: ./.test(line)), 'each problem names its rule, place and message')
})
