// The web app's longer flows in Debian's Chromium against the real server: the board comes back by
// itself after a server restart (no reload), a quick meeting gathered by A is answered by B and A
// sees the answer, and the admin imports users from CSV (dry run first) on an accessible screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  addUsers,
  adminPassword,
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

const setAvailability = async (page: Page, availability: string): Promise<void> => {
  await goTo(page, 'Me')
  await page.getByLabel('Availability').selectOption(availability)
  await page
    .locator('form[aria-labelledby="manual-title"]')
    .getByRole('button', { name: 'Set' })
    .click()
}

describe('the web app flows', { timeout: 120_000 }, () => {
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
    await signIn(pageA, ada, passwordOf('ada'))
    await signIn(pageB, bo, passwordOf('bo'))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.stop()
  })

  it("the board survives a server restart without a reload, and shows A's next change", async () => {
    await goTo(pageB, 'Board')
    await pageB.getByRole('textbox', { name: 'Watch a person' }).fill(ada)
    await pageB.getByRole('button', { name: 'Watch', exact: true }).click()
    const availability = pageB
      .getByRole('article', { name: 'ada' })
      .locator('[data-field="availability"]')
    await setAvailability(pageA, 'busy')
    await expect.poll(() => availability.textContent()).toBe('Busy')

    // A marker on the window and a count of navigations: a reload would lose the one, bump the other.
    await pageB.evaluate(() => ((globalThis as { marker?: string }).marker = 'same page'))
    let navigations = 0
    pageB.on('framenavigated', (frame) => {
      if (frame === pageB.mainFrame()) navigations++
    })

    const port = Number(new URL(harness.url).port)
    const { dataDir } = harness
    await harness.stop({ keepData: true })
    await pageB.locator('[data-state="offline"], [data-state="connecting"]').waitFor()
    await screenshot(pageB, 'board-offline')
    harness = await startHarness({ dataDir, port })
    expect(harness.url).toContain(`:${port}`)
    await pageB.locator('[data-state="live"]').waitFor({ timeout: 60_000 })
    await pageA.locator('[data-state="live"]').waitFor({ timeout: 60_000 })

    expect(await pageB.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('same page')
    expect(navigations).toBe(0)
    await expect.poll(() => availability.textContent()).toBe('Busy')
    await setAvailability(pageA, 'away')
    await expect.poll(() => availability.textContent()).toBe('Away')
    expect(navigations).toBe(0)
  })

  it('A gathers a quick meeting with B; B accepts the invitation; A sees the acceptance', async () => {
    await setAvailability(pageA, 'available')
    await setAvailability(pageB, 'available')
    await goTo(pageB, 'Workflows')
    await goTo(pageA, 'Workflows')
    const gather = pageA.locator('form[aria-labelledby="gather-title"]')
    await gather.getByLabel('Topic').fill('release check')
    await gather.getByLabel('Addresses (comma separated)').fill(bo)
    await gather.getByRole('button', { name: 'Gather' }).click()
    await expect.poll(() => gather.getByRole('status').textContent()).toContain('Invited 1')
    const invitee = pageA.locator(`[data-invitee="${bo}"]`)
    await expect.poll(() => invitee.getAttribute('data-state')).toBe('invited')

    const invitation = pageB.locator('[data-invitation]', { hasText: 'release check' })
    await expect.poll(() => invitation.textContent()).toContain(`${ada} invites you`)
    await invitation.getByRole('button', { name: 'Accept' }).click()
    await expect.poll(() => invitation.textContent()).toContain('accepted')

    await expect.poll(() => invitee.getAttribute('data-state')).toBe('accepted')
    await checkAccessibility(pageA, 'workflows-gathered')
    await screenshot(pageA, 'workflows-gathered')
  })

  it('the admin imports users from CSV: a dry run report first, then the import lists them', async () => {
    const page = await openPage(browser, harness.url)
    await signIn(page, `admin@${domain}`, adminPassword)
    await goTo(page, 'Admin')
    await checkAccessibility(page, 'admin')
    await screenshot(page, 'admin')

    const users = page.locator('section[aria-labelledby="users-title"] tbody')
    await users.getByRole('cell', { name: ada, exact: true }).waitFor()
    await page
      .getByLabel('CSV text')
      .fill('address,displayName,teams\nzed,Zed Z,Support\nyan,Yan Y,Support\n')
    await page.getByRole('button', { name: 'Check (dry run)' }).click()
    const report = page.locator('[data-report]')
    await expect.poll(() => report.getAttribute('data-report')).toBe('dry-run')
    await expect.poll(() => report.textContent()).toContain('2 rows, 2 valid')
    await expect.poll(() => report.textContent()).toContain('nothing was written')
    expect(await users.getByRole('cell', { name: 'Zed Z', exact: true }).count()).toBe(0)
    await checkAccessibility(page, 'admin-dry-run')
    await screenshot(page, 'admin-dry-run')

    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect.poll(() => report.getAttribute('data-report')).toBe('written')
    await expect.poll(() => report.textContent()).toContain('created 2')
    await users.getByRole('cell', { name: 'Zed Z', exact: true }).waitFor()
    await users.getByRole('cell', { name: 'Yan Y', exact: true }).waitFor()
    expect(await users.getByRole('cell', { name: `zed@${domain}`, exact: true }).count()).toBe(1)
    await checkAccessibility(page, 'admin-imported')
    await screenshot(page, 'admin-imported')
    await page.context().close()
  })
})
