// Integration: `narvaro serve` (the built server, a real child process) whose log output is piped
// into a reader that stops after the first line keeps serving, and stops promptly on SIGTERM.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/child-server.js'
import { eventually } from '../support/server-harness.js'

const dataDir = mkdtempSync(join(tmpdir(), 'narvaro-log-pipe-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const exitOf = (child: ReturnType<typeof spawn>): Promise<number | string | null> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))

describe('log output that closes', () => {
  it('the server keeps serving when its log reader goes away, and stops on SIGTERM', async () => {
    const head = spawn('head', ['-1'], { stdio: ['pipe', 'ignore', 'ignore'] })
    const headExited = exitOf(head)
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const args = ['bin/narvaro.js', 'serve', '--port', String(port), '--data-dir', dataDir]
    // As `narvaro serve 2>&1 | head -1`: the log and the terminal output share the closing pipe.
    const server = spawn(process.execPath, [...args, '--log-level', 'debug'], {
      stdio: ['ignore', head.stdin, head.stdin],
      env: { ...process.env, NARVARO_ADMIN_PASSWORD: 'correct horse battery staple' },
    })
    head.stdin.destroy()
    const exited = exitOf(server)
    await headExited
    await eventually(
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
      15_000,
    )
    // Every request now logs (debug) into a pipe nobody reads.
    for (let i = 0; i < 200; i++) {
      const reply = await fetch(`${url}/healthz`)
      expect(reply.status).toBe(200)
    }
    const started = Date.now()
    server.kill('SIGTERM')
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 5000)),
    ])
    if (code === 'still running') server.kill('SIGKILL')
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
