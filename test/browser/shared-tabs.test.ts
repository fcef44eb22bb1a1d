// Two tabs of one browser signed in as the same person share one live connection (the SDK's
// shareLive): a tab's own token ending signs out that tab at once, a tab that joins a live
// connection shows it live, and delivery is coalesced only while every tab is hidden.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { addUsersDirectly } from '../support/direct-users.js'
import {
  api,
  domain,
  login,
  passwordOf,
  startHarness,
  type Harness,
} from '../support/server-harness.js'
import {
  launchChromium,
  openPage,
  openTab,
  sentFrames,
  setHidden,
  signIn,
} from '../support/browser.js'

const ada = `ada@${domain}`

/** The token id of the tab's own session, as the web app keeps it. */
const tokenIdOf = async (page: Page): Promise<string> => {
  const saved = await page.evaluate(() =>
    (
      globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
    ).sessionStorage.getItem('narvaro.user'),
  )
  return (JSON.parse(saved ?? '{}') as { tokenId: string }).tokenId
}

/** The tab shows the sign-in form again, and forgot its session. */
const signedOut = async (page: Page): Promise<void> => {
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  expect(await tokenIdOf(page)).toBeUndefined()
}

describe('tabs of one browser sharing the live connection', { timeout: 120_000 }, () => {
  let harness: Harness
  let browser: Browser
  const opened: Page[] = []

  beforeAll(async () => {
    harness = await startHarness()
    await addUsersDirectly(harness.server.services, ['ada'], { passwords: true })
    browser = await launchChromium()
  }, 120_000)

  afterEach(async () => {
    for (const page of opened.splice(0)) await page.context().close()
  })

  afterAll(async () => {
    await browser?.close()
    await harness?.stop()
  })

  /** A first tab signed in and live, then a second tab of the same browser. */
  const twoTabs = async () => {
    const first = await openPage(browser, harness.url)
    opened.push(first)
    const sockets: string[] = []
    first.on('websocket', (socket) => sockets.push(socket.url()))
    const frames = sentFrames(first, 'delivery')
    await signIn(first, ada, passwordOf('ada'))
    const second = await openTab(first)
    second.on('websocket', (socket) => sockets.push(socket.url()))
    return { first, second, sockets, frames }
  }

  it('a tab that joins a connection already live shows it live, over the same connection', async () => {
    const { first, second, sockets } = await twoTabs()
    await signIn(second, ada, passwordOf('ada'))
    await expect.poll(() => second.locator('[data-state]').getAttribute('data-state')).toBe('live')
    expect(await first.locator('[data-state]').getAttribute('data-state')).toBe('live')
    expect(sockets).toHaveLength(1)
  })

  it("revoking a tab's own token signs that tab out at once, without a REST call of its own", async () => {
    const { first, second } = await twoTabs()
    await signIn(second, ada, passwordOf('ada'))
    const requests: string[] = []
    second.on('request', (request) => requests.push(request.url()))
    const elsewhere = await login(harness.url, ada, passwordOf('ada'))
    const revoked = await api(harness.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${await tokenIdOf(second)}`,
      token: elsewhere,
    })
    expect(revoked.status).toBe(204)
    await signedOut(second)
    expect(requests).toEqual([])
    expect(await first.locator('[data-state]').getAttribute('data-state')).toBe('live')
  })

  it("revoking the connection's own token signs out that tab, and the other tab takes over", async () => {
    const { first, second, sockets } = await twoTabs()
    await signIn(second, ada, passwordOf('ada'))
    const elsewhere = await login(harness.url, ada, passwordOf('ada'))
    const revoked = await api(harness.url, {
      method: 'DELETE',
      path: `/v1/auth/tokens/${await tokenIdOf(first)}`,
      token: elsewhere,
    })
    expect(revoked.status).toBe(204)
    await signedOut(first)
    await expect.poll(() => sockets.length).toBe(2)
    await expect.poll(() => second.locator('[data-state]').getAttribute('data-state')).toBe('live')
  })

  it('coalesces delivery only while every tab is hidden', async () => {
    const { first, second, frames } = await twoTabs()
    await signIn(second, ada, passwordOf('ada'))
    const modes = () => frames.map((frame) => frame['mode'])
    const sent = frames.length
    await setHidden(second, true)
    await expect.poll(() => frames.length).toBeGreaterThan(sent)
    expect(modes().at(-1)).toBe('live')
    expect(modes()).not.toContain('coalesced')
    await setHidden(first, true)
    await expect.poll(() => modes().at(-1)).toBe('coalesced')
    expect(frames.at(-1)).toMatchObject({ intervalMs: 30_000 })
    await setHidden(second, false)
    await expect.poll(() => modes().at(-1)).toBe('live')
  })
})
