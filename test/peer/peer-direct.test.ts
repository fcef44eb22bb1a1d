// Direct requests to a peer (serverless, the busy signal): a caller on the link reaches a person's
// own machine over mutual TLS and gets an answer at once from the view the core computes for that
// caller: accepted while the person is free, busy with the note while in a meeting, unavailable with
// the note while out of office, without the note for a caller whose view hides it. A caller nobody found on the link is refused, and so is one that
// comes back with another key than the one pinned to its name on first contact. A link-local XMPP
// client's chat (XEP-0174) on the same port reaches Alice's terminal, and gets her answer back when
// she is not there for chats.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { createLink, type Link } from '../support/netns.js'
import { eventually } from '../support/server-harness.js'

const tools = join(import.meta.dirname, 'tools')
const keys = mkdtempSync(join(tmpdir(), 'narvaro-caller-'))

let link: Link
let alice: PeerProcess
let carol: ChildProcess

beforeAll(async () => {
  link = createLink(2)
  alice = await startPeer(link, link.hosts[0]!, { name: 'alice', machine: 'pronto' })
})

afterAll(async () => {
  carol?.kill('SIGTERM')
  await alice?.stop('SIGKILL')
  alice?.remove()
  link?.destroy()
  rmSync(keys, { recursive: true, force: true })
})

/** A request of `kind` to Alice's peer from host 1, as `instance` with the key in `keyDir`. */
const call = (instance: string, kind: string, keyDir: string) =>
  JSON.parse(
    link.run(link.hosts[1]!, process.execPath, [
      ...[join(tools, 'link-caller.mjs'), link.hosts[0]!.address, '5298', instance, kind],
      join(keys, keyDir),
    ]),
  ) as Record<string, unknown>

/** A XEP-0174 chat to Alice's peer from host 1, as `instance`: the reply or the stream error. */
const chat = (instance: string, text: string) =>
  JSON.parse(
    link.run(link.hosts[1]!, '/usr/bin/python3', [
      ...[join(tools, 'xep0174-chat.py'), link.hosts[0]!.address, '5298', instance],
      ...['alice@pronto', text],
    ]),
  ) as Record<string, unknown>

describe('direct requests to a peer', { timeout: 90_000 }, () => {
  it('answers accepted, busy and unavailable from the caller’s view, and refuses strangers', async () => {
    expect(call('carol@gamma', 'voice', 'first')).toMatchObject({
      type: 'error',
      code: 'unknown-peer',
    })

    // Carol is announced on the link by python3-zeroconf: now she is someone Alice's peer knows.
    const ip = link.hosts[1]!.address
    carol = link.spawn(link.hosts[1]!, '/usr/bin/python3', [
      ...[join(tools, 'zeroconf-peer.py'), 'publish', ip, 'carol@gamma', 'gamma'],
      ...['txtvers=1', 'status=avail'],
    ])
    await eventually(() => alice.who().has('carol.gamma@local'), 20_000)

    expect(call('carol@gamma', 'voice', 'first')).toMatchObject({
      type: 'answer',
      outcome: 'accepted',
      text: 'alice is available',
    })
    alice.cli('status', 'set', 'busy', '--activity', 'in-a-meeting', '--note', 'back at 3')
    expect(call('carol@gamma', 'voice', 'first')).toMatchObject({
      outcome: 'busy',
      text: 'alice is in a meeting',
      note: 'back at 3',
    })
    // A link-local XMPP client's chat (XEP-0174) on the same port: in a meeting a chat gets through
    // (no reply) and Alice sees it; someone the link never showed is not let in.
    expect(chat('carol@gamma', 'are you free?')).toEqual({ sent: true, reply: null, error: null })
    await eventually(() => alice.output().includes('chat from carol@gamma: are you free?'), 5_000)
    expect(chat('mallory@nowhere', 'hi')).toMatchObject({ sent: false, error: 'not-authorized' })

    alice.cli('status', 'set', 'away', '--activity', 'out-of-office', '--note', 'on leave')
    expect(call('carol@gamma', 'im', 'first')).toMatchObject({
      outcome: 'unavailable',
      text: 'alice is out of office',
      note: 'on leave',
    })
    // Out of office, a chat gets the answer back at once (and Alice still finds it in her terminal).
    expect(chat('carol@gamma', 'call me?')).toMatchObject({
      reply: 'Unavailable: alice is out of office — “on leave”',
    })
    // Policy on the channel too: rules that show everyone on the link activities but no note.
    const rules = join(keys, 'rules.json')
    const everyone = { id: 'link', conditions: { ownOrganization: true }, subscription: 'allow' }
    writeFileSync(rules, JSON.stringify({ rules: [{ ...everyone, grant: { activities: true } }] }))
    alice.cli('privacy', 'set', '--file', rules)
    const unnoted = call('carol@gamma', 'im', 'first')
    expect(unnoted).toMatchObject({ outcome: 'unavailable', text: 'alice is out of office' })
    expect(unnoted).not.toHaveProperty('note')
    // Another key for the same name: refused.
    expect(call('carol@gamma', 'voice', 'second')).toMatchObject({ code: 'pin-mismatch' })
  })
})
