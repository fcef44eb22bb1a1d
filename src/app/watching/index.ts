// The watching concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { AskerViews } from './asker-views.js'
export { HoursTicker } from './hours-ticker.js'
export { SubscriptionRecords } from './subscription-records.js'
export { SubscriptionService } from './subscription-service.js'
export { WatchHub } from './watch-hub.js'
export type { WatchFrom, WatcherSink } from './watch-hub.js'
export { createHoursTicker, createWatching, stopWatching } from './create-watching.js'
export type { HoursTickerParts, WatchingParts, WatchingSettings } from './create-watching.js'
export { serializeView } from './view-json.js'
