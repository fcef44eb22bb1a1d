// Runs the built server as a child process (so a test can kill -9 it) and reports its URL.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { testOutboundHosts, testPasswordCost } from './server-harness.js'

const script = `
const { startServer } = await import('./dist/server/narvaro-server.js')
const { loadConfig } = await import('./dist/server/config.js')
const server = await startServer({ config: loadConfig(process.env) })
process.stdout.write(JSON.stringify({ url: server.url }) + '\\n')
`

export /** A free loopback port (taken from the kernel, then released). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

export interface ChildServer {
  readonly url: string
  readonly process: ChildProcess
  /** Ends it like a crash: SIGKILL, no shutdown of any kind. */
  kill9(): Promise<void>
}

export const spawnServer = async (env: Record<string, string>): Promise<ChildServer> => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      ...testOutboundHosts,
      ...testPasswordCost,
      NARVARO_LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{"url"'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)))
  })
  return {
    url,
    process: child,
    kill9: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  }
}
