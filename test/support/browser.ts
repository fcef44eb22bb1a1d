// Browser test support: Debian's Chromium driven by playwright-core (never a browser download),
// the web app's fixture (server, users, browser, signed-in pages), signing in, axe-core checks and
// screenshots of each screen; test support.
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { addUsersFast } from './direct-users.js'
import { adminPassword, domain, passwordOf, startHarness, type Harness } from './server-harness.js'

const require = createRequire(import.meta.url)
export const screensDir = 'test-artifacts/screens'

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })

/** A new browser context (its own sessionStorage) at desktop width, in English. */
export const openPage = async (browser: Browser, url: string): Promise<Page> => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    baseURL: url,
    // axe-core is injected as a script of the test; the app's own CSP stays in force otherwise.
    bypassCSP: true,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await page.goto('/')
  return page
}

export const signIn = async (page: Page, address: string, password: string): Promise<void> => {
  await page.getByLabel('Address').fill(address)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('[data-state="live"]').waitFor()
}

export const goTo = async (page: Page, name: string): Promise<void> => {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click()
  await page.getByRole('heading', { level: 1 }).first().waitFor()
}

/** Runs axe-core in the page; fails on any serious or critical violation. */
export const checkAccessibility = async (page: Page, screen: string): Promise<void> => {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe
    const results = await axe.run()
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
  expect(violations, `axe on ${screen}`).toEqual([])
}

interface AxeResults {
  violations: { id: string; impact?: string; nodes: { target: string[] }[] }[]
}

/** Screenshots at desktop (1280 px) and phone (360 px) width, into the git-ignored artifacts. */
export const screenshot = async (page: Page, screen: string): Promise<void> => {
  mkdirSync(screensDir, { recursive: true })
  const size = page.viewportSize() ?? { width: 1280, height: 900 }
  await page.screenshot({ path: `${screensDir}/${screen}-1280.png`, fullPage: true })
  await page.setViewportSize({ width: 360, height: 740 })
  await page.screenshot({ path: `${screensDir}/${screen}-360.png`, fullPage: true })
  await page.setViewportSize(size)
}

/** Signs a page in as one of the added users (with `passwordOf(name)`), or as `admin`. */
export const signInAs = (page: Page, name: string): Promise<void> =>
  signIn(page, `${name}@${domain}`, name === 'admin' ? adminPassword : passwordOf(name))

export interface WebAppOptions<Name extends string> {
  /** The users added (each then with `passwordOf(name)`) before the browser starts. */
  readonly users: readonly string[]
  /** One page (browser context) a person, `admin` too; each signed in unless `signIn` is false. */
  readonly pages: readonly Name[]
  readonly signIn?: boolean
  /** What the test needs of the server (tuning, teams) before the browser starts. */
  readonly prepare?: (setup: { harness: Harness; admin: string }) => Promise<void>
}

export interface WebApp<Name extends string> {
  /** The running server; a new one after `restart`. */
  readonly harness: Harness
  readonly browser: Browser
  /** The admin's token and each user's, for REST calls beside the browser. */
  readonly admin: string
  readonly tokens: Record<string, string>
  /** The page of each person of `pages`. */
  readonly page: Record<Name, Page>
  /** A new page (browser context) signed in as a user of `addUsers`, or as `admin`. */
  open(name: string): Promise<Page>
  /** Starts the server again on its port and data, after `harness.stop({ keepData: true })`. */
  restart(): Promise<Harness>
}

/**
 * The web app's fixture for the current `describe` (or file): before all its tests, the real server
 * with the users, Chromium, and a page a person; after them, all closed.
 */
export const useWebApp = <const Name extends string>(
  options: WebAppOptions<Name>,
): WebApp<Name> => {
  let harness: Harness | undefined
  let browser: Browser | undefined
  let users: { admin: string; tokens: Record<string, string> } | undefined
  const page = {} as Record<Name, Page>
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the web app starts before all tests of its describe')
    return value
  }
  beforeAll(async () => {
    harness = await startHarness()
    users = await addUsersFast(harness.server.services, options.users, { passwords: true })
    await options.prepare?.({ harness, admin: users.admin })
    browser = await launchChromium()
    for (const name of options.pages) page[name] = await openPage(browser, harness.url)
    if (options.signIn === false) return
    for (const name of options.pages) await signInAs(page[name], name)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await harness?.stop()
  })
  return {
    get harness() {
      return ready(harness)
    },
    get browser() {
      return ready(browser)
    },
    get admin() {
      return ready(users).admin
    },
    get tokens() {
      return ready(users).tokens
    },
    page,
    open: async (name) => {
      const opened = await openPage(ready(browser), ready(harness).url)
      await signInAs(opened, name)
      return opened
    },
    restart: async () => {
      const { url, dataDir } = ready(harness)
      harness = await startHarness({ dataDir, port: Number(new URL(url).port) })
      return harness
    },
  }
}

/** A second tab in the same browser context as `page` (its own sessionStorage, shared channels). */
export const openTab = async (page: Page): Promise<Page> => {
  const tab = await page.context().newPage()
  tab.setDefaultTimeout(15_000)
  await tab.goto('/')
  return tab
}

/**
 * Emulates the tab being hidden or shown (headless Chromium keeps every page visible): the
 * document's `visibilityState` and a `visibilitychange` event, as the browser would give them.
 */
export const setHidden = (page: Page, hidden: boolean): Promise<void> =>
  page.evaluate((isHidden) => {
    const doc = (globalThis as unknown as { document: EventTarget }).document
    Object.defineProperty(doc, 'visibilityState', {
      configurable: true,
      get: () => (isHidden ? 'hidden' : 'visible'),
    })
    doc.dispatchEvent(new Event('visibilitychange'))
  }, hidden)

/** The client messages of a type that the page's WebSockets send, in order. */
export const sentFrames = (page: Page, type: string): Record<string, unknown>[] => {
  const frames: Record<string, unknown>[] = []
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as Record<string, unknown>
      if (message['type'] === type) frames.push(message)
    }),
  )
  return frames
}
