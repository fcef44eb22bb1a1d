// Fetches a subscribed iCalendar URL from the server itself: http and https only, redirects followed
// by hand (a few, never to another scheme), with a time and a size limit; app layer.
import { NarvaroError } from '../../core/errors.js'
import type { Fetcher } from '../shared/index.js'
import { refusedReason } from '../shared/index.js'

export interface CalendarFetchLimits {
  readonly timeoutMs: number
  readonly maxBytes: number
  /** The fetch to use: the server's OutboundPolicy.fetch (where it may connect); global fetch by default. */
  readonly fetcher?: Fetcher
}

const maxRedirects = 5
const redirects = new Set([301, 302, 303, 307, 308])

const invalid = (message: string): NarvaroError => new NarvaroError('NRV_VALIDATION', message)
const failed = (reason: string): NarvaroError =>
  new NarvaroError('NRV_VALIDATION', `could not fetch the calendar: ${reason}`)

/** The URL of a calendar subscription: absolute, http: or https:, without a user name or password. */
export const checkCalendarUrl = (text: string): URL => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid('the calendar URL is not an absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('a calendar URL must be http: or https:')
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('a calendar URL may not carry a user name or password')
  }
  return url
}

/** Why a request failed, without the URL (it may carry a secret token). */
const reasonOf = (error: unknown): string => {
  const refused = refusedReason(error)
  if (refused !== undefined) return refused
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'timed out'
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  if (typeof cause?.code === 'string') return cause.code
  return error instanceof Error ? error.message.slice(0, 200) : 'request failed'
}

const readLimited = async (response: Response, maxBytes: number): Promise<string> => {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel()
    throw failed(`larger than ${maxBytes} bytes`)
  }
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw failed(`larger than ${maxBytes} bytes`)
    }
    chunks.push(read.value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const request = async (
  url: URL,
  signal: AbortSignal,
  fetcher: CalendarFetchLimits['fetcher'] = fetch,
): Promise<Response> => {
  try {
    return await fetcher(url, {
      signal,
      redirect: 'manual',
      headers: { accept: 'text/calendar, */*;q=0.5' },
    })
  } catch (error) {
    throw failed(reasonOf(error))
  }
}

/** The redirect target, checked like the URL itself. */
const nextHop = async (response: Response, from: URL, hop: number): Promise<URL> => {
  await response.body?.cancel()
  const location = response.headers.get('location')
  if (location === null || hop >= maxRedirects) throw failed('too many or bad redirects')
  try {
    return checkCalendarUrl(new URL(location, from).href)
  } catch {
    throw failed('redirected to a URL that is not http: or https:')
  }
}

/** The text at `url`; throws NRV_VALIDATION saying why (never quoting the URL) when it cannot. */
export const fetchCalendar = async (url: string, limits: CalendarFetchLimits): Promise<string> => {
  const signal = AbortSignal.timeout(limits.timeoutMs)
  let target = checkCalendarUrl(url)
  for (let hop = 0; ; hop++) {
    const response = await request(target, signal, limits.fetcher)
    if (redirects.has(response.status)) {
      target = await nextHop(response, target, hop)
      continue
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw failed(`HTTP ${response.status}`)
    }
    try {
      return await readLimited(response, limits.maxBytes)
    } catch (error) {
      throw error instanceof NarvaroError ? error : failed(reasonOf(error))
    }
  }
}
