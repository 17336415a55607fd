/**
 * The board document: one Y.Doc per board (room).
 *
 *   doc.getMap(RECORDS_KEY)  record id -> Y.Map of the record's fields
 *                            (`props` and `meta` are nested Y.Maps; every other value is stored
 *                            as a whole JSON value, including `props.richText`, which is the
 *                            rendered mirror of the record's TEXT_KEY fragment)
 *   doc.getMap(META_KEY)     { layoutVersion: number, schema: SerializedSchema (tldraw) }
 *   doc.getMap(SESSION_KEY)  session state (agenda step, timer, votes) — written by others
 */
import * as Y from 'yjs'

export const RECORDS_KEY = 'records'
export const META_KEY = 'meta'
export const SESSION_KEY = 'session'

/** Keys inside doc.getMap('meta'). */
export const META_LAYOUT_VERSION = 'layoutVersion'
export const META_SCHEMA = 'schema'

/** Version of the layout described above; bump when the way records are stored changes. */
export const LAYOUT_VERSION = 1

/**
 * Key of a record's collaborative text (a Y.XmlFragment, see text.ts) inside its Y.Map. Not a
 * tldraw field: readers skip it; `props.richText` is rendered from it.
 */
export const TEXT_KEY = 'richTextDoc'

/** Record fields stored as nested Y.Maps (one key per sub-field) instead of whole values. */
export const NESTED_FIELDS = ['props', 'meta'] as const

export function getRecordsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(RECORDS_KEY)
}
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_KEY)
}
export function getSessionMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SESSION_KEY)
}
