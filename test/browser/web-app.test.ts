// The web app in Debian's Chromium against the real server: two people in two browser contexts see
// each other's changes live, a privacy rule takes effect at once, and every screen passes axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  addUsers,
  domain,
  passwordOf,
  startHarness,
  type Harness,
} from '../support/server-harness.js'
import {
  checkAccessibility,
  goTo,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from '../support/browser.js'

const ada = `ada@${domain}`
const bo = `bo@${domain}`

describe('the web app', { timeout: 120_000 }, () => {
  let harness: Harness
  let browser: Browser
  let pageA: Page
  let pageB: Page

  beforeAll(async () => {
    harness = await startHarness()
    await addUsers(harness.url, ['ada', 'bo'])
    browser = await launchChromium()
    pageA = await openPage(browser, harness.url)
    pageB = await openPage(browser, harness.url)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.stop()
  })

  it('signs in, and every screen has no serious accessibility violation', async () => {
    await checkAccessibility(pageA, 'sign-in')
    await screenshot(pageA, 'sign-in')
    await signIn(pageA, ada, passwordOf('ada'))
    await signIn(pageB, bo, passwordOf('bo'))
    for (const [name, screen] of [
      ['Board', 'board'],
      ['Me', 'me'],
      ['Privacy', 'privacy'],
      ['Workflows', 'workflows'],
      ['Password', 'password'],
    ] as const) {
      await goTo(pageA, name)
      await checkAccessibility(pageA, screen)
      await screenshot(pageA, screen)
    }
  })

  it("B's board shows A's change of availability without a reload", async () => {
    await goTo(pageB, 'Board')
    await pageB.getByRole('textbox', { name: 'Watch a person' }).fill(ada)
    await pageB.getByRole('button', { name: 'Watch', exact: true }).click()
    const card = pageB.getByRole('article', { name: 'ada' })
    await card.waitFor()
    await goTo(pageA, 'Me')
    await pageA.getByLabel('Availability').selectOption('busy')
    await pageA
      .locator('form[aria-labelledby="manual-title"]')
      .getByRole('button', { name: 'Set' })
      .click()
    await expect.poll(() => card.locator('[data-field="availability"]').textContent()).toBe('Busy')
    await expect.poll(() => pageA.locator('[data-field="why"]').textContent()).toContain('chose')
    await screenshot(pageB, 'board-live')
  })

  it("A hides the note from B: B's board loses it at once, and A's preview shows the same", async () => {
    await pageA.getByRole('textbox', { name: 'Note', exact: true }).fill('in Lund today')
    await pageA
      .locator('form[aria-labelledby="note-title"]')
      .getByRole('button', { name: 'Set' })
      .click()
    const note = pageB.getByRole('article', { name: 'ada' }).locator('[data-field="note"]')
    await expect.poll(() => note.textContent()).toBe('in Lund today')

    await goTo(pageA, 'Privacy')
    await pageA.getByLabel('Who', { exact: true }).selectOption('org')
    await pageA.getByLabel('Except (comma separated)', { exact: true }).fill(bo)
    await pageA.getByRole('checkbox', { name: 'note', exact: true }).check()
    await pageA.getByRole('button', { name: 'Add a rule' }).click()
    await pageA.getByLabel('Who', { exact: true }).selectOption('addresses')
    await pageA.getByLabel('Addresses (comma separated)', { exact: true }).fill(bo)
    await pageA.getByRole('button', { name: 'Add a rule' }).click()
    await expect.poll(() => pageA.locator('.rules li').count()).toBe(2)

    await expect.poll(() => note.textContent()).toBe('—')
    await pageA.getByLabel('Their address', { exact: true }).fill(bo)
    await pageA.getByRole('button', { name: 'Show', exact: true }).click()
    const theirs = pageA.locator('[data-preview="theirs"] [data-field="note"]')
    const mine = pageA.locator('[data-preview="mine"] [data-field="note"]')
    await expect.poll(() => theirs.textContent()).toBe('—')
    await expect.poll(() => mine.textContent()).toBe('in Lund today')
    await checkAccessibility(pageA, 'privacy-preview')
    await screenshot(pageA, 'privacy-preview')
  })
})
