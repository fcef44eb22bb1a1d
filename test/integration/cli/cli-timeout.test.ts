// Integration: the CLI's time limit on REST calls, through the SDK's `timeoutMs`: 30 s for a command,
// longer for an import or an upload, and a server that never answers ends as exit 3 naming it.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { restTimeoutMs } from '../../../src/cli/shared/cli-context.js'
import { removeDir, runCli } from './cli-harness.js'

let silent: Server
let url: string
let files: string
const sockets: Socket[] = []
/** The limits the SDK was asked for, in order; each one ends after 50 ms here. */
let limits: number[] = []

beforeAll(async () => {
  // Takes each request and never answers it: a hung server, or a link that dropped silently.
  silent = createServer((socket) => sockets.push(socket))
  await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening))
  url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
  files = mkdtempSync(join(tmpdir(), 'narvaro-timeout-'))
  const realTimeout = AbortSignal.timeout.bind(AbortSignal)
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
    limits.push(ms)
    return realTimeout(50)
  })
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  limits = []
  // The client's pool must hear of the closed connections before the next test, or it reuses one
  // and fails with a closed socket instead of the time limit the test is about.
  await new Promise((settled) => setTimeout(settled, 200))
})

afterAll(async () => {
  vi.restoreAllMocks()
  await new Promise((done) => silent.close(done))
  removeDir(files)
})

const env = () => ({ NARVARO_URL: url, NARVARO_TOKEN: 'nrv_test', NARVARO_CONFIG_DIR: files })

const write = (name: string, text: string): string => {
  const path = join(files, name)
  writeFileSync(path, text)
  return path
}

describe('the CLI time limit', () => {
  it('gives up on a REST call after 30 s and exits 3 saying so', async () => {
    const result = await runCli(['token', 'list'], { env: env() })
    expect(limits).toEqual([restTimeoutMs])
    expect(restTimeoutMs).toBe(30_000)
    expect(result.code).toBe(3)
    expect(result.stderr).toBe(`error: cannot reach the server at ${url} (no answer within 30 s)\n`)
  })

  it('limits the sign-in too', async () => {
    const result = await runCli(['login', 'amy@acme.example', '--password-stdin'], {
      env: { NARVARO_URL: url, NARVARO_CONFIG_DIR: files },
      stdin: 'her password\n',
    })
    expect(limits).toEqual([30_000])
    expect(result.code).toBe(3)
  })

  it('gives an import 5 minutes and a calendar upload 2 minutes', async () => {
    const csv = write('people.csv', 'address,displayName\nanna,Anna Berg\n')
    const imported = await runCli(['import', csv, '--dry-run'], { env: env() })
    expect(imported.stderr).toContain('(no answer within 300 s)')
    const ics = write('work.ics', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n')
    const uploaded = await runCli(['calendar', 'import', ics], { env: env() })
    expect(uploaded.stderr).toContain('(no answer within 120 s)')
    expect(limits).toEqual([300_000, 120_000])
    expect([imported.code, uploaded.code]).toEqual([3, 3])
  })

  it('makes every REST client through the one factory that sets the limit', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name)
        return statSync(path).isDirectory() ? sources(path) : [path]
      })
    const makers = sources('src/cli').filter((path) =>
      readFileSync(path, 'utf8').includes('new NarvaroClient('),
    )
    expect(makers).toEqual([join('src/cli', 'shared', 'cli-context.ts')])
  })
})
