// `narvaro admin init`: creates an organization and its first admin directly in the store, offline,
// and shows a generated password once; CLI layer.
import type { Command } from 'commander'
import { domainOf, parseAddress } from '../core/model/address.js'
import { usageError } from './cli-error.js'
import type { TextSink } from './cli-io.js'
import type { CliRuntime } from './cli-runtime.js'
import { printJson, writeLine } from './output.js'

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
  ...(await import('../server/config.js')),
  ...(await import('../server/narvaro-server.js')),
  ...(await import('../app/auth-service.js')),
  ...(await import('../adapters/clock/system-clock.js')),
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
  const { loadConfig, openDefaultStore, AuthService, SystemClock } = await loadServerSide()
  const config = loadConfig(io.env, { domain: options.domain, 'data-dir': options.dataDir })
  const adminAddress = adminAddressOf(options.admin, config.domain)
  // The store creates the data directory, private (0700), when it is missing.
  const store = await openDefaultStore(config.dataDir)
  try {
    const result = await new AuthService(store, new SystemClock()).initialize({
      domain: config.domain,
      ...(adminAddress ? { adminAddress } : {}),
      ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}),
    })
    printInitResult(io.stdout, result, json)
  } finally {
    await store.close()
  }
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
}
