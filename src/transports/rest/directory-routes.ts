// REST routes of the directory: search, a person's entry, title and tags, and the bulk import of
// people and teams from CSV or JSON (admin); transport layer.
import type { NarvaroServices } from '../../app/services.js'
import { NarvaroError } from '../../core/errors.js'
import { authenticateRequest, callerOf } from '../shared/authenticate.js'
import {
  DirectoryFieldsBody,
  DirectoryPage,
  DirectoryPersonSchema,
  DirectoryQuery,
  ImportJsonBody,
  ImportQuery,
  ImportReportSchema,
  importBodyLimitBytes,
} from './directory-schemas.js'
import type { RestApp } from '../shared/rest-app-type.js'
import { AddressParam } from './rest-schemas.js'
import { errorReplies } from '../shared/error-replies.js'

const csvType = 'text/csv'

/** The import route, in its own scope: only it reads `text/csv` and takes large bodies. */
const registerImportRoute = async (scope: RestApp, services: NarvaroServices): Promise<void> => {
  scope.addContentTypeParser(
    csvType,
    { parseAs: 'string', bodyLimit: importBodyLimitBytes },
    (_request, body, done) => {
      done(null, body)
    },
  )
  scope.post(
    '/v1/directory/import',
    {
      preHandler: authenticateRequest(services),
      bodyLimit: importBodyLimitBytes,
      schema: {
        tags: ['directory'],
        summary:
          'Import people and teams from CSV or JSON (admin); ?dryRun=true checks every row and writes nothing',
        description:
          'docs/directory.md describes the columns. Every bad row is reported; a real run writes the good rows in one transaction.',
        querystring: ImportQuery,
        body: {
          content: {
            'application/json': { schema: ImportJsonBody },
            [csvType]: { schema: { type: 'string', maxLength: importBodyLimitBytes } },
          },
        },
        response: { 200: ImportReportSchema, ...errorReplies },
      },
    },
    async (request) => {
      const body: unknown = request.body
      const input =
        typeof body === 'string' ? { csv: body } : Array.isArray(body) ? { rows: body } : undefined
      if (!input)
        throw new NarvaroError('NRV_VALIDATION', 'send CSV (text/csv) or a JSON array of rows')
      const dryRun = (request.query as { dryRun?: boolean }).dryRun === true
      return services.directory.import(callerOf(request).user, input, { dryRun })
    },
  )
}

const tags = ['directory']

export const registerDirectoryRoutes = (app: RestApp, services: NarvaroServices): void => {
  registerSearchRoute(app, services)
  registerEntryRoutes(app, services)
  void app.register(async (scope) => registerImportRoute(scope, services))
}

/** The search of the people of my organization. */
const registerSearchRoute = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { directory } = services

  app.get(
    '/v1/directory',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Search the people of my organization by text, team and tag (AND); paged',
        querystring: DirectoryQuery,
        response: { 200: DirectoryPage, ...errorReplies },
      },
    },
    async (request) => {
      const { q, ...rest } = request.query
      return directory.search(callerOf(request).user, { ...rest, ...(q ? { text: q } : {}) })
    },
  )
}

/** A person's directory entry, and its title and tags. */
const registerEntryRoutes = (app: RestApp, services: NarvaroServices): void => {
  const preHandler = authenticateRequest(services)
  const { directory } = services

  app.get(
    '/v1/users/:address/directory',
    {
      preHandler,
      schema: {
        tags,
        summary: "One person's directory entry",
        params: AddressParam,
        response: { 200: DirectoryPersonSchema, ...errorReplies },
      },
    },
    async (request) => directory.entry(callerOf(request).user, request.params.address),
  )

  app.patch(
    '/v1/users/:address/directory',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Change the title or tags of a person (admin) or my own',
        params: AddressParam,
        body: DirectoryFieldsBody,
        response: { 200: DirectoryPersonSchema, ...errorReplies },
      },
    },
    async (request) =>
      directory.setFields(callerOf(request).user, request.params.address, request.body),
  )
}
