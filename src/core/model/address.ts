// Addresses (`user@domain`): parsing and normalization; core layer.
import { NarvaroError } from '../errors.js'

const localPart = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/
const domainPart =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export interface ParsedAddress {
  readonly local: string
  readonly domain: string
  readonly address: string
}

/** Parses an address; the result is the normalized (lower-case, trimmed) form, or undefined. */
export const parseAddress = (input: string): ParsedAddress | undefined => {
  const normalized = input.trim().toLowerCase()
  const at = normalized.lastIndexOf('@')
  if (at <= 0 || normalized.indexOf('@') !== at) return undefined
  const local = normalized.slice(0, at)
  const domain = normalized.slice(at + 1)
  if (!localPart.test(local) || !domainPart.test(domain)) return undefined
  // `normalized` is `local@domain` (the input itself when it was normalized already).
  return { local, domain, address: normalized }
}

export const isValidDomain = (domain: string): boolean =>
  domainPart.test(domain.trim().toLowerCase())

/** Normalizes an address or throws `NRV_ADDRESS_INVALID`. */
export const normalizeAddress = (input: string): string => {
  const parsed = parseAddress(input)
  if (!parsed) {
    throw new NarvaroError(
      'NRV_ADDRESS_INVALID',
      `not a valid address: ${JSON.stringify(input.slice(0, 100))}`,
    )
  }
  return parsed.address
}

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1)

/**
 * An address as people type it for their own organization: a bare local part (`alice`) means
 * `alice@domain`. Undefined when malformed. Contact lists and groups read members this one way.
 */
export const qualifyAddress = (raw: string, domain: string) =>
  parseAddress(raw.includes('@') ? raw : `${raw}@${domain}`)
