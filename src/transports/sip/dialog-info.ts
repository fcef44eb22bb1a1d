// The dialog event package (RFC 4235) for busy lamps: a desk phone's lamp of a colleague shows a call
// when the view the core computed for that watcher shows the colleague in a call (from an integration,
// a PBX or a phone's PUBLISH); a watcher whose view hides activities never sees a call. Only changes
// of the lamp are sent. Transport layer.
import { Element } from 'ltx'
import type { View } from '../../core/policy/compute-view.js'
import { viewOfMessage, type SipEventContent } from './sip-subscription.js'

export const dialogInfoNs = 'urn:ietf:params:xml:ns:dialog-info'
export const dialogInfoType = 'application/dialog-info+xml'

/** Whether `view` shows its presentity in a call. */
export const inCall = (view: View): boolean =>
  view.availability !== 'offline' &&
  (view.activities ?? []).some((a) => a.kind === 'in-a-call' || a.kind === 'in-a-conference')

/** A full dialog-info document: one confirmed dialog during a call, none otherwise. */
export const dialogInfoXml = (entity: string, version: number, calling: boolean): string => {
  const root = new Element('dialog-info', { xmlns: dialogInfoNs, version, state: 'full', entity })
  if (calling)
    root.c('dialog', { id: 'narvaro-call', direction: 'initiator' }).c('state').t('confirmed')
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.toString()}`
}

/** The dialog package of one presentity for one watcher: a document when the lamp changes. */
export const dialogContent = (entity: string): SipEventContent => {
  let version = 0
  let last: boolean | undefined
  return {
    event: 'dialog',
    contentType: dialogInfoType,
    body: (message) => {
      const view = viewOfMessage(message)
      if (view === undefined || view === 'end') return Promise.resolve(view)
      const calling = inCall(view)
      if (calling === last) return Promise.resolve(undefined)
      last = calling
      return Promise.resolve(dialogInfoXml(entity, version++, calling))
    },
  }
}
