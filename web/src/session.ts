// The signed-in session: the token (kept in sessionStorage, see docs/adr/0007), the REST client and
// the live client of the SDK (one connection shared by the tabs of the browser), and the views the
// live connection brings. Web app.
import { signal } from '@preact/signals'
import { NarvaroApiError, NarvaroClient, NarvaroLive } from '@narvaro/sdk'
import type { ConnectionState, LiveRestore, PublishRequest, View } from '@narvaro/sdk'
import { coalesceWhenHidden, detectIdle, publishIdle, shareLive } from '@narvaro/sdk/browser'
import type { EventTargetLike, SharedLive } from '@narvaro/sdk/browser'

export interface SessionUser {
  readonly address: string
  readonly displayName: string
  readonly role: 'admin' | 'member'
  readonly tokenId: string
  readonly mustChangePassword: boolean
}

/** The tab's live client: its own connection, or its share of the browser's one. */
export type LiveClient = NarvaroLive | SharedLive

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

/**
 * Whether any tab of this browser is on screen, as a `document` for `coalesceWhenHidden`: with one
 * connection for all tabs, delivery may be coalesced only while every tab is hidden.
 */
const browserVisibility = (name: string) => {
  const channel = new BroadcastChannel(`${name}:visibility`)
  const tab = crypto.randomUUID()
  const others = new Map<string, boolean>()
  const listeners = new Set<() => void>()
  const visible = () => document.visibilityState === 'visible'
  const anyVisible = () => visible() || [...others.values()].some(Boolean)
  let was = anyVisible()
  const changed = () => {
    if (anyVisible() === was) return
    was = anyVisible()
    for (const listener of listeners) listener()
  }
  const tell = () => channel.postMessage({ tab, visible: visible() })
  channel.onmessage = ({ data }: MessageEvent<{ tab: string; visible?: boolean; ask?: true }>) => {
    if (data.ask) tell()
    if (data.visible === undefined) others.delete(data.tab)
    else others.set(data.tab, data.visible)
    changed()
  }
  const onVisibility = () => (tell(), changed())
  document.addEventListener('visibilitychange', onVisibility)
  channel.postMessage({ tab, visible: visible(), ask: true })
  const doc: EventTargetLike & { readonly visibilityState: string } = {
    get visibilityState() {
      return anyVisible() ? 'visible' : 'hidden'
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  }
  const stop = () => {
    document.removeEventListener('visibilitychange', onVisibility)
    channel.postMessage({ tab })
    channel.close()
  }
  return { doc, stop }
}

/**
 * The helpers of a shared connection: this tab's own idle detection for its own source, and the
 * delivery mode of the whole browser, asked by the leader only (the SDK's helpers take a
 * NarvaroLive, so the shared client is adapted here).
 */
const shareHelpers = (shared: SharedLive, name: string, publication: PublishRequest) => {
  const idle = detectIdle({
    onChange: (isIdle) =>
      void shared.publish({ ...publication, idle: isIdle, active: !isIdle }).catch(() => undefined),
  })
  const visibility = browserVisibility(name)
  const leaderOnly = {
    on: shared.on.bind(shared),
    delivery: (mode: 'live' | 'coalesced', intervalMs?: number) =>
      shared.leader ? shared.delivery(mode, intervalMs) : Promise.resolve({ type: 'ack' }),
  } as unknown as NarvaroLive
  const stopCoalescing = coalesceWhenHidden(leaderOnly, {
    intervalMs: hiddenIntervalMs,
    document: visibility.doc,
  })
  return () => (idle.stop(), stopCoalescing(), visibility.stop())
}

/** Whether this tab's own token has ended (the server refuses it); not for a network failure. */
let checking: Promise<boolean> | undefined
const tokenEnded = (): Promise<boolean> =>
  (checking ??= client
    .me()
    .then(
      () => false,
      (error: unknown) => error instanceof NarvaroApiError && error.status === 401,
    )
    .finally(() => (checking = undefined)))

/**
 * Access ended on the live connection: a tab with its own connection signs out; a tab sharing
 * another tab's connection (whose token it was) only if its own token ended too.
 */
const accessEnded = async (): Promise<void> => {
  if (live instanceof NarvaroLive || (await tokenEnded())) await signOut({ revoke: false })
}

/**
 * A tab sharing another's connection hears no access-ended for its own token: it finds out when
 * a REST call is refused, and checks each time it is shown again.
 */
const checkOwnToken = (): void => {
  if (!user.value || !live || live instanceof NarvaroLive) return
  void tokenEnded().then((ended) => (ended && user.value ? signOut({ revoke: false }) : undefined))
}
client.api.use({
  onResponse: ({ response }) => {
    if (response.status === 401) checkOwnToken()
    return undefined
  },
})
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') checkOwnToken()
})

const listen = (connectionOf: LiveClient): void => {
  connectionOf.on('state', ({ state }) => (connection.value = state))
  connectionOf.on('snapshot', ({ address, view }) => setView(address, view))
  connectionOf.on('change', ({ address, view }) => setView(address, view))
  connectionOf.on('unwatched', ({ address }) => setView(address, undefined))
  connectionOf.on('access-ended', () => void accessEnded())
}

const startLive = async (token: string, address: string): Promise<void> => {
  const create = (restore: LiveRestore) =>
    new NarvaroLive({ baseUrl: location.origin, token, restore })
  const name = `narvaro-live:${location.origin}:${address}`
  const shared = shareLive({ name, create })
  const connectionOf = shared ?? create({})
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
  if (!shared) await connectionOf.connect()
  await connectionOf.publish(publication)
  if (shared) stopHelpers = shareHelpers(shared, name, publication)
  else {
    const own = connectionOf as NarvaroLive
    const detector = publishIdle(own, { source })
    const stopCoalescing = coalesceWhenHidden(own, { intervalMs: hiddenIntervalMs })
    stopHelpers = () => (detector.stop(), stopCoalescing())
  }
  await connectionOf.subscribe()
  // A tab that joins a connection already live hears no `state` event: its state is known by now.
  connection.value = connectionOf.state
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
