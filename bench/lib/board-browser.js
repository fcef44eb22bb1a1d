// The browser side of the board-paint scenario: Debian's Chromium through playwright-core (never a
// download), a script in each page that notes when the sign-in form and the board's view cards are
// first painted, and one run: signed out, signing in, then opening the app again signed in.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { repoRoot } from './targets.js'

// paintProbe and readMarks run in the page, where these are the browser's.
/* global document, MessageChannel, MutationObserver, performance, requestAnimationFrame */

export const chromiumPath = '/usr/bin/chromium'

/** Headless Chromium as the browser tests start it: no sandbox, no background traffic. */
export const launchBrowser = () => {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing (apt install chromium)`)
  if (!existsSync(join(repoRoot, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: npm run build')
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * Runs in the page before its own scripts. Times are `performance.now()`: milliseconds since the
 * navigation started. A moment is "painted" at the frame that shows it: the task queued from that
 * frame's requestAnimationFrame callback runs once the frame has been produced.
 */
const paintProbe = (expected) => {
  const marks = {}
  globalThis.__boardPaint = marks
  const afterPaint = (key) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => (marks[key] ??= performance.now())
      channel.port2.postMessage(0)
    })
  const note = (key) => {
    if (marks[`${key}Dom`] !== undefined) return
    marks[`${key}Dom`] = performance.now()
    afterPaint(key)
  }
  document.addEventListener('submit', () => (marks.submit ??= performance.now()), true)
  // The live connection, seen from inside the page: when it opened and when the K-th snapshot came.
  const Native = globalThis.WebSocket
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      let snapshots = 0
      this.addEventListener('open', () => (marks.liveOpen ??= performance.now()))
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || JSON.parse(event.data).type !== 'snapshot') return
        if (++snapshots === expected) marks.snapshots ??= performance.now()
      })
    }
  }
  const look = () => {
    if (document.querySelector('input[type="password"]')) note('signInForm')
    const cards = document.querySelectorAll('.cards .card').length
    if (cards > 0) note('firstView')
    if (cards >= expected) note('allViews')
  }
  new MutationObserver(look).observe(document, { childList: true, subtree: true })
}

/** The marks of the page, with first-contentful-paint and the navigation's HTML answer. */
const readMarks = () => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0]
  const navigation = performance.getEntriesByType('navigation')[0]
  return {
    ...globalThis.__boardPaint,
    fcp: paint?.startTime,
    htmlEnd: navigation?.responseEnd,
    domContentLoaded: navigation?.domContentLoadedEventEnd,
  }
}

const marksWhen = async (page, key, timeoutMs) => {
  await page.waitForFunction((k) => globalThis.__boardPaint?.[k] !== undefined, key, {
    timeout: timeoutMs,
  })
  return page.evaluate(readMarks)
}

/** A browser context like a person's: desktop width, English, its own storage and HTTP cache. */
export const newContext = async (browser, { url, expected }) => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    baseURL: url,
  })
  await context.addInitScript(paintProbe, expected)
  return context
}

/**
 * One run in a new tab of `context` (its own sessionStorage, the context's HTTP cache): the app
 * signed out until the sign-in form is painted; signing in until every view is painted; then the
 * app opened again in the same tab, signed in, until every view is painted.
 */
export const measureRun = async (context, { address, password, timeoutMs }) => {
  const page = await context.newPage()
  try {
    await page.goto('/')
    const signedOut = await marksWhen(page, 'signInForm', timeoutMs)
    await page.getByLabel('Address').fill(address)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const signIn = await marksWhen(page, 'allViews', timeoutMs)
    await page.goto('/')
    const signedIn = await marksWhen(page, 'allViews', timeoutMs)
    const cards = await page.locator('.cards .card').count()
    return { signedOut, signIn, signedIn, cards }
  } finally {
    await page.close()
  }
}
