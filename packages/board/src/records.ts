/**
 * Pure conversions between tldraw records and the board Y.Doc (see layout.ts).
 * Usable on the server: no DOM, no store.
 */
import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import { getRecordsMap, NESTED_FIELDS, TEXT_KEY } from './layout.js'
import { fragmentToRichText, getTextFragment, richTextToFragment, sameRichText, writeRichTextToFragment } from './text.js'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Obj = Record<string, unknown>

const isNested = (key: string) => (NESTED_FIELDS as readonly string[]).includes(key)

/** Structural equality for JSON values (records are plain JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    if (a.length !== bb.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false
    return true
  }
  const ka = Object.keys(a as Obj).filter((k) => (a as Obj)[k] !== undefined)
  const kb = Object.keys(b as Obj).filter((k) => (b as Obj)[k] !== undefined)
  if (ka.length !== kb.length) return false
  for (const k of ka) if (!jsonEqual((a as Obj)[k], (b as Obj)[k])) return false
  return true
}

/**
 * Converts one stored record (Y.Map, or a plain object written by someone else) to a plain object.
 * A record with a text fragment gets `props.richText` rendered from it: the fragment wins over a
 * mirror that lags or lost a race (README rule 8).
 */
export function yToRecord(value: unknown): TLRecord | null {
  if (value instanceof Y.Map) {
    const rec = value.toJSON() as Obj
    delete rec[TEXT_KEY]
    const frag = getTextFragment(value)
    if (frag && frag.length > 0 && isPlain(rec.props)) rec.props = { ...rec.props, richText: fragmentToRichText(frag) }
    return rec as unknown as TLRecord
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return structuredClone(value) as TLRecord
  return null
}

/** All records of the board, as plain tldraw records (not validated, not migrated). */
export function readRecords(doc: Y.Doc): TLRecord[] {
  const out: TLRecord[] = []
  getRecordsMap(doc).forEach((value, id) => {
    const rec = yToRecord(value)
    if (rec && typeof rec === 'object' && rec.id === id) out.push(rec)
  })
  return out
}

/** Reads one record by id. */
export function readRecord(doc: Y.Doc, id: string): TLRecord | null {
  const rec = yToRecord(getRecordsMap(doc).get(id))
  return rec && rec.id === id ? rec : null
}

function setValue(map: Y.Map<unknown>, key: string, value: unknown) {
  if (value === undefined) {
    if (map.has(key)) map.delete(key)
    return
  }
  if (!jsonEqual(map.get(key), value)) map.set(key, value as Json)
}

function nestedMap(fields: Obj | undefined): Y.Map<unknown> {
  const m = new Y.Map<unknown>()
  for (const [k, v] of Object.entries(fields ?? {})) if (v !== undefined) m.set(k, v as Json)
  return m
}

/** True when records of this shape carry collaborative text (they have `props.richText`). */
export function hasRichText(record: unknown): boolean {
  const props = isPlain(record) ? record.props : undefined
  return isPlain(props) && isPlain(props.richText)
}

/** A fresh Y.Map for `record` (props/meta nested; a text fragment when it has `props.richText`). */
export function recordToY(record: TLRecord): Y.Map<unknown> {
  const m = new Y.Map<unknown>()
  for (const [k, v] of Object.entries(record as unknown as Obj)) {
    if (v === undefined || k === TEXT_KEY) continue
    if (isNested(k) && v && typeof v === 'object' && !Array.isArray(v)) m.set(k, nestedMap(v as Obj))
    else m.set(k, v as Json)
  }
  if (hasRichText(record)) m.set(TEXT_KEY, richTextToFragment((record as unknown as { props: Obj }).props.richText))
  return m
}

/**
 * Writes the fields of `record` that differ from what is stored, one Y.Map key per field.
 * With `changed` only those top-level fields (and, for props/meta, those sub-keys) are written:
 * that is how a local edit touches only what the user changed, so a concurrent edit of another
 * field of the same record survives.
 */
export function upsertRecord(
  records: Y.Map<Y.Map<unknown>>,
  record: TLRecord,
  changed?: FieldChanges,
): void {
  const existing = records.get(record.id) as unknown
  if (!(existing instanceof Y.Map)) {
    records.set(record.id, recordToY(record) as Y.Map<unknown>)
    return
  }
  const rec = record as unknown as Obj
  const keys = (changed ? [...changed.keys()] : union(Object.keys(rec), [...existing.keys()])).filter((k) => k !== TEXT_KEY)
  for (const key of keys) {
    const value = rec[key]
    if (isNested(key)) {
      const sub = existing.get(key)
      if (!(sub instanceof Y.Map) || value === undefined || value === null || typeof value !== 'object') {
        if (value === undefined) existing.delete(key)
        else existing.set(key, nestedMap(value as Obj))
        continue
      }
      const v = value as Obj
      const subKeys = changed?.get(key) ?? union(Object.keys(v), [...sub.keys()])
      for (const sk of subKeys) setValue(sub, sk, v[sk])
      // a text written as a whole value (template, restore, paste) goes into the fragment too,
      // as a minimal edit, so the fragment (which wins) shows it
      const frag = key === 'props' && subKeys.includes('richText') ? getTextFragment(existing) : null
      if (frag && isPlain(v.richText) && !sameRichText(fragmentToRichText(frag), v.richText)) writeRichTextToFragment(frag, v.richText)
    } else {
      setValue(existing, key, value)
    }
  }
}

/** top-level field -> null (whole value) or the changed sub-keys of props/meta. */
export type FieldChanges = Map<string, string[] | null>

/** Which fields differ between two versions of a record (props/meta per sub-key). */
export function diffFields(from: TLRecord, to: TLRecord): FieldChanges {
  const a = from as unknown as Obj
  const b = to as unknown as Obj
  const out: FieldChanges = new Map()
  for (const key of union(Object.keys(a), Object.keys(b))) {
    const va = a[key]
    const vb = b[key]
    if (isNested(key) && isPlain(va) && isPlain(vb)) {
      const subs = union(Object.keys(va), Object.keys(vb)).filter((k) => !jsonEqual(va[k], vb[k]))
      if (subs.length) out.set(key, subs)
    } else if (!jsonEqual(va, vb)) {
      out.set(key, null)
    }
  }
  return out
}

/** Merges two field change sets (union). */
export function mergeFieldChanges(a: FieldChanges, b: FieldChanges): FieldChanges {
  const out: FieldChanges = new Map(a)
  for (const [k, subs] of b) {
    const prev = out.get(k)
    if (prev === undefined) out.set(k, subs)
    else if (prev === null || subs === null) out.set(k, null)
    else out.set(k, union(prev, subs))
  }
  return out
}

/** Applies `changes` (field set) of `source` onto `target` (returns a new object). */
export function overlayFields(target: TLRecord, source: TLRecord, changes: FieldChanges): TLRecord {
  const t = { ...(target as unknown as Obj) }
  const s = source as unknown as Obj
  for (const [key, subs] of changes) {
    if (subs && isPlain(t[key]) && isPlain(s[key])) {
      const merged = { ...(t[key] as Obj) }
      for (const sk of subs) {
        if ((s[key] as Obj)[sk] === undefined) delete merged[sk]
        else merged[sk] = (s[key] as Obj)[sk]
      }
      t[key] = merged
    } else if (s[key] === undefined) delete t[key]
    else t[key] = s[key]
  }
  return t as unknown as TLRecord
}

export interface WriteRecordsOptions {
  /** Transaction origin (so listeners can tell who wrote). */
  origin?: unknown
  /** Delete every stored record that is not in `records` (e.g. restoring a snapshot). */
  replace?: boolean
}

/**
 * Writes tldraw records into the board doc in one transaction, field by field (only what differs
 * from what is stored). Does not validate: validate first on untrusted input.
 */
export function writeRecords(doc: Y.Doc, records: Iterable<TLRecord>, opts: WriteRecordsOptions = {}): void {
  const map = getRecordsMap(doc)
  doc.transact(() => {
    const keep = new Set<string>()
    for (const r of records) {
      keep.add(r.id)
      upsertRecord(map, r)
    }
    if (opts.replace) for (const id of [...map.keys()]) if (!keep.has(id)) map.delete(id)
  }, opts.origin ?? null)
}

/** Deletes records by id in one transaction. */
export function deleteRecords(doc: Y.Doc, ids: Iterable<string>, opts: { origin?: unknown } = {}): void {
  const map = getRecordsMap(doc)
  doc.transact(() => {
    for (const id of ids) if (map.has(id)) map.delete(id)
  }, opts.origin ?? null)
}

function isPlain(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v)
}
function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])]
}
