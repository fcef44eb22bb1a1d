// The lock of a data directory: a running server keeps its pid in `narvaro.lock`, so offline
// commands (`narvaro admin reset-password`) refuse while it runs; a lock left by a process that is
// gone is stale and taken over; composition root.
import { randomUUID } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createPrivateDirectory } from '../adapters/store/sqlite/sqlite-store.js'
import { join } from 'node:path'
import { NarvaroError } from '../core/errors.js'

export const lockFileName = 'narvaro.lock'

export interface LockHolder {
  readonly pid: number
  readonly since: number
  /** Tells two holders of one process apart (a server restarted in place). */
  readonly id?: string
}

export interface DataDirLock {
  readonly file: string
  /** Removes the lock file when it is still this process's. */
  release(): void
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const readHolder = (file: string): LockHolder | undefined => {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>
    return Number.isInteger(parsed.pid) && (parsed.pid ?? 0) > 0
      ? {
          pid: parsed.pid!,
          since: Number(parsed.since ?? 0),
          ...(parsed.id ? { id: parsed.id } : {}),
        }
      : undefined
  } catch {
    return undefined
  }
}

/** The live process that holds the data directory, if any (a stale lock holds nothing). */
export const dataDirHolder = (dataDir: string): LockHolder | undefined => {
  const holder = readHolder(join(dataDir, lockFileName))
  return holder && isAlive(holder.pid) ? holder : undefined
}

/**
 * Takes the data directory for this process. Refused with `NRV_CONFLICT` while another live process
 * holds it; `sameProcess: 'share'` lets a server restarted inside one process (tests) take it over.
 */
export const lockDataDir = (
  dataDir: string,
  options: { now: number; sameProcess?: 'share' | 'refuse' },
): DataDirLock => {
  const file = join(dataDir, lockFileName)
  const holder = dataDirHolder(dataDir)
  const ownedHere = holder?.pid === process.pid && options.sameProcess === 'share'
  if (holder && !ownedHere) {
    throw new NarvaroError(
      'NRV_CONFLICT',
      `the data directory ${dataDir} is in use by process ${holder.pid} (a running Närvaro server); ` +
        `stop it first (if no server runs, delete ${file})`,
      { details: { pid: holder.pid } },
    )
  }
  const mine: LockHolder = { pid: process.pid, since: options.now, id: randomUUID() }
  // On a first start the directory does not exist yet: it is made private to the service.
  createPrivateDirectory(dataDir)
  if (!ownedHere) rmSync(file, { force: true })
  try {
    // Exclusive: of two processes that found the lock free, one creates it.
    writeFileSync(file, JSON.stringify(mine) + '\n', { mode: 0o600, flag: ownedHere ? 'w' : 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return lockDataDir(dataDir, options)
  }
  return {
    file,
    release: () => {
      if (readHolder(file)?.id === mine.id) rmSync(file, { force: true })
    },
  }
}
