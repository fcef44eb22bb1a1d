// Integration: `narvaro calendar ...` over the real server — import a file (and from standard
// input), subscribe to a URL served locally, list with the last error, refresh, remove; bad input
// is a usage error and a file that is not iCalendar an API error.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { domain, envOf, removeDir, runCli, savedToken, useTestServer } from './cli-harness.js'

const day = 24 * 60 * 60_000

/** A one-hour meeting tomorrow, in UTC, as an iCalendar file. */
const meetingTomorrow = (uid: string): string => {
  const start = new Date(Date.now() + day)
  start.setUTCHours(10, 0, 0, 0)
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Narvaro test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'SUMMARY:Salary talk',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(new Date(start.getTime() + 3_600_000))}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

describe('narvaro calendar', () => {
  const s = useTestServer(['rut', 'sam'])
  let dir = ''
  let status = 200
  const feedServer = createServer((request, response) => {
    request.resume()
    response.writeHead(status, { 'content-type': 'text/calendar' }).end(meetingTomorrow('feed'))
  })
  let feedUrl = ''
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'narvaro-ics-'))
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve))
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/team.ics`
  })
  afterAll(async () => {
    removeDir(dir)
    feedServer.closeAllConnections()
    await new Promise((resolve) => feedServer.close(resolve))
  })

  it('imports a file, subscribes to a URL, lists, refreshes and removes', async () => {
    const file = join(dir, 'work.ics')
    writeFileSync(file, meetingTomorrow('one'))
    const imported = await runCli(['calendar', 'import', file], { env: env('rut') })
    expect(imported.code).toBe(0)
    expect(imported.stdout).toMatch(
      /calendar work \(.+\): 1 busy or out-of-office occurrence planned/,
    )
    const fromStdin = await runCli(['calendar', 'import', '-', '--name', 'private', '--json'], {
      env: env('rut'),
      stdin: meetingTomorrow('two'),
    })
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({
      calendar: { name: 'private' },
      occurrences: 1,
    })

    const subscribed = await runCli(['calendar', 'subscribe', feedUrl, '--every', '30', '--json'], {
      env: env('rut'),
    })
    expect(subscribed.code).toBe(0)
    const feed = (JSON.parse(subscribed.stdout) as { calendar: { id: string; name: string } })
      .calendar
    expect(feed.name).toBe('127.0.0.1')
    const listed = await runCli(['calendar', 'list'], { env: env('rut') })
    expect(listed.stdout).toContain('uploaded')
    expect(listed.stdout).toMatch(/WARNINGS\s+LAST ERROR/)
    expect(listed.stdout).toContain(`${feedUrl} (every 30 min)`)
    expect(listed.stdout).not.toContain('Salary')

    status = 503
    const failed = await runCli(['calendar', 'refresh', feed.id], { env: env('rut') })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('could not fetch the calendar: HTTP 503')
    expect((await runCli(['calendar', 'list'], { env: env('rut') })).stdout).toContain('HTTP 503')
    status = 200
    expect((await runCli(['calendar', 'refresh', feed.id], { env: env('rut') })).code).toBe(0)

    const busy = await fetch(`${s.url}/v1/people/rut@${domain}/free-busy`, {
      headers: { authorization: `Bearer ${savedToken(s, 'sam')}` },
    })
    expect(((await busy.json()) as { busy: unknown[] }).busy).toHaveLength(1)
    expect((await runCli(['calendar', 'remove', feed.id], { env: env('sam') })).code).toBe(1)
    const removed = await runCli(['calendar', 'remove', feed.id], { env: env('rut') })
    expect(removed.stdout).toContain(`removed calendar ${feed.id}`)
    const rest = JSON.parse(
      (await runCli(['calendar', 'list', '--json'], { env: env('rut') })).stdout,
    )
    expect((rest as { name: string }[]).map((c) => c.name)).toEqual(['work', 'private'])
  })

  it('bad input is a usage error; a file that is not iCalendar is refused by the server', async () => {
    const missing = await runCli(['calendar', 'import', join(dir, 'nope.ics')], { env: env('sam') })
    expect(missing.code).toBe(2)
    const every = await runCli(['calendar', 'subscribe', feedUrl, '--every', '2'], {
      env: env('sam'),
    })
    expect(every.code).toBe(2)
    const garbage = join(dir, 'garbage.ics')
    writeFileSync(garbage, 'hello')
    const refused = await runCli(['calendar', 'import', garbage], { env: env('sam') })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('NRV_VALIDATION')
  })
})
