// The web app's Me and Reach screens in Debian's Chromium against the real server: A adds contact
// methods with usable hours, edits one, and B's Reach screen ranks them with the reason why; A sets
// working hours, plans and removes schedule entries, uploads an iCalendar file and subscribes to a
// feed; axe and screenshots at both widths of both screens.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Locator } from 'playwright-core'
import { api, domain } from '../support/server-harness.js'
import { checkAccessibility, goTo, screenshot, useWebApp } from '../support/browser.js'
import { ics } from '../support/calendar-files.js'

const ada = `ada@${domain}`
const chat = `ada@chat.${domain}`
const phone = '+46 70 123 45 67'
const privatePhone = '+46 70 999 99 99'
const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** Sets every weekday of an hours editor on, from `start` to `end`. */
const setWholeWeek = async (editor: Locator, start: string, end: string): Promise<void> => {
  for (const day of days) {
    await editor.getByRole('checkbox', { name: day, exact: true }).check()
    await editor.getByRole('textbox', { name: `${day}: from` }).fill(start)
    await editor.getByRole('textbox', { name: `${day}: to` }).fill(end)
  }
}

/** `YYYYMMDDTHHMMSSZ` of an instant, as iCalendar writes UTC. */
const icsTime = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')

/** The value of a `datetime-local` input for an instant, in the browser's (the machine's) zone. */
const localInput = (epochMs: number): string => {
  const d = new Date(epochMs)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`
}

const statusOf = (section: Locator) => section.getByRole('status')

/** A calendar feed on loopback (which the test server may fetch), counting its requests. */
const serveCalendar = async (body: string) => {
  let count = 0
  const server = createServer((_request, response) => {
    count++
    response.writeHead(200, { 'content-type': 'text/calendar' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/team.ics`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('the web app: me and reach', { timeout: 120_000 }, () => {
  const web = useWebApp({
    users: ['ada', 'bo'],
    pages: ['ada', 'bo'],
    prepare: async ({ harness, admin }) => {
      const team = { name: 'Support', members: [ada] }
      const created = await api(harness.url, { path: '/v1/groups', token: admin, body: team })
      expect(created.status).toBe(201)
    },
  })
  const { page } = web

  it('A adds contact methods with usable hours and edits a rank; B reaches A by the best one', async () => {
    await goTo(page.ada, 'Me')
    const section = page.ada.locator('section[aria-labelledby="cm-title"]')
    const add = page.ada.locator('form[aria-labelledby="cm-add-title"]')
    await add.getByLabel('Kind').selectOption('im')
    await add.getByLabel('Address or number').fill(chat)
    await add.getByLabel('Only at certain hours').check()
    await setWholeWeek(add.getByRole('group', { name: 'Usable hours' }), '00:00', '24:00')
    await add.getByRole('button', { name: 'Add' }).click()
    const chatItem = section.locator(`[data-method="im:${chat}"]`)
    await expect.poll(() => chatItem.textContent()).toContain('Mon–Sun 00:00–24:00')
    // The form is empty again for the next method, its rank the next free one.
    expect(await add.getByLabel('Address or number').inputValue()).toBe('')
    expect(await add.getByLabel('Only at certain hours').isChecked()).toBe(false)
    expect(await add.getByLabel('Rank (0 = first choice)').inputValue()).toBe('2')

    // A personal method: the organization's default rules never show it to colleagues.
    await add.getByLabel('Kind').selectOption('sms')
    await add.getByLabel('Address or number').fill(privatePhone)
    await add.getByLabel('Work or personal').selectOption('personal')
    await add.getByRole('button', { name: 'Add' }).click()
    await section.locator(`[data-method="sms:${privatePhone}"]`).waitFor()

    await add.getByLabel('Kind').selectOption('voice')
    await add.getByLabel('Address or number').fill(phone)
    await add.getByRole('button', { name: 'Add' }).click()
    const voiceItem = section.locator(`[data-method="voice:${phone}"]`)
    await expect.poll(() => voiceItem.textContent()).toContain('any time')
    await expect.poll(() => voiceItem.locator('[data-field="rank"]').textContent()).toBe('rank 3')

    await voiceItem.getByRole('button', { name: `Edit: Voice call: ${phone}` }).click()
    await voiceItem.getByLabel('Rank (0 = first choice)').fill('0')
    await voiceItem.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => voiceItem.locator('[data-field="rank"]').textContent()).toBe('rank 0')
    // The list is in rank order: the voice method (rank 0) now comes first.
    await expect
      .poll(() =>
        section
          .locator('[data-method]')
          .evaluateAll((li) => li.map((e) => e.getAttribute('data-method'))),
      )
      .toEqual([`voice:${phone}`, `im:${chat}`, `sms:${privatePhone}`])
    await expect.poll(() => chatItem.textContent()).toContain('Mon–Sun 00:00–24:00')

    // B may see A's work contact methods (the organization's default rules): chat works now (A's
    // browser takes chat), voice does not (no device of A's takes calls), whatever its rank.
    await goTo(page.bo, 'Reach')
    await page.bo.getByLabel('Their address').fill(ada)
    await page.bo.getByRole('button', { name: 'Show', exact: true }).click()
    const ways = page.bo.locator('ol.ways > li')
    await expect.poll(() => ways.count()).toBe(2)
    expect(await page.bo.locator(`[data-method="sms:${privatePhone}"]`).count()).toBe(0)
    expect(await ways.nth(0).getAttribute('data-method')).toBe(`im:${chat}`)
    expect(await ways.nth(0).getAttribute('data-reachable')).toBe('true')
    expect(await ways.nth(1).getAttribute('data-reachable')).toBe('false')
    expect(await ways.nth(1).locator('[data-field="why"]').textContent()).toContain(
      'No device of theirs can take this now',
    )
    expect(await page.bo.locator('[data-field="best-now"]').textContent()).toBe(
      `Best now: Chat (${chat}).`,
    )

    // A link to the screen with an address shows that person at once.
    const linked = await web.open('bo')
    await linked.goto(`/reach?address=${encodeURIComponent(ada)}`)
    await expect.poll(() => linked.locator('ol.ways > li').count()).toBe(2)
    expect(await linked.getByLabel('Their address').inputValue()).toBe(ada)
    await linked.context().close()

    const route = page.bo.locator('form[aria-labelledby="route-title"]')
    await route.getByLabel('Urgency').selectOption('normal')
    await route.getByRole('button', { name: 'Route' }).click()
    await expect
      .poll(() => route.locator('[data-field="route"]').getAttribute('data-deliver'))
      .toBe('im')

    const pick = page.bo.locator('form[aria-labelledby="pick-title"]')
    await pick.getByLabel('Team').fill('Support')
    await pick.getByLabel('Reachable by').selectOption('im')
    await pick.getByRole('button', { name: 'Pick' }).click()
    await expect
      .poll(() => pick.locator('[data-field="pick"]').textContent())
      .toBe(`Picked ada: Chat (${chat}) (of 1 who could).`)
    await pick.getByLabel('Reachable by').selectOption('voice')
    await pick.getByRole('button', { name: 'Pick' }).click()
    await expect
      .poll(() => pick.locator('[data-field="pick"]').textContent())
      .toMatch(/^Nobody can take it now/)
    await checkAccessibility(page.bo, 'reach')
    await screenshot(page.bo, 'reach')

    const sms = section.locator(`[data-method="sms:${privatePhone}"]`)
    await sms.getByRole('button', { name: `Remove: SMS: ${privatePhone}` }).click()
    await expect.poll(() => sms.count()).toBe(0)
    expect(await section.locator('[data-method]').count()).toBe(2)
  })

  it('A sets working hours and a time zone; they are kept after a reload', async () => {
    const form = page.ada.locator('section[aria-labelledby="wh-title"] form')
    await form.getByLabel('Time zone').fill('Europe/Stockholm')
    await setWholeWeek(form.getByRole('group', { name: 'Hours per weekday' }), '00:00', '24:00')
    await form.getByRole('textbox', { name: 'Saturday: to' }).fill('12:00')
    await form.getByRole('checkbox', { name: 'Sunday', exact: true }).uncheck()
    await form.getByRole('button', { name: 'Save' }).click()
    const current = page.ada.locator('[data-field="working-hours"]')
    const expected = 'Mon–Fri 00:00–24:00; Sat 00:00–12:00 (Europe/Stockholm)'
    await expect.poll(() => current.textContent()).toBe(expected)

    await page.ada.reload()
    await page.ada.locator('[data-state="live"]').waitFor()
    await expect
      .poll(() => page.ada.locator('[data-field="working-hours"]').textContent())
      .toBe(expected)
    expect(await page.ada.getByLabel('Time zone').inputValue()).toBe('Europe/Stockholm')
  })

  it('A plans schedule entries (once and weekly), sees them listed, and removes one', async () => {
    const section = page.ada.locator('section[aria-labelledby="sch-title"]')
    const add = section.locator('form[aria-labelledby="sch-add-title"]')
    const tomorrow = Date.now() + 24 * 60 * 60_000
    await add.getByLabel('Name').fill('deep work')
    await add.getByLabel('Shown as').selectOption('do-not-disturb')
    await add.getByLabel('Note to show').fill('Writing')
    await add.getByLabel('From', { exact: true }).fill(localInput(tomorrow))
    await add.getByLabel('Until').fill(localInput(tomorrow + 2 * 60 * 60_000))
    await add.getByRole('button', { name: 'Add to schedule' }).click()
    const deepWork = section.locator('[data-schedule="deep work"]')
    await expect
      .poll(() => deepWork.locator('span').first().textContent())
      .toMatch(/^deep work: Do not disturb, “Writing”; \d.+ – \d.+$/)

    await add.getByLabel('Name').fill('lund')
    await add.getByLabel('Work location').selectOption('office')
    await add.getByLabel('Office site').fill('Lund')
    await add.getByRole('radio', { name: 'Every week' }).check()
    const hours = add.getByRole('group', { name: 'Weekly hours' })
    for (const day of days) await hours.getByRole('checkbox', { name: day, exact: true }).uncheck()
    await hours.getByRole('checkbox', { name: 'Tuesday', exact: true }).check()
    await hours.getByRole('textbox', { name: 'Tuesday: from' }).fill('00:00')
    await hours.getByRole('textbox', { name: 'Tuesday: to' }).fill('24:00')
    await add.getByRole('button', { name: 'Add to schedule' }).click()
    const lund = section.locator('[data-schedule="lund"]')
    // The form was emptied after the first entry: the second sets only the work location.
    await expect
      .poll(() => lund.locator('span').first().textContent())
      .toBe('lund: At the office (Lund); every week, Tue 00:00–24:00')

    await deepWork.getByRole('button', { name: 'Remove: deep work' }).click()
    await expect.poll(() => deepWork.count()).toBe(0)
    expect(await lund.count()).toBe(1)
    await expect.poll(() => statusOf(section).textContent()).toBe('Saved.')
  })

  it('A uploads an iCalendar file: it is listed as read, with what it read leniently', async () => {
    const section = page.ada.locator('section[aria-labelledby="cal-title"]')
    const upload = section.locator('form[aria-labelledby="cal-upload-title"]')
    const start = Date.now() + 2 * 24 * 60 * 60_000
    const local = icsTime(start + 60 * 60_000).replace('Z', '')
    // Two meetings; the second in a time zone the file does not define (a warning, read leniently).
    const file = ics(
      ['UID:standup@acme.example', `DTSTART:${icsTime(start)}`, 'DURATION:PT30M'],
      ['UID:review@acme.example', `DTSTART;TZID=Customized Time Zone:${local}`, 'DURATION:PT30M'],
    )
    await upload.getByLabel('iCalendar file (.ics)').setInputFiles({
      name: 'work.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(file),
    })
    await upload.getByRole('button', { name: 'Upload' }).click()
    await expect
      .poll(() => statusOf(section).textContent())
      .toBe('Calendar “work”: 2 busy or out-of-office times planned. 1 skipped or read leniently.')
    const item = section.locator('[data-calendar="work"]')
    await expect.poll(() => item.textContent()).toContain('uploaded file')
    expect(await item.locator('[data-field="read"]').textContent()).toMatch(/^read /)
    await item.getByText('1 skipped or read leniently.').click()
    expect(await item.locator('[data-field="warnings"]').textContent()).toContain(
      'Customized Time Zone',
    )

    await checkAccessibility(page.ada, 'me-sections')
    await screenshot(page.ada, 'me-sections')
  })

  it('A subscribes to an ICS URL that the server fetches, and removes the subscription', async () => {
    const start = Date.now() + 3 * 24 * 60 * 60_000
    const feed = await serveCalendar(
      ics(['UID:offsite@acme.example', `DTSTART:${icsTime(start)}`, 'DURATION:PT2H']),
    )
    try {
      const section = page.ada.locator('section[aria-labelledby="cal-title"]')
      const subscribe = section.locator('form[aria-labelledby="cal-subscribe-title"]')
      await subscribe.getByLabel('ICS URL').fill(feed.url)
      await subscribe.getByLabel('Name', { exact: true }).fill('team')
      await subscribe.getByRole('button', { name: 'Subscribe' }).click()
      await expect
        .poll(() => statusOf(section).textContent())
        .toBe('Calendar “team”: 1 busy or out-of-office times planned.')
      const item = section.locator('[data-calendar="team"]')
      await expect.poll(() => item.textContent()).toContain(`from ${feed.url}`)
      expect(feed.requests()).toBe(1)

      await item.getByRole('button', { name: 'Refresh: team' }).click()
      await expect.poll(() => feed.requests()).toBe(2)
      await item.getByRole('button', { name: 'Remove: team' }).click()
      await expect.poll(() => item.count()).toBe(0)
      expect(await section.locator('[data-calendar="work"]').count()).toBe(1)
    } finally {
      await feed.close()
    }
  })
})
