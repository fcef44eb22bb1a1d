// The web app's privacy editor, board and shared connection in Debian's Chromium against the real
// server: appear offline turns A offline on B's board as A's preview says; a rule for a group shows
// its members A's location to the city; the board's team filter shows a member B does not watch
// change live (availability, note, activities); two tabs of one browser keep one live connection
// and both update.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { api, domain } from '../support/server-harness.js'
import { checkAccessibility, goTo, screenshot, signInAs, useWebApp } from '../support/browser.js'

const ada = `ada@${domain}`
const bo = `bo@${domain}`
const cy = `cy@${domain}`
const dag = `dag@${domain}`

/** The open WebSocket connections the server counts (its /metrics). */
const websockets = async (url: string): Promise<number> => {
  const text = await fetch(`${url}/metrics`).then((r) => r.text())
  const line = text
    .split('\n')
    .find((l) => l.startsWith('narvaro_connections{transport="websocket"}'))
  return Number(line?.split(' ').pop() ?? 0)
}

const card = (page: Page, name: string) => page.getByRole('article', { name, exact: true })
const availabilityOf = (page: Page, name: string) =>
  card(page, name).locator('[data-field="availability"]').textContent()

const watch = async (page: Page, address: string): Promise<void> => {
  await goTo(page, 'Board')
  await page.getByRole('textbox', { name: 'Watch a person' }).fill(address)
  await page.getByRole('button', { name: 'Watch', exact: true }).click()
}

const showPreview = async (page: Page, watcher: string): Promise<void> => {
  await page.getByLabel('Their address', { exact: true }).fill(watcher)
  await page.getByRole('button', { name: 'Show', exact: true }).click()
}

describe('the web app: privacy editor, live board, shared connection', { timeout: 180_000 }, () => {
  const web = useWebApp({
    users: ['ada', 'bo', 'cy', 'dag'],
    pages: ['ada', 'bo'],
    prepare: async ({ harness, admin }) => {
      const group = await api(harness.url, {
        path: '/v1/groups',
        token: admin,
        body: { name: 'support', members: [cy] },
      })
      expect(group.status).toBe(201)
    },
  })
  const { page } = web

  /** A device of the person (who is not signed in to the web app) publishes the availability. */
  const setAvailability = async (
    name: string,
    availability: string,
    more: Record<string, unknown> = {},
  ): Promise<void> => {
    const reply = await api(web.harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: web.tokens[name],
      body: { availability, ...more },
    })
    expect(reply.status).toBe(200)
  }

  it("A appears offline to B: B's board shows A offline, and A's preview for B agrees", async () => {
    await watch(page.bo, ada)
    await expect.poll(() => availabilityOf(page.bo, 'ada')).toBe('Available')

    await goTo(page.ada, 'Privacy')
    await page.ada.getByLabel('Address to appear offline to', { exact: true }).fill(bo)
    await page.ada.getByRole('button', { name: 'Appear offline', exact: true }).click()
    await page.ada.getByRole('list', { name: 'Appear offline to' }).getByText(bo).waitFor()

    await expect.poll(() => availabilityOf(page.bo, 'ada')).toBe('Offline')
    await showPreview(page.ada, bo)
    const theirs = page.ada.locator('[data-preview="theirs"]')
    await expect
      .poll(() => theirs.locator('[data-field="availability"]').textContent())
      .toBe('Offline')
    await theirs.locator('[data-field="appear-offline"]').waitFor()
    await expect
      .poll(() =>
        page.ada.locator('[data-preview="mine"] [data-field="availability"]').textContent(),
      )
      .toBe('Available')
  })

  it('a rule for a group: its member sees the location to the city, someone else nothing; priority access and outside hours are saved', async () => {
    const published = await api(web.harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/phone',
      token: web.tokens['ada'],
      body: {
        availability: 'available',
        location: { country: 'Sweden', city: 'Lund', latitude: 55.7047, longitude: 13.191 },
      },
    })
    expect(published.status).toBe(200)
    await page.ada.getByLabel('Who', { exact: true }).selectOption('groups')
    const editor = page.ada.getByRole('form', { name: 'Add a rule' })
    await editor.getByRole('checkbox', { name: 'support', exact: true }).check()
    await page.ada.getByLabel('Location', { exact: true }).selectOption('city')
    await page.ada.getByRole('button', { name: 'Add a rule' }).click()
    const rule = page.ada.locator('section[aria-labelledby="rules-title"] ul li')
    await expect.poll(() => rule.count()).toBe(1)
    await expect.poll(() => rule.first().textContent()).toContain('members of support')
    expect(await rule.first().textContent()).toContain('location (city)')

    await showPreview(page.ada, cy)
    const theirs = page.ada.locator('[data-preview="theirs"]')
    const location = theirs.locator('[data-field="location"]')
    await expect.poll(() => location.textContent()).toBe('city — Lund, Sweden')
    expect(await theirs.locator('[data-field="availability"]').textContent()).toBe('Available')

    await showPreview(page.ada, dag)
    await expect.poll(() => location.textContent()).toBe('no location')
    expect(await theirs.locator('[data-field="availability"]').textContent()).toBe('Offline')

    await page.ada.getByRole('combobox', { name: 'Language' }).selectOption('sv')
    expect(await rule.first().textContent()).toContain('medlemmar i support')
    expect(await rule.first().textContent()).toContain('plats (stad)')
    await page.ada.getByRole('combobox', { name: 'Språk' }).selectOption('en')

    await page.ada.getByLabel('People (comma separated addresses)').fill(bo)
    await page.ada.getByRole('checkbox', { name: 'video call', exact: true }).check()
    await page.ada.getByRole('button', { name: 'Give priority access' }).click()
    const priority = page.ada.getByRole('list', { name: 'Priority access' })
    await expect.poll(() => priority.textContent()).toContain(`${bo}: by voice call, video call`)
    const outside = page.ada.getByRole('checkbox', {
      name: 'Share my presence outside working hours',
    })
    await outside.check()
    await page.ada.getByText('Saved.').waitFor()
    const settings = await api<{ settings: Record<string, unknown> }>(web.harness.url, {
      path: '/v1/me/privacy',
      token: web.tokens['ada'],
    })
    expect(settings.body.settings).toMatchObject({
      appearOfflineTo: [bo],
      shareOutsideWorkingHours: true,
      priorityAccess: [{ addresses: [bo], kinds: ['voice', 'video'] }],
    })

    await checkAccessibility(page.ada, 'privacy-settings')
    await screenshot(page.ada, 'privacy-settings')
  })

  it("the board's team filter shows the changes of someone B does not watch, live", async () => {
    const watched = await api<{ address: string }[]>(web.harness.url, {
      path: '/v1/subscriptions',
      token: web.tokens['bo'],
    })
    expect(watched.body.map((s) => s.address)).not.toContain(cy)

    await goTo(page.bo, 'Board')
    await page.bo.getByRole('textbox', { name: 'Team' }).fill('support')
    await page.bo.getByRole('button', { name: 'Apply' }).click()
    await expect.poll(() => availabilityOf(page.bo, 'cy')).toBe('Offline')
    await setAvailability('cy', 'busy')
    await expect.poll(() => availabilityOf(page.bo, 'cy')).toBe('Busy')
    await setAvailability('cy', 'do-not-disturb')
    await expect.poll(() => availabilityOf(page.bo, 'cy')).toBe('Do not disturb')
    expect(await card(page.bo, 'ada').count()).toBe(0)
    // What changes while the availability stays: the query's `changed` brings the new entry.
    const field = (name: string) => card(page.bo, 'cy').locator(`[data-field="${name}"]`)
    await setAvailability('cy', 'do-not-disturb', {
      note: { text: 'Back at three' },
      activities: [{ kind: 'in-a-call' }],
    })
    await expect.poll(() => field('note').textContent()).toBe('Back at three')
    await expect.poll(() => field('activities').textContent()).not.toBe('None')
    expect(await availabilityOf(page.bo, 'cy')).toBe('Do not disturb')

    await checkAccessibility(page.bo, 'board-team')
    await screenshot(page.bo, 'board-team')
  })

  it('a contact list made on the board is a filter of it', async () => {
    await page.bo.getByLabel('List name', { exact: true }).fill('on call')
    await page.bo.getByLabel('Members (comma separated addresses or names)').fill('cy')
    await page.bo.getByRole('button', { name: 'Create list' }).click()
    await page.bo.getByRole('list', { name: 'on call' }).getByText(cy).waitFor()

    await page.bo.getByRole('textbox', { name: 'Team' }).fill('')
    await page.bo.getByLabel('Contact list', { exact: true }).selectOption('on call')
    await page.bo.getByRole('button', { name: 'Apply' }).click()
    await expect.poll(() => availabilityOf(page.bo, 'cy')).toBe('Do not disturb')
    await setAvailability('cy', 'busy')
    await expect.poll(() => availabilityOf(page.bo, 'cy')).toBe('Busy')

    await page.bo.getByRole('button', { name: 'Delete the list on call' }).click()
    await expect.poll(() => page.bo.getByRole('list', { name: 'on call' }).count()).toBe(0)
  })

  it('two tabs of one browser share one live connection, and both update', async () => {
    const before = await websockets(web.harness.url)
    const first = await web.open('dag')
    await expect.poll(() => websockets(web.harness.url)).toBe(before + 1)

    const second = await first.context().newPage()
    await second.goto('/')
    await signInAs(second, 'dag')
    await watch(first, cy)
    await goTo(second, 'Board')
    await expect.poll(() => availabilityOf(first, 'cy')).toBe('Busy')
    await expect.poll(() => availabilityOf(second, 'cy')).toBe('Busy')
    expect(await websockets(web.harness.url)).toBe(before + 1)

    await setAvailability('cy', 'available')
    await expect.poll(() => availabilityOf(first, 'cy')).toBe('Available')
    await expect.poll(() => availabilityOf(second, 'cy')).toBe('Available')
    expect(await websockets(web.harness.url)).toBe(before + 1)

    // The tab that holds the connection signs out: the other takes it over, still live.
    await first.getByRole('button', { name: 'Sign out' }).click()
    await second.locator('[data-state="live"]').waitFor()
    await setAvailability('cy', 'away')
    await expect.poll(() => availabilityOf(second, 'cy')).toBe('Away')
    await expect.poll(() => websockets(web.harness.url)).toBe(before + 1)
    await first.context().close()
  })

  it("access ends for one tab's token: that tab signs out at once, the other goes on live", async () => {
    const leader = await web.open('dag')
    const follower = await leader.context().newPage()
    await follower.goto('/')
    await signInAs(follower, 'dag')
    await watch(leader, cy)
    const revoke = async (tab: Page): Promise<void> => {
      // The tab's token id, as the app keeps it (the test's own types have no DOM).
      const id = String(
        await tab.evaluate("JSON.parse(sessionStorage.getItem('narvaro.user') || '{}').tokenId"),
      )
      const reply = await api(web.harness.url, {
        method: 'DELETE',
        path: `/v1/auth/tokens/${id}`,
        token: web.tokens['dag'],
      })
      expect(reply.status).toBeLessThan(300)
    }

    // The connection's token (the leader tab's) ends: access-ended reaches both tabs.
    await revoke(leader)
    await leader.getByRole('button', { name: 'Sign in' }).waitFor()
    await follower.locator('[data-state="live"]').waitFor()
    await goTo(follower, 'Board')
    await setAvailability('cy', 'available')
    await expect.poll(() => availabilityOf(follower, 'cy')).toBe('Available')

    // Now the other tab's own token ends, on the connection it took over.
    await revoke(follower)
    await follower.getByRole('button', { name: 'Sign in' }).waitFor()

    // A tab sharing the connection of another is told at once that its own token ended (the
    // connection carries every tab's token), without a REST call; the other tab stays signed in.
    await signInAs(leader, 'dag')
    await signInAs(follower, 'dag')
    await revoke(follower)
    await follower.getByRole('button', { name: 'Sign in' }).waitFor()
    await setAvailability('cy', 'busy')
    await goTo(leader, 'Board')
    await expect.poll(() => availabilityOf(leader, 'cy')).toBe('Busy')
    expect(await leader.locator('[data-state="live"]').count()).toBe(1)
    await leader.context().close()
  })
})
