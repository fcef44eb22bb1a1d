// Serialization of the messages that carry views to watchers (protocol narvaro.v1); app layer.
// Built around a view serialized once, so every watcher of that view shares the same string.

export const changeMessage = (address: string, seq: number, viewJson: string): string =>
  `{"type":"change","address":${JSON.stringify(address)},"seq":${seq},"view":${viewJson}}`

export const snapshotMessage = (
  address: string,
  seq: number,
  viewJson: string,
  resync: boolean,
): string =>
  `{"type":"snapshot","address":${JSON.stringify(address)},"seq":${seq},"view":${viewJson}${resync ? ',"resync":true' : ''}}`

export const unwatchedMessage = (address: string): string =>
  `{"type":"unwatched","address":${JSON.stringify(address)},"reason":"not-found"}`
