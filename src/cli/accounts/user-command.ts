// `narvaro user add|list|set-password|remove`: the organization's users; changing them needs an
// admin; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { PasswordReply } from '../../transports/rest/directory-schemas.js'
import type { NewUserReply, UserSchema } from '../../transports/rest/rest-schemas.js'
import { usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { readStdinSecret } from '../shared/prompt.js'

type User = Static<typeof UserSchema>

interface AddOptions {
  readonly name?: string
  readonly admin?: boolean
  readonly passwordStdin?: boolean
}

const add = async (
  runtime: CliRuntime,
  command: Command,
  options: AddOptions & { address: string },
) => {
  const { address } = options
  const context = runtime.context(command)
  const { io } = runtime
  const password = options.passwordStdin ? await readStdinSecret(io.stdin) : undefined
  if (password !== undefined && password.length < 12) {
    throw usageError('the password must be at least 12 characters')
  }
  const reply: Static<typeof NewUserReply> = await context.client().addUser({
    address,
    ...(options.name ? { displayName: options.name } : {}),
    ...(options.admin ? { role: 'admin' as const } : {}),
    ...(password ? { password } : {}),
  })
  if (context.json) return printJson(io.stdout, reply)
  writeLine(io.stdout, `added ${reply.user.address} (${reply.user.role})`)
  if (reply.password) {
    writeLine(io.stdout, `one-time password: ${reply.password}`)
    writeLine(
      io.stdout,
      `This password is shown once: pass it on to ${reply.user.address}, who signs in`,
    )
    writeLine(io.stdout, `with \`narvaro login ${reply.user.address}\`.`)
  }
}

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const users: User[] = await context.client().users()
  if (context.json) return printJson(runtime.io.stdout, users)
  const rows = users.map((u) => [
    u.address,
    u.displayName,
    u.role,
    u.timeZone,
    formatWhen(u.createdAt),
  ])
  printTable(runtime.io.stdout, ['ADDRESS', 'NAME', 'ROLE', 'TIME ZONE', 'CREATED'], rows)
}

const remove = async (runtime: CliRuntime, address: string, command: Command) => {
  const context = runtime.context(command)
  await context.client().removeUser(address)
  if (context.json) return printJson(runtime.io.stdout, { address, removed: true })
  writeLine(runtime.io.stdout, `removed ${address}`)
}

const setPassword = async (
  runtime: CliRuntime,
  command: Command,
  input: { address: string; passwordStdin?: boolean },
) => {
  const { io } = runtime
  const password = input.passwordStdin ? await readStdinSecret(io.stdin) : undefined
  if (password !== undefined && password.length < 12) {
    throw usageError('the password must be at least 12 characters')
  }
  const context = runtime.context(command)
  const reply: Static<typeof PasswordReply> = await context
    .client()
    .resetPassword(input.address, { ...(password ? { password } : {}) })
  if (context.json) return printJson(io.stdout, reply)
  writeLine(io.stdout, `new password set for ${reply.address}`)
  if (reply.password) {
    writeLine(io.stdout, `one-time password: ${reply.password}`)
    writeLine(io.stdout, `This password is shown once: pass it on to ${reply.address}.`)
  }
}

export const registerUserCommand = (program: Command, runtime: CliRuntime): void => {
  const user = program.command('user').description("manage your organization's users")
  user
    .command('add')
    .description('add a user (admin); prints a generated one-time password once')
    .argument('<address>', 'the address, or the part before @')
    .option('--name <name>', 'display name')
    .option('--admin', 'make the user an admin')
    .option('--password-stdin', 'set the password from standard input instead of generating one')
    .action((address: string, options: AddOptions, command: Command) =>
      add(runtime, command, { ...options, address }),
    )
  user
    .command('list')
    .description('list the users of your organization')
    .action((_options: unknown, command: Command) => list(runtime, command))
  user
    .command('set-password')
    .description(
      "set a user's password (admin; imported users have none); prints a generated one once",
    )
    .argument('<address>', 'the address of the user')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action((address: string, options: { passwordStdin?: boolean }, command: Command) =>
      setPassword(runtime, command, { ...options, address }),
    )
  user
    .command('remove')
    .description('remove a user (admin)')
    .argument('<address>', 'the address of the user')
    .action((address: string, _options: unknown, command: Command) =>
      remove(runtime, address, command),
    )
}
