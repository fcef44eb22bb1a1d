// Reading a secret: a hidden prompt on a terminal, or the whole of standard input with
// `--password-stdin`; CLI layer.
import { usageError } from './cli-error.js'
import type { CliIo, InputStream, TextSink } from './cli-io.js'

const asText = (chunk: unknown): string =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')

/** All of standard input, without its final line break. */
export const readStdinSecret = async (stdin: InputStream): Promise<string> => {
  let text = ''
  for await (const chunk of stdin) text += asText(chunk)
  return text.replace(/\r?\n$/, '')
}

/** Applies one typed character to the line; returns 'done', 'cancel' or the new line. */
const typeKey = (line: string, key: string): string | { end: 'done' | 'cancel' } => {
  if (key === '\r' || key === '\n' || key === '\u0004') return { end: 'done' }
  if (key === '\u0003') return { end: 'cancel' }
  if (key === '\u007f' || key === '\b') return line.slice(0, -1)
  return line + key
}

/** Prompts on stderr and reads one line from the terminal without echoing it. */
export const promptHidden = (
  stdin: InputStream,
  stderr: TextSink,
  question: string,
): Promise<string> =>
  new Promise((resolve, reject) => {
    stderr.write(question)
    stdin.setRawMode?.(true)
    stdin.resume()
    let line = ''
    const finish = (error?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      stderr.write('\n')
      if (error) reject(error)
      else resolve(line)
    }
    const onData = (chunk: unknown) => {
      for (const key of asText(chunk)) {
        const next = typeKey(line, key)
        if (typeof next === 'string') line = next
        else return finish(next.end === 'cancel' ? usageError('cancelled') : undefined)
      }
    }
    stdin.on('data', onData)
  })

/**
 * A password from `--password-stdin`, else from the environment variable `envName`, else from a
 * hidden prompt when standard input is a terminal.
 */
export const readPassword = async (
  io: CliIo,
  options: { fromStdin: boolean; envName: string; question: string },
): Promise<string> => {
  const password = options.fromStdin
    ? await readStdinSecret(io.stdin)
    : (io.env[options.envName] ??
      (io.stdin.isTTY ? await promptHidden(io.stdin, io.stderr, options.question) : undefined))
  if (password === undefined) {
    throw usageError(
      `no terminal to ask for the password: use --password-stdin or ${options.envName}`,
    )
  }
  if (password.length === 0) throw usageError('the password is empty')
  return password
}
