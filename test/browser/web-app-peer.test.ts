// The web app against a serverless peer, as against a server: Chromium runs in Alice's machine (its
// network namespace: the peer serves loopback only), she signs in to her own peer, and her board
// shows Bob, found on the link, change as he sets his status with the CLI on his machine.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage, signIn } from '../support/browser.js'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { createLink, type Link } from '../support/netns.js'
import { eventually } from '../support/server-harness.js'

const password = 'alice-peer-password-42'
const dir = mkdtempSync(join(tmpdir(), 'narvaro-peer-browser-'))
let link: Link
let alice: PeerProcess
let bob: PeerProcess
let browser: Browser

beforeAll(async () => {
  link = createLink(2)
  alice = await startPeer(link, link.hosts[0]!, { name: 'alice', machine: 'pronto', password })
  bob = await startPeer(link, link.hosts[1]!, { name: 'bob', machine: 'beta' })
  await eventually(() => alice.who().get('bob.beta@local')?.availability === 'available', 20_000)
  // Chromium in Alice's namespace: playwright talks to it over a pipe, which crosses namespaces.
  const wrapper = join(dir, 'chromium-in-netns')
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec ip netns exec ${link.hosts[0]!.ns} /usr/bin/chromium "$@"\n`,
  )
  chmodSync(wrapper, 0o755)
  browser = await chromium.launch({
    executablePath: wrapper,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  for (const peer of [alice, bob]) await peer?.stop('SIGKILL')
  for (const peer of [alice, bob]) peer?.remove()
  link?.destroy()
  rmSync(dir, { recursive: true, force: true })
})

describe('the web app against a peer', { timeout: 90_000 }, () => {
  it('signs in to the peer and shows someone of the link change live', async () => {
    const page = await openPage(browser, 'http://127.0.0.1:7451')
    await signIn(page, 'alice.pronto@local', password)
    await page.getByRole('navigation').getByRole('link', { name: 'Board', exact: true }).click()
    const card = page.getByRole('article', { name: 'bob' })
    await card.waitFor()
    bob.cli('status', 'set', 'busy', '--activity', 'in-a-meeting')
    await expect.poll(() => card.locator('[data-field="availability"]').textContent()).toBe('Busy')
  })
})
