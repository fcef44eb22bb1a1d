// The saved sign-in: `credentials.json` in $NARVARO_CONFIG_DIR (default ~/.config/narvaro),
// readable only by its owner; CLI layer.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { usageError } from './cli-error.js'
import type { Env } from './cli-io.js'
import type { Credentials } from './cli-schemas.js'
import { credentialsValidator, firstError } from './cli-schemas.js'

export type { Credentials }

export const configDirOf = (env: Env): string => {
  if (env['NARVARO_CONFIG_DIR']) return env['NARVARO_CONFIG_DIR']
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config')
  return join(base, 'narvaro')
}

export const credentialsFileOf = (env: Env): string => join(configDirOf(env), 'credentials.json')

/** The saved credentials, or undefined; a damaged file is a configuration error. */
export const loadCredentials = (env: Env): Credentials | undefined => {
  const file = credentialsFileOf(env)
  if (!existsSync(file)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}; sign in again`)
  }
  const problem = firstError(credentialsValidator, parsed)
  if (problem) throw usageError(`${file} is not valid (${problem}); sign in again`)
  return parsed as Credentials
}

/** Writes the credentials with mode 0600 through a temporary file, so no reader sees half of it. */
export const saveCredentials = (env: Env, credentials: Credentials): string => {
  const dir = configDirOf(env)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = credentialsFileOf(env)
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 })
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
  return file
}

export const removeCredentials = (env: Env): boolean => {
  const file = credentialsFileOf(env)
  if (!existsSync(file)) return false
  rmSync(file, { force: true })
  return true
}
