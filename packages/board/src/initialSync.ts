/**
 * What a binding does once, when it starts (rules 5, 6): stamps or migrates the doc's schema, then
 * makes the store match a non-empty doc, or publishes the store's records to an empty one.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { readRecords, upsertRecord } from './records.js'
import { writeDocSchema } from './schema.js'
import type { BindingState } from './bindingState.js'
import type { RemoteApplier } from './remoteApply.js'

export function syncOnBind(state: BindingState, { load, applyInTurn }: RemoteApplier): void {
  const { store, doc, records, schema, opts, origin, docTypes, include } = state
  if (state.status === 'empty' || state.status === 'older') {
    if (!state.readonly && records.size > 0 && state.status === 'older') {
      // migrate the board up once and stamp our schema
      const migrated: TLRecord[] = []
      for (const r of readRecords(doc)) {
        const m = load(r.id, records.get(r.id))
        if (m) migrated.push(m)
      }
      state.status = 'same'
      doc.transact(() => {
        for (const r of migrated) upsertRecord(records, r)
        writeDocSchema(doc, schema)
      }, origin)
    } else if (!state.readonly) {
      writeDocSchema(doc, schema, origin)
      state.status = 'same'
    }
  }
  if (records.size > 0) {
    // the doc is the truth: drop local document records it does not have, load the rest
    const inDoc = new Set(records.keys())
    const stale = store
      .allRecords()
      .filter((r) => docTypes.has(r.typeName) && include(r) && !inDoc.has(r.id))
      .map((r) => r.id)
    if (stale.length) store.mergeRemoteChanges(() => store.remove(stale))
    applyInTurn(inDoc)
  } else if (!state.readonly) {
    // first client of an empty board: publish our document records
    const mine = store.allRecords().filter((r) => docTypes.has(r.typeName) && include(r))
    if (mine.length) doc.transact(() => mine.forEach((r) => upsertRecord(records, r)), origin)
  }
  opts.onSchemaStatus?.(state.status)
}
