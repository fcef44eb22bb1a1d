// `narvaro login` and `narvaro logout`: sign in with address and password and keep the token in the
// credentials file (a one-time password is changed right away), or revoke it and forget it; CLI layer.
import { hostname } from 'node:os'
import type { Command } from 'commander'
import type { Static } from 'typebox'
import { parseAddress } from '../../core/model/address.js'
import type { IssuedTokenSchema } from '../../transports/rest/rest-schemas.js'
import { NarvaroApiError } from '@narvaro/sdk'
import { dataOf, normalizeServer, restClient } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { credentialsFileOf, removeCredentials, saveCredentials } from '../shared/credentials.js'
import { printJson, writeLine } from '../shared/output.js'
import { changePassword, readNewPassword, readStdinPasswords } from './password-command.js'
import { readPassword } from '../shared/prompt.js'

type IssuedToken = Static<typeof IssuedTokenSchema>

/**
 * The password to sign in with: from stdin, where a second line is the new password should this
 * one be one-time, else from NARVARO_PASSWORD or a prompt.
 */
const loginPasswords = async (
  runtime: CliRuntime,
  address: string,
  passwordStdin: boolean,
): Promise<{ password: string; second: string | undefined }> => {
  const lines = passwordStdin ? await readStdinPasswords(runtime.io) : undefined
  const password =
    lines?.first ??
    (await readPassword(runtime.io, {
      fromStdin: false,
      envName: 'NARVARO_PASSWORD',
      question: `password for ${address}: `,
    }))
  return { password, second: lines?.second }
}

const login = async (
  runtime: CliRuntime,
  args: { address: string; passwordStdin: boolean; command: Command },
): Promise<void> => {
  const context = runtime.context(args.command)
  const parsed = parseAddress(args.address)
  if (!parsed) throw usageError(`not a valid address: ${JSON.stringify(args.address)}`)
  const { password, second } = await loginPasswords(runtime, parsed.address, args.passwordStdin)
  const tokenName = `narvaro cli on ${hostname()}`.slice(0, 100)
  const body = { address: parsed.address, password, tokenName }
  const issued = await dataOf(context.anonymous().api.POST('/v1/auth/login', { body }))
  const file = saveCredentials(runtime.io.env, {
    server: context.server,
    address: issued.user.address,
    token: issued.token,
    tokenId: issued.tokenInfo.id,
  })
  if (issued.mustChangePassword) {
    await replaceOneTime(runtime, { server: context.server, issued, password, given: second })
  }
  if (context.json) {
    printJson(runtime.io.stdout, {
      server: context.server,
      user: issued.user,
      tokenInfo: issued.tokenInfo,
    })
    return
  }
  writeLine(
    runtime.io.stdout,
    `signed in as ${issued.user.address} (${issued.user.role}) at ${context.server}`,
  )
  writeLine(runtime.io.stderr, `token saved in ${file}`)
}

/**
 * A one-time password signed in: the token is saved but may only change the password, so the new
 * one is asked for now; should that fail, `narvaro password` does it later with the saved token.
 */
const replaceOneTime = async (
  runtime: CliRuntime,
  input: { server: string; issued: IssuedToken; password: string; given: string | undefined },
): Promise<void> => {
  const { io } = runtime
  writeLine(io.stderr, 'This password was one-time: choose your own now.')
  try {
    const newPassword = await readNewPassword(io, input.given)
    const client = restClient(input.server, input.issued.token)
    await changePassword(client, { currentPassword: input.password, newPassword })
  } catch (error) {
    writeLine(io.stderr, 'signed in, but the password is still one-time: run `narvaro password`')
    throw error
  }
  writeLine(io.stderr, 'password changed')
}

/** Already revoked, expired or unknown: the server has nothing left to forget. */
const isGone = (error: unknown): boolean =>
  error instanceof NarvaroApiError &&
  (error.code === 'NRV_UNAUTHENTICATED' || error.code === 'NRV_NOT_FOUND')

const logout = async (runtime: CliRuntime, command: Command): Promise<void> => {
  const { io } = runtime
  const context = runtime.context(command)
  const saved = context.saved
  if (!saved) {
    writeLine(io.stderr, `not signed in (no ${credentialsFileOf(io.env)})`)
    return
  }
  if (saved.tokenId) {
    const client = restClient(normalizeServer(saved.server, 'the saved sign-in'), saved.token)
    try {
      await client.revokeToken(saved.tokenId)
    } catch (error) {
      if (!isGone(error)) throw error
    }
  } else {
    writeLine(
      io.stderr,
      'the saved sign-in has no token id: revoke it with `narvaro token revoke ID`',
    )
  }
  removeCredentials(io.env)
  if (context.json) printJson(io.stdout, { address: saved.address, signedOut: true })
  else writeLine(io.stdout, `signed out ${saved.address}`)
}

export const registerLoginCommands = (program: Command, runtime: CliRuntime): void => {
  program
    .command('login')
    .description(
      'sign in and save the token (password: prompt, --password-stdin or NARVARO_PASSWORD); a one-time password is changed at once (new one: prompt, second line of --password-stdin or NARVARO_NEW_PASSWORD)',
    )
    .argument('<address>', 'your address, such as alice@example.com')
    .option('--password-stdin', 'read the password from standard input')
    .action((address: string, options: { passwordStdin?: boolean }, command: Command) =>
      login(runtime, { address, passwordStdin: options.passwordStdin === true, command }),
    )
  program
    .command('logout')
    .description('revoke the saved token and delete the credentials file')
    .action((_options: unknown, command: Command) => logout(runtime, command))
}
