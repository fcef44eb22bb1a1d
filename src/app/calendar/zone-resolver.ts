// Turns the DATE and DATE-TIME values of a calendar into instants: a VTIMEZONE in the file first,
// then an IANA name known to Intl, else the person's zone (floating times too); app layer.
import ICAL from 'ical.js'
import { isKnownTimeZone, wallClockToEpoch } from './zoned-time.js'

type Time = InstanceType<typeof ICAL.Time>
type Component = InstanceType<typeof ICAL.Component>

/** The TZID parameter of a component's property, if any. */
export const tzidOf = (component: Component, property: string): string | undefined => {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid')
  return typeof tzid === 'string' && tzid !== '' ? tzid : undefined
}

export class ZoneResolver {
  readonly #defaultTimeZone: string
  readonly #warn: (message: string) => void
  readonly #zones = new Map<string, string>()

  constructor(defaultTimeZone: string, warn: (message: string) => void) {
    this.#defaultTimeZone = defaultTimeZone
    this.#warn = warn
  }

  /**
   * Epoch ms of a calendar time. `tzid` is the TZID parameter of the property the time came from:
   * ICAL.js resolves it only against the file's VTIMEZONEs and treats other zones as floating.
   * A DATE is local midnight in the person's zone (all-day events follow the person).
   */
  toEpoch(time: Time, tzid: string | undefined): number {
    const wall = { year: time.year, month: time.month, day: time.day }
    if (time.isDate) {
      return wallClockToEpoch({ ...wall, hour: 0, minute: 0, second: 0 }, this.#defaultTimeZone)
    }
    if (time.zone !== undefined && time.zone !== ICAL.Timezone.localTimezone) {
      return time.toUnixTime() * 1000
    }
    const clock = { ...wall, hour: time.hour, minute: time.minute, second: time.second }
    return wallClockToEpoch(clock, this.#zoneNamed(tzid))
  }

  #zoneNamed(tzid: string | undefined): string {
    if (tzid === undefined) return this.#defaultTimeZone
    const known = this.#zones.get(tzid)
    if (known !== undefined) return known
    const zone = isKnownTimeZone(tzid) ? tzid : this.#defaultTimeZone
    if (zone !== tzid) {
      this.#warn(`unknown time zone ${JSON.stringify(tzid)} without a VTIMEZONE: read as ${zone}`)
    }
    this.#zones.set(tzid, zone)
    return zone
  }
}
