// Child processes of the bench that take commands over IPC: fork one (pinned to a core with taskset)
// and call it with a timeout; shared by the load and watch pools; bench support.
import { fork } from 'node:child_process'
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'

/** Forks `script`, pinned to `cpu` when given; `label` names it in errors ("load worker"). */
export const spawnWorker = (script, cpu, label) => {
  // NARVARO_BENCH_LOAD_FLAGS: Node flags of the load's own processes (`--cpu-prof --cpu-prof-dir=…`
  // to see what the measuring side spends its core on).
  const flags = (process.env['NARVARO_BENCH_LOAD_FLAGS'] ?? '').split(/\s+/).filter(Boolean)
  const pinned =
    cpu === undefined
      ? { execArgv: [...process.execArgv, ...flags] }
      : { execPath: 'taskset', execArgv: ['-c', cpu, process.execPath, ...flags] }
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...pinned })
  const worker = { child, label, pending: new Map(), next: 0, exited: false }
  child.on('message', ({ id, ok, result, error }) => {
    const waiting = worker.pending.get(id)
    worker.pending.delete(id)
    if (ok) waiting?.resolve(result)
    else waiting?.reject(new Error(`${label}: ${error}`))
  })
  child.on('exit', (code) => {
    worker.exited = true
    for (const waiting of worker.pending.values())
      waiting.reject(new Error(`${label} exited (${code})`))
    worker.pending.clear()
  })
  return worker
}

/** Sends one command and waits for its reply, at most `timeoutMs`. */
export const callWorker = (worker, command, args, timeoutMs) => {
  if (worker.exited) return Promise.reject(new Error(`${worker.label} is gone`))
  const id = worker.next++
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.pending.delete(id)
      reject(new Error(`${worker.label} did not answer ${command} in ${timeoutMs / 1000} s`))
    }, timeoutMs)
    const settle = (fn) => (value) => (clearTimeout(timer), fn(value))
    worker.pending.set(id, { resolve: settle(resolve), reject: settle(reject) })
    worker.child.send({ id, command, args })
  })
}
