// `narvaro peer` as a person runs it, in a host of a test link: the built command line in its own
// process with its own data and CLI configuration, and the CLI run against it; test support.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Host, Link } from './netns.js'
import { testPasswordCost } from './server-harness.js'

const cliPath = join(import.meta.dirname, '..', '..', 'bin', 'narvaro.js')

/** What a peer's person sees of someone. */
export interface Seen {
  readonly availability: string
  readonly note?: string
  readonly name?: string
  readonly activities: readonly string[]
}

export interface PeerProcess {
  readonly host: Host
  /** Its data and CLI configuration (for a restart). */
  readonly dir: string
  /** What `narvaro peer` wrote to its terminal. */
  readonly output: () => string
  /** `narvaro ARGS` as the peer's person (the CLI the peer signed in). */
  cli(...args: string[]): string
  /** `narvaro ARGS`, whatever its exit code: the code and what it wrote. */
  attempt(...args: string[]): { code: number; stdout: string; stderr: string }
  /** `narvaro who --json` as the peer's person: address → availability and note. */
  who(): Map<string, Seen>
  /** Stops it with `signal` and waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Its data and configuration removed (after it stopped). */
  remove(): void
}

export const startPeer = async (
  link: Link,
  host: Host,
  options: {
    name: string
    machine: string
    refreshSeconds?: number
    password?: string
    /** More flags of `narvaro peer` (such as `--join URL`). */
    args?: readonly string[]
    /** The data and CLI configuration of an earlier run (a restart); else new ones. */
    dir?: string
    /** More environment of the peer and its CLI (such as NARVARO_RECONNECT_MAX). */
    env?: Record<string, string>
  },
): Promise<PeerProcess> => {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'narvaro-peer-'))
  const env = {
    ...process.env,
    ...testPasswordCost,
    NARVARO_CONFIG_DIR: join(dir, 'cli'),
    NARVARO_LOG_LEVEL: 'warn',
    ...(options.password ? { NARVARO_ADMIN_PASSWORD: options.password } : {}),
    ...options.env,
  }
  const child: ChildProcess = link.spawn(
    host,
    process.execPath,
    [
      ...[cliPath, 'peer', '--interface', host.iface, '--name', options.name],
      ...['--machine', options.machine, '--data-dir', join(dir, 'data')],
      ...['--refresh', String(options.refreshSeconds ?? 1)],
      ...(options.args ?? []),
    ],
    env,
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`narvaro peer did not start:\n${output}`)),
      30_000,
    )
    const check = setInterval(() => {
      if (!output.includes('the CLI is signed in')) return
      clearInterval(check)
      clearTimeout(timer)
      resolve()
    }, 20)
    void exited.then(() => {
      clearInterval(check)
      clearTimeout(timer)
      reject(new Error(`narvaro peer ended:\n${output}`))
    })
  })
  const cli = (...args: string[]) => link.run(host, process.execPath, [cliPath, ...args], env)
  return {
    host,
    dir,
    output: () => output,
    cli,
    attempt: (...args) => {
      try {
        return { code: 0, stdout: cli(...args), stderr: '' }
      } catch (error) {
        const failed = error as { status?: number; stdout?: string; stderr?: string }
        return {
          code: failed.status ?? -1,
          stdout: failed.stdout ?? '',
          stderr: failed.stderr ?? '',
        }
      }
    },
    who: () => {
      type Row = {
        presentityAddress: string
        view: {
          availability: string
          note?: { text: string }
          displayName?: string
          activities?: { kind: string }[]
        }
      }
      const rows = JSON.parse(cli('who', '--json')) as Row[]
      return new Map(
        rows.map((r) => [
          r.presentityAddress,
          {
            availability: r.view.availability,
            ...(r.view.note ? { note: r.view.note.text } : {}),
            ...(r.view.displayName ? { name: r.view.displayName } : {}),
            activities: (r.view.activities ?? []).map((a) => a.kind),
          },
        ]),
      )
    },
    stop: async (signal = 'SIGTERM') => {
      // `ip netns exec` passes the signal on to the peer it runs.
      if (child.exitCode === null) child.kill(signal)
      await exited
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
