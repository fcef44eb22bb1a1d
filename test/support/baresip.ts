// baresip (Debian's softphone) as a real SIP client in tests: one account that neither registers nor
// makes calls, an address book whose `;presence=p2p` entries it subscribes to, and its ctrl_tcp
// module (JSON in netstrings) to ask it what it shows; test support.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SoftphoneOptions {
  /** The account line of baresip's `accounts` file. */
  readonly account: string
  /** The address book: `"Name" <sip:user@domain>;presence=p2p` lines. */
  readonly contacts: readonly string[]
}

/** Listens on `port` of 127.0.0.1 (0: any free one); undefined when it is taken. */
const listenOn = (port: number) =>
  new Promise<Server | undefined>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(undefined))
    server.listen(port, '127.0.0.1', () => resolve(server))
  })

const closeAll = (servers: (Server | undefined)[]) =>
  Promise.all(servers.map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))))

/**
 * A free TCP port of 127.0.0.1 whose next `span - 1` ports are free too (baresip listens for TLS on
 * its SIP port + 1: a port taken there, often by some connection's local end, stopped it).
 */
const freePort = async (span = 1): Promise<number> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listenOn(0)
    const port = (first!.address() as { port: number }).port
    const rest = await Promise.all(
      Array.from({ length: span - 1 }, (_, i) => listenOn(port + 1 + i)),
    )
    await closeAll([first, ...rest])
    if (rest.every(Boolean)) return port
  }
  throw new Error(`no ${span} free ports in a row on 127.0.0.1`)
}

/** One JSON object as a netstring (`<length>:<bytes>,`). */
const netstring = (value: unknown): string => {
  const text = JSON.stringify(value)
  return `${Buffer.byteLength(text)}:${text},`
}

export class Softphone {
  /** Everything baresip wrote, for the assertion message when it fails. */
  output = ''
  private control: Socket | undefined
  private pending = Buffer.alloc(0)
  private readonly answers = new Map<string, (data: string) => void>()
  private tokens = 0

  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    private readonly controlPort: number,
  ) {
    process.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    process.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
  }

  /** Starts baresip on 127.0.0.1 with `options`; resolves once its control port answers. */
  static async start(options: SoftphoneOptions): Promise<Softphone> {
    const dir = mkdtempSync(join(tmpdir(), 'narvaro-baresip-'))
    const sipPort = await freePort(2)
    let controlPort = await freePort()
    while (controlPort === sipPort || controlPort === sipPort + 1) controlPort = await freePort()
    const config = [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'module_path /usr/lib/baresip/modules',
      'module_app account.so',
      'module_app contact.so',
      'module_app presence.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
    ]
    writeFileSync(join(dir, 'config'), `${config.join('\n')}\n`)
    writeFileSync(join(dir, 'accounts'), `${options.account}\n`)
    writeFileSync(join(dir, 'contacts'), `${options.contacts.join('\n')}\n`)
    const child = spawn('baresip', ['-4', '-f', dir, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const phone = new Softphone(child, dir, controlPort)
    await phone.connect()
    return phone
  }

  private async connect(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.control = await new Promise<Socket>((resolve, reject) => {
          const socket = connect(this.controlPort, '127.0.0.1', () => resolve(socket))
          socket.once('error', reject)
        })
        this.control.on('data', (chunk: Buffer) => this.onData(chunk))
        return
      } catch (error) {
        if (attempt > 50) throw new Error(`baresip did not start: ${this.output}`, { cause: error })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk])
    for (;;) {
      const colon = this.pending.indexOf(':')
      if (colon < 0) return
      const length = Number(this.pending.subarray(0, colon).toString())
      if (this.pending.length < colon + 1 + length + 1) return
      const body = this.pending.subarray(colon + 1, colon + 1 + length).toString()
      this.pending = this.pending.subarray(colon + 2 + length)
      const message = JSON.parse(body) as { response?: boolean; token?: string; data?: string }
      if (message.response && message.token) this.answers.get(message.token)?.(message.data ?? '')
    }
  }

  /** A console command (`contacts`, ...); resolves with what baresip answers. */
  command(command: string, params = ''): Promise<string> {
    const token = String(++this.tokens)
    return new Promise((resolve) => {
      this.answers.set(token, (data) => {
        this.answers.delete(token)
        resolve(data)
      })
      this.control!.write(netstring({ command, params, token }))
    })
  }

  async stop(): Promise<void> {
    this.control?.destroy()
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve))
      this.process.kill('SIGTERM')
      await exited
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}
