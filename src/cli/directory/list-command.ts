// `narvaro list [show|create|add|remove|delete]`: my personal contact lists, which nobody else sees;
// CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { ContactListSchema } from '../../transports/rest/directory-schemas.js'
import { dataOf } from '../shared/cli-context.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'

type ContactList = Static<typeof ContactListSchema>

const listOf = (name: string) => ({ params: { path: { name } } })

const membersText = (list: ContactList): string => {
  const count = list.members.length
  return count === 0 ? 'no members' : count === 1 ? '1 member' : `${count} members`
}

const showAll = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const lists: ContactList[] = await dataOf(context.client().api.GET('/v1/me/contact-lists'))
  if (context.json) return printJson(runtime.io.stdout, lists)
  if (lists.length === 0) {
    return writeLine(
      runtime.io.stderr,
      'no contact lists yet: `narvaro list create NAME ADDRESS...`',
    )
  }
  const now = Date.now()
  const rows = lists.map((l) => [
    l.name,
    String(l.members.length),
    formatWhen(l.createdAt, now),
    l.members.map((m) => m.address).join(', '),
  ])
  printTable(runtime.io.stdout, ['NAME', 'MEMBERS', 'CREATED', 'ADDRESSES'], rows)
}

const showOne = async (runtime: CliRuntime, command: Command, name: string) => {
  const context = runtime.context(command)
  const list: ContactList = await dataOf(
    context.client().api.GET('/v1/me/contact-lists/{name}', listOf(name)),
  )
  if (context.json) return printJson(runtime.io.stdout, list)
  if (list.members.length === 0) return writeLine(runtime.io.stderr, `${list.name}: no members`)
  const rows = list.members.map((m) => [m.address, m.displayName])
  printTable(runtime.io.stdout, ['ADDRESS', 'NAME'], rows)
}

type Change = 'create' | 'add' | 'remove'

const change = async (
  runtime: CliRuntime,
  command: Command,
  input: { kind: Change; name: string; members: readonly string[] },
) => {
  const { api } = runtime.context(command).client()
  const { name } = input
  const members = [...input.members]
  let list: ContactList | undefined
  if (input.kind === 'create')
    list = await dataOf(api.POST('/v1/me/contact-lists', { body: { name, members } }))
  if (input.kind === 'add') {
    const body = { members }
    list = await dataOf(api.POST('/v1/me/contact-lists/{name}/members', { ...listOf(name), body }))
  }
  for (const address of input.kind === 'remove' ? members : []) {
    const params = { path: { name, address } }
    list = await dataOf(api.DELETE('/v1/me/contact-lists/{name}/members/{address}', { params }))
  }
  list ??= await dataOf(api.GET('/v1/me/contact-lists/{name}', listOf(name)))
  if (runtime.json(command)) return printJson(runtime.io.stdout, list)
  const done = { create: 'created', add: 'changed', remove: 'changed' }[input.kind]
  writeLine(runtime.io.stdout, `${done} list ${list.name}: ${membersText(list)}`)
}

const remove = async (runtime: CliRuntime, command: Command, name: string) => {
  await runtime.context(command).client().api.DELETE('/v1/me/contact-lists/{name}', listOf(name))
  if (runtime.json(command)) return printJson(runtime.io.stdout, { name, deleted: true })
  writeLine(runtime.io.stdout, `deleted list ${name}`)
}

export const registerListCommand = (program: Command, runtime: CliRuntime): void => {
  const list = program
    .command('list')
    .description('my personal contact lists (only I see them); without a subcommand, all of them')
    .action((_options: unknown, command: Command) => showAll(runtime, command))
  list
    .command('show')
    .description('one list with its members, or every list')
    .argument('[name]', "the list's name")
    .action((name: string | undefined, _options: unknown, command: Command) =>
      name === undefined ? showAll(runtime, command) : showOne(runtime, command, name),
    )
  const changes: [Change, string, string][] = [
    ['create', 'create a list, with members if given', '[addresses...]'],
    ['add', 'add members to a list', '<addresses...>'],
    ['remove', 'remove members from a list', '<addresses...>'],
  ]
  for (const [kind, description, members] of changes) {
    list
      .command(kind)
      .description(description)
      .argument('<name>', "the list's name")
      .argument(members, 'addresses, or the parts before @')
      .action(function (this: Command, name: string, addresses: string[]) {
        return change(runtime, this, { kind, name, members: addresses })
      })
  }
  list
    .command('delete')
    .description('delete a list')
    .argument('<name>', "the list's name")
    .action((name: string, _options: unknown, command: Command) => remove(runtime, command, name))
}
