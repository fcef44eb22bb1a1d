// `narvaro directory search|show|set`: who is who in my organization (title, tags, teams, time zone)
// and changing a title or tags (my own, or anyone's as an admin); CLI layer. No presence here:
// `narvaro who` shows what I may see of people's presence.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type {
  DirectoryPage,
  DirectoryPersonSchema,
} from '../../transports/rest/directory-schemas.js'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { addressArgument, commaList } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, printTable, truncate, writeLine } from '../shared/output.js'

type Person = Static<typeof DirectoryPersonSchema>
type Page = Static<typeof DirectoryPage>

interface SearchOptions {
  readonly team?: string
  readonly tag?: string
  readonly limit?: string
  readonly all?: boolean
}

const rowOf = (p: Person): string[] => [
  p.address,
  p.displayName,
  truncate(p.title ?? '', 30),
  p.teams.join(', '),
  p.tags.join(', '),
  p.timeZone,
]

export const printPeople = (runtime: CliRuntime, people: readonly Person[]): void => {
  const headers = ['ADDRESS', 'NAME', 'TITLE', 'TEAMS', 'TAGS', 'TIME ZONE']
  printTable(runtime.io.stdout, headers, people.map(rowOf))
}

const limitOf = (raw: string | undefined): number => {
  const limit = raw === undefined ? 100 : Number(raw)
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usageError('--limit: 1 to 500')
  return limit
}

const search = async (
  runtime: CliRuntime,
  command: Command,
  input: SearchOptions & { text?: string },
) => {
  const context = runtime.context(command)
  const query: { limit: number; q?: string; team?: string; tag?: string; cursor?: string } = {
    limit: limitOf(input.limit),
    ...(input.text ? { q: input.text } : {}),
    ...(input.team ? { team: input.team } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
  }
  const people: Person[] = []
  let page: Page
  do {
    page = await dataOf(context.client().api.GET('/v1/directory', { params: { query } }))
    people.push(...page.entries)
    if (page.next) query.cursor = page.next
  } while (input.all && page.next)
  const more = page.next && !input.all ? { next: page.next } : {}
  if (context.json) return printJson(runtime.io.stdout, { entries: people, ...more })
  if (people.length === 0) return writeLine(runtime.io.stderr, 'nobody matches')
  printPeople(runtime, people)
  if (page.next && !input.all) writeLine(runtime.io.stderr, 'more match: add --all to see everyone')
}

const show = async (runtime: CliRuntime, command: Command, address: string) => {
  const context = runtime.context(command)
  const params = { path: { address: addressArgument(address) } }
  const person: Person = await dataOf(
    context.client().api.GET('/v1/users/{address}/directory', { params }),
  )
  if (context.json) return printJson(runtime.io.stdout, person)
  const { stdout } = runtime.io
  writeLine(stdout, `${person.address}  ${person.displayName}`)
  if (person.title) writeLine(stdout, `  title      ${person.title}`)
  writeLine(stdout, `  teams      ${person.teams.join(', ') || '-'}`)
  writeLine(stdout, `  tags       ${person.tags.join(', ') || '-'}`)
  writeLine(stdout, `  time zone  ${person.timeZone}`)
  for (const span of person.workingHours ?? []) {
    writeLine(stdout, `  works      ${span.days.join(',')} ${span.start}-${span.end}`)
  }
}

interface SetOptions {
  readonly title?: string
  readonly clearTitle?: boolean
  readonly tags?: string
}

const set = async (runtime: CliRuntime, command: Command, address: string, options: SetOptions) => {
  if (options.title !== undefined && options.clearTitle) {
    throw usageError('give --title or --clear-title, not both')
  }
  const body = {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.clearTitle ? { title: null } : {}),
    ...(options.tags === undefined ? {} : { tags: commaList(options.tags) }),
  }
  if (Object.keys(body).length === 0) throw usageError('give --title, --clear-title or --tags')
  const context = runtime.context(command)
  const params = { path: { address: addressArgument(address) } }
  const person: Person = await dataOf(
    context.client().api.PATCH('/v1/users/{address}/directory', { params, body }),
  )
  if (context.json) return printJson(runtime.io.stdout, person)
  const title = person.title ? `"${person.title}"` : 'no title'
  const tags = person.tags.length > 0 ? person.tags.join(', ') : 'no tags'
  writeLine(runtime.io.stdout, `${person.address}: ${title}; ${tags}`)
}

export const registerDirectoryCommand = (program: Command, runtime: CliRuntime): void => {
  const directory = program
    .command('directory')
    .description('who is who in my organization: titles, teams, tags, time zones')
  directory
    .command('search')
    .description('people by part of their name or address, team and tag (all must match)')
    .argument('[text]', 'part of the address or display name, any case')
    .option('--team <team>', "a team's name or id")
    .option('--tag <tag>', 'a tag (skill, language…)')
    .option('--limit <n>', 'people per page, 1 to 500', '100')
    .option('--all', 'every page, not only the first')
    .action((text: string | undefined, options: SearchOptions, command: Command) =>
      search(runtime, command, { ...options, ...(text ? { text } : {}) }),
    )
  directory
    .command('show')
    .description("one person's directory entry")
    .argument('<address>', "the person's address")
    .action((address: string, _options: unknown, command: Command) =>
      show(runtime, command, address),
    )
  directory
    .command('set')
    .description('change the title or tags of a person (admin) or my own')
    .argument('<address>', "the person's address")
    .option('--title <title>', 'the job title')
    .option('--clear-title', 'remove the title')
    .option('--tags <tags>', "comma-separated tags; they replace every tag ('' removes them all)")
    .action((address: string, options: SetOptions, command: Command) =>
      set(runtime, command, address, options),
    )
}
