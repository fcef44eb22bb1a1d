// The roster (RFC 6121 §2) over Närvaro's data: items are the people the user watches or asked to
// watch and those whose watching the user approved, and roster groups are the user's contact lists.
// A roster set files a person into contact lists (groups), or removes them everywhere. Transport
// layer.
import { createHash } from 'node:crypto'
import { Element } from 'ltx'
import { isNarvaroError } from '../../core/errors.js'
import { StanzaError } from './stanza-errors.js'
import { bareOf } from './subscriptions.js'
import type { XmppSession } from './xmpp-session.js'
import { result } from './iq-result.js'

export const rosterNs = 'jabber:iq:roster'

export interface RosterItem {
  readonly jid: string
  readonly name?: string
  readonly subscription: 'none' | 'to' | 'from' | 'both' | 'remove'
  readonly ask?: 'subscribe'
  readonly groups?: readonly string[]
}

interface Draft {
  to: boolean
  from: boolean
  ask: boolean
  name?: string
  groups: string[]
}

/**
 * The contact list of roster items without a group: a person added to the roster with no group and
 * no subscription yet (RFC 6121 §2.3: the item exists with subscription `none`) is filed here, and
 * the list's name is not shown to XMPP clients as a group.
 */
export const ungroupedList = 'Contacts'

/** Every roster item of the session's user, in a stable order. */
export const rosterItems = async (session: XmppSession): Promise<RosterItem[]> => {
  const { subscriptions, privacy, contactLists } = session.services
  const user = session.stream.user
  const [mine, watchers, lists] = await Promise.all([
    subscriptions.list(user),
    privacy.watchers(user),
    contactLists.list(user),
  ])
  const items = new Map<string, Draft>()
  const entry = (jid: string) =>
    items.get(jid) ?? items.set(jid, { to: false, from: false, ask: false, groups: [] }).get(jid)!
  for (const subscription of mine) {
    const item = entry(subscription.presentityAddress)
    if (subscription.view.displayName) item.name = subscription.view.displayName
    if (subscription.state === 'active') item.to = true
    if (subscription.state === 'pending') item.ask = true
  }
  for (const watcher of watchers)
    if (watcher.state === 'active') entry(watcher.watcherAddress).from = true
  for (const list of lists)
    for (const member of list.members) {
      const item = entry(member.address)
      item.name ??= member.displayName
      if (list.name !== ungroupedList) item.groups.push(list.name)
    }
  return [...items].map(([jid, item]) => ({
    jid,
    ...(item.name ? { name: item.name } : {}),
    subscription: item.to ? (item.from ? 'both' : 'to') : item.from ? 'from' : 'none',
    ...(item.ask ? { ask: 'subscribe' as const } : {}),
    ...(item.groups.length > 0 ? { groups: item.groups } : {}),
  }))
}

/** Roster versioning (RFC 6121 §2.6): the version is a digest of the items. */
export const rosterVersion = (items: readonly RosterItem[]): string =>
  createHash('sha256').update(JSON.stringify(items)).digest('base64url').slice(0, 16)

/** One item as `<item/>`, with its groups. */
export const addItem = (query: Element, item: RosterItem): void => {
  const { jid, name, subscription, ask, groups } = item
  const element = query.c('item', {
    jid,
    subscription,
    ...(name ? { name } : {}),
    ...(ask ? { ask } : {}),
  })
  for (const group of groups ?? []) element.c('group').t(group)
}

export const rosterGet = async (
  session: XmppSession,
  iq: Element,
  query: Element,
): Promise<Element> => {
  const items = await rosterItems(session)
  const ver = rosterVersion(items)
  const reply = result(session, iq)
  if (query.attrs['ver'] !== undefined && query.attrs['ver'] === ver) return reply
  const body = reply.c('query', { xmlns: rosterNs, ver })
  for (const item of items) addItem(body, item)
  return reply
}

/** A roster set (RFC 6121 §2.3): one item, filed into the contact lists its groups name, or removed. */
export const rosterSet = async (
  session: XmppSession,
  iq: Element,
  query: Element,
): Promise<void> => {
  const items = query.getChildren('item')
  if (items.length !== 1) throw new StanzaError('bad-request', 'a roster set has exactly one item')
  const item = items[0]!
  const jid = bareOf(item.attrs['jid'] as string | undefined)
  if (jid === session.stream.user.address) throw new StanzaError('not-allowed', 'not yourself')
  try {
    if (item.attrs['subscription'] === 'remove') await removeEverywhere(session, jid)
    else
      await fileInto(
        session,
        jid,
        item.getChildren('group').map((g) => g.getText().trim()),
      )
  } catch (error) {
    if (isNarvaroError(error) && error.code === 'NRV_NOT_FOUND')
      throw new StanzaError('item-not-found')
    if (isNarvaroError(error) && error.code === 'NRV_VALIDATION')
      throw new StanzaError('not-acceptable', error.message)
    throw error
  }
  session.write(result(session, iq))
  await pushRosterItem(session, jid)
}

const ignoreNotFound = (error: unknown) => {
  if (!(isNarvaroError(error) && error.code === 'NRV_NOT_FOUND')) throw error
}

/** Removal cancels both subscriptions and takes the person out of every contact list. */
const removeEverywhere = async (session: XmppSession, jid: string): Promise<void> => {
  const { subscriptions, privacy, contactLists } = session.services
  const user = session.stream.user
  await subscriptions.unsubscribe(user, jid).catch(ignoreNotFound)
  if ((await privacy.watchers(user)).some((w) => w.watcherAddress === jid))
    await privacy.revoke(user, jid).catch(ignoreNotFound)
  for (const list of await contactLists.list(user))
    if (list.members.some((m) => m.address === jid))
      await contactLists.remove(user, list.name, [jid])
}

/**
 * The person is in exactly the contact lists named by the groups (created when missing); with no
 * group, in the list of ungrouped items.
 */
const fileInto = async (
  session: XmppSession,
  jid: string,
  groups: readonly string[],
): Promise<void> => {
  const { contactLists } = session.services
  const user = session.stream.user
  const named = groups.filter((group) => group !== '' && group !== ungroupedList)
  const wanted = new Set(named.length > 0 ? named : [ungroupedList])
  const lists = await contactLists.list(user)
  for (const name of wanted) {
    const list = lists.find((l) => l.name === name)
    if (!list) await contactLists.create(user, name, [jid])
    else if (!list.members.some((m) => m.address === jid)) await contactLists.add(user, name, [jid])
  }
  for (const list of lists)
    if (!wanted.has(list.name) && list.members.some((m) => m.address === jid))
      await contactLists.remove(user, list.name, [jid])
}

/** A roster push of one item to every bound resource of the user (RFC 6121 §2.1.6). */
export const pushRosterItem = async (session: XmppSession, contact: string): Promise<void> => {
  const items = await rosterItems(session)
  const item = items.find((i) => i.jid === contact) ?? {
    jid: contact,
    subscription: 'remove' as const,
  }
  const ver = rosterVersion(items)
  for (const own of session.ownSessions()) {
    const push = new Element('iq', { type: 'set', id: `push-${own.nextId()}`, to: own.jid })
    addItem(push.c('query', { xmlns: rosterNs, ver }), item)
    own.write(push)
  }
}
