/**
 * §7.2–§7.3: the schema migration of an older board. The first client that opens it migrates
 * every record up and stamps the current schema in one transaction (board README rule 6) — often
 * a participant, who may not touch the scaffold otherwise. Such an update is admitted for every
 * editing role when each record it rewrites is *exactly* the migration of that record as it was
 * before the update (so nothing else rides along); and a stamp that would leave records
 * un-migrated is refused. The before-view comes from the transaction itself: the items a map
 * key held before `tr` (Yjs keeps a deleted item's content until the transaction ends).
 */
import * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { migrateRecord, META_SCHEMA } from '@copboard/board'
import type { AnySchema } from './schema.js'
import { schemaProblem } from './schema.js'
import { COLLAB_TEXT_KEY, readRecordView } from '../view.js'
import { OK, refuse, type Verdict } from '../context.js'

type Obj = Record<string, unknown>
type AnyItem = { id: Y.ID; left: AnyItem | null; deleted: boolean; length: number; content: { getContent(): unknown[] } }

const ABSENT = Symbol('absent')

/** The value of `map[key]` before transaction `tr` (plain JSON; nested maps read the same way), or ABSENT. */
function beforeValue(map: Y.Map<unknown>, key: string, tr: Y.Transaction): unknown {
  let item = (map as unknown as { _map: Map<string, AnyItem> })._map.get(key) ?? null
  const createdInTr = (i: AnyItem) => i.id.clock >= (tr.beforeState.get(i.id.client) ?? 0)
  while (item && createdInTr(item)) item = item.left
  if (!item || !(item instanceof Y.Item)) return ABSENT
  if (item.deleted && !Y.isDeleted(tr.deleteSet, item.id)) return ABSENT // deleted before tr
  const content = item.content.getContent()
  const v = content[content.length - 1]
  if (v instanceof Y.Map) return beforeMap(v, tr)
  if (v instanceof Y.AbstractType) return v.toJSON()
  return v
}

function beforeMap(map: Y.Map<unknown>, tr: Y.Transaction): Obj {
  const out: Obj = {}
  for (const key of (map as unknown as { _map: Map<string, unknown> })._map.keys()) {
    if (key === COLLAB_TEXT_KEY) continue
    const v = beforeValue(map, key, tr)
    if (v !== ABSENT) out[key] = v
  }
  return out
}

/** Record `id` as it was before `tr` (without its collaborative text), null when it did not exist. */
export function beforeRecord(records: Y.Map<unknown>, id: string, tr: Y.Transaction): Obj | null {
  const v = beforeValue(records, id, tr)
  return v !== ABSENT && v && typeof v === 'object' ? (v as Obj) : null
}

/**
 * The schema this update migrates the board from: the update stamps `schema` (the server's) over
 * an older stamp. Null when the update is no migration.
 */
export function migrationFrom(doc: Y.Doc, tr: Y.Transaction, schema: AnySchema, stampTouched: boolean): SerializedSchema | null {
  if (!stampTouched) return null
  const meta = doc.getMap('meta')
  const now = meta.get(META_SCHEMA) as SerializedSchema | undefined
  if (!now || typeof now !== 'object') return null
  const ours = schema.getMigrationsSince(now)
  if (!ours.ok || ours.value.length > 0) return null // not stamped to our schema
  const before = beforeValue(meta, META_SCHEMA, tr)
  if (before === ABSENT || !before || typeof before !== 'object') return null
  const since = schema.getMigrationsSince(before as SerializedSchema)
  return since.ok && since.value.length > 0 ? (before as SerializedSchema) : null
}

const equal = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b || Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a as Obj).filter((k) => (a as Obj)[k] !== undefined)
  const kb = Object.keys(b as Obj).filter((k) => (b as Obj)[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => equal((a as Obj)[k], (b as Obj)[k]))
}

/**
 * Is `after` exactly `before` migrated from `from` to `schema`? A record with a collaborative
 * text ignores its `props.richText` mirror (every reader renders the text from the fragment,
 * board README rule 8, and the migrating client rewrites the mirror from it).
 */
export function isMigrationOf(schema: AnySchema, from: SerializedSchema, before: Obj | null, after: Obj | null, hasCollab: boolean): boolean {
  if (!before || !after) return false
  const migrated = migrateRecord(schema, from, before as unknown as TLRecord) as unknown as Obj | null
  if (!migrated) return false
  if (!hasCollab) return equal(migrated, after)
  const strip = (r: Obj) => ({ ...r, props: { ...(r.props as Obj), richText: undefined } })
  return equal(strip(migrated), strip(after))
}

/**
 * §7.2 / §7.3 for an update that migrates the board from `from`: each touched record that is
 * exactly its before-view migrated is the migration (still validated against the schema); every
 * record the update left alone must need no migration, or the new stamp would declare an
 * un-migrated record current.
 */
export function checkMigration(records: Y.Map<unknown>, tr: Y.Transaction, touched: Set<string>, from: SerializedSchema, schema: AnySchema, docTypes: Set<string>): { verdict: Verdict; migrated: Set<string> } {
  const migrated = new Set<string>()
  for (const id of touched) {
    const view = readRecordView(records, id)
    if (!view.record || !isMigrationOf(schema, from, beforeRecord(records, id, tr), view.record, !!view.collab)) continue
    const invalid = schemaProblem(schema, docTypes, id, view.record, { status: 'same', persisted: null })
    if (invalid) return { verdict: refuse('invalid-record', `${id}: ${invalid}`), migrated }
    migrated.add(id)
  }
  for (const id of records.keys()) {
    if (touched.has(id)) continue
    const view = readRecordView(records, id)
    if (view.record && !isMigrationOf(schema, from, view.record, view.record, !!view.collab)) {
      return { verdict: refuse('invalid-record', `${id}: the schema stamp moved on but this record was not migrated`), migrated }
    }
  }
  return { verdict: OK, migrated }
}
