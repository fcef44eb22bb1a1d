// Scenario link-fanout: serverless mode's fan-out. P `narvaro peer` processes, each in its own
// network namespace on one bridged link (never the root namespace), find each other by multicast DNS
// and exchange views over their direct channels; in each namespace a bench agent signed in to its peer
// publishes M numbered notes, paced, and times the notes of the others as its peer shows them. Every
// peer watches every other: P × M changes, P × M × (P − 1) notifications. The Närvaro CPU is that of
// all P peers together (each is a whole one-person server with its announcer and browser). The
// reference relay runs the same shape over WebSocket (P users, each watching the P − 1 others) at the
// same offered rate. Needs root (ip netns).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { createInterface } from 'node:readline'
import { sleep, waitUntil } from '../lib/clock.js'
import { Histogram } from '../lib/histogram.js'
import { createLink } from '../lib/netns.js'
import { cpuMs, memoryKb, pinProcess } from '../lib/proc.js'
import { compare, comparisonHeader, fmt, phaseRows, renderTable } from '../lib/report.js'
import { repoRoot } from '../lib/targets.js'
import { runFanoutShape } from './fanout.js'

const cliPath = join(repoRoot, 'bin', 'narvaro.js')
const agentPath = join(repoRoot, 'bench', 'lib', 'link-agent.js')

/** Waits for `check` to hold, asking every 200 ms; an error naming `what` after `timeoutMs`. */
const until = async (what, check, timeoutMs) => {
  if (!(await waitUntil(check, timeoutMs, 200)))
    throw new Error(`link-fanout: ${what} did not happen in time`)
}

/** One `narvaro peer` in host `i` of the link, its CLI configuration in `dir`. */
const startPeer = async (link, i, dir, ctx) => {
  const host = link.hosts[i]
  const env = {
    ...process.env,
    NARVARO_CONFIG_DIR: join(dir, `p${i}`, 'cli'),
    NARVARO_LOG_LEVEL: 'warn',
  }
  const child = link.spawn(
    host,
    process.execPath,
    [
      ...[cliPath, 'peer', '--interface', host.iface, '--name', `p${i}`, '--machine', `m${i}`],
      ...['--data-dir', join(dir, `p${i}`, 'data')],
    ],
    env,
  )
  let output = ''
  child.stderr.on('data', (chunk) => (output += chunk))
  child.stdout.on('data', (chunk) => (output += chunk))
  await until(
    `peer ${i} starting (${output})`,
    () => output.includes('the CLI is signed in'),
    60_000,
  )
  // `ip netns exec` runs the peer in its own process: the peer is the server under test.
  if (ctx.pin.pinned) pinProcess(child.pid, ctx.pin.serverCpu)
  return { child, env, host }
}

/** A bench agent beside peer `i`: JSON lines both ways, one request at a time. */
const startAgent = async (link, i, peer) => {
  const command = ['netns', 'exec', peer.host.ns, process.execPath, agentPath, String(i)]
  const child = spawn('ip', command, { env: peer.env, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const waiting = []
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)))
  const next = () => new Promise((resolve) => waiting.push(resolve))
  const ready = await next()
  if (!ready.ready) throw new Error(`link-fanout: agent ${i} did not start`)
  let id = 0
  const ask = async (command, args) => {
    child.stdin.write(`${JSON.stringify({ id: ++id, command, args })}\n`)
    const answer = await next()
    if (answer.error) throw new Error(`link-fanout: agent ${i}: ${answer.error}`)
    return answer
  }
  return { child, ask }
}

/** How many of the others peer `i` shows (its person's `who`). */
const shown = (link, peer) =>
  JSON.parse(link.run(peer.host, process.execPath, [cliPath, 'who', '--json'], peer.env)).filter(
    (row) => row.view.availability !== 'offline',
  ).length

/** Runs the phase: every agent publishes M notes, paced, and the others time them. */
const measure = async (peers, agents, { m, intervalMs }) => {
  const p = peers.length
  const expected = p * m * (p - 1)
  const pids = peers.map((peer) => peer.child.pid)
  const agentPids = agents.map((agent) => agent.child.pid)
  const cpu0 = pids.reduce((sum, pid) => sum + cpuMs(pid), 0)
  const load0 = agentPids.reduce((sum, pid) => sum + cpuMs(pid), 0)
  const start = Date.now()
  await Promise.all(agents.map((agent) => agent.ask('publish', { phase: 1, count: m, intervalMs })))
  let reports = []
  const arrived = async () => {
    reports = await Promise.all(agents.map((agent) => agent.ask('progress')))
    return reports.reduce((sum, r) => sum + r.received, 0) >= expected
  }
  await until('every note arriving', arrived, 30_000).catch(() => undefined)
  const wallMs = Date.now() - start
  const serverCpuMs = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpu0
  const loadCpuMs = agentPids.reduce((sum, pid) => sum + cpuMs(pid), 0) - load0
  const hist = reports.reduce((h, r) => h.merge(r.histogram), new Histogram())
  const received = hist.total
  return {
    mode: 'paced',
    offeredPerSec: (p * (p - 1) * 1000) / intervalMs,
    publications: p * m,
    notifications: received,
    expected,
    deliveredPerSec: received / (wallMs / 1000),
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    p999: hist.percentile(99.9),
    max: hist.max,
    bytesPerNotification: reports.reduce((s, r) => s + r.bytes, 0) / Math.max(1, received),
    serverCpuMs,
    serverCpuPer1k: serverCpuMs / Math.max(1e-9, received / 1000),
    serverCpuPct: (serverCpuMs / wallMs) * 100,
    loadCpuPct: (loadCpuMs / wallMs) * 100,
    wallMs,
  }
}

/** The Närvaro side: P peers on a link of namespaces, measured, then stopped and removed. */
const runPeers = async (ctx, { p, m, intervalMs }) => {
  if (process.getuid?.() !== 0)
    throw new Error('link-fanout makes network namespaces: run the bench as root')
  const link = createLink(p)
  const dir = mkdtempSync(join(tmpdir(), 'narvaro-bench-link-'))
  const peers = []
  const agents = []
  try {
    for (let i = 0; i < p; i++) peers.push(await startPeer(link, i, dir, ctx))
    const everyone = async () => peers.every((peer) => shown(link, peer) === p - 1)
    await until('every peer finding the others', everyone, 120_000)
    for (let i = 0; i < p; i++) agents.push(await startAgent(link, i, peers[i]))
    // The direct channels take over from the link's records: let them settle.
    await sleep(3000)
    const rss = peers.reduce((sum, peer) => sum + memoryKb(peer.child.pid).rssKb, 0)
    const paced = await measure(peers, agents, { m, intervalMs })
    return { target: 'narvaro', sessions: p, paced, rssPerPeerKb: rss / p }
  } finally {
    for (const agent of agents) agent.child.kill('SIGTERM')
    for (const peer of peers) peer.child.kill('SIGTERM')
    await sleep(1000)
    link.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

export const linkFanout = async (ctx, options) => {
  const p = options.users[0]
  if (p % 2 === 0 || p < 3)
    throw new Error(
      `link-fanout: --users ${p}: an odd number of peers from 3 (K = P − 1 must be even)`,
    )
  const m = options.m
  const intervalMs = options.interval
  const rate = (p * (p - 1) * 1000) / intervalMs
  process.stderr.write(`link-fanout: ${p} peers, ${m} changes each, one every ${intervalMs} ms…\n`)
  const results = { narvaro: await runPeers(ctx, { p, m, intervalMs }) }
  if (options.relay) {
    const phases = [{ mode: 'paced', perUser: m }]
    results.relay = await runFanoutShape('relay', ctx, {
      ...{ n: p, k: p - 1, phases },
      options: { ...options, rate },
    })
  }
  const title =
    `link-fanout (P ${p} peers on one link in network namespaces, each watching the others; the relay over WebSocket): ` +
    `${m} changes each, one every ${intervalMs} ms (${fmt(rate)} notifications/s offered); Närvaro CPU is all ${p} peers'`
  const rows = compare(
    [
      ...phaseRows('paced', 'paced'),
      { label: 'bytes per notification', get: (r) => r.paced.bytesPerNotification, digits: 0 },
      {
        label: 'RSS per peer process, MB (a whole one-person server)',
        get: (r) => r.rssPerPeerKb / 1024,
        ratio: false,
      },
    ],
    results.narvaro,
    results.relay,
  )
  return {
    scenario: 'link-fanout',
    parameters: { p, m, intervalMs, rate },
    results,
    table: renderTable(title, comparisonHeader(results.relay), rows),
  }
}
