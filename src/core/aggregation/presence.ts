// The aggregate presence of one presentity and where each part came from; core layer.
import type {
  Activity,
  AggregateAvailability,
  ActivityKind,
  ContactKind,
  DeviceInfo,
  Location,
  Note,
  SourceAvailability,
  SourceKind,
  WorkLocation,
} from '../model/presence-model.js'

/** Why the availability is what it is: the answer to "why am I shown as busy?". */
export type AvailabilityRule =
  'manual' | 'activity' | 'scheduled' | 'device' | 'idle' | 'invisible' | 'no-live-source'

export interface AvailabilityProvenance {
  readonly rule: AvailabilityRule
  readonly sourceId?: string
  readonly sourceKind?: SourceKind
  /** The activity that decided it, with rule `activity` (or `scheduled`, when the schedule set one). */
  readonly activity?: ActivityKind
  /** When the deciding publication ends. */
  readonly until?: number
}

export interface ActivityProvenance {
  readonly activity: Activity
  readonly sourceId: string
  readonly sourceKind: SourceKind
}

export interface Provenance {
  readonly availability: AvailabilityProvenance
  readonly activities: readonly ActivityProvenance[]
  readonly note?: string
  readonly location?: string
  readonly workLocation?: string
}

export interface DeviceSummary extends DeviceInfo {
  readonly id: string
  /** The device's own availability after idle detection. */
  readonly availability: SourceAvailability
  readonly idle: boolean
}

/** The aggregate of all live publications of one presentity. Never stored per watcher. */
export interface Presence {
  readonly address: string
  readonly availability: AggregateAvailability
  readonly activities: readonly Activity[]
  readonly note?: Note
  readonly mood?: string
  readonly place?: string
  readonly location?: Location
  readonly workLocation?: WorkLocation
  readonly timeZone?: string
  readonly devices: readonly DeviceSummary[]
  /** Contact kinds that some live source can take now. */
  readonly reachable: readonly ContactKind[]
  /** When the presentity was last seen online; set while offline (or invisible). */
  readonly lastSeen?: number
  readonly provenance: Provenance
}
