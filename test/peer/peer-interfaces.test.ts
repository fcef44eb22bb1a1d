// A peer given two interfaces (`--interface eth0 --interface w0a`): it finds people on each of them
// and takes direct requests on each (from that interface's subnet), where the python3-zeroconf people
// of each network are announced by someone nobody here wrote.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { createLink, type Link } from '../support/netns.js'
import { eventually } from '../support/server-harness.js'

const tools = join(import.meta.dirname, 'tools')
const zeroconf = join(tools, 'zeroconf-peer.py')
const keys = mkdtempSync(join(tmpdir(), 'narvaro-caller-'))

let link: Link
let wire: { a: string; b: string }
let alice: PeerProcess
const announcers: ChildProcess[] = []

beforeAll(async () => {
  link = createLink(3)
  // Alice's machine has a second network: a wire to host 2, and she gives the peer both.
  wire = link.wire(0, 2)
  alice = await startPeer(link, link.hosts[0]!, {
    ...{ name: 'alice', machine: 'pronto' },
    args: ['--interface', 'w0a'],
  })
})

afterAll(async () => {
  for (const announcer of announcers) announcer.kill('SIGTERM')
  await alice?.stop('SIGKILL')
  alice?.remove()
  link?.destroy()
  rmSync(keys, { recursive: true, force: true })
})

const announce = (host: number, ip: string, instance: string, machine: string) =>
  announcers.push(
    link.spawn(link.hosts[host]!, '/usr/bin/python3', [
      ...[zeroconf, 'publish', ip, instance, machine, 'txtvers=1', 'status=avail'],
    ]),
  )

describe('a peer on two interfaces', { timeout: 90_000 }, () => {
  it('finds people on each, and answers direct requests on each', async () => {
    announce(1, link.hosts[1]!.address, 'bob@beta', 'beta')
    announce(2, wire.b, 'carol@gamma', 'gamma')
    await eventually(() => {
      const who = alice.who()
      return who.has('bob.beta@local') && who.has('carol.gamma@local')
    }, 20_000)

    // Carol asks over the wire, at Alice's address there: the channel listens there too.
    const answer = JSON.parse(
      link.run(link.hosts[2]!, process.execPath, [
        ...[join(tools, 'link-caller.mjs'), wire.a, '5298', 'carol@gamma', 'voice'],
        join(keys, 'carol'),
      ]),
    ) as Record<string, unknown>
    expect(answer).toMatchObject({ type: 'answer', outcome: 'accepted' })
  })
})
