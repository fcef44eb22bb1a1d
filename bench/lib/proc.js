// What the bench reads from the operating system: CPU time and memory of a process (/proc), the
// machine, and the open-file limit; bench support.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import process from 'node:process'

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** A process and its live descendants (`narvaro serve --workers` runs its nodes as children). */
export const processTree = (pid) => {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    let tasks = []
    try {
      tasks = readdirSync(`/proc/${tree[i]}/task`)
    } catch {
      continue
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${tree[i]}/task/${tid}/children`, 'utf8').trim()
        if (children) tree.push(...children.split(' ').map(Number))
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return tree
}

const ownCpuMs = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond
  } catch {
    return 0
  }
}

/**
 * User + system CPU time of a process, all its threads and its live child processes, in ms
 * (resolution: one clock tick).
 */
export const cpuMs = (pid) => processTree(pid).reduce((sum, p) => sum + ownCpuMs(p), 0)

const ownMemoryKb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') }
}

/**
 * Resident memory now and its high-water mark, in KiB (/proc/<pid>/status VmRSS, VmHWM), summed over
 * the process and its child processes (the high-water marks of each, added).
 */
export const memoryKb = (pid) =>
  processTree(pid)
    .map(ownMemoryKb)
    .reduce((a, b) => ({ rssKb: a.rssKb + b.rssKb, hwmKb: a.hwmKb + b.hwmKb }))

/** The soft limit of open files of this process (children inherit it). */
export const openFileLimit = () => {
  const limits = readFileSync('/proc/self/limits', 'utf8')
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits)
  if (!match) return { soft: Infinity, hard: Infinity }
  const value = (text) => (text === 'unlimited' ? Infinity : Number(text))
  return { soft: value(match[1]), hard: value(match[2]) }
}

/**
 * Raises this process's open-file limit (inherited by the server and the load workers it starts) to
 * `needed` with prlimit(1): the soft limit up to the hard one for anyone, beyond it as root. Returns
 * the limit in force afterwards.
 */
export const raiseOpenFileLimit = (needed) => {
  const before = openFileLimit()
  if (before.soft >= needed) return before
  const target = before.hard >= needed ? `${needed}:${before.hard}` : `${needed}:${needed}`
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}`], {
      stdio: 'ignore',
    })
  } catch {
    // Not allowed (not root) or no prlimit: the caller reports the limit that stayed.
  }
  return openFileLimit()
}

/** The machine a result was measured on. */
export const machine = () => ({
  cores: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryBytes: os.totalmem(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  date: new Date().toISOString(),
})

/** Whether `taskset` can pin processes to cores here, and the cores to use. */
export const pinningPlan = (enabled) => {
  if (!enabled) return { pinned: false, note: 'pinning disabled by --no-pin' }
  if (os.cpus().length < 2)
    return { pinned: false, note: 'one core only: server and load share it' }
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
  } catch {
    return {
      pinned: false,
      note: 'taskset not found: processes are not pinned (install util-linux)',
    }
  }
  return {
    pinned: true,
    serverCpu: '0',
    loadCpu: '1',
    note: 'server on CPU 0, load and bench on CPU 1',
  }
}

/**
 * Pins an existing process and all its threads. A thread that ends while taskset walks them makes
 * it fail (Node starts and ends threads of its own), so it is tried again a few times.
 */
export const pinProcess = (pid, cpu) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return void execFileSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { stdio: 'ignore' })
    } catch (error) {
      if (attempt === 5) throw error
    }
  }
}

/**
 * Connections the kernel refused because a listen queue was full (TcpExt ListenOverflows and
 * ListenDrops of this network namespace): refused SYNs are retried after 1 s, then 3 s, 7 s…
 */
export const listenDrops = () => {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('TcpExt:'))
    const names = lines[0].split(/\s+/)
    const values = lines[1].split(/\s+/).map(Number)
    const get = (name) => values[names.indexOf(name)] ?? NaN
    return { overflows: get('ListenOverflows'), drops: get('ListenDrops') }
  } catch {
    return { overflows: NaN, drops: NaN }
  }
}

/** User and system CPU time per thread name (node, V8 workers, libuv pool…) of a process, in ms. */
export const threadCpu = (pid) => {
  const byName = {}
  let tasks = []
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return byName
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const entry = (byName[name] ??= { userMs: 0, systemMs: 0 })
      entry.userMs += (Number(fields[11]) * 1000) / ticksPerSecond
      entry.systemMs += (Number(fields[12]) * 1000) / ticksPerSecond
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName
}

/** The CPU each thread name used between two `threadCpu` readings. */
export const threadCpuDelta = (before, after) =>
  Object.fromEntries(
    Object.entries(after).map(([name, t]) => [
      name,
      {
        userMs: t.userMs - (before[name]?.userMs ?? 0),
        systemMs: t.systemMs - (before[name]?.systemMs ?? 0),
      },
    ]),
  )
