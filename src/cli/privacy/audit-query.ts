// `--since` and `--limit` of the audit listings (`privacy disclosures`, `audit`) as a query
// string; CLI layer, pure.
import { usageError } from '../shared/cli-error.js'
import { parseSince } from '../shared/time-input.js'

export interface AuditOptions {
  readonly since?: string
  readonly limit?: string
}

/** `?since=…&limit=…`, or an empty string; bad values are usage errors. */
export const auditQuery = (options: AuditOptions, now = Date.now()): string => {
  const params = new URLSearchParams()
  if (options.since !== undefined) {
    params.set('since', String(parseSince(options.since, now, '--since')))
  }
  if (options.limit !== undefined) {
    const limit = Number(options.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw usageError(`--limit ${JSON.stringify(options.limit)}: a whole number from 1 to 1000`)
    }
    params.set('limit', String(limit))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}
