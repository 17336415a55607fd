/**
 * The tldraw schema stored in the board doc, so that a client (or the server, years later) knows
 * which record versions the board holds: an older client refuses to write to a newer board
 * (read-only) instead of corrupting it, a newer client migrates an older board up.
 */
import * as Y from 'yjs'
import type { SerializedSchema, StoreSchema, UnknownRecord } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { getMetaMap, LAYOUT_VERSION, META_LAYOUT_VERSION, META_SCHEMA } from './layout.js'

export type AnySchema = StoreSchema<any, any>

export function readDocSchema(doc: Y.Doc): SerializedSchema | null {
  const s = getMetaMap(doc).get(META_SCHEMA)
  return s && typeof s === 'object' ? (s as SerializedSchema) : null
}

export function readLayoutVersion(doc: Y.Doc): number | null {
  const v = getMetaMap(doc).get(META_LAYOUT_VERSION)
  return typeof v === 'number' ? v : null
}

/** Stamps the schema (and layout version) into the doc. */
export function writeDocSchema(doc: Y.Doc, schema: AnySchema | SerializedSchema, origin: unknown = null): void {
  const serialized = 'serialize' in schema && typeof schema.serialize === 'function' ? schema.serialize() : (schema as SerializedSchema)
  const meta = getMetaMap(doc)
  doc.transact(() => {
    meta.set(META_SCHEMA, serialized as any)
    meta.set(META_LAYOUT_VERSION, LAYOUT_VERSION)
  }, origin)
}

/**
 * - 'empty': no schema stored yet (new board) — write ours
 * - 'same': same versions
 * - 'older': the board was written by an older client — migrate records up, then stamp ours
 * - 'newer': the board holds versions this client does not know — read-only
 */
export type DocSchemaStatus = 'empty' | 'same' | 'older' | 'newer'

export function checkDocSchema(doc: Y.Doc, schema: AnySchema): DocSchemaStatus {
  const layout = readLayoutVersion(doc)
  if (layout !== null && layout > LAYOUT_VERSION) return 'newer'
  const persisted = readDocSchema(doc)
  if (!persisted) return 'empty'
  const res = schema.getMigrationsSince(persisted)
  if (!res.ok) return 'newer'
  return res.value.length === 0 ? 'same' : 'older'
}

/** Migrates one stored record up to `schema` from the doc's stored schema; null when it cannot. */
export function migrateRecord(schema: AnySchema, persisted: SerializedSchema | null, record: TLRecord): TLRecord | null {
  if (!persisted) return record
  const r = schema.migratePersistedRecord(record as UnknownRecord, persisted, 'up')
  return r.type === 'success' ? (r.value as TLRecord) : null
}
