// Browser test support: Debian's Chromium driven by playwright-core (never a browser download),
// signing in through the web app, axe-core checks and screenshots of each screen; test support.
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'

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
