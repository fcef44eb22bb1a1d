#!/usr/bin/env node
// `npm run bench`: starts Närvaro (and the reference relay) in their own process pinned to one core,
// drives them from load workers pinned to the other, prints a table per scenario and writes the
// results as JSON under bench/results/. Flags and how to read the figures: docs/performance.md.
import process from 'node:process'
import { ensureBuild, sourceState } from './lib/build.js'
import { help, optionsFor, parseFlags, selectedScenarios } from './lib/options.js'
import { machine, pinningPlan, pinProcess, raiseOpenFileLimit } from './lib/proc.js'
import { writeResults } from './lib/report.js'
import { ensureUsers } from './lib/users.js'
import { boardPaint } from './scenarios/board-paint.js'
import { connections } from './scenarios/connections.js'
import { fanout } from './scenarios/fanout.js'
import { integrations } from './scenarios/integrations.js'
import { reconnect } from './scenarios/reconnect.js'
import { scale } from './scenarios/scale.js'
import { slow } from './scenarios/slow.js'
import { who } from './scenarios/who.js'
import { xmppFanout } from './scenarios/xmpp-fanout.js'
import { sipFanout } from './scenarios/sip-fanout.js'
import { linkFanout } from './scenarios/link-fanout.js'
import { summarizeProfiles } from './profile-summary.js'
import { phaseWindows, profileDir } from './scenarios/common.js'

const runners = {
  fanout,
  scale,
  connections,
  reconnect,
  slow,
  who,
  integrations,
  'board-paint': boardPaint,
  'xmpp-fanout': xmppFanout,
  'sip-fanout': sipFanout,
  'link-fanout': linkFanout,
}

/**
 * The users one scenario needs: its largest ring. Each scenario runs on a template of exactly that
 * many users, so that one scenario's organization (who: 10,000) does not enlarge another's.
 */
const usersNeeded = (name, flags) => Math.max(...optionsFor(name, flags).users)

/** Open files the largest scenario needs in one process: its sessions, and room for the rest. */
const filesNeeded = (names, flags) =>
  Math.max(
    ...names.map((name) => {
      const options = optionsFor(name, flags)
      return Math.max(options.sessions ?? 0, ...options.users) + 1024
    }),
  )

const main = async () => {
  const flags = parseFlags(process.argv.slice(2))
  if (flags.help) return process.stdout.write(help)
  const names = selectedScenarios(flags)
  const build = ensureBuild()
  const pin = pinningPlan(flags.pin ?? true)
  // Each session is a socket in the server and one in a load worker; raised here, inherited by both.
  const files = raiseOpenFileLimit(filesNeeded(names, flags))
  // Setup (not measured) uses every core; the bench process itself then moves to the load core.
  const counts = [...new Set(names.map((name) => usersNeeded(name, flags)))].sort((a, b) => a - b)
  const setup = []
  for (const [i, count] of counts.entries()) {
    const made = await ensureUsers(count, { fresh: i === 0 && flags.freshSetup })
    setup.push({
      templateUsers: made.templateUsers,
      createdNow: made.createdNow,
      setupMs: Math.round(made.setupMs),
    })
  }
  if (pin.pinned) pinProcess(process.pid, pin.loadCpu)
  process.stderr.write(`bench: ${pin.note}\n`)
  const ctx = { pin, users: [], cpuProf: flags.cpuProf ?? false, nodes: flags.nodes }
  const startedAt = Date.now()
  const results = {
    machine: machine(),
    build,
    source: sourceState(),
    pinning: pin,
    openFiles: files,
    flags: process.argv.slice(2),
    setup,
    scenarios: [],
  }
  for (const name of names) {
    const options = optionsFor(name, flags)
    try {
      ctx.users = (await ensureUsers(usersNeeded(name, flags))).users
      const outcome = await runners[name](ctx, options)
      results.scenarios.push({ ...outcome, options })
      process.stdout.write(`\n${outcome.table}\n`)
    } catch (error) {
      process.stderr.write(`bench: scenario ${name} stopped: ${error?.stack ?? error}\n`)
      results.scenarios.push({ scenario: name, options, error: String(error?.message ?? error) })
    }
  }
  results.durationS = Math.round((Date.now() - startedAt) / 1000)
  if (ctx.cpuProf) {
    results.profiles = summarizeProfiles(profileDir, startedAt, phaseWindows)
    process.stdout.write(`\n${results.profiles.map((p) => p.table).join('\n\n')}\n`)
  }
  const path = writeResults(results, flags.out, names)
  process.stdout.write(
    `\n${results.machine.cores} cores, ${(results.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${results.machine.node}, ${results.machine.date}; ${pin.note}\nresults: ${path}\n`,
  )
  if (results.scenarios.some((s) => s.error)) process.exitCode = 1
}

main().catch((error) => {
  process.stderr.write(`bench: ${error?.message ?? error}\n`)
  process.exitCode = 1
})
