// `narvaro password`: change my own password (current and new: hidden prompts, or two lines of
// `--password-stdin`), optionally revoking my other tokens; also the change `narvaro login` makes
// after a sign-in with a one-time password; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { PasswordChangeReply } from '../../transports/rest/directory-schemas.js'
import type { NarvaroClient } from '@narvaro/sdk'
import { usageError } from '../shared/cli-error.js'
import type { CliIo } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, writeLine } from '../shared/output.js'
import { promptHidden, readStdinSecret } from '../shared/prompt.js'

type ChangeReply = Static<typeof PasswordChangeReply>

/** Two secrets from standard input: the first line, and the second (if any). */
export const readStdinPasswords = async (
  io: CliIo,
): Promise<{ first: string; second?: string }> => {
  const [first = '', second] = (await readStdinSecret(io.stdin)).split(/\r?\n/)
  if (first.length === 0) throw usageError('the password is empty')
  return second ? { first, second } : { first }
}

/** The new password: given, else NARVARO_NEW_PASSWORD, else asked twice on the terminal. */
export const readNewPassword = async (io: CliIo, given?: string): Promise<string> => {
  const preset = given ?? io.env['NARVARO_NEW_PASSWORD']
  if (preset) return preset
  if (!io.stdin.isTTY) {
    throw usageError(
      'no terminal to ask for the new password: give it as the second line of --password-stdin ' +
        'or in NARVARO_NEW_PASSWORD',
    )
  }
  const first = await promptHidden(io.stdin, io.stderr, 'new password (12 characters or more): ')
  const again = await promptHidden(io.stdin, io.stderr, 'new password again: ')
  if (first !== again) throw usageError('the two new passwords differ')
  return first
}

export const changePassword = (
  client: NarvaroClient,
  body: { currentPassword: string; newPassword: string; revokeOtherTokens?: boolean },
): Promise<ChangeReply> => client.changePassword(body)

const readCurrent = async (io: CliIo): Promise<string> => {
  const preset = io.env['NARVARO_PASSWORD']
  if (preset) return preset
  if (!io.stdin.isTTY) {
    throw usageError(
      'no terminal to ask for the password: use --password-stdin or NARVARO_PASSWORD',
    )
  }
  return promptHidden(io.stdin, io.stderr, 'current password: ')
}

const password = async (
  runtime: CliRuntime,
  command: Command,
  options: { passwordStdin?: boolean; revokeOtherTokens?: boolean },
): Promise<void> => {
  const { io } = runtime
  const context = runtime.context(command)
  const client = context.client()
  const lines = options.passwordStdin ? await readStdinPasswords(io) : undefined
  const currentPassword = lines?.first ?? (await readCurrent(io))
  const newPassword = await readNewPassword(io, lines?.second)
  const reply = await changePassword(client, {
    currentPassword,
    newPassword,
    ...(options.revokeOtherTokens ? { revokeOtherTokens: true } : {}),
  })
  if (context.json) return printJson(io.stdout, reply)
  writeLine(io.stdout, `password changed for ${reply.address}`)
  if (options.revokeOtherTokens)
    writeLine(io.stdout, `revoked ${reply.revokedTokens} other token(s)`)
}

export const registerPasswordCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('password')
    .description(
      'change my password (prompts; or --password-stdin: current, then new, one per line)',
    )
    .option('--password-stdin', 'read the current and the new password from standard input')
    .option(
      '--revoke-other-tokens',
      'revoke every other token of mine (other devices sign in again)',
    )
    .action((options: { passwordStdin?: boolean; revokeOtherTokens?: boolean }, command: Command) =>
      password(runtime, command, options),
    )
}
