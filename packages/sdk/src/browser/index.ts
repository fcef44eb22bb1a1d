// @narvaro/sdk/browser: helpers that need a page: idle detection published by the device, one live
// connection shared by the tabs, and coalesced delivery for tabs in the background. SDK browser layer.
export {
  detectIdle,
  inputEvents,
  type EventTargetLike,
  type IdleDetector,
  type IdleDetectorOptions,
} from './idle-detector.js'
export { publishIdle, type PublishIdleOptions } from './publish-idle.js'
export { coalesceWhenHidden, type BackgroundDeliveryOptions } from './background-delivery.js'
export type { LiveClient } from '../live/live-client.js'
export {
  SharedLive,
  shareLive,
  type ChannelLike,
  type LocksLike,
  type ShareLiveOptions,
} from './shared-live.js'
