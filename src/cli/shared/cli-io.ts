// The CLI's terminal and environment, injectable so tests drive `main` in-process without child
// processes; CLI layer.

/** Where text goes: process.stdout and process.stderr, or a test's capture. */
export interface TextSink {
  write(text: string): unknown
}

/** Standard input: a TTY (for hidden prompts) or a pipe (for `--password-stdin`). */
export interface InputStream extends AsyncIterable<unknown> {
  readonly isTTY?: boolean
  setRawMode?(mode: boolean): unknown
  on(event: 'data', listener: (chunk: unknown) => void): unknown
  off(event: 'data', listener: (chunk: unknown) => void): unknown
  resume(): unknown
  pause(): unknown
}

export type SignalName = 'SIGINT' | 'SIGTERM'

/** Process signals; tests pass an EventEmitter and emit them. */
export interface SignalSource {
  on(signal: SignalName, listener: () => void): unknown
  off(signal: SignalName, listener: () => void): unknown
}

export type Env = Readonly<Record<string, string | undefined>>

export interface CliIo {
  readonly stdout: TextSink
  readonly stderr: TextSink
  readonly stdin: InputStream
  readonly env: Env
  readonly signals: SignalSource
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
})

/** Resolves on the first SIGINT or SIGTERM, with its name; `stop` cancels the wait. */
export const waitForSignal = (
  signals: SignalSource,
): { readonly received: Promise<SignalName>; stop(): void } => {
  let stop = () => {}
  const received = new Promise<SignalName>((resolve) => {
    const onInt = () => finish('SIGINT')
    const onTerm = () => finish('SIGTERM')
    const finish = (name: SignalName) => {
      stop()
      resolve(name)
    }
    stop = () => {
      signals.off('SIGINT', onInt)
      signals.off('SIGTERM', onTerm)
    }
    signals.on('SIGINT', onInt)
    signals.on('SIGTERM', onTerm)
  })
  return { received, stop: () => stop() }
}
