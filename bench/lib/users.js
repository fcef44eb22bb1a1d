// Bench users: seeded into a template database through the store adapter (one token per user,
// shared by its connections), kept per user count in the temp directory and copied for each run.
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
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { nowMs } from './clock.js'
import { adminPassword, benchDomain, repoRoot, startNarvaro } from './targets.js'

const templatePrefix = 'narvaro-bench-template-'
const templateDirOf = (count) => join(os.tmpdir(), `${templatePrefix}${count}`)
const dbFiles = ['narvaro.db', 'narvaro.db-wal', 'narvaro.db-shm']
/** The template this run copies for each Närvaro it starts. */
let activeTemplate

/** @typedef {{ index: number, address: string, token: string }} BenchUser */

export const userAddress = (index) => `u${index}@${benchDomain}`
/** Ring neighbours i±1..i±k/2 of user `index` of `n`: whom that user watches in the ring scenarios. */
export const ringIndices = (index, n, k) => {
  const watch = []
  for (let d = 1; d <= k / 2; d++) watch.push((index + d) % n, (index - d + n) % n)
  return watch
}

/** Every bench user's password: the bench signs in with tokens, except in the web app. */
export const userPassword = 'bench-user-password'

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

/**
 * Adds users `from`..`to - 1` straight through the store adapter of dist/ (the code the server
 * itself runs), one transaction-free insert per row: a user with one shared argon2id hash (hashed
 * once, not per user) and one API token each. Going through the REST API would cost two argon2
 * hashes per user (create, sign in), about 30 minutes for 10,000 users; this takes seconds.
 */
const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', path)).href)

const seedUsers = async (dir, from, to, tokens) => {
  const { openSqliteStore } = await dist('adapters/store/sqlite/sqlite-store.js')
  await seedInto(await openSqliteStore({ file: join(dir, 'narvaro.db') }), from, to, tokens)
}

const seedInto = async (store, from, to, tokens) => {
  const { hashToken, tokenPrefix } = await dist('app/accounts/auth-service.js')
  const { PasswordHasher } = await dist('app/accounts/password-hasher.js')
  try {
    const organization =
      (await store.getOrganizationByDomain(benchDomain)) ??
      (await store.createOrganization({
        domain: benchDomain,
        name: 'Bench',
        createdAt: Date.now(),
      }))
    const passwordHash = await new PasswordHasher().hash(userPassword)
    const now = Date.now()
    for (let index = from; index < to; index++) {
      const user = await store.createUser({
        organizationId: organization.id,
        address: userAddress(index),
        displayName: `User ${index}`,
        role: 'member',
        timeZone: 'UTC',
        passwordHash,
        createdAt: now,
      })
      const secret = tokens[index] ?? tokenPrefix + randomBytes(32).toString('base64url')
      await store.createToken({
        userId: user.id,
        name: 'bench',
        tokenHash: hashToken(secret),
        createdAt: now,
      })
      tokens[index] = secret
      if ((index + 1) % 10_000 === 0) process.stderr.write(`  setup: ${index + 1}/${to} users\n`)
    }
  } finally {
    await store.close()
  }
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
    `setup: seeding users ${have}..${count - 1} (kept in ${dir}; --fresh-setup starts over)\n`,
  )
  const work = mkdtempSync(join(os.tmpdir(), 'narvaro-bench-setup-'))
  if (saved) copyDb(templateDirOf(base), work)
  // A first start creates the organization, the admin and the schema, as for any user; on a copy of
  // a smaller template it migrates it to the schema of dist/, which may be newer than the copy's.
  const server = await startNarvaro({ dataDir: work })
  await server.stop()
  const tokens = [...(saved?.tokens ?? [])]
  await seedUsers(work, have, count, tokens)
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

/**
 * A cluster's database for one run: a fresh PostgreSQL schema with the bench users (the same
 * addresses and tokens as the template's, seeded through the store adapter) and the admin, and how
 * to drop it.
 * @returns {Promise<{ databaseUrl: string, drop: () => Promise<void> }>}
 */
export const postgresUsers = async (baseUrl, users) => {
  const { default: pg } = await import('pg')
  const { openPostgresStore } = await dist('adapters/store/postgres/postgres-store.js')
  const schema = `narvaro_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Pool({ connectionString: baseUrl, max: 1 })
  await admin.query(`create schema ${schema}`)
  const url = new URL(baseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  const databaseUrl = url.toString()
  const store = await openPostgresStore({ url: databaseUrl })
  await store.migrate()
  const { PasswordHasher } = await dist('app/accounts/password-hasher.js')
  const organization = await store.createOrganization({
    domain: benchDomain,
    name: 'Bench',
    createdAt: Date.now(),
  })
  await store.createUser({
    organizationId: organization.id,
    address: `admin@${benchDomain}`,
    displayName: 'Admin',
    role: 'admin',
    timeZone: 'UTC',
    passwordHash: await new PasswordHasher().hash(adminPassword),
    createdAt: Date.now(),
  })
  await seedInto(
    store,
    0,
    users.length,
    users.map((u) => u.token),
  )
  const drop = async () => {
    await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  }
  return { databaseUrl, drop }
}

/** A fresh data directory holding a copy of the template database. */
export const dataDirFromTemplate = () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'narvaro-bench-run-'))
  copyDb(activeTemplate, dir)
  return dir
}
