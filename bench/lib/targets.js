// The systems under test, each in its own process (pinned with taskset when possible): Närvaro as
// `narvaro serve` on a data directory, or the reference relay; started, measured and stopped by pid.
import { spawn } from 'node:child_process'
import { appendFileSync, createWriteStream, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { clearTimeout, setTimeout } from 'node:timers'
import WebSocket from 'ws'
import { memoryKb } from './proc.js'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const benchDomain = 'bench.example'
export const adminPassword = 'bench-admin-password'

/** Environment of every Närvaro the bench starts: silent logs, limits far above the load. */
export const narvaroEnv = (dataDir) => ({
  ...process.env,
  NARVARO_DATA_DIR: dataDir,
  NARVARO_LOG_LEVEL: 'silent',
  NARVARO_DOMAIN: benchDomain,
  NARVARO_ADMIN_PASSWORD: adminPassword,
  NARVARO_REQUESTS_PER_MINUTE: '1000000',
  NARVARO_PUBLICATION_BURST: '10000',
  NARVARO_PUBLICATIONS_PER_SECOND: '10000',
  NARVARO_MAX_WATCHES: '1000000',
  NARVARO_SUBSCRIPTION_BURST: '1000000',
})

/**
 * Calls the V8 inspector of a target (Chrome DevTools Protocol over WebSocket): one method, its result.
 * @returns {(method: string, params?: object) => Promise<any>}
 */
const inspectorCall =
  (url) =>
  (method, params = {}) =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      const timer = setTimeout(
        () => (socket.terminate(), reject(new Error(`${method}: no answer`))),
        60_000,
      )
      socket.on('open', () => socket.send(JSON.stringify({ id: 1, method, params })))
      socket.on('message', (data) => {
        const reply = JSON.parse(data.toString())
        if (reply.id !== 1) return
        clearTimeout(timer)
        socket.close()
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`))
        else resolve(reply.result)
      })
      socket.on('error', (error) => (clearTimeout(timer), reject(error)))
    })

/**
 * A session with a V8 inspector that stays open (what a profiler started in it needs): `call`
 * sends a method and waits for its answer; `close` ends the session.
 */
export const inspectorSession = async (url) => {
  const socket = new WebSocket(url)
  await new Promise(
    (resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)),
  )
  const waiting = new Map()
  let next = 0
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString())
    const done = waiting.get(reply.id)
    if (!done) return
    waiting.delete(reply.id)
    if (reply.error) done.reject(new Error(reply.error.message))
    else done.resolve(reply.result)
  })
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = ++next
        waiting.set(id, { resolve, reject })
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

/**
 * The target's memory after a full garbage collection: RSS, and the V8 heap in use; summed over its
 * processes when it runs several (`serve --workers`: the primary and each node).
 * @param {Target} target
 */
export const settledMemory = async (target) => {
  let heapUsed = 0
  let heapTotal = 0
  /** V8's heap by space: what it holds and what of that is in use. */
  const spaces = {}
  let external = 0
  for (const inspect of target.inspectors) {
    await inspect('HeapProfiler.collectGarbage')
    const { result } = await inspect('Runtime.evaluate', {
      expression: `JSON.stringify({ ...process.memoryUsage(), spaces: require('node:v8')
        .getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size, s.space_used_size]) })`,
      includeCommandLineAPI: true,
      returnByValue: true,
    })
    const usage = JSON.parse(result.value)
    heapUsed += usage.heapUsed
    heapTotal += usage.heapTotal
    for (const [name, size, used] of usage.spaces) {
      const space = (spaces[name] ??= { heldKb: 0, usedKb: 0 })
      space.heldKb += size / 1024
      space.usedKb += used / 1024
    }
    external += usage.external + usage.arrayBuffers
  }
  const { rssKb, hwmKb } = memoryKb(target.pid)
  return {
    rssKb,
    hwmKb,
    heapUsedKb: heapUsed / 1024,
    /** What V8 holds for its heap (used or not), and of it the young generation's semi-spaces. */
    heapTotalKb: heapTotal / 1024,
    newSpaceKb: spaces['new_space']?.heldKb ?? 0,
    spaces,
    externalKb: external / 1024,
  }
}

/**
 * @typedef {object} Target
 * @property {'narvaro' | 'relay'} kind
 * @property {number} pid
 * @property {string} url http://127.0.0.1:port
 * @property {() => boolean} alive
 * @property {() => Promise<number | null>} stop SIGTERM, then SIGKILL after 15 s; the exit code
 * @property {(method: string, params?: object) => Promise<any>} inspect a call to its V8 inspector
 * @property {((method: string, params?: object) => Promise<any>)[]} inspectors of each process
 */

/** The V8 inspector on a free loopback port: the bench asks it to collect garbage before reading memory. */
const inspectFlag = '--inspect=127.0.0.1:0'

const command = (cpu, nodeArgs) =>
  cpu === undefined
    ? { file: process.execPath, args: nodeArgs }
    : { file: 'taskset', args: ['-c', cpu, process.execPath, ...nodeArgs] }

/** Spawns a process and waits for the line that says where it listens. */
const launch = ({ kind, file, args, env }) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const marks = process.env.NARVARO_BENCH_PHASE_MARKS
    if (marks) appendFileSync(marks, `${kind} ${child.pid} launch start ${Date.now()}\n`)
    // NARVARO_BENCH_SERVER_OUTPUT=FILE keeps all that Närvaro's process prints (say, --trace-gc).
    const keep = kind === 'narvaro' ? process.env.NARVARO_BENCH_SERVER_OUTPUT : undefined
    if (keep) {
      const file = createWriteStream(keep, { flags: 'a' })
      child.stdout.pipe(file)
      child.stderr.pipe(file)
    }
    let output = ''
    /** @type {string[]} */
    const inspectors = []
    let exited = false
    const exit = new Promise((done) => child.once('exit', (code) => ((exited = true), done(code))))
    const timer = setTimeout(
      () => fail(new Error(`${kind} did not start in 60 s:\n${output}`)),
      60_000,
    )
    const fail = (error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.once('error', fail)
    void exit.then((code) =>
      fail(new Error(`${kind} exited (${code}) before listening:\n${output}`)),
    )
    const onData = (chunk) => {
      output = (output + chunk.toString()).slice(-4000)
      const url = /listening on (http:\/\/[0-9.]+:\d+)/.exec(output)?.[1]
      // A primary prints where it listens once every worker listens (and said where it inspects).
      // Kept as they are seen: later output (--trace-gc) may push them out of the window.
      for (const m of output.matchAll(/Debugger listening on (ws:\/\/\S+)/g))
        if (!inspectors.includes(m[1])) inspectors.push(m[1])
      const inspector = inspectors[0]
      if (!url || !inspector) return
      clearTimeout(timer)
      // Later output (the inspector's "Debugger attached") is read and dropped.
      child.stdout.off('data', onData)
      child.stderr.off('data', onData)
      const stop = async () => {
        if (exited) return child.exitCode
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        const code = await exit
        clearTimeout(killer)
        return code
      }
      resolve({
        kind,
        pid: child.pid,
        url,
        alive: () => !exited,
        stop,
        inspect: inspectorCall(inspector),
        inspectorUrl: inspector,
        inspectors: inspectors.map(inspectorCall),
      })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
  })

/**
 * Starts Närvaro on `dataDir`, pinned to `cpu` unless undefined; `cpuProfileDir` adds --cpu-prof;
 * `env` adds or overrides NARVARO_* settings.
 * @returns {Promise<Target>}
 */
export const startNarvaro = async ({ dataDir, cpu, cpuProfileDir, env = {}, workers }) => {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true })
  const script = [
    join(repoRoot, 'bin', 'narvaro.js'),
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    ...(workers === undefined ? [] : ['--workers', String(workers)]),
  ]
  // Närvaro runs with the Node flags it is meant to run with (dist/server/heap-flags.js), unless
  // NARVARO_BENCH_SERVER_FLAGS gives others (empty: Node's defaults), to try a setting side by side.
  const { heapFlags } = await import('../../dist/server/heap-flags.js')
  const given = process.env.NARVARO_BENCH_SERVER_FLAGS
  const extra = given === undefined ? [...heapFlags] : given.split(/\s+/).filter(Boolean)
  const { file, args } = command(cpu, [inspectFlag, ...extra, ...profile, ...script])
  return launch({
    kind: 'narvaro',
    file,
    args,
    env: { ...narvaroEnv(dataDir), ...env },
  })
}

/** @returns {Promise<Target>} */
export const startRelay = ({ cpu, cpuProfileDir }) => {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []
  const script = [join(repoRoot, 'bench', 'reference-relay.js'), '--port', '0']
  // NARVARO_BENCH_RELAY_FLAGS gives the relay Node flags (none by default), e.g. to profile both
  // servers alike with `--perf-prof`.
  const extra = (process.env.NARVARO_BENCH_RELAY_FLAGS ?? '').split(/\s+/).filter(Boolean)
  const { file, args } = command(cpu, [inspectFlag, ...extra, ...profile, ...script])
  return launch({ kind: 'relay', file, args, env: process.env })
}
