// `--since` and `--limit` of the audit listings (`privacy disclosures`, `audit`) as query
// parameters; CLI layer, pure.
import { usageError } from '../shared/cli-error.js'
import { parseSince } from '../shared/time-input.js'

export interface AuditOptions {
  readonly since?: string
  readonly limit?: string
}

/** `{ since, limit }`, each when given; bad values are usage errors. */
export const auditQuery = (
  options: AuditOptions,
  now = Date.now(),
): { since?: number; limit?: number } => {
  const params: { since?: number; limit?: number } = {}
  if (options.since !== undefined) params.since = parseSince(options.since, now, '--since')
  if (options.limit !== undefined) {
    const limit = Number(options.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw usageError(`--limit ${JSON.stringify(options.limit)}: a whole number from 1 to 1000`)
    }
    params.limit = limit
  }
  return params
}
