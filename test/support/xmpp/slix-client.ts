// Drives python3-slixmpp (test/support/xmpp/slix_driver.py) from a test: commands as JSON lines in,
// every event it receives kept and awaitable. A real XMPP client nobody here wrote.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const driverPath = fileURLToPath(new URL('./slix_driver.py', import.meta.url))

export interface SlixEvent {
  readonly event: string
  readonly [key: string]: unknown
}

export class SlixClient {
  readonly events: SlixEvent[] = []
  private readonly waiters = new Set<() => void>()
  private readonly child: ChildProcessWithoutNullStreams
  stderr = ''

  constructor(options: {
    jid: string
    password: string
    port: number
    mechanism?: string
    caFile: string
    /** XEP-0198 with resumption, and reconnecting when the connection drops. */
    streamManagement?: boolean
    /** Message carbons (XEP-0280), enabled at session start. */
    carbons?: boolean
  }) {
    this.child = spawn(
      '/usr/bin/python3',
      [
        driverPath,
        options.jid,
        options.password,
        '127.0.0.1',
        String(options.port),
        options.mechanism ?? '',
        options.caFile,
      ],
      {
        env: {
          ...process.env,
          ...(options.streamManagement ? { SLIX_SM: '1' } : {}),
          ...(options.carbons ? { SLIX_CARBONS: '1' } : {}),
        },
      },
    )
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.events.push(JSON.parse(line) as SlixEvent)
      for (const wake of this.waiters) wake()
    })
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin.write(JSON.stringify(command) + '\n')
  }

  /** The first event (after `from`, an index into `events`) that matches, waiting up to `timeoutMs`. */
  async next(
    matches: (event: SlixEvent) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<SlixEvent> {
    const { from = 0, timeoutMs = 15_000 } = options
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.slice(from).find(matches)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(
          `no matching slixmpp event in ${timeoutMs} ms; last events: ${JSON.stringify(this.events.slice(-8))}\n${this.stderr.slice(-2000)}`,
        )
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(wake, left)
        this.waiters.add(wake)
      })
    }
  }

  /** Runs one command and waits for its `done` (or `error`) event, which it returns. */
  async run(command: Record<string, unknown> & { op: string }): Promise<SlixEvent> {
    const from = this.events.length
    this.send(command)
    return this.next((e) => (e.event === 'done' || e.event === 'error') && e['op'] === command.op, {
      from,
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.send({ op: 'disconnect' })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }
}
