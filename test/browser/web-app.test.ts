// The web app in Debian's Chromium against the real server: two people in two browser contexts see
// each other's changes live, a privacy rule takes effect at once, and every screen passes axe.
import { describe, expect, it } from 'vitest'
import { domain } from '../support/server-harness.js'
import { checkAccessibility, goTo, screenshot, signInAs, useWebApp } from '../support/browser.js'

const ada = `ada@${domain}`
const bo = `bo@${domain}`

describe('the web app', { timeout: 120_000 }, () => {
  const { page } = useWebApp({ users: ['ada', 'bo'], pages: ['ada', 'bo'], signIn: false })

  it('signs in, and every screen has no serious accessibility violation', async () => {
    await checkAccessibility(page.ada, 'sign-in')
    await screenshot(page.ada, 'sign-in')
    await signInAs(page.ada, 'ada')
    await signInAs(page.bo, 'bo')
    for (const [name, screen] of [
      ['Board', 'board'],
      ['Me', 'me'],
      ['Privacy', 'privacy'],
      ['Workflows', 'workflows'],
      ['Password', 'password'],
    ] as const) {
      await goTo(page.ada, name)
      await checkAccessibility(page.ada, screen)
      await screenshot(page.ada, screen)
    }
  })

  it("B's board shows A's change of availability without a reload", async () => {
    await goTo(page.bo, 'Board')
    await page.bo.getByRole('textbox', { name: 'Watch a person' }).fill(ada)
    await page.bo.getByRole('button', { name: 'Watch', exact: true }).click()
    const card = page.bo.getByRole('article', { name: 'ada' })
    await card.waitFor()
    await goTo(page.ada, 'Me')
    await page.ada.getByLabel('Availability').selectOption('busy')
    await page.ada
      .locator('form[aria-labelledby="manual-title"]')
      .getByRole('button', { name: 'Set' })
      .click()
    await expect.poll(() => card.locator('[data-field="availability"]').textContent()).toBe('Busy')
    await expect.poll(() => page.ada.locator('[data-field="why"]').textContent()).toContain('chose')
    await screenshot(page.bo, 'board-live')
  })

  it("A hides the note from B: B's board loses it at once, and A's preview shows the same", async () => {
    await page.ada.getByRole('textbox', { name: 'Note', exact: true }).fill('in Lund today')
    await page.ada
      .locator('form[aria-labelledby="note-title"]')
      .getByRole('button', { name: 'Set' })
      .click()
    const note = page.bo.getByRole('article', { name: 'ada' }).locator('[data-field="note"]')
    await expect.poll(() => note.textContent()).toBe('in Lund today')

    await goTo(page.ada, 'Privacy')
    await page.ada.getByLabel('Who', { exact: true }).selectOption('org')
    await page.ada.getByLabel('Except (comma separated)', { exact: true }).fill(bo)
    await page.ada.getByRole('checkbox', { name: 'note', exact: true }).check()
    await page.ada.getByRole('button', { name: 'Add a rule' }).click()
    await page.ada.getByLabel('Who', { exact: true }).selectOption('addresses')
    await page.ada.getByLabel('Addresses (comma separated)', { exact: true }).fill(bo)
    await page.ada.getByRole('button', { name: 'Add a rule' }).click()
    await expect.poll(() => page.ada.locator('.rules li').count()).toBe(2)

    await expect.poll(() => note.textContent()).toBe('—')
    await page.ada.getByLabel('Their address', { exact: true }).fill(bo)
    await page.ada.getByRole('button', { name: 'Show', exact: true }).click()
    const theirs = page.ada.locator('[data-preview="theirs"] [data-field="note"]')
    const mine = page.ada.locator('[data-preview="mine"] [data-field="note"]')
    await expect.poll(() => theirs.textContent()).toBe('—')
    await expect.poll(() => mine.textContent()).toBe('in Lund today')
    await checkAccessibility(page.ada, 'privacy-preview')
    await screenshot(page.ada, 'privacy-preview')
  })
})
