// Debian's Chromium, driven by playwright-core, for end-to-end tests of the
// pages the app serves (Swagger UI). Playwright's own browser downloads are
// never used: CI and developers install the `chromium` package.
import type { Test } from 'tap'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Headless, no sandbox (tests run as root in containers), and none of the
// background traffic (component updates, sync, field trials, QUIC probes) that
// a fresh profile otherwise sends to Google's servers.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/**
 * A headless Chromium with a fresh profile of its own, closed (and its profile
 * removed) when the test ends. A missing browser is a failure, not a skip: CI
 * installs it, and a skipped browser test proves nothing.
 */
export async function launchChromium (t: Test): Promise<BrowserContext> {
  try {
    accessSync(chromiumPath, constants.X_OK)
  } catch {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH. ` +
      'This test drives a real browser and does not skip without one.')
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'cms-chromium-'))
  t.teardown(async () => { await rm(userDataDir, { recursive: true, force: true }) })
  // A persistent context is the way to give Chromium a --user-data-dir of our choosing.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000
  })
  // Registered after the profile's removal, so it runs before it.
  t.teardown(async () => { await context.close() })
  return context
}
