// The signed-in session: the token (kept in sessionStorage, see docs/adr/0007), the REST client and
// the live client of the SDK (one connection shared by the tabs of the browser), and the views the
// live connection brings. Web app.
import { signal } from '@preact/signals'
import { NarvaroApiError, NarvaroClient, NarvaroLive } from '@narvaro/sdk'
import type { ConnectionState, LiveClient, LiveRestore, PublishRequest, View } from '@narvaro/sdk'
import { coalesceWhenHidden, publishIdle, shareLive } from '@narvaro/sdk/browser'

export interface SessionUser {
  readonly address: string
  readonly displayName: string
  readonly role: 'admin' | 'member'
  readonly tokenId: string
  readonly mustChangePassword: boolean
}

const tokenKey = 'narvaro.token'
const userKey = 'narvaro.user'
const deviceKey = 'narvaro.device'
/** How often a browser whose tabs are all hidden gets its updates (newest state per person). */
const hiddenIntervalMs = 30_000

export const client = new NarvaroClient({ baseUrl: location.origin })
export const user = signal<SessionUser | undefined>(undefined)
export const connection = signal<ConnectionState>('closed')
/** Views of the people this tab receives live, by address. */
export const views = signal<ReadonlyMap<string, View>>(new Map())
/** The tab's live client: its own connection, or its share of the browser's one. */
export let live: LiveClient | undefined
/** Stops what this tab started beside the live client (idle detection, delivery mode). */
let stopHelpers: (() => void) | undefined
/** This tab's device publication, to retract when the tab signs out or closes. */
let ownSource: string | undefined

const setView = (address: string, view: View | undefined): void => {
  const next = new Map(views.value)
  if (view) next.set(address, view)
  else next.delete(address)
  views.value = next
}

/** One device id per tab: the browser is a source of its own. */
const deviceSource = (): string => {
  const saved = sessionStorage.getItem(deviceKey)
  if (saved) return saved
  const id = `web-${crypto.randomUUID().slice(0, 8)}`
  sessionStorage.setItem(deviceKey, id)
  return id
}

const listen = (connectionOf: LiveClient): void => {
  connectionOf.on('state', ({ state }) => (connection.value = state))
  connectionOf.on('snapshot', ({ address, view }) => setView(address, view))
  connectionOf.on('change', ({ address, view }) => setView(address, view))
  connectionOf.on('unwatched', ({ address }) => setView(address, undefined))
  // For this tab's own token: a shared connection tells each tab of its own.
  connectionOf.on('access-ended', () => void signOut({ revoke: false }))
}

const startLive = async (token: string, address: string): Promise<void> => {
  const create = (restore: LiveRestore) =>
    new NarvaroLive({ baseUrl: location.origin, token, restore })
  const name = `narvaro-live:${location.origin}:${address}`
  const connectionOf: LiveClient = shareLive({ name, token, create }) ?? create({})
  live = connectionOf
  connection.value = 'connecting'
  listen(connectionOf)
  const source = deviceSource()
  ownSource = source
  const publication: PublishRequest = {
    source,
    availability: 'available',
    device: { name: 'Browser', kind: 'web', capabilities: ['im'] },
  }
  await connectionOf.connect()
  await connectionOf.publish(publication)
  const detector = publishIdle(connectionOf, { source })
  const stopCoalescing = coalesceWhenHidden(connectionOf, { intervalMs: hiddenIntervalMs })
  stopHelpers = () => (detector.stop(), stopCoalescing())
  await connectionOf.subscribe()
}

/** Leaves the live connection: a shared one goes on for the other tabs, without this tab's device. */
const stopLive = (): void => {
  stopHelpers?.()
  stopHelpers = undefined
  if (live && ownSource && !(live instanceof NarvaroLive))
    live.retract(ownSource).catch(() => undefined)
  live?.close()
  live = undefined
}

addEventListener('pagehide', (event) => {
  if (!event.persisted) stopLive()
})

const remember = (token: string, next: SessionUser): void => {
  sessionStorage.setItem(tokenKey, token)
  sessionStorage.setItem(userKey, JSON.stringify(next))
  client.setToken(token)
  user.value = next
}

export const signIn = async (address: string, password: string): Promise<void> => {
  const reply = await client.login(address, password)
  const next: SessionUser = {
    address: reply.user.address,
    displayName: reply.user.displayName,
    role: reply.user.role,
    tokenId: reply.tokenInfo.id,
    mustChangePassword: reply.mustChangePassword === true,
  }
  remember(reply.token, next)
  if (!next.mustChangePassword) await startLive(reply.token, next.address)
}

/** After a password change the one-time token works everywhere: the live connection starts. */
export const passwordChanged = async (): Promise<void> => {
  const token = sessionStorage.getItem(tokenKey)
  const current = user.value
  if (!token || !current) return
  remember(token, { ...current, mustChangePassword: false })
  if (!live) await startLive(token, current.address)
}

export const signOut = async ({ revoke = true } = {}): Promise<void> => {
  const current = user.value
  stopLive()
  if (revoke && current) await client.revokeToken(current.tokenId).catch(() => undefined)
  sessionStorage.removeItem(tokenKey)
  sessionStorage.removeItem(userKey)
  client.setToken(undefined)
  views.value = new Map()
  connection.value = 'closed'
  user.value = undefined
}

/** A reload keeps the session of this tab: the token is checked, then the live client starts. */
export const resume = async (): Promise<void> => {
  const token = sessionStorage.getItem(tokenKey)
  const saved = sessionStorage.getItem(userKey)
  if (!token || !saved) return
  const next = JSON.parse(saved) as SessionUser
  client.setToken(token)
  try {
    await client.me()
  } catch (error) {
    const mustChange =
      error instanceof NarvaroApiError && error.code === 'NRV_PASSWORD_CHANGE_REQUIRED'
    if (!mustChange) return signOut({ revoke: false })
  }
  user.value = next
  if (!next.mustChangePassword) await startLive(token, next.address)
}

/** The message of an error, for an alert. */
export const messageOf = (error: unknown): string =>
  error instanceof NarvaroApiError
    ? `${error.message} (${error.code})`
    : error instanceof Error
      ? error.message
      : String(error)
