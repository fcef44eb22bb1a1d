// The typed REST client: every operation of the served OpenAPI document through `api` (openapi-fetch),
// and convenience methods for the common ones; non-2xx replies throw NarvaroApiError. SDK layer.
import createClient, { type Client, type Middleware } from 'openapi-fetch'
import { NarvaroApiError, networkError, toApiError } from './errors.js'
import type { paths } from './generated/openapi.js'
import type { BodyOf, QueryOf, ReplyOf } from './rest-types.js'
import { withTimeLimit } from './time-limit.js'

export interface NarvaroClientOptions {
  /** The server, such as `https://narvaro.acme.example` (no trailing `/v1`). */
  readonly baseUrl: string
  /** A bearer token from `login`; `login` sets it too. */
  readonly token?: string
  /** A fetch to use instead of the global one (tests, proxies, custom agents). */
  readonly fetch?: typeof globalThis.fetch
  /**
   * A time limit for each REST call, in milliseconds, from the request until the whole reply has
   * been read: a call still going then throws a NarvaroNetworkError with `reason: 'timeout'`. A
   * caller's own `signal` (where a call takes one) still ends the call sooner. Default: none.
   */
  readonly timeoutMs?: number
}

interface Answer<T> {
  readonly data?: T
  readonly error?: unknown
  readonly response: Response
}

/**
 * The REST API, typed from the server's OpenAPI document. `api.GET/POST/PUT/PATCH/DELETE` reach
 * every operation by its path; the named methods cover the common ones and return the reply body.
 * Both throw {@link NarvaroApiError} for an error reply and {@link NarvaroNetworkError} when no
 * reply came (in time, with `timeoutMs`).
 */
export class NarvaroClient {
  /** Every REST operation, typed by path (openapi-fetch). A non-2xx reply throws. */
  readonly api: Client<paths>
  readonly baseUrl: string
  /** The time limit of each call, if one was set. */
  readonly timeoutMs: number | undefined
  private bearer: string | undefined

  constructor(options: NarvaroClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.bearer = options.token
    this.timeoutMs = options.timeoutMs
    const raw = createClient<paths>({
      baseUrl: this.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
    raw.use(this.middleware())
    this.api = withTimeLimit(raw, options.timeoutMs)
  }

  /** The bearer token in use, if any. */
  get token(): string | undefined {
    return this.bearer
  }

  /** Uses another token from now on (or none). */
  setToken(token: string | undefined): void {
    this.bearer = token
  }

  private middleware(): Middleware {
    return {
      onRequest: ({ request }) => {
        if (this.bearer) request.headers.set('authorization', `Bearer ${this.bearer}`)
        return request
      },
      onResponse: async ({ response }) => {
        if (response.ok) return response
        const text = await response.clone().text()
        let body: unknown
        try {
          body = text ? JSON.parse(text) : undefined
        } catch {
          body = undefined
        }
        throw toApiError(response.status, body)
      },
      onError: ({ error }) => (error instanceof NarvaroApiError ? error : networkError(error)),
    }
  }

  private async body<T>(answer: Promise<Answer<T>>): Promise<T> {
    const { data, error, response } = await answer
    if (!response.ok) throw toApiError(response.status, error)
    return data as T
  }

  // Accounts and sign-in

  /** Signs in; the client uses the token from then on. Check `mustChangePassword`. */
  async login(address: string, password: string): Promise<ReplyOf<'/v1/auth/login', 'post'>> {
    const reply = await this.body(this.api.POST('/v1/auth/login', { body: { address, password } }))
    this.bearer = reply.token
    return reply
  }

  /** Changes your password (also the way out of a one-time password). */
  changePassword(body: BodyOf<'/v1/me/password', 'put'>) {
    return this.body(this.api.PUT('/v1/me/password', { body }))
  }

  /** Ends a token (sign out: your own token's id is in `tokens()`). */
  revokeToken(id: string) {
    return this.body(this.api.DELETE('/v1/auth/tokens/{id}', { params: { path: { id } } }))
  }

  tokens() {
    return this.body(this.api.GET('/v1/auth/tokens'))
  }

  me() {
    return this.body(this.api.GET('/v1/me'))
  }

  // Your presence

  myPresence() {
    return this.body(this.api.GET('/v1/me/presence'))
  }

  /** Publishes the state of one of your sources (devices) over REST. */
  publish(sourceId: string, body: BodyOf<'/v1/me/presence/sources/{sourceId}', 'put'>) {
    const params = { path: { sourceId } }
    return this.body(this.api.PUT('/v1/me/presence/sources/{sourceId}', { params, body }))
  }

  retract(sourceId: string) {
    const params = { path: { sourceId } }
    return this.body(this.api.DELETE('/v1/me/presence/sources/{sourceId}', { params }))
  }

  /** Your manual choice of availability, optionally `until` a time. */
  setManual(body: BodyOf<'/v1/me/presence/manual', 'put'>) {
    return this.body(this.api.PUT('/v1/me/presence/manual', { body }))
  }

  clearManual() {
    return this.body(this.api.DELETE('/v1/me/presence/manual'))
  }

  setNote(body: BodyOf<'/v1/me/presence/note', 'put'>) {
    return this.body(this.api.PUT('/v1/me/presence/note', { body }))
  }

  clearNote() {
    return this.body(this.api.DELETE('/v1/me/presence/note'))
  }

  /** A presentity's view, as you may see it. */
  presenceOf(address: string) {
    return this.body(this.api.GET('/v1/presence/{address}', { params: { path: { address } } }))
  }

  // Subscriptions and workflows

  subscriptions() {
    return this.body(this.api.GET('/v1/subscriptions'))
  }

  subscribe(body: BodyOf<'/v1/subscriptions', 'post'>) {
    return this.body(this.api.POST('/v1/subscriptions', { body }))
  }

  unsubscribe(address: string) {
    const params = { path: { address } }
    return this.body(this.api.DELETE('/v1/subscriptions/{address}', { params }))
  }

  /** Who is available (a team, a list, a search, a skill...): docs/workflows.md. */
  who(query: QueryOf<'/v1/availability', 'get'> = {}) {
    return this.body(this.api.GET('/v1/availability', { params: { query } }))
  }

  /**
   * One page of who is available: at most `limit` people, and `next`, the cursor of the page after
   * (absent on the last), to pass as `cursor`.
   */
  async whoPage(
    query: QueryOf<'/v1/availability', 'get'> & { limit: number },
  ): Promise<{ entries: ReplyOf<'/v1/availability', 'get'>; next?: string }> {
    const { data, error, response } = await this.api.GET('/v1/availability', { params: { query } })
    if (!response.ok) throw toApiError(response.status, error)
    const next = response.headers.get('narvaro-next-cursor') ?? undefined
    return { entries: data as ReplyOf<'/v1/availability', 'get'>, ...(next ? { next } : {}) }
  }

  /** Gathers a quick meeting of the free people among those asked. */
  gather(body: BodyOf<'/v1/gatherings', 'post'>) {
    return this.body(this.api.POST('/v1/gatherings', { body }))
  }

  invitations() {
    return this.body(this.api.GET('/v1/me/invitations'))
  }

  answerInvitation(id: string, body: BodyOf<'/v1/me/invitations/{id}', 'post'>) {
    const params = { path: { id } }
    return this.body(this.api.POST('/v1/me/invitations/{id}', { params, body }))
  }

  /** Be told (an `available` message) when someone becomes available. */
  notifyWhenAvailable(body: BodyOf<'/v1/me/notify-when-available', 'post'>) {
    return this.body(this.api.POST('/v1/me/notify-when-available', { body }))
  }

  // Privacy

  privacyRules() {
    return this.body(this.api.GET('/v1/me/privacy'))
  }

  setPrivacyRules(body: BodyOf<'/v1/me/privacy', 'put'>) {
    return this.body(this.api.PUT('/v1/me/privacy', { body }))
  }

  /** What a watcher would see of you now. */
  preview(query: QueryOf<'/v1/me/privacy/preview', 'get'>) {
    return this.body(this.api.GET('/v1/me/privacy/preview', { params: { query } }))
  }

  watchers() {
    return this.body(this.api.GET('/v1/me/watchers'))
  }

  approveWatcher(address: string) {
    const params = { path: { address } }
    return this.body(this.api.POST('/v1/me/watchers/{address}/approve', { params }))
  }

  denyWatcher(address: string) {
    const params = { path: { address } }
    return this.body(this.api.POST('/v1/me/watchers/{address}/deny', { params }))
  }

  revokeWatcher(address: string) {
    const params = { path: { address } }
    return this.body(this.api.DELETE('/v1/me/watchers/{address}', { params }))
  }

  // Administration

  users() {
    return this.body(this.api.GET('/v1/users'))
  }

  addUser(body: BodyOf<'/v1/users', 'post'>) {
    return this.body(this.api.POST('/v1/users', { body }))
  }

  removeUser(address: string) {
    const params = { path: { address } }
    return this.body(this.api.DELETE('/v1/users/{address}', { params }))
  }

  resetPassword(address: string, body: BodyOf<'/v1/users/{address}/password', 'put'>) {
    const params = { path: { address } }
    return this.body(this.api.PUT('/v1/users/{address}/password', { params, body }))
  }

  /** Teams are the organization's groups. */
  teams() {
    return this.body(this.api.GET('/v1/groups'))
  }

  createTeam(body: BodyOf<'/v1/groups', 'post'>) {
    return this.body(this.api.POST('/v1/groups', { body }))
  }

  setTeamMembers(id: string, body: BodyOf<'/v1/groups/{id}/members', 'put'>) {
    const params = { path: { id } }
    return this.body(this.api.PUT('/v1/groups/{id}/members', { params, body }))
  }

  /**
   * Imports users from a CSV file's text (a header row, then one row per user). `signal` can
   * abort a long import (such as `AbortSignal.timeout(ms)`).
   */
  importCsv(csv: string, options: { dryRun?: boolean; signal?: AbortSignal } = {}) {
    return this.body(
      this.api.POST('/v1/directory/import', {
        body: csv as unknown as BodyOf<'/v1/directory/import', 'post'>,
        bodySerializer: (text: unknown) => text as string,
        headers: { 'content-type': 'text/csv' },
        params: { query: { dryRun: options.dryRun ?? false } },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    )
  }

  /** Imports users from JSON rows; `dryRun` checks every row and writes nothing. */
  importDirectory(
    body: BodyOf<'/v1/directory/import', 'post'>,
    query: QueryOf<'/v1/directory/import', 'post'> = {} as QueryOf<'/v1/directory/import', 'post'>,
    options: { signal?: AbortSignal } = {},
  ) {
    const signal = options.signal ? { signal: options.signal } : {}
    return this.body(this.api.POST('/v1/directory/import', { body, params: { query }, ...signal }))
  }
}
