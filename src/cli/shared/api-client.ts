// A small typed wrapper of fetch for the REST API: base URL, bearer token, and error replies turned
// into CLI errors that carry the server's code; CLI layer.
import { apiError, unreachableError } from './cli-error.js'

export interface ApiClientOptions {
  /** The server's base URL, without a trailing slash. */
  readonly server: string
  readonly token?: string
  readonly timeoutMs?: number
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A body sent as it is, with its content type. */
export interface RawBody {
  readonly contentType: string
  readonly timeoutMs?: number
}

interface ErrorBody {
  readonly code?: unknown
  readonly message?: unknown
}

/** Why a request never got an answer, in a word the user can act on (ECONNREFUSED, ENOTFOUND…). */
export const networkReason = (error: unknown): string => {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out'
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}

const parseBody = (text: string): unknown => {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get server(): string {
    return this.options.server
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body)
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body)
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body)
  }

  delete<T = undefined>(path: string): Promise<T> {
    return this.request<T>('DELETE', path)
  }

  /** A POST of a body that is not JSON (a CSV file), with its own timeout for large uploads. */
  postText<T>(path: string, text: string, options: RawBody): Promise<T> {
    return this.request<T>('POST', path, undefined, { ...options, text })
  }

  /** One call; a reply other than 2xx throws `error CODE: message` (exit 1), no reply exits 3. */
  async request<T>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    raw?: RawBody & { readonly text: string },
  ): Promise<T> {
    const url = this.options.server + path
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (raw) headers['content-type'] = raw.contentType
    const payload = raw ? raw.text : body === undefined ? undefined : JSON.stringify(body)
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(raw?.timeoutMs ?? this.options.timeoutMs ?? 30_000),
      })
    } catch (error) {
      throw unreachableError(this.options.server, networkReason(error))
    }
    const parsed = parseBody(await response.text())
    if (response.ok) return parsed as T
    const reply = (parsed ?? {}) as ErrorBody
    const code = typeof reply.code === 'string' ? reply.code : `HTTP_${response.status}`
    const message = typeof reply.message === 'string' ? reply.message : response.statusText
    throw apiError(code, message || `the server answered ${response.status}`)
  }
}

/** A path segment, escaped: addresses and ids go into URLs this way. */
export const segment = (value: string): string => encodeURIComponent(value)
