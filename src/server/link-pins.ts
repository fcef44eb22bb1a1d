// The keys of the other peers, pinned to their instance names on first contact (trust on first use):
// a JSON file in the data directory, readable by the service only; composition root.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { LinkPins } from '../transports/link/link-channel.js'

export class FileLinkPins implements LinkPins {
  private readonly pins: Map<string, string>

  constructor(private readonly file: string) {
    const saved: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
    this.pins = new Map(
      Object.entries(saved as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    )
  }

  check(instance: string, fingerprint: string): 'new' | 'same' | 'changed' {
    const pinned = this.pins.get(instance)
    if (pinned !== undefined) return pinned === fingerprint ? 'same' : 'changed'
    this.pins.set(instance, fingerprint)
    const temporary = `${this.file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.pins), null, 2), {
      mode: 0o600,
    })
    renameSync(temporary, this.file)
    return 'new'
  }
}
