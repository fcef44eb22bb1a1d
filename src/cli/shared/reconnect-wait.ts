// The longest wait between reconnect attempts of the CLI's live connections (`connect`, `watch`, a
// peer's joined server), from NARVARO_RECONNECT_MAX; the SDK's own cap (30 s) when unset; CLI layer.
import { usageError } from './cli-error.js'

/** NARVARO_RECONNECT_MAX in ms, or undefined for the SDK's default. */
export const reconnectMaxMs = (env: Readonly<Record<string, string | undefined>>) => {
  const raw = env['NARVARO_RECONNECT_MAX']?.trim()
  if (raw === undefined || raw === '') return undefined
  const seconds = Number(raw)
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
    throw usageError(`NARVARO_RECONNECT_MAX=${JSON.stringify(raw)}: seconds, from 1 to 3600`)
  return seconds * 1000
}
