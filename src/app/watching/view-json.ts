// The one compiled serializer of views (from the core's ViewSchema): every view a watcher is sent is
// turned into JSON here, once per group, never with a property the schema lacks; app layer.
import fastJson from 'fast-json-stringify'
import type { View } from '../../core/policy/compute-view.js'
import { ViewSchema } from '../../core/policy/view-schema.js'

const compiled = fastJson(ViewSchema)

/** The JSON of a view, as `JSON.stringify` would give it (undefined fields omitted), schema-checked. */
export const serializeView = (view: View): string => compiled(view)
