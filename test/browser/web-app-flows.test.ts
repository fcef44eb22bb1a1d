// The web app's longer flows in Debian's Chromium against the real server: the board comes back by
// itself after a server restart (no reload), a quick meeting gathered by A is answered by B and A
// sees the answer, and the admin imports users from CSV (dry run first) on an accessible screen.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { domain } from '../support/server-harness.js'
import { checkAccessibility, goTo, screenshot, useWebApp } from '../support/browser.js'

const ada = `ada@${domain}`
const bo = `bo@${domain}`

/** Sets the manual availability on the Me screen and waits until the server has answered it. */
const setAvailability = async (page: Page, availability: string): Promise<void> => {
  await goTo(page, 'Me')
  await page.getByLabel('Availability').selectOption(availability)
  // Waiting for the answer, not for the form's "Saved." (which an earlier set may still show): a
  // workflow started right after must find the new state (a gathering invites only the free).
  const answered = page.waitForResponse(
    (response) =>
      response.url().endsWith('/v1/me/presence/manual') && response.request().method() === 'PUT',
  )
  await page
    .locator('form[aria-labelledby="manual-title"]')
    .getByRole('button', { name: 'Set' })
    .click()
  expect((await answered).ok()).toBe(true)
}

describe('the web app flows', { timeout: 120_000 }, () => {
  const web = useWebApp({ users: ['ada', 'bo'], pages: ['ada', 'bo'] })
  const { page } = web

  it("the board survives a server restart without a reload, and shows A's next change", async () => {
    await goTo(page.bo, 'Board')
    await page.bo.getByRole('textbox', { name: 'Watch a person' }).fill(ada)
    await page.bo.getByRole('button', { name: 'Watch', exact: true }).click()
    const availability = page.bo
      .getByRole('article', { name: 'ada' })
      .locator('[data-field="availability"]')
    await setAvailability(page.ada, 'busy')
    await expect.poll(() => availability.textContent()).toBe('Busy')

    // A marker on the window and a count of navigations: a reload would lose the one, bump the other.
    await page.bo.evaluate(() => ((globalThis as { marker?: string }).marker = 'same page'))
    let navigations = 0
    page.bo.on('framenavigated', (frame) => {
      if (frame === page.bo.mainFrame()) navigations++
    })

    const port = Number(new URL(web.harness.url).port)
    await web.harness.stop({ keepData: true })
    await page.bo.locator('[data-state="offline"], [data-state="connecting"]').waitFor()
    await screenshot(page.bo, 'board-offline')
    await web.restart()
    expect(web.harness.url).toContain(`:${port}`)
    await page.bo.locator('[data-state="live"]').waitFor({ timeout: 60_000 })
    await page.ada.locator('[data-state="live"]').waitFor({ timeout: 60_000 })

    expect(await page.bo.evaluate(() => (globalThis as { marker?: string }).marker)).toBe(
      'same page',
    )
    expect(navigations).toBe(0)
    await expect.poll(() => availability.textContent()).toBe('Busy')
    await setAvailability(page.ada, 'away')
    await expect.poll(() => availability.textContent()).toBe('Away')
    expect(navigations).toBe(0)
  })

  it('A gathers a quick meeting with B; B accepts the invitation; A sees the acceptance', async () => {
    await setAvailability(page.ada, 'available')
    await setAvailability(page.bo, 'available')
    await goTo(page.bo, 'Workflows')
    await goTo(page.ada, 'Workflows')
    const gather = page.ada.locator('form[aria-labelledby="gather-title"]')
    await gather.getByLabel('Topic').fill('release check')
    await gather.getByLabel('Addresses (comma separated)').fill(bo)
    await gather.getByRole('button', { name: 'Gather' }).click()
    await expect.poll(() => gather.getByRole('status').textContent()).toContain('Invited 1')
    const invitee = page.ada.locator(`[data-invitee="${bo}"]`)
    await expect.poll(() => invitee.getAttribute('data-state')).toBe('invited')

    const invitation = page.bo.locator('[data-invitation]', { hasText: 'release check' })
    await expect.poll(() => invitation.textContent()).toContain(`${ada} invites you`)
    await invitation.getByRole('button', { name: 'Accept' }).click()
    await expect.poll(() => invitation.textContent()).toContain('accepted')

    await expect.poll(() => invitee.getAttribute('data-state')).toBe('accepted')
    await checkAccessibility(page.ada, 'workflows-gathered')
    await screenshot(page.ada, 'workflows-gathered')
  })

  it('the admin imports users from CSV: a dry run report first, then the import lists them', async () => {
    const adminPage = await web.open('admin')
    await goTo(adminPage, 'Admin')
    await checkAccessibility(adminPage, 'admin')
    await screenshot(adminPage, 'admin')

    const users = adminPage.locator('section[aria-labelledby="users-title"] tbody')
    await users.getByRole('cell', { name: ada, exact: true }).waitFor()
    await adminPage
      .getByLabel('CSV text')
      .fill('address,displayName,teams\nzed,Zed Z,Support\nyan,Yan Y,Support\n')
    await adminPage.getByRole('button', { name: 'Check (dry run)' }).click()
    const report = adminPage.locator('[data-report]')
    await expect.poll(() => report.getAttribute('data-report')).toBe('dry-run')
    await expect.poll(() => report.textContent()).toContain('2 rows, 2 valid')
    await expect.poll(() => report.textContent()).toContain('nothing was written')
    expect(await users.getByRole('cell', { name: 'Zed Z', exact: true }).count()).toBe(0)
    await checkAccessibility(adminPage, 'admin-dry-run')
    await screenshot(adminPage, 'admin-dry-run')

    await adminPage.getByRole('button', { name: 'Import', exact: true }).click()
    await expect.poll(() => report.getAttribute('data-report')).toBe('written')
    await expect.poll(() => report.textContent()).toContain('created 2')
    await users.getByRole('cell', { name: 'Zed Z', exact: true }).waitFor()
    await users.getByRole('cell', { name: 'Yan Y', exact: true }).waitFor()
    expect(await users.getByRole('cell', { name: `zed@${domain}`, exact: true }).count()).toBe(1)
    await checkAccessibility(adminPage, 'admin-imported')
    await screenshot(adminPage, 'admin-imported')
    await adminPage.context().close()
  })
})
