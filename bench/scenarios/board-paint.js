// Scenario board-paint: how long a person waits for the team board in the web app, in Debian's
// Chromium, when they watch K people: from navigation start until the views are painted, signing in
// and opening the app again signed in, with the signed-out page's paint for scale. Absolute ms; the
// reference relay has no web app.
import process from 'node:process'
import { launchBrowser, measureRun, newContext } from '../lib/board-browser.js'
import { fmt, renderTable } from '../lib/report.js'
import { rest } from '../lib/who-client.js'
import { userPassword } from '../lib/users.js'
import { withTarget } from './common.js'

/** The watched people every second one of whom is available on a device (the rest offline). */
const setUpWatching = async (target, watcher, watched) => {
  const states = await Promise.all(
    watched.map(async (person, i) => {
      const added = await rest(target, {
        method: 'POST',
        path: '/v1/subscriptions',
        token: watcher.token,
        body: { address: person.address },
      })
      if (i % 2 === 0)
        await rest(target, {
          method: 'PUT',
          path: '/v1/me/presence/sources/desk',
          token: person.token,
          body: { availability: 'available', device: { capabilities: ['im'] }, ttlSeconds: 3600 },
        })
      return JSON.parse(added.text).state
    }),
  )
  const inactive = states.filter((state) => state !== 'active').length
  if (inactive > 0) throw new Error(`${inactive} of ${watched.length} subscriptions not active`)
}

/** The nearest-rank percentile of a list of numbers. */
const percentile = (values, p) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Each figure of a run, by name: milliseconds since navigation start (sign-in: since submit). */
const figuresOf = (run) => ({
  signedInLiveOpen: run.signedIn.liveOpen,
  signedInSnapshots: run.signedIn.snapshots,
  signedInFirstView: run.signedIn.firstView,
  signedInAllViews: run.signedIn.allViews,
  signedInFcp: run.signedIn.fcp,
  signedInHtml: run.signedIn.htmlEnd,
  signInSnapshots: run.signIn.snapshots - run.signIn.submit,
  signInFirstView: run.signIn.firstView - run.signIn.submit,
  signInAllViews: run.signIn.allViews - run.signIn.submit,
  signedOutForm: run.signedOut.signInForm,
  signedOutFcp: run.signedOut.fcp,
})

const summarize = (runs) => {
  const figures = runs.map(figuresOf)
  const summary = {}
  for (const key of Object.keys(figures[0] ?? {})) {
    const values = figures.map((f) => f[key])
    summary[key] = { median: percentile(values, 50), p95: percentile(values, 95) }
  }
  return summary
}

const measureK = async (ctx, browser, { k, options }) =>
  withTarget('narvaro', ctx, async (target) => {
    const [watcher, ...watched] = ctx.users.slice(0, k + 1)
    process.stderr.write(`board-paint: ${watcher.address} watches ${k}; setting up…\n`)
    await setUpWatching(target, watcher, watched)
    const context = await newContext(browser, { url: target.url, expected: k })
    const runs = []
    try {
      const timeoutMs = options.timeout * 1000
      const login = { address: watcher.address, password: userPassword, timeoutMs }
      // The first run fills the HTTP cache and warms the server: reported, not summarized.
      const cold = await measureRun(context, login)
      for (let i = 0; i < options.runs; i++) runs.push(await measureRun(context, login))
      const shown = runs.map((r) => r.cards).filter((n) => n !== k)
      if (shown.length > 0) throw new Error(`the board showed ${shown[0]} views, not ${k}`)
      process.stderr.write(`board-paint: K=${k}, ${runs.length} runs done\n`)
      return { k, cold: figuresOf(cold), summary: summarize(runs), runs: runs.map(figuresOf) }
    } finally {
      await context.close()
    }
  })

const rowsOf = (cells) => {
  const line = (label, key) => [
    label,
    ...cells.flatMap((c) => [fmt(c.summary[key].median, 0), fmt(c.summary[key].p95, 0)]),
  ]
  return [
    line('signed in, open the app: live connection open', 'signedInLiveOpen'),
    line('signed in, open the app: K-th snapshot received', 'signedInSnapshots'),
    line('signed in, open the app: first view painted', 'signedInFirstView'),
    line('signed in, open the app: every view painted', 'signedInAllViews'),
    line('signed in, open the app: first contentful paint', 'signedInFcp'),
    line('signed in, open the app: HTML received', 'signedInHtml'),
    line('sign in (from submit): K-th snapshot received', 'signInSnapshots'),
    line('sign in (from submit): first view painted', 'signInFirstView'),
    line('sign in (from submit): every view painted', 'signInAllViews'),
    line('signed out: sign-in form painted (static shell)', 'signedOutForm'),
    line('signed out: first contentful paint', 'signedOutFcp'),
  ]
}

export const boardPaint = async (ctx, options) => {
  const browser = await launchBrowser()
  const version = browser.version()
  const cells = []
  try {
    for (const k of options.k) {
      if (k + 1 > ctx.users.length) throw new Error(`K=${k} needs ${k + 1} users`)
      cells.push(await measureK(ctx, browser, { k, options }))
    }
  } finally {
    await browser.close()
  }
  const header = ['ms since navigation start', ...cells.flatMap((c) => [`K=${c.k} p50`, 'p95'])]
  const title =
    `board-paint: Chromium ${version} headless, ${options.runs} runs per K after one ` +
    `warm-up (HTTP cache warm); K = people watched, every second one available`
  return {
    scenario: 'board-paint',
    parameters: { k: options.k, runs: options.runs, browser: version },
    results: cells,
    table: renderTable(title, header, rowsOf(cells)),
  }
}
