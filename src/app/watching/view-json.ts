// The one compiled serializer of views (from the core's ViewSchema): every view a watcher is sent is
// turned into JSON here, once per group, never with a property the schema lacks; app layer.
import fastJson from 'fast-json-stringify'
import type { View } from '../../core/policy/compute-view.js'
import { ViewSchema } from '../../core/policy/view-schema.js'

const compiled = fastJson(ViewSchema)

/**
 * The JSON of a view, as `JSON.stringify` would give it (undefined fields omitted), schema-checked,
 * as one flat string. The compiled serializer builds it by concatenation, which V8 keeps as a tree of
 * the pieces; a group holds its view's text until the presentity's next change, so the tree outlived
 * the young generation, pieces and all. V8 flattens a string it converts to a number (in optimized
 * code too), and the pieces are garbage at once.
 */
export const serializeView = (view: View): string => {
  const text = compiled(view)
  Number(text)
  return text
}
