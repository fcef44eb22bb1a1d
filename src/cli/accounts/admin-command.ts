// `narvaro admin init` and `narvaro admin reset-password`: offline, directly in the store of a data
// directory that no server holds; a generated password is shown once; CLI layer.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { domainOf, parseAddress } from '../../core/model/address.js'
import { CliError, exitCodes, usageError } from '../shared/cli-error.js'
import type { TextSink } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, writeLine } from '../shared/output.js'

interface InitOptions {
  readonly domain: string
  readonly dataDir?: string
  readonly admin?: string
}

const adminAddressOf = (raw: string | undefined, domain: string): string | undefined => {
  if (raw === undefined) return undefined
  const parsed = parseAddress(raw.includes('@') ? raw : `${raw}@${domain}`)
  if (!parsed) throw usageError(`--admin ${JSON.stringify(raw)}: not a valid address`)
  if (domainOf(parsed.address) !== domain) {
    throw usageError(`--admin ${parsed.address}: the admin's address must end in @${domain}`)
  }
  return parsed.address
}

/** The server side, loaded only here, so that client commands start quickly. */
const loadServerSide = async () => ({
  ...(await import('../../server/config.js')),
  ...(await import('../../server/narvaro-server.js')),
  ...(await import('../../app/accounts/auth-service.js')),
  ...(await import('../../app/accounts/sign-in-guard.js')),
  ...(await import('../../adapters/clock/system-clock.js')),
  ...(await import('../../app/policy/audit-log.js')),
  ...(await import('../../server/data-dir-lock.js')),
})

interface InitResult {
  readonly organization: { readonly id: string; readonly domain: string }
  readonly admin: { readonly id: string; readonly address: string }
  readonly generatedPassword?: string
}

const printInitResult = (sink: TextSink, result: InitResult, json: boolean): void => {
  const { organization, admin, generatedPassword } = result
  if (json) {
    return printJson(sink, {
      organization: { id: organization.id, domain: organization.domain },
      admin: { id: admin.id, address: admin.address },
      ...(generatedPassword ? { password: generatedPassword } : {}),
    })
  }
  writeLine(sink, `created organization ${organization.domain}`)
  writeLine(sink, `admin:    ${admin.address}`)
  if (generatedPassword) {
    writeLine(sink, `password: ${generatedPassword}`)
    writeLine(sink, 'This password is shown once and never again: keep it now.')
  } else {
    writeLine(sink, 'password: the one in NARVARO_ADMIN_PASSWORD')
  }
  writeLine(sink, `sign in with: narvaro login ${admin.address}`)
}

const init = async (runtime: CliRuntime, options: InitOptions, json: boolean): Promise<void> => {
  const { io } = runtime
  const { loadConfig, openDefaultStore, AuthService, SystemClock, loginLimitsOf } =
    await loadServerSide()
  const config = loadConfig(io.env, { domain: options.domain, 'data-dir': options.dataDir })
  const adminAddress = adminAddressOf(options.admin, config.domain)
  // The store creates the data directory, private (0700), when it is missing.
  const store = await openDefaultStore(config.dataDir, config.databaseUrl)
  try {
    // Passwords are hashed at the cost the settings give (NARVARO_PASSWORD_HASH_*), as the server does.
    const { hasher } = loginLimitsOf(config)
    const result = await new AuthService({ store, clock: new SystemClock(), hasher }).initialize({
      domain: config.domain,
      ...(adminAddress ? { adminAddress } : {}),
      ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}),
    })
    printInitResult(io.stdout, result, json)
  } finally {
    await store.close()
  }
}

/**
 * Resets a password offline (a lost admin password): holds the data directory meanwhile, so it is
 * refused while a server runs on it, and no server starts until it is done.
 */
const resetPassword = async (
  runtime: CliRuntime,
  input: { address: string; dataDir?: string; json: boolean },
): Promise<void> => {
  const { io } = runtime
  const side = await loadServerSide()
  const config = side.loadConfig(io.env, { 'data-dir': input.dataDir })
  const parsed = parseAddress(input.address)
  if (!parsed) throw usageError(`not a valid address: ${JSON.stringify(input.address)}`)
  if (!existsSync(join(config.dataDir, 'narvaro.db'))) {
    throw usageError(`no Närvaro database in ${config.dataDir} (give --data-dir)`)
  }
  let lock: ReturnType<typeof side.lockDataDir>
  try {
    lock = side.lockDataDir(config.dataDir, { now: Date.now(), sameProcess: 'refuse' })
  } catch (error) {
    throw new CliError(exitCodes.api, (error as Error).message)
  }
  try {
    const reset = await resetInStore(side, { config, address: parsed.address })
    printReset(io.stdout, reset, input.json)
  } finally {
    lock.release()
  }
}

/** Gives the user of `address` a new one-time password in the store of the data directory. */
const resetInStore = async (
  side: Awaited<ReturnType<typeof loadServerSide>>,
  input: {
    config: ReturnType<Awaited<ReturnType<typeof loadServerSide>>['loadConfig']>
    address: string
  },
): Promise<{ address: string; password: string }> => {
  const { config, address } = input
  const store = await side.openDefaultStore(config.dataDir, config.databaseUrl)
  const clock = new side.SystemClock()
  const audit = new side.AuditLog(store, clock, {
    retentionMs: config.auditRetentionMs,
    onError: () => {},
  })
  try {
    const user = await store.getUserByAddress(address)
    if (!user) throw new CliError(exitCodes.api, `no user ${address} in ${config.dataDir}`)
    const { hasher } = side.loginLimitsOf(config)
    const auth = new side.AuthService({ store, clock, audit, hasher })
    const { generatedPassword } = await auth.resetPassword(user, {
      actor: 'operator (narvaro admin reset-password)',
    })
    return { address: user.address, password: generatedPassword! }
  } finally {
    await audit.stop()
    await store.close()
  }
}

const printReset = (
  sink: TextSink,
  reset: { address: string; password: string },
  json: boolean,
) => {
  if (json) return printJson(sink, reset)
  writeLine(sink, `new one-time password for ${reset.address}: ${reset.password}`)
  writeLine(sink, 'It is shown once, signs in once, and must then be changed; every token of')
  writeLine(sink, `${reset.address} was revoked. Sign in with: narvaro login ${reset.address}`)
}

export const registerAdminCommand = (program: Command, runtime: CliRuntime): void => {
  const admin = program
    .command('admin')
    .description('set up the server (offline, on its data directory)')
  admin
    .command('init')
    .description(
      'create an organization and its first admin (password: generated, or NARVARO_ADMIN_PASSWORD)',
    )
    .requiredOption('--domain <domain>', 'the organization domain, such as example.com')
    .option(
      '--data-dir <dir>',
      'directory of the SQLite database (NARVARO_DATA_DIR, default ./data)',
    )
    .option('--admin <address>', "the first admin's address (default admin@DOMAIN)")
    .action((options: InitOptions, command: Command) =>
      init(runtime, options, runtime.json(command)),
    )
  admin
    .command('reset-password')
    .description(
      "reset a lost password (an admin's) offline: prints a new one-time password once; refused while a server runs on the data directory",
    )
    .argument('<address>', 'the address of the user')
    .option(
      '--data-dir <dir>',
      'directory of the SQLite database (NARVARO_DATA_DIR, default ./data)',
    )
    .action((address: string, options: { dataDir?: string }, command: Command) =>
      resetPassword(runtime, { address, ...options, json: runtime.json(command) }),
    )
}
