// The web app's admin sections in Debian's Chromium against the real server: tabs that the keyboard
// moves between, a team and its members, the organization policy saved and read back over REST, an
// integration token that works, and a webhook whose secret signs its deliveries; axe on every section.
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { api, domain } from '../support/server-harness.js'
import { checkAccessibility, goTo, screenshot, useWebApp } from '../support/browser.js'

const ada = `ada@${domain}`
const bo = `bo@${domain}`

interface Delivery {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** A webhook receiver on loopback: `/ok` answers 204, anything else 500; it keeps what it got. */
const startReceiver = async (): Promise<{ url: string; got: Delivery[]; server: Server }> => {
  const got: Delivery[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      got.push({ path: request.url ?? '', headers: request.headers, body })
      response.writeHead(request.url === '/ok' ? 204 : 500).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, got, server }
}

/** The Standard Webhooks signature of a delivery with a `whsec_` secret (docs/integrations.md). */
const signatureOf = (secret: string, delivery: Delivery): string => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signed = `${String(delivery.headers['webhook-id'])}.${String(delivery.headers['webhook-timestamp'])}.${delivery.body}`
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`
}

const openSection = async (page: Page, name: string): Promise<void> => {
  await page.getByRole('tab', { name, exact: true }).click()
  await page.getByRole('tabpanel').getByRole('heading', { level: 2 }).first().waitFor()
}

/** The clipboard's text, read in the page (the test's own types have no DOM). */
const readClipboard = (): Promise<string> =>
  (
    globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
  ).navigator.clipboard.readText()

/** Checks a section with axe and screenshots it at both widths. */
const inspect = async (page: Page, screen: string): Promise<void> => {
  await checkAccessibility(page, screen)
  await screenshot(page, screen)
}

describe('the web app admin sections', { timeout: 120_000 }, () => {
  const web = useWebApp({
    users: ['ada', 'bo'],
    pages: ['admin'],
    // Failing deliveries are retried at once and disable an endpoint after three.
    prepare: async ({ harness }) =>
      harness.server.services.webhooks.setTuning({
        retryBaseMs: 10,
        retryCapMs: 50,
        disableAfterFailures: 3,
      }),
  })
  const { page } = web
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  const rest = async <T>(path: string, init: { method?: string; token?: string } = {}) =>
    (await api<T>(web.harness.url, { path, token: init.token ?? web.admin, ...init })).body

  beforeAll(async () => {
    receiver = await startReceiver()
    page.admin.on('dialog', (dialog) => void dialog.accept())
    await goTo(page.admin, 'Admin')
  })

  afterAll(() => {
    receiver?.server.close()
  })

  it('the sections are tabs: arrows, Home and End move between them, a reload keeps the one shown', async () => {
    const tabs = page.admin.getByRole('tablist', { name: 'Administration sections' })
    const users = tabs.getByRole('tab', { name: 'Users', exact: true })
    expect(await users.getAttribute('aria-selected')).toBe('true')
    await users.focus()
    await page.admin.keyboard.press('ArrowRight')
    const teams = tabs.getByRole('tab', { name: 'Teams', exact: true })
    expect(await teams.getAttribute('aria-selected')).toBe('true')
    expect(await page.admin.locator('[role="tab"]:focus').textContent()).toBe('Teams')
    await page.admin.getByRole('tabpanel', { name: 'Teams' }).waitFor()
    await page.admin.keyboard.press('End')
    await page.admin.getByRole('tabpanel', { name: 'Webhooks' }).waitFor()
    await page.admin.keyboard.press('ArrowRight')
    await page.admin.getByRole('tabpanel', { name: 'Users' }).waitFor()
    // Only the chosen tab is in the tab order.
    expect(await tabs.locator('[tabindex="0"]').count()).toBe(1)

    await openSection(page.admin, 'Integrations')
    await page.admin.reload()
    await page.admin.getByRole('tabpanel', { name: 'Integrations' }).waitFor()
    await openSection(page.admin, 'Users')
  })

  it('every section passes axe, in English and in Swedish', async () => {
    for (const [tab, screen] of [
      ['Users', 'admin-users'],
      ['Teams', 'admin-teams'],
      ['Organization policy', 'admin-policy'],
      ['Integrations', 'admin-integrations'],
      ['Webhooks', 'admin-webhooks'],
    ] as const) {
      await openSection(page.admin, tab)
      await inspect(page.admin, screen)
    }
    await page.admin.getByLabel('Language').selectOption('sv')
    await openSection(page.admin, 'Organisationens policy')
    await page.admin.locator('caption', { hasText: 'Vad policyn låter en bevakare se' }).waitFor()
    await checkAccessibility(page.admin, 'admin-policy-sv')
    await screenshot(page.admin, 'admin-policy-sv')
    await page.admin.getByLabel('Språk').selectOption('en')
    await openSection(page.admin, 'Users')
  })

  it('the admin creates a team, adds members, sets a skill and removes a member', async () => {
    await openSection(page.admin, 'Teams')
    const form = page.admin.locator('form[aria-labelledby="new-team-title"]')
    await form.getByLabel('Team name').fill('Support')
    await form.getByLabel('Members (addresses, comma separated; optional)').fill('bo')
    await form.getByRole('button', { name: 'Create team' }).click()
    const detail = page.admin.locator('[data-team-detail="Support"]')
    await detail.locator(`[data-member="${bo}"]`).waitFor()

    await detail.getByLabel('Address of the new member').fill(ada)
    await detail.getByRole('button', { name: 'Add member', exact: true }).click()
    await detail.locator(`[data-member="${ada}"]`).waitFor()
    expect(await detail.getByLabel('Address of the new member').inputValue()).toBe('')
    await expect
      .poll(() => page.admin.locator('[data-team="Support"] td').nth(1).textContent())
      .toBe('2')

    await detail.getByRole('button', { name: `Title and skills: ${ada}` }).click()
    await detail.getByLabel('Title', { exact: true }).fill('Support Lead')
    await detail.getByLabel('Skills (comma separated)').fill('Swedish, english')
    await detail.getByRole('button', { name: 'Save', exact: true }).click()
    const skills = detail.locator(`[data-member="${ada}"] [data-field="skills"]`)
    await expect.poll(() => skills.textContent()).toBe('english, swedish')
    await inspect(page.admin, 'admin-team')

    await detail.getByRole('button', { name: `Remove from team: ${bo}` }).click()
    await expect.poll(() => detail.locator(`[data-member="${bo}"]`).count()).toBe(0)

    const teams = await rest<{ name: string; members: string[] }[]>('/v1/groups')
    expect(teams.find((team) => team.name === 'Support')?.members).toEqual([ada])
    const entry = await rest<{ title: string; tags: string[] }>(`/v1/users/${ada}/directory`)
    expect(entry).toMatchObject({ title: 'Support Lead', tags: ['english', 'swedish'] })
  })

  it('the admin changes a default and a ceiling of the organization policy; REST reads them back', async () => {
    type Policy = {
      defaultRules: { grant: { note?: boolean }; conditions: { groups?: string[] } }[]
      colleagueCeiling: { grant: { location?: string } }
    }
    const before = await rest<Policy>('/v1/organization/policy')
    expect(before.defaultRules[0]?.grant.note).toBe(true)
    await openSection(page.admin, 'Organization policy')
    const noteRow = page.admin
      .locator('[data-policy-summary] tr')
      .filter({ has: page.admin.getByRole('rowheader', { name: 'Note', exact: true }) })
    expect(await noteRow.getByRole('cell').first().textContent()).toBe('yes')

    await page.admin
      .locator('[data-part="default-1"]')
      .getByLabel('Note', { exact: true })
      .uncheck()
    const ceiling = page.admin.locator('[data-part="colleagueCeiling"]')
    await ceiling.getByLabel('Location', { exact: true }).selectOption('city')
    await page.admin.getByText('There are unsaved changes.').waitFor()
    await page.admin.getByRole('button', { name: 'Save the policy' }).click()
    await page.admin.getByRole('status').filter({ hasText: 'The policy was saved' }).waitFor()
    expect(await noteRow.getByRole('cell').first().textContent()).toBe('no')
    expect(await page.admin.getByText('There are unsaved changes.').count()).toBe(0)

    const after = await rest<Policy>('/v1/organization/policy')
    expect(after.defaultRules[0]?.grant.note).toBe(false)
    expect(after.colleagueCeiling.grant.location).toBe('city')
    await inspect(page.admin, 'admin-policy-saved')

    await page.admin.reload()
    await page.admin.locator('[data-policy-summary]').waitFor()
    expect(await noteRow.getByRole('cell').first().textContent()).toBe('no')
  })

  it('the admin adds a default rule for the members of a team', async () => {
    await openSection(page.admin, 'Organization policy')
    await page.admin.getByRole('button', { name: 'Add a default rule' }).click()
    const rule = page.admin.locator('[data-part="default-2"]')
    await rule.getByLabel('Who').selectOption({ label: 'members of chosen teams' })
    await rule.getByRole('group', { name: 'Members of these teams' }).getByLabel('Support').check()
    await rule.getByLabel('Note', { exact: true }).check()
    await page.admin.getByRole('button', { name: 'Save the policy' }).click()
    await page.admin.getByRole('status').filter({ hasText: 'The policy was saved' }).waitFor()
    const heading = page.admin.getByRole('columnheader', {
      name: 'Default rule 2: members of Support',
    })
    await heading.waitFor()

    const teams = await rest<{ id: string; name: string }[]>('/v1/groups')
    const support = teams.find((team) => team.name === 'Support')!
    const saved = await rest<{ defaultRules: { conditions: { groups?: string[] } }[] }>(
      '/v1/organization/policy',
    )
    expect(saved.defaultRules[1]?.conditions.groups).toEqual([support.id])
    await inspect(page.admin, 'admin-policy-team-rule')
  })

  it('the admin creates an integration: its token, shown once, works until it is revoked', async () => {
    await openSection(page.admin, 'Integrations')
    await page.admin.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    const form = page.admin.locator('form[aria-labelledby="new-integration-title"]')
    await form.getByLabel('Name').fill('Acme PBX')
    await form.getByLabel('conferences and video').check()
    await form.getByRole('button', { name: 'Create integration' }).click()
    const tokenField = page.admin.getByLabel('Token of Acme PBX')
    await tokenField.waitFor()
    const token = await tokenField.inputValue()
    expect(token).toMatch(/^nri_/)
    await page.admin.getByRole('button', { name: 'Copy', exact: true }).click()
    await page.admin.getByText('Copied to the clipboard.').waitFor()
    expect(await page.admin.evaluate(readClipboard)).toBe(token)
    const row = page.admin.locator('[data-integration="Acme PBX"]')
    expect(await row.textContent()).toContain('calls (phone), conferences and video')
    await inspect(page.admin, 'admin-integration-token')

    const event = { id: 'e1', person: ada, type: 'call', state: 'started', at: Date.now() }
    const sent = await api<{ results: { result: string }[] }>(web.harness.url, {
      path: '/v1/integrations/events',
      token,
      body: { events: [event] },
    })
    expect(sent.body.results[0]?.result).toBe('applied')
    await page.admin.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.admin.getByLabel('Token of Acme PBX').count()).toBe(0)

    const send = async (with_: string, id: string) =>
      (
        await api(web.harness.url, {
          path: '/v1/integrations/events',
          token: with_,
          body: { events: [{ ...event, id }] },
        })
      ).status
    await row.getByRole('button', { name: 'New token: Acme PBX' }).click()
    const rotated = await tokenField.inputValue()
    expect(rotated).toMatch(/^nri_/)
    expect(rotated).not.toBe(token)
    expect(await send(token, 'e2')).toBe(401)
    expect(await send(rotated, 'e3')).toBe(200)

    await row.getByRole('button', { name: 'Revoke: Acme PBX' }).click()
    await expect.poll(() => row.getAttribute('data-state')).toBe('revoked')
    expect(await send(rotated, 'e4')).toBe(401)
  })

  it('the admin creates webhook endpoints: the secret signs deliveries, the log and a disabled state show', async () => {
    await openSection(page.admin, 'Webhooks')
    const form = page.admin.locator('form[aria-labelledby="new-webhook-title"]')
    await form.getByLabel('URL').fill(`${receiver.url}/ok`)
    await form.getByLabel('Addresses to watch (comma separated)').fill(ada)
    await form.getByRole('button', { name: 'Create endpoint' }).click()
    const secretField = page.admin.getByLabel(`Signing secret of ${receiver.url}/ok`)
    const secret = await secretField.inputValue()
    expect(secret).toMatch(/^whsec_/)
    await expect.poll(() => receiver.got.filter((d) => d.path === '/ok').length).toBeGreaterThan(0)
    const delivery = receiver.got.find((d) => d.path === '/ok')!
    expect(String(delivery.headers['webhook-signature']).split(' ')).toContain(
      signatureOf(secret, delivery),
    )

    const ok = page.admin.locator(`[data-webhook="${receiver.url}/ok"]`)
    expect(await ok.locator('[data-field="state"]').textContent()).toBe('enabled')
    await ok.getByRole('button', { name: `Delivery log: ${receiver.url}/ok` }).click()
    const log = page.admin.locator('section[aria-labelledby="deliveries-title"]')
    await log.locator('[data-delivery="ok"]').first().waitFor()
    expect(await log.textContent()).toContain('presence.snapshot')
    await inspect(page.admin, 'admin-webhook-created')

    await ok.getByRole('button', { name: `New secret: ${receiver.url}/ok` }).click()
    await page.admin.getByText('The previous secret also signs deliveries until').waitFor()
    expect(await secretField.inputValue()).not.toBe(secret)

    await form.getByLabel('URL').fill(`${receiver.url}/fail`)
    await form.getByLabel('Addresses to watch (comma separated)').fill(bo)
    await form.getByRole('button', { name: 'Create endpoint' }).click()
    const failing = page.admin.locator(`[data-webhook="${receiver.url}/fail"]`)
    await failing.waitFor()
    await expect
      .poll(async () => {
        await page.admin.getByRole('tab', { name: 'Users', exact: true }).click()
        await openSection(page.admin, 'Webhooks')
        return failing.locator('[data-field="state"]').textContent()
      })
      .toMatch(/^disabled\. Reason: disabled after 3 consecutive failed deliveries/)
    await failing.getByRole('button', { name: `Delivery log: ${receiver.url}/fail` }).click()
    await expect.poll(() => log.locator('[data-delivery="failed"]').count()).toBe(3)
    expect(await log.textContent()).toContain('HTTP 500')
    await inspect(page.admin, 'admin-webhook-disabled')

    await ok.getByRole('button', { name: `Disable: ${receiver.url}/ok` }).click()
    await expect.poll(() => ok.getAttribute('data-enabled')).toBe('false')
    await failing.getByRole('button', { name: `Delete: ${receiver.url}/fail` }).click()
    await expect.poll(() => failing.count()).toBe(0)
    const hooks = await rest<{ url: string; enabled: boolean }[]>('/v1/webhooks')
    expect(hooks).toEqual([expect.objectContaining({ url: `${receiver.url}/ok`, enabled: false })])
  })
})
