// Command-line arguments other than times: comma lists, addresses, and JSON documents read from a
// file or standard input and checked against the API's schema; CLI layer.
import { readFileSync } from 'node:fs'
import { parseAddress } from '../../core/model/address.js'
import {
  contactKinds,
  workLocationModes,
  workLocationProblem,
} from '../../core/model/presence-model.js'
import type { ContactKind, WorkLocationMode } from '../../core/model/presence-model.js'
import { usageError } from './cli-error.js'
import type { InputStream } from './cli-io.js'
import { firstError } from './cli-schemas.js'

/** A contact kind given with `flag` (`--via im`), or a usage error naming the kinds. */
export const contactKindOption = (raw: string, flag: string): ContactKind => {
  if (!(contactKinds as readonly string[]).includes(raw))
    throw usageError(`${flag} ${JSON.stringify(raw)}: one of ${contactKinds.join(', ')}`)
  return raw as ContactKind
}

/** `im,voice, video` as `['im', 'voice', 'video']`; empty items are dropped. */
export const commaList = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)

/** A normalized address, or a usage error naming `what`. */
export const addressArgument = (raw: string, what = 'address'): string => {
  const parsed = parseAddress(raw)
  if (!parsed) throw usageError(`${what} ${JSON.stringify(raw)}: not a valid address (user@domain)`)
  return parsed.address
}

const readAll = async (stdin: InputStream): Promise<string> => {
  let text = ''
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
  }
  return text
}

/** The text of the file at `path`, or standard input for `-`; `label` names it in the usage error. */
export const readText = async (path: string, stdin: InputStream, label = path): Promise<string> => {
  if (path === '-') return readAll(stdin)
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw usageError(
      `${label}: cannot read it (${typeof code === 'string' ? code : String(error)})`,
    )
  }
}

/**
 * The JSON document in `path` (`-`: standard input), checked against `validator` before anything
 * is sent; a problem is a usage error naming the file and the first failing field.
 */
export const readJsonDocument = async <T>(
  path: string,
  stdin: InputStream,
  validator: { Check(value: unknown): boolean; Errors(value: unknown): Iterable<unknown> },
): Promise<T> => {
  const name = path === '-' ? 'standard input' : path
  let value: unknown
  try {
    value = JSON.parse(await readText(path, stdin, `--file ${path}`)) as unknown
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    throw usageError(`${name}: not JSON (${error.message})`)
  }
  const problem = firstError(validator, value)
  if (problem) throw usageError(`${name}: ${problem}`)
  return value as T
}

/** `office`, `office:Stockholm HQ`, `remote` or `travelling`. */
export const parseWorkLocation = (raw: string, option: string): { mode: string; site?: string } => {
  const [mode = '', ...rest] = raw.split(':')
  const site = rest.join(':').trim()
  const modes: readonly string[] = workLocationModes
  const location = { mode: mode as WorkLocationMode, ...(site === '' ? {} : { site }) }
  if (!modes.includes(mode) || workLocationProblem(location) !== undefined) {
    throw usageError(`${option} ${JSON.stringify(raw)}: office, office:SITE, remote or travelling`)
  }
  return location
}
