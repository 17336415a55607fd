/**
 * What a Yjs transaction touched, attributed to the board's parts (SPEC.md §1.1): every changed
 * type is walked up its parents to the root map, so a change deep inside a record (a nested
 * props map, a collaborative text's XmlText) counts as a change of that record.
 */
import * as Y from 'yjs'
import { META_KEY, RECORDS_KEY, SESSION_KEY } from '@copboard/board'

/** A record's collaborative text key (view.ts COLLAB_TEXT_KEY; repeated to keep this module leaf). */
const COLLAB_KEY = 'richTextDoc'

/** Path element for a child of a sequence (array, text, XML): it has no key. */
export const SEQ = '#'

/** Which fields of an existing record changed (null in `recordFields`: read the whole record). */
export interface RecordFieldChanges {
  top: Set<string>
  props: Set<string> | null
  meta: Set<string> | null
}

const NESTED = new Set(['props', 'meta'])

export interface Touches {
  /** Record ids created, changed or deleted (a malformed change straight on the records map: ''). */
  records: Set<string>
  /**
   * Per record: the changed top-level fields and props/meta sub-keys when that is all that
   * changed (a drag: `x`, `y`), else null (created, replaced, deleted, or changed deeper).
   */
  recordFields: Map<string, RecordFieldChanges | null>
  /** Full paths below doc.getMap('session') of every changed entry (e.g. ['votes', 'v1', 'dots', pid]). */
  session: string[][]
  /** Keys of doc.getMap('meta') that changed. */
  meta: Set<string>
  /** Other root types that changed (not governed by the board policy, SPEC.md §1.4). */
  otherRoots: Set<string>
}

const rootNames = new WeakMap<Y.AbstractType<any>, string>()

function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string {
  const cached = rootNames.get(type)
  if (cached !== undefined) return cached
  for (const [name, t] of doc.share) {
    if (t === type) {
      rootNames.set(type, name)
      return name
    }
  }
  return ''
}

/** Root name and key path of a type (['shape:a', 'props'] for a record's props map). */
export function typePath(doc: Y.Doc, type: Y.AbstractType<any>): { root: string; path: string[] } {
  const rev: string[] = []
  let t: Y.AbstractType<any> = type
  for (let guard = 0; t._item !== null && guard < 10_000; guard++) {
    const item: Y.Item = t._item
    rev.push(item.parentSub ?? SEQ)
    t = item.parent as Y.AbstractType<any>
  }
  return { root: rootName(doc, t), path: rev.reverse() }
}

export function collectTouches(tr: Y.Transaction): Touches {
  const doc = tr.doc
  const out: Touches = { records: new Set(), recordFields: new Map(), session: [], meta: new Set(), otherRoots: new Set() }
  const whole = (id: string) => out.recordFields.set(id, null)
  const fieldsOf = (id: string): RecordFieldChanges | null => {
    if (!out.recordFields.has(id)) out.recordFields.set(id, { top: new Set(), props: null, meta: null })
    return out.recordFields.get(id)!
  }
  for (const [type, keys] of tr.changed) {
    const { root, path } = typePath(doc, type)
    if (root === RECORDS_KEY) {
      if (path.length === 0) {
        for (const k of keys) {
          out.records.add(k ?? '')
          whole(k ?? '')
        }
        continue
      }
      const id = path[0]
      out.records.add(id)
      const f = fieldsOf(id)
      if (!f) continue
      if (path.length === 1) {
        for (const k of keys) {
          if (k === null || NESTED.has(k) || k === COLLAB_KEY) whole(id)
          else f.top.add(k)
        }
      } else if (path.length === 2 && NESTED.has(path[1])) {
        const nested = path[1] as 'props' | 'meta'
        const subs = (f[nested] ??= new Set())
        for (const k of keys) {
          if (k === null) whole(id)
          else subs.add(k)
        }
      } else whole(id)
    } else if (root === SESSION_KEY) {
      for (const k of keys) out.session.push(k === null ? path : [...path, k])
    } else if (root === META_KEY) {
      if (path.length > 0) out.meta.add(path[0])
      else for (const k of keys) out.meta.add(k ?? SEQ)
    } else out.otherRoots.add(root)
  }
  return out
}
