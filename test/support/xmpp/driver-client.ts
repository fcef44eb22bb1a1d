// A real XMPP client running in its own process (python3-slixmpp, @xmpp/client), driven from a test:
// commands as JSON lines on its stdin, every event it prints on stdout kept and awaitable.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface DriverEvent {
  readonly event: string
  readonly [key: string]: unknown
}

export class DriverClient {
  readonly events: DriverEvent[] = []
  private readonly waiters = new Set<() => void>()
  private readonly child: ChildProcessWithoutNullStreams
  stderr = ''

  constructor(
    private readonly name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, { env })
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.events.push(JSON.parse(line) as DriverEvent)
      for (const wake of this.waiters) wake()
    })
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
  }

  send(command: Record<string, unknown>): void {
    if (this.child.stdin.writable) this.child.stdin.write(JSON.stringify(command) + '\n')
  }

  /** The first event (after `from`, an index into `events`) that matches, waiting up to `timeoutMs`. */
  async next(
    matches: (event: DriverEvent) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<DriverEvent> {
    const { from = 0, timeoutMs = 15_000 } = options
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.slice(from).find(matches)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(
          `no matching ${this.name} event in ${timeoutMs} ms; last events: ${JSON.stringify(this.events.slice(-8))}\n${this.stderr.slice(-2000)}`,
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
  async run(command: Record<string, unknown> & { op: string }): Promise<DriverEvent> {
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
