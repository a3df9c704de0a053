// Swagger UI as an editor uses it, in a real browser (Debian's Chromium):
// authorize with an editor key, create an author, an image and an article
// with "Try it out", see a validation problem, and all of it under the docs'
// content security policy, with no request leaving the server's origin.
import t from 'tap'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import type { Locator, Page } from 'playwright-core'
import { buildTestApp, testAdminKey } from './helper.ts'
import { launchChromium } from './support/browser.ts'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const artifactsDir = fileURLToPath(new URL('../.tap/artifacts/', import.meta.url))
const screenshotPath = `${artifactsDir}swagger-ui.png`

/** The tag Swagger UI files an operation under (its first), from the served document. */
function tagOf (document: Json, operationId: string): string {
  for (const item of Object.values(document.paths as Record<string, Json>)) {
    for (const operation of Object.values(item as Record<string, Json>)) {
      if (operation?.operationId === operationId) return operation.tags[0]
    }
  }
  throw new Error(`no operation ${operationId} in /openapi.json`)
}

/** The operation's block, expanded, with "Try it out" on. Swagger UI's ids: operations-<tag, spaces as _>-<operationId>. */
async function openOperation (page: Page, document: Json, operationId: string): Promise<Locator> {
  const tag = tagOf(document, operationId)
  const block = page.locator(`[id="operations-${tag.replace(/\s/g, '_')}-${operationId}"]`)
  await block.scrollIntoViewIfNeeded()
  if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').first().click()
  // `tryItOutEnabled` may already have turned it on; the same button then says "Cancel".
  if (!(await block.locator('.execute').isVisible())) await block.locator('.try-out__btn').click()
  await block.locator('textarea.body-param__text').waitFor()
  return block
}

/** Replaces the request body, presses Execute and reads the status and body as the page renders them. */
async function execute (block: Locator, requestBody: string): Promise<{ status: string, text: string, body: Json, headers: string }> {
  const clear = block.locator('.btn-clear')
  if (await clear.isVisible()) {
    await clear.click()
    await block.locator('.live-responses-table').waitFor({ state: 'detached' })
  }
  await block.locator('textarea.body-param__text').fill(requestBody)
  await block.locator('.execute').click()
  const live = block.locator('.responses-wrapper .live-responses-table')
  const row = live.locator('tbody tr.response').first()
  await row.waitFor()
  const status = (await row.locator('.response-col_status').innerText()).trim()
  const text = await row.locator('.response-col_description .highlight-code pre').first().innerText()
  const headers = await row.locator('.response-col_description').innerText()
  let body: Json
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`the rendered response body is not JSON: ${text.slice(0, 500)}`)
  }
  return { status, text, body, headers }
}

t.test('an editor authorizes and creates an author, an image and an article in Swagger UI', { timeout: 60_000 }, async (t) => {
  const started = Date.now()
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const keyResponse = await fetch(`${origin}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Swagger UI test editor', role: 'editor' })
  })
  t.equal(keyResponse.status, 201, 'the admin creates an editor key')
  const editorKey = ((await keyResponse.json()) as Json).secret as string
  const document: Json = await (await fetch(`${origin}/openapi.json`)).json()

  const context = await launchChromium(t)
  const requests: string[] = []
  context.on('request', (request) => { requests.push(request.url()) })
  const cspConsole: string[] = []
  const pageErrors: string[] = []
  const violations: Json[] = []
  await context.exposeFunction('reportCspViolation', (violation: Json) => { violations.push(violation) })
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    window.reportCspViolation({ directive: event.violatedDirective, blockedURI: event.blockedURI, sample: event.sample })
  })`)
  const page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('console', (message) => { if (/content.security.policy/i.test(message.text())) cspConsole.push(message.text()) })
  page.on('pageerror', (error) => { pageErrors.push(error.message) })

  try {
    const docs = await page.goto(`${origin}/docs`)
    t.equal(docs?.status(), 200, '/docs answers 200')
    const csp = (await docs?.allHeaders())?.['content-security-policy'] ?? ''
    t.match(csp, /script-src 'self'(;|$)/, `the docs page has a CSP with script-src 'self' only (${csp})`)
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'and no unsafe-inline or unsafe-eval')
    t.match(csp, /connect-src 'self'/, 'Try it out may call this origin')
    await page.locator('.swagger-ui .information-container .title').waitFor()

    // Authorize with the editor key.
    await page.locator('.auth-wrapper .btn.authorize').click()
    const dialog = page.locator('.modal-ux')
    await dialog.locator('.auth-container input').first().fill(editorKey)
    await dialog.locator('.auth-btn-wrapper .btn.authorize').click()
    await dialog.locator('.auth-btn-wrapper .btn-done').click()
    await dialog.waitFor({ state: 'detached' })
    t.ok(await page.locator('.auth-wrapper .btn.authorize.locked').isVisible(), 'the Authorize button shows a closed lock')

    const authors = await openOperation(page, document, 'createAuthor')
    const author = await execute(authors, JSON.stringify({ name: 'Ines Varga', title: 'Photographer', organization: 'Continental Press' }, null, 2))
    t.equal(author.status, '201', `POST /v1/authors: 201 in the page (${author.text.slice(0, 300)})`)
    t.match(author.body, { id: String, name: 'Ines Varga', organization: 'Continental Press' }, 'the page shows the new author')

    const images = await openOperation(page, document, 'createImage')
    const image = await execute(images, JSON.stringify({
      url: 'https://images.example.test/ferry.jpg',
      alt: 'A ferry leaving the harbour',
      caption: 'The first ferry in three weeks leaves Halvard harbour.',
      credit: { photographer: 'Ines Varga', agency: 'Continental Press' }
    }, null, 2))
    t.equal(image.status, '201', `POST /v1/images: 201 in the page (${image.text.slice(0, 300)})`)
    t.match(image.body, { id: String, creditLine: 'Ines Varga / Continental Press' }, 'the page shows the new image and its credit line')

    const articles = await openOperation(page, document, 'createArticle')
    const article = await execute(articles, JSON.stringify({
      headline: 'Ferry service to Halvard Islands resumes',
      section: 'Regional',
      bylines: [{ authorId: author.body.id, role: 'photographer' }],
      leadImageId: image.body.id
    }, null, 2))
    t.equal(article.status, '201', `POST /v1/articles: 201 in the page (${article.text.slice(0, 300)})`)
    t.match(article.body, {
      headline: 'Ferry service to Halvard Islands resumes',
      status: 'draft',
      leadImageId: image.body.id,
      leadImage: { id: image.body.id, creditLine: 'Ines Varga / Continental Press' },
      bylines: [{ authorId: author.body.id, role: 'photographer', author: { name: 'Ines Varga' } }]
    }, 'the page shows the article with its byline and lead image embedded')
    const stored = await app.inject({ method: 'GET', url: `/v1/articles/${article.body.id as string}`, headers: { authorization: `Bearer ${editorKey}` } })
    t.equal(stored.statusCode, 200, 'the article is stored')

    // A bad body: the problem names the field.
    const bad = await execute(authors, '{ "name": "" }')
    t.equal(bad.status, '400', `a blank name: 400 in the page (${bad.text.slice(0, 300)})`)
    t.match(bad.body, { status: 400, code: String, errors: [{ path: 'body.name' }] }, 'the problem names body.name')
    t.match(bad.text, /body\.name/, 'body.name is on the page')
    t.match(bad.headers, /application\/problem\+json/, 'the page shows the problem+json content type')

    t.same(pageErrors, [], 'no script errors')
    t.same(cspConsole, [], 'the console reports no CSP violation')
    t.same(violations, [], 'no securitypolicyviolation event')
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))
    t.same(foreign, [], 'every request went to the test server')
    t.ok(requests.some((url) => url.startsWith(`${origin}/docs/static/swagger-ui-bundle.js`)), 'the request log saw the page load its assets')
    t.ok(requests.includes(`${origin}/v1/articles`), 'and Try it out call the API')

    // The policy is enforced, not only sent: an inline script is refused (and
    // reported, which shows the checks above would see a violation).
    await page.evaluate(`(() => { const script = document.createElement('script'); script.textContent = 'window.inlineRan = true'; document.body.append(script) })()`)
    t.equal(await page.evaluate('window.inlineRan === true'), false, 'an injected inline script does not run')
    await t.resolves(waitFor(() => violations.length > 0, 5_000), 'and is reported as a violation')
    t.match(violations[0], { directive: /^script-src/ }, 'of script-src')
  } finally {
    mkdirSync(artifactsDir, { recursive: true })
    await page.screenshot({ path: screenshotPath, fullPage: true })
    t.comment(`screenshot: ${screenshotPath}`)
  }
  t.comment(`Swagger UI session: ${((Date.now() - started) / 1000).toFixed(1)} s`)
})

async function waitFor (condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

t.test('the API\'s JSON answers keep the strict policy', async (t) => {
  const app = await buildTestApp(t, {}, { as: 'anonymous' })
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'")
})
