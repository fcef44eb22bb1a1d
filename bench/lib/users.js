// Bench users: created through the REST API as the admin, then signed in once each (one token per
// user, shared by its connections). argon2 makes this slow (two hashes per user), so the database
// and the tokens are kept as a template per user count in the temp directory, copied for each run.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { nowMs } from './clock.js'
import { adminPassword, benchDomain, startNarvaro } from './targets.js'

const templatePrefix = 'narvaro-bench-template-'
const templateDirOf = (count) => join(os.tmpdir(), `${templatePrefix}${count}`)
const dbFiles = ['narvaro.db', 'narvaro.db-wal', 'narvaro.db-shm']
/** The template this run copies for each Närvaro it starts. */
let activeTemplate

/** @typedef {{ index: number, address: string, token: string }} BenchUser */

export const userAddress = (index) => `u${index}@${benchDomain}`
const password = (index) => `bench-password-${index}`

const copyDb = (from, to) => {
  mkdirSync(to, { recursive: true })
  for (const file of dbFiles)
    if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file))
}

const readTemplate = (dir) => {
  try {
    const saved = JSON.parse(readFileSync(join(dir, 'users.json'), 'utf8'))
    return saved.domain === benchDomain && existsSync(join(dir, 'narvaro.db')) ? saved : undefined
  } catch {
    return undefined
  }
}

/** User counts of the templates kept, ascending. */
const templateCounts = () =>
  readdirSync(os.tmpdir())
    .filter((name) => name.startsWith(templatePrefix))
    .map((name) => Number(name.slice(templatePrefix.length)))
    .filter((count) => Number.isInteger(count) && readTemplate(templateDirOf(count)))
    .sort((a, b) => a - b)

const { fetch } = globalThis

const post = async (url, path, body, token) => {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  const reply = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(reply)}`)
  return reply
}

/** Runs `task(i)` for every i in [from, to) with at most `width` in flight. */
const inParallel = async (from, to, width, task) => {
  let next = from
  const lane = async () => {
    while (next < to) await task(next++)
  }
  await Promise.all(Array.from({ length: width }, lane))
}

const addUsers = async (url, from, to, tokens) => {
  const admin = await post(url, '/v1/auth/login', {
    address: `admin@${benchDomain}`,
    password: adminPassword,
  })
  const started = nowMs()
  let done = 0
  await inParallel(from, to, 8, async (index) => {
    const address = `u${index}`
    await post(
      url,
      '/v1/users',
      { address, displayName: `User ${index}`, password: password(index) },
      admin.token,
    )
    const login = await post(url, '/v1/auth/login', {
      address: userAddress(index),
      password: password(index),
    })
    tokens[index] = login.token
    if (++done % 250 === 0) {
      const eta = (((nowMs() - started) / done) * (to - from - done)) / 1000
      process.stderr.write(`  setup: ${from + done}/${to} users (about ${Math.ceil(eta)} s left)\n`)
    }
  })
}

/** Creates the template of `count` users, extending the largest smaller one if there is one. */
const createTemplate = async (count) => {
  const base = templateCounts()
    .filter((c) => c < count)
    .at(-1)
  const saved = base === undefined ? undefined : readTemplate(templateDirOf(base))
  const have = saved?.tokens.length ?? 0
  const dir = templateDirOf(count)
  process.stderr.write(
    `setup: creating users ${have}..${count - 1} through the REST API (argon2: ~0.2 s of CPU each;\n` +
      `  kept in ${dir} for later runs, --fresh-setup starts over)\n`,
  )
  const work = mkdtempSync(join(os.tmpdir(), 'narvaro-bench-setup-'))
  if (saved) copyDb(templateDirOf(base), work)
  const server = await startNarvaro({ dataDir: work })
  const tokens = [...(saved?.tokens ?? [])]
  try {
    await addUsers(server.url, have, count, tokens)
  } finally {
    await server.stop()
  }
  const staging = `${dir}.new`
  rmSync(staging, { recursive: true, force: true })
  copyDb(work, staging)
  writeFileSync(join(staging, 'users.json'), JSON.stringify({ domain: benchDomain, tokens }))
  rmSync(dir, { recursive: true, force: true })
  renameSync(staging, dir)
  rmSync(work, { recursive: true, force: true })
  return count - have
}

/**
 * Makes sure a template of exactly `count` users exists (so that the server holds no one else),
 * creating the missing users (not measured), and makes it the one runs copy.
 * @returns {Promise<{ users: BenchUser[], templateUsers: number, createdNow: number, setupMs: number }>}
 */
export const ensureUsers = async (count, { fresh = false } = {}) => {
  if (fresh)
    for (const c of templateCounts()) rmSync(templateDirOf(c), { recursive: true, force: true })
  const started = nowMs()
  const createdNow = readTemplate(templateDirOf(count)) ? 0 : await createTemplate(count)
  activeTemplate = templateDirOf(count)
  const { tokens } = readTemplate(activeTemplate)
  const users = tokens.map((token, index) => ({ index, address: userAddress(index), token }))
  return { users, templateUsers: tokens.length, createdNow, setupMs: nowMs() - started }
}

/** A fresh data directory holding a copy of the template database. */
export const dataDirFromTemplate = () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'narvaro-bench-run-'))
  copyDb(activeTemplate, dir)
  return dir
}
