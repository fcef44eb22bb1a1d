// `narvaro group list|create|members|remove`: the organization's groups and teams, which privacy
// rules can name (admins manage them, members read them); CLI layer.
import type { Command } from 'commander'
import { addressArgument, commaList } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import type { Group } from '../privacy/privacy-api.js'
import { listGroups } from '../privacy/privacy-api.js'

const membersOf = (raw: string | undefined): string[] =>
  commaList(raw ?? '').map((member) =>
    // A bare local part is one of my organization's addresses: the server completes it.
    member.includes('@') ? addressArgument(member, 'member') : member,
  )

const membersText = (group: Group): string =>
  group.members.length > 0 ? group.members.join(', ') : 'no members'

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const groups = await listGroups(context.client())
  if (context.json) return printJson(runtime.io.stdout, groups)
  if (groups.length === 0) return writeLine(runtime.io.stderr, 'no groups yet')
  const now = Date.now()
  const rows = groups.map((g) => [g.id, g.name, formatWhen(g.createdAt, now), g.members.join(', ')])
  printTable(runtime.io.stdout, ['ID', 'NAME', 'CREATED', 'MEMBERS'], rows)
}

const create = async (
  runtime: CliRuntime,
  command: Command,
  input: { name: string; members?: string },
) => {
  const members = membersOf(input.members)
  const context = runtime.context(command)
  const group: Group = await context.client().createTeam({ name: input.name, members })
  if (context.json) return printJson(runtime.io.stdout, group)
  writeLine(
    runtime.io.stdout,
    `created group ${group.name} (id ${group.id}): ${membersText(group)}`,
  )
}

const setMembers = async (
  runtime: CliRuntime,
  command: Command,
  input: { id: string; members: string },
) => {
  const members = membersOf(input.members)
  const context = runtime.context(command)
  const group: Group = await context.client().setTeamMembers(input.id, members)
  if (context.json) return printJson(runtime.io.stdout, group)
  writeLine(runtime.io.stdout, `group ${group.name} (id ${group.id}): ${membersText(group)}`)
}

const remove = async (runtime: CliRuntime, command: Command, id: string) => {
  const context = runtime.context(command)
  await context.client().api.DELETE('/v1/groups/{id}', { params: { path: { id } } })
  if (context.json) return printJson(runtime.io.stdout, { id, removed: true })
  writeLine(runtime.io.stdout, `removed group ${id}`)
}

export const registerGroupCommand = (program: Command, runtime: CliRuntime): void => {
  const group = program
    .command('group')
    .description("the organization's groups and teams (rules name them with --group)")
  group
    .command('list')
    .description('every group with its members')
    .action((_options: unknown, command: Command) => list(runtime, command))
  group
    .command('create')
    .description('create a group (admin)')
    .argument('<name>', "the group's name")
    .option(
      '--members <addresses>',
      'comma-separated addresses, or the parts before @ (my organization)',
    )
    .action((name: string, options: { members?: string }, command: Command) =>
      create(runtime, command, { ...options, name }),
    )
  group
    .command('members')
    .description("replace a group's members (admin; '' removes them all)")
    .argument('<id>', "the group's id")
    .argument('<addresses>', 'comma-separated addresses, or the parts before @ (my organization)')
    .action(function (this: Command, id: string, members: string) {
      // commander passes (id, addresses, options, command) and binds `this` to the command
      return setMembers(runtime, this, { id, members })
    })
  group
    .command('remove')
    .description('delete a group (admin)')
    .argument('<id>', "the group's id")
    .action((id: string, _options: unknown, command: Command) => remove(runtime, command, id))
}
