// Serverless mode between Närvaro peers: two machines (network namespaces on one bridge, never the
// root namespace) run `narvaro peer` with no server; each sees the other in `narvaro who`, sees a
// status set with the CLI change (with the activities that only the direct channel carries, the link's
// record has no room for them), sees the other go at once when it stops (the goodbye), and by itself
// when it is killed (its records stop answering); `narvaro call` gets the busy signal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLink, type Link } from '../support/netns.js'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { eventually } from '../support/server-harness.js'

let link: Link
const peers: PeerProcess[] = []

beforeAll(() => {
  link = createLink(3)
})

afterAll(async () => {
  for (const peer of peers) await peer.stop('SIGKILL')
  for (const peer of peers) peer.remove()
  link?.destroy()
})

const start = async (index: number, name: string, machine: string, refreshSeconds = 1) => {
  const peer = await startPeer(link, link.hosts[index]!, { name, machine, refreshSeconds })
  peers.push(peer)
  return peer
}

describe('two peers with no server', { timeout: 60_000 }, () => {
  it('see each other, and a status set with the CLI', async () => {
    const alice = await start(0, 'alice', 'pronto')
    const bob = await start(1, 'bob', 'beta')
    await eventually(() => alice.who().get('bob.beta@local')?.availability === 'available', 15_000)
    await eventually(
      () => bob.who().get('alice.pronto@local')?.availability === 'available',
      15_000,
    )
    expect(alice.who().get('bob.beta@local')?.name).toBe('bob')

    bob.cli('status', 'set', 'away', '--note', 'in the lab until 3')
    await eventually(() => {
      const seen = alice.who().get('bob.beta@local')
      return seen?.availability === 'away' && seen.note === 'in the lab until 3'
    }, 5_000)
    // Busy in a meeting: over the link's record it would be "dnd" and nothing more.
    bob.cli('status', 'set', 'busy', '--activity', 'in-a-meeting', '--note', 'design review')
    await eventually(() => {
      const seen = alice.who().get('bob.beta@local')
      return seen?.availability === 'busy' && seen.activities.includes('in-a-meeting')
    }, 5_000)

    // Alice calls Bob directly: his peer answers with the busy signal and his note.
    const busy = alice.attempt('call', 'bob.beta@local')
    expect(busy.stdout, busy.stderr).toContain('busy: bob is in a meeting — “design review”')
    expect(busy.code).toBe(1)
    bob.cli('status', 'set', 'available')
    await eventually(() => alice.who().get('bob.beta@local')?.availability === 'available', 5_000)
    expect(alice.cli('call', 'bob.beta@local', '--kind', 'im')).toContain(
      'accepted: bob is available',
    )
  })

  it('sees a peer go at once when it stops: its goodbye, long before its records would expire', async () => {
    // Asked only every 60 s: without a goodbye, this peer would be shown for minutes.
    const carol = await start(2, 'carol', 'gamma', 60)
    const alice = peers[0]!
    await eventually(
      () => alice.who().get('carol.gamma@local')?.availability === 'available',
      15_000,
    )
    await carol.stop('SIGTERM')
    expect(carol.output()).toContain('saying goodbye on the link')
    await eventually(() => alice.who().get('carol.gamma@local')?.availability === 'offline', 10_000)
  })

  it('resolves a name conflict: a second alice@pronto announces itself under another name', async () => {
    const twin = await start(2, 'alice', 'pronto')
    const bob = peers[1]!
    await eventually(() => twin.output().includes('alice@pronto ('), 15_000)
    await eventually(
      () => bob.who().get('alice.pronto-2@local')?.availability === 'available',
      15_000,
    )
    expect(bob.who().get('alice.pronto@local')?.availability).toBe('available')
    await twin.stop('SIGTERM')
  })

  it('lets a killed peer disappear by itself when it stops answering', async () => {
    const [alice, bob] = peers
    await bob!.stop('SIGKILL')
    // Three unanswered rounds of questions, one a second.
    await eventually(() => alice!.who().get('bob.beta@local')?.availability === 'offline', 15_000)
  })
})
