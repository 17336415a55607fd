/**
 * Opening a big board (issue 12): the records the first render needs go into the store first, the
 * others (e.g. notes far outside the first view) follow in chunks once the board has rendered, so
 * the first render does not wait for thousands of records nobody can see yet. The same holds for a
 * big batch of remote changes (the server's state arriving after the binding started).
 */
import * as Y from 'yjs'

/** The plain fields of a doc record that decide whether it may wait (no conversion, no validation). */
export interface RecordFields {
  id: string
  typeName: unknown
  type: unknown
  parentId: unknown
  x: unknown
  y: unknown
}

export interface LaterOptions {
  /** True: the record may wait until after the first render. */
  when: (fields: RecordFields) => boolean
  /** Boards with fewer records than this load at once (default 500). */
  minRecords?: number
  /** Records put into the store per scheduled run (default 200). */
  chunk?: number
  /** The waiting records start loading once this resolves (e.g. after the first paint). */
  after?: Promise<unknown>
  /** Called when the records of a deferred batch have all been loaded. */
  onDone?: () => void
}

function fieldsOf(id: string, value: unknown): RecordFields | null {
  if (value instanceof Y.Map) return { id, typeName: value.get('typeName'), type: value.get('type'), parentId: value.get('parentId'), x: value.get('x'), y: value.get('y') }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>
    return { id, typeName: v.typeName, type: v.type, parentId: v.parentId, x: v.x, y: v.y }
  }
  return null
}

/** Splits the doc's record ids into those to load now and those that may wait. */
export function splitFirstLoad(records: Y.Map<any>, ids: Iterable<string>, later: LaterOptions | undefined): { now: string[]; later: string[] } {
  const all = [...ids]
  if (!later || all.length < (later.minRecords ?? 500)) return { now: all, later: [] }
  // a record that another one points to (a parent, a binding's end) never waits: tldraw would
  // find the reference dangling (and may clean it up)
  const fields = all.map((id) => fieldsOf(id, records.get(id)))
  const pointedTo = new Set<unknown>()
  for (const f of fields) {
    if (!f) continue
    pointedTo.add(f.parentId)
    if (f.typeName === 'binding') {
      const v = records.get(f.id)
      const get = (k: string) => (v instanceof Y.Map ? v.get(k) : (v as Record<string, unknown>)[k])
      pointedTo.add(get('fromId'))
      pointedTo.add(get('toId'))
    }
  }
  const now: string[] = []
  const wait: string[] = []
  fields.forEach((f, i) => (f && !pointedTo.has(f.id) && later.when(f) ? wait : now).push(all[i]))
  return { now, later: wait }
}
