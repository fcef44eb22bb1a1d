// TypeBox schemas of calendars (uploaded iCalendar files, subscribed ICS URLs), for the REST
// transport and the CLI; transport layer.
import { Type, type Static } from 'typebox'
import type { CalendarImport } from '../../app/calendar/index.js'
import type { CalendarFeed } from '../../app/calendar/index.js'
import { EpochMsSchema, readonlyArray } from '../shared/presence-schemas.js'

/** The largest calendar body: a 5 MB file grows when it is written as a JSON string. */
export const calendarBodyLimitBytes = 12 * 1024 * 1024

const NameSchema = Type.String({ minLength: 1, maxLength: 100, description: 'my name for it' })
const IcsSchema = Type.String({
  minLength: 1,
  maxLength: 5 * 1024 * 1024,
  description: 'an iCalendar file (RFC 5545), at most 5 MB',
})
const RefreshMinutesSchema = Type.Integer({
  minimum: 5,
  maximum: 1440,
  description: 'how often the server fetches the URL, minutes (default 15)',
})

export const CalendarCreateBody = Type.Union(
  [
    Type.Object({ name: NameSchema, ics: IcsSchema }, { additionalProperties: false }),
    Type.Object(
      {
        name: NameSchema,
        url: Type.String({
          minLength: 1,
          maxLength: 2000,
          description: 'an http: or https: URL of an ICS file; the server fetches it itself',
        }),
        refreshMinutes: Type.Optional(RefreshMinutesSchema),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'upload a file (`ics`) or subscribe to a URL (`url`)' },
)
export type CalendarCreateBody = Static<typeof CalendarCreateBody>

export const CalendarReplaceBody = Type.Object({ ics: IcsSchema }, { additionalProperties: false })

/** A file may also be sent as it is, with this content type (then its name is a query parameter). */
export const icsContentType = 'text/calendar'

/** Bodies of a route that takes a JSON body or the iCalendar file itself. */
export const jsonOrIcs = (json: unknown) => ({
  content: {
    'application/json': { schema: json },
    [icsContentType]: { schema: IcsSchema },
  },
})

export const CalendarUploadQuery = Type.Object(
  { name: Type.Optional(NameSchema) },
  { additionalProperties: false },
)

export const CalendarParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** A calendar as its owner sees it: never its file, nor anything from the file. */
export const CalendarSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.Optional(Type.String({ description: 'a subscribed calendar; absent for an upload' })),
  refreshMinutes: Type.Optional(Type.Integer()),
  refreshedAt: Type.Optional(EpochMsSchema),
  lastError: Type.Optional(
    Type.String({ description: 'why the last fetch or read failed; the previous plan holds' }),
  ),
  warnings: Type.Optional(
    readonlyArray(Type.String(), {
      description: 'what the last good read skipped or read leniently (at most 20)',
    }),
  ),
  createdAt: EpochMsSchema,
})

export const CalendarImportSchema = Type.Object({
  calendar: CalendarSchema,
  occurrences: Type.Integer({
    description: 'meetings and out-of-office occurrences planned from a day ago to 30 days ahead',
  }),
  warnings: readonlyArray(Type.String(), { description: 'what was skipped or read leniently' }),
})

/** The reply form of a feed: without the owner's user id and the file. */
export const calendarReply = (feed: CalendarFeed) => ({
  id: feed.id,
  name: feed.name,
  ...(feed.url === undefined ? {} : { url: feed.url }),
  ...(feed.url === undefined || feed.refreshMinutes === undefined
    ? {}
    : { refreshMinutes: feed.refreshMinutes }),
  ...(feed.refreshedAt === undefined ? {} : { refreshedAt: feed.refreshedAt }),
  ...(feed.lastError === undefined ? {} : { lastError: feed.lastError }),
  ...(feed.warnings === undefined ? {} : { warnings: feed.warnings }),
  createdAt: feed.createdAt,
})

export const calendarImportReply = (result: CalendarImport) => ({
  calendar: calendarReply(result.calendar),
  occurrences: result.occurrences,
  warnings: result.warnings,
})
