/**
 * Reading records out of the board Y.Doc for the policy: the after-view of a record (what the
 * room holds once the update is applied) and the few facts the rules need (scaffold flag, author
 * fields). See @copboard/board's layout: records are nested Y.Maps, props/meta nested maps.
 */
import * as Y from 'yjs'
import { scaffoldMeta, zoneMeta } from '@copboard/templates'

/** Key of a record's collaborative text (a Y.XmlFragment inside the record's Y.Map, see COMMON shapes). */
export const COLLAB_TEXT_KEY = 'richTextDoc'

type Obj = Record<string, unknown>

export interface RecordView {
  id: string
  /** The record as plain JSON (without the collaborative text), null when it does not exist. */
  record: Obj | null
  /** The record's collaborative text, if any. */
  collab: Y.XmlFragment | null
  /** Why the stored value is not a record at all (then `record` is null). */
  problem: string | null
}

/** The after-view of record `id` in the records map. */
export function readRecordView(records: Y.Map<unknown>, id: string): RecordView {
  const value = records.get(id)
  if (value === undefined) return { id, record: null, collab: null, problem: null }
  if (value instanceof Y.Map) {
    const record: Obj = {}
    let collab: Y.XmlFragment | null = null
    let problem: string | null = null
    for (const [k, v] of value.entries()) {
      if (k === COLLAB_TEXT_KEY) {
        if (v instanceof Y.XmlFragment) collab = v
        else problem = `${COLLAB_TEXT_KEY} is not a Y.XmlFragment`
      } else if (v instanceof Y.AbstractType) {
        record[k] = v.toJSON()
      } else record[k] = v
    }
    return { id, record: problem ? null : record, collab, problem }
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Y.AbstractType)) {
    return { id, record: value as Obj, collab: null, problem: null }
  }
  return { id, record: null, collab: null, problem: 'stored value is not a record' }
}

/** A template scaffold shape: meta.copboard.scaffold === true (templates SPEC R6). */
export function isScaffoldRecord(rec: Obj | null | undefined): boolean {
  return !!rec && rec.typeName === 'shape' && scaffoldMeta(rec as { meta?: unknown })?.scaffold === true
}

/** Same as isScaffoldRecord, read straight from the stored value without converting it. */
export function isScaffoldValue(value: unknown): boolean {
  if (value instanceof Y.Map) {
    if (value.get('typeName') !== 'shape') return false
    const meta = value.get('meta')
    const copboard = meta instanceof Y.Map ? meta.get('copboard') : (meta as Obj | undefined)?.copboard
    return !!copboard && typeof copboard === 'object' && (copboard as Obj).scaffold === true && typeof (copboard as Obj).templateId === 'string'
  }
  return isScaffoldRecord(value as Obj)
}

/** A field of a stored value, read without converting it (a nested Y.Map or a plain object). */
export function storedField(o: unknown, k: string): unknown {
  return o instanceof Y.Map ? o.get(k) : o && typeof o === 'object' ? (o as Obj)[k] : undefined
}

/**
 * Which zone a stored zone shape defines (`<templateId> <zoneId>`), null for any other value: a
 * zone shape by templates' `zoneMeta`, the rule the web client's `isZoneShape` follows too.
 */
export function zoneKeyOf(value: unknown): string | null {
  if (storedField(value, 'typeName') !== 'shape') return null
  const m = zoneMeta(storedField(storedField(value, 'meta'), 'copboard'))
  return m ? `${m.templateId} ${m.zoneId}` : null
}

const present = (v: unknown) => v !== undefined && v !== null && v !== ''

/** Fields that reveal who wrote a shape: meta.author, meta.perspective, props.textLastEditedBy. */
export function authorFields(rec: Obj): string[] {
  const out: string[] = []
  const meta = rec.meta as Obj | undefined
  const props = rec.props as Obj | undefined
  if (meta && typeof meta === 'object') {
    if (present(meta.author)) out.push('meta.author')
    if (present(meta.perspective)) out.push('meta.perspective')
  }
  if (props && typeof props === 'object' && present(props.textLastEditedBy)) out.push('props.textLastEditedBy')
  return out
}

/** A record as tldraw sees it from a stored value (for geometry of parents): plain JSON or null. */
export function plainRecord(value: unknown): Obj | null {
  if (value instanceof Y.Map) return value.toJSON() as Obj
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Y.AbstractType)) return value as Obj
  return null
}
