// A Närvaro peer among link-local implementations nobody here wrote, each in its own network
// namespace on one bridge: python3-zeroconf and Avahi announce people that show in `narvaro who`, and
// see the Närvaro peer with its XEP-0174 TXT record; an email goes on the link only once the person
// allows everyone there to see it; undecodable mDNS packets and oversized TXT records are ignored,
// and the peer goes on.
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { createLink, type Link } from '../support/netns.js'
import { eventually } from '../support/server-harness.js'

const tools = join(import.meta.dirname, 'tools')
const zeroconf = join(tools, 'zeroconf-peer.py')

let link: Link
let alice: PeerProcess
const lines = new Map<ChildProcess, string[]>()

beforeAll(async () => {
  link = createLink(3)
  alice = await startPeer(link, link.hosts[0]!, { name: 'alice', machine: 'pronto' })
})

afterAll(async () => {
  await alice?.stop('SIGKILL')
  alice?.remove()
  for (const host of link?.hosts ?? [])
    rmSync(`/tmp/narvaro-avahi-${host.ns}`, { recursive: true, force: true })
  link?.destroy()
})

/** A program in host `index`, its output kept line by line. */
const run = (index: number, command: string, args: string[]): ChildProcess => {
  const child = link.spawn(link.hosts[index]!, command, args)
  const out: string[] = []
  lines.set(child, out)
  let rest = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n')
    rest = parts.pop() ?? ''
    out.push(...parts)
  })
  return child
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

/** The last TXT record a python3-zeroconf browser printed for `instance`. */
const txtSeenBy = (browser: ChildProcess, instance: string) => {
  const found = lines
    .get(browser)!
    .map((l) => JSON.parse(l) as { name?: string; txt?: Record<string, string> })
    .filter((e) => e.name === `${instance}._presence._tcp.local.`)
  return found.at(-1)?.txt
}

describe('link-local interoperability', { timeout: 90_000 }, () => {
  it('shows a python3-zeroconf peer in `narvaro who`, and is seen by its browser', async () => {
    const ip = link.hosts[1]!.address
    const carol = run(1, '/usr/bin/python3', [
      ...[zeroconf, 'publish', ip, 'carol@gamma', 'gamma', 'txtvers=1', 'status=away'],
      ...['msg=back at 4', '1st=Carol', 'last=Lund'],
    ])
    const browser = run(1, '/usr/bin/python3', [zeroconf, 'browse', ip])
    await eventually(() => {
      const carolSeen = alice.who().get('carol.gamma@local')
      return carolSeen?.availability === 'away' && carolSeen.note === 'back at 4'
    }, 20_000)
    expect(alice.who().get('carol.gamma@local')?.name).toBe('Carol Lund')
    await eventually(() => txtSeenBy(browser, 'alice@pronto')?.['status'] === 'avail', 20_000)
    expect(txtSeenBy(browser, 'alice@pronto')).toMatchObject({ txtvers: '1', nick: 'alice' })

    // A note and a work email: the note goes on the link, the email only once allowed.
    alice.cli('contact', 'add', 'email', 'alice@example.org')
    alice.cli('status', 'set', 'busy', '--note', 'heads down')
    await eventually(() => txtSeenBy(browser, 'alice@pronto')?.['msg'] === 'heads down', 20_000)
    expect(txtSeenBy(browser, 'alice@pronto')).toMatchObject({ status: 'dnd' })
    expect(txtSeenBy(browser, 'alice@pronto')).not.toHaveProperty('email')
    alice.cli('privacy', 'allow', 'link+everyone@local', '--see', 'note,contact=work')
    await eventually(
      () => txtSeenBy(browser, 'alice@pronto')?.['email'] === 'alice@example.org',
      20_000,
    )

    await stop(carol)
    await eventually(() => alice.who().get('carol.gamma@local')?.availability === 'offline', 20_000)
    await stop(browser)
  })

  it('shows an Avahi-published presence in `narvaro who`, and shows in avahi-browse', async () => {
    const host = link.hosts[2]!
    const avahi = run(2, 'unshare', [
      ...['-m', join(tools, 'avahi-in-netns.sh'), `/tmp/narvaro-avahi-${host.ns}`, host.iface],
      ...['delta', '--', 'sh', '-c'],
      'avahi-publish -s "dave@delta" _presence._tcp 5298 txtvers=1 status=dnd "msg=on a call" 1st=Dave & exec avahi-browse -r -p -k _presence._tcp',
    ])
    await eventually(() => {
      const dave = alice.who().get('dave.delta@local')
      return dave?.availability === 'do-not-disturb' && dave.note === 'on a call'
    }, 30_000)
    expect(alice.who().get('dave.delta@local')?.name).toBe('Dave')
    const resolved = () =>
      lines.get(avahi)!.find((l) => l.startsWith('=;') && l.includes(';alice\\064pronto;'))
    await eventually(() => resolved() !== undefined, 20_000)
    expect(resolved()).toContain('"status=dnd"')
    expect(resolved()).toContain('"msg=heads down"')
    await stop(avahi)
    await eventually(() => alice.who().get('dave.delta@local')?.availability === 'offline', 20_000)
  })

  it('never speaks on an interface the person did not choose', async () => {
    // Alice's machine has a second network, a wire to host 2, which she did not give the peer.
    const wire = link.wire(0, 2)
    const browser = run(2, '/usr/bin/python3', [zeroconf, 'browse', wire.b])
    // Something else on Alice's machine announces itself on the wire: the browser does hear it.
    const probe = run(0, '/usr/bin/python3', [
      ...[zeroconf, 'publish', wire.a, 'probe@pronto-wire', 'pronto-wire', 'txtvers=1'],
    ])
    await eventually(() => txtSeenBy(browser, 'probe@pronto-wire') !== undefined, 20_000)
    // Alice changes her status (a new announcement) and is asked about: never on the wire.
    alice.cli('status', 'set', 'available', '--note', 'only on eth0')
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(txtSeenBy(browser, 'alice@pronto')).toBeUndefined()
    // Nor does Alice's peer take in what is announced there.
    expect(alice.who().has('probe.pronto-wire@local')).toBe(false)
    await stop(probe)
    await stop(browser)
  })

  it('ignores undecodable mDNS packets and oversized TXT records, and goes on', async () => {
    const ip = link.hosts[1]!.address
    const garbage = [
      'import socket, sys',
      's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      `s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("${ip}"))`,
      // A byte; text; a response that claims five answers and holds none; a name that points at itself.
      'packets = [b"\\x00", b"no dns here" * 20, bytes.fromhex("000084000000000500000000"),',
      '  bytes.fromhex("000084000000000100000000") + bytes.fromhex("c00c000c0001000011940002c00c")]',
      'for p in packets * 5: s.sendto(p, ("224.0.0.251", 5353))',
    ].join('\n')
    link.run(link.hosts[1]!, '/usr/bin/python3', ['-c', garbage])
    const big = Array.from({ length: 12 }, (_, i) => `k${i}=${'x'.repeat(120)}`)
    const eve = run(1, '/usr/bin/python3', [
      ...[zeroconf, 'publish', ip, 'eve@epsilon', 'epsilon', 'txtvers=1', 'status=avail', ...big],
    ])
    const frank = run(1, '/usr/bin/python3', [
      ...[zeroconf, 'publish', ip, 'frank@zeta', 'zeta', 'txtvers=1', 'status=avail'],
    ])
    await eventually(
      () => alice.who().get('frank.zeta@local')?.availability === 'available',
      20_000,
    )
    expect(alice.who().has('eve.epsilon@local')).toBe(false)
    expect(alice.output()).not.toMatch(/uncaught|fatal/i)
    await stop(eve)
    await stop(frank)
  })
})
