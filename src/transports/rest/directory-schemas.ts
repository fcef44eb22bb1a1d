// TypeBox schemas of the directory API (search, title and tags, personal contact lists, bulk import),
// beside its routes and reused by the CLI; transport layer.
import { Type, type Static } from 'typebox'
import { importProblemCodes, maxImportRows } from '../../app/directory/index.js'
import { maxListMembers } from '../../app/directory/index.js'
import { maxDirectoryPage } from '../../app/directory/index.js'
import {
  AddressSchema,
  EpochMsSchema,
  WeeklyHoursSchema,
  readonlyArray,
  union,
} from '../shared/presence-schemas.js'

/** The largest import body: 10,000 rows of a generous width fit. */
export const importBodyLimitBytes = 8 * 1024 * 1024

const TagSchema = Type.String({
  minLength: 1,
  maxLength: 48,
  description: 'letters, digits, . _ -; stored in lower case',
})

export const DirectoryPersonSchema = Type.Object({
  address: Type.String(),
  displayName: Type.String(),
  title: Type.Optional(Type.String()),
  tags: readonlyArray(Type.String()),
  teams: readonlyArray(Type.String(), {
    description: 'names of the groups (teams) the person is in',
  }),
  timeZone: Type.String(),
  workingHours: Type.Optional(WeeklyHoursSchema),
})

export const DirectoryQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: 'part of the address or display name, any case' }),
    ),
    team: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "a team's name or id" }),
    ),
    tag: Type.Optional(TagSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxDirectoryPage, default: 100 })),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 800, description: '`next` of the previous page' }),
    ),
  },
  { additionalProperties: false },
)

export const DirectoryPage = Type.Object({
  entries: readonlyArray(DirectoryPersonSchema),
  next: Type.Optional(
    Type.String({ description: 'pass as `cursor` for the next page; absent on the last' }),
  ),
})

export const DirectoryFieldsBody = Type.Object(
  {
    title: Type.Optional(
      Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
        description: 'null or "" clears it',
      }),
    ),
    tags: Type.Optional(
      readonlyArray(TagSchema, { maxItems: 50, description: 'replaces every tag' }),
    ),
  },
  { additionalProperties: false },
)

export const ContactListName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[^/\\\\\\p{Cc}]+$',
  description: 'any text without a slash',
})
export const ContactListParam = Type.Object({ name: ContactListName })
export const ContactListMemberParam = Type.Object({ name: ContactListName, address: AddressSchema })

const Members = readonlyArray(
  Type.String({ minLength: 1, maxLength: 320, description: 'an address, or its part before @' }),
  {
    maxItems: maxListMembers,
  },
)

export const NewContactListBody = Type.Object(
  { name: ContactListName, members: Type.Optional(Members) },
  { additionalProperties: false },
)
export const ContactListMembersBody = Type.Object(
  { members: Members },
  { additionalProperties: false },
)

export const ContactListSchema = Type.Object({
  name: Type.String(),
  createdAt: EpochMsSchema,
  members: readonlyArray(Type.Object({ address: Type.String(), displayName: Type.String() })),
})

export const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'check every row, write nothing' }),
    ),
  },
  { additionalProperties: false },
)

export const ImportJsonBody = readonlyArray(Type.Record(Type.String(), Type.Unknown()), {
  maxItems: maxImportRows,
  description:
    'rows: objects with address (required), displayName, title, tags, teams, timeZone, workingHours; ' +
    'each row is checked on its own so that every bad row is reported',
})

export const ImportProblemSchema = Type.Object({
  row: Type.Integer({
    minimum: 0,
    description: 'data rows count from 1; 0 is the file or its header',
  }),
  line: Type.Optional(
    Type.Integer({ minimum: 1, description: 'CSV: the line where the row ends' }),
  ),
  field: Type.Optional(Type.String()),
  code: union(importProblemCodes),
  message: Type.String(),
})

export const ImportReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  valid: Type.Integer(),
  problems: readonlyArray(ImportProblemSchema),
  written: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  teamsCreated: readonlyArray(Type.String()),
})
export type ImportReportBody = Static<typeof ImportReportSchema>

export const PasswordBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })) },
  { additionalProperties: false },
)
/** `PUT /v1/me/password`: a change of one's own password. */
export const PasswordChangeBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'at least 12 characters and not a common password (else 400 NRV_PASSWORD_WEAK)',
    }),
    revokeOtherTokens: Type.Optional(
      Type.Boolean({ description: 'revoke every other token of mine (their sessions end)' }),
    ),
  },
  { additionalProperties: false },
)
export const PasswordChangeReply = Type.Object({
  address: Type.String(),
  revokedTokens: Type.Integer({ minimum: 0, description: 'how many other tokens were revoked' }),
})

export const PasswordReply = Type.Object({
  address: Type.String(),
  password: Type.Optional(Type.String({ description: 'generated one-time password, shown once' })),
})
