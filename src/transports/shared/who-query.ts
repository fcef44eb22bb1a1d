// The "who is available" question as query parameters, shared by the REST routes and the SSE stream
// of team availability: its schema and its parsing into a member selection and a filter; transport layer.
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { NarvaroError } from '../../core/errors.js'
import type { Availability } from '../../core/model/presence-model.js'
import { availabilities } from '../../core/model/presence-model.js'
import type { ReachFilter } from '../../core/reach/matches-reach-filter.js'
import type { MemberSelection } from '../../app/availability/index.js'
import { ContactKindSchema } from './presence-schemas.js'

const csv = (description: string) => Type.Optional(Type.String({ maxLength: 200_000, description }))

/** The selection and filters of a "who is available" question, as query parameters. */
export const WhoQuerySchema = Type.Object(
  {
    team: Type.Optional(
      Type.String({ maxLength: 200, description: 'a team (organization group), by id or name' }),
    ),
    skill: Type.Optional(
      Type.String({ maxLength: 48, description: 'people with this tag (a skill); narrows a team' }),
    ),
    search: Type.Optional(
      Type.String({ maxLength: 200, description: 'people whose address or name contains this' }),
    ),
    list: Type.Optional(
      Type.String({ maxLength: 100, description: 'one of my contact lists, by name' }),
    ),
    addresses: csv('people by address, comma-separated'),
    availability: csv('keep these availabilities, comma-separated'),
    reachableBy: Type.Optional(ContactKindSchema),
    insideWorkingHours: Type.Optional(Type.Boolean()),
    availableForMeeting: Type.Optional(
      Type.Boolean({ description: 'available, and no call, meeting or leave shown' }),
    ),
  },
  { additionalProperties: false },
)

const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)

/** The member selection and filter of a who query (validated against the schemas of the core values). */
export const whoQueryOf = (
  query: Static<typeof WhoQuerySchema>,
): { selection: MemberSelection; filter: ReachFilter } => {
  const availability = splitList(query.availability)
  for (const value of availability) {
    if (!isAvailability(value))
      throw validation(`unknown availability ${JSON.stringify(value).slice(0, 40)}`)
  }
  return {
    selection: {
      ...(query.team !== undefined ? { group: query.team } : {}),
      ...(query.skill !== undefined ? { tag: query.skill } : {}),
      ...(query.search !== undefined ? { search: query.search } : {}),
      ...(query.list !== undefined ? { list: query.list } : {}),
      addresses: splitList(query.addresses),
    },
    filter: {
      ...(availability.length > 0 ? { availability: availability.filter(isAvailability) } : {}),
      ...(query.reachableBy !== undefined ? { reachableBy: query.reachableBy } : {}),
      ...(query.insideWorkingHours !== undefined
        ? { insideWorkingHours: query.insideWorkingHours }
        : {}),
      ...(query.availableForMeeting !== undefined
        ? { availableForMeeting: query.availableForMeeting }
        : {}),
    },
  }
}

const isAvailability = (value: string): value is Availability =>
  (availabilities as readonly string[]).includes(value)

const validation = (message: string) => new NarvaroError('NRV_VALIDATION', message)
