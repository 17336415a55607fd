/**
 * Local -> doc (rule 1): the user's store changes are queued per record and written by the
 * scheduler in one Y transaction with the binding's origin — only the fields the user changed, so
 * a peer's concurrent edit of another field of the same record survives.
 */
import { getTextFragment, fragmentToRichText, sameRichText } from './text.js'
import { frameScheduler } from './scheduler.js'
import { diffFields, mergeFieldChanges, upsertRecord, type FieldChanges } from './records.js'
import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import type { BindingState } from './bindingState.js'

export interface LocalWriter {
  /** Writes the queued changes now (drops them when read-only). */
  flush(): void
  /** Starts queueing the user's document changes; returns the function that stops it. */
  listen(): () => void
}

export function createLocalWriter(state: BindingState): LocalWriter {
  const { store, doc, records, pending, mirror, opts, origin, include } = state
  const schedule = opts.scheduler ?? frameScheduler
  let scheduled = false

  const flush = () => {
    scheduled = false
    if (!pending.size) return
    if (state.readonly) {
      pending.clear()
      return
    }
    const batch = [...pending.values()]
    pending.clear()
    doc.transact(() => {
      for (const p of batch) {
        if (!p.to) {
          if (p.from) records.delete(p.from.id)
          continue
        }
        if (!p.from || !records.has(p.to.id)) upsertRecord(records, p.to)
        else if (p.fields.size) upsertRecord(records, p.to, p.fields)
      }
    }, origin)
  }

  /**
   * A text change that the editor made through the fragment (this client's editor is live on it,
   * or the text equals the fragment's rendering right now — ySync writes the fragment before the
   * editor reports the change) is not written as a whole value: the mirror follows, debounced
   * (rule 8). Checked when the change happens, not at flush: by then a peer's keystrokes may have
   * reached the fragment, and writing the older text would revert them.
   */
  const withoutEditorText = (id: string, to: TLRecord, fields: FieldChanges): FieldChanges => {
    const subs = fields.get('props')
    if (!subs || !subs.includes('richText')) return fields
    const frag = getTextFragment(records.get(id))
    if (!frag || frag.length === 0) return fields
    if (!opts.isTextLive?.(id) && !sameRichText(fragmentToRichText(frag), (to as any).props?.richText)) return fields
    mirror.schedule(id)
    const out = new Map(fields)
    const rest = subs.filter((k) => k !== 'richText')
    if (rest.length) out.set('props', rest)
    else out.delete('props')
    return out
  }

  /** Queues one record's change (`from` null: created; `to` null: removed) and schedules a flush. */
  const queue = (id: string, from: TLRecord | null, to: TLRecord | null) => {
    const p = pending.get(id)
    if (!p) {
      pending.set(id, { from, to, fields: from && to ? withoutEditorText(id, to, diffFields(from, to)) : new Map() })
    } else {
      if (p.to && to) p.fields = mergeFieldChanges(p.fields, withoutEditorText(id, to, diffFields(p.to, to)))
      else if (!p.to && to) p.from = null // deleted then re-created: write whole record
      p.to = to
      if (!p.from && !p.to) pending.delete(id) // created and deleted in one batch
    }
    if (!scheduled) {
      scheduled = true
      schedule(() => state.bound && flush())
    }
  }

  const listen = () =>
    store.listen(
      ({ changes }: { changes: RecordsDiff<TLRecord> }) => {
        for (const r of Object.values(changes.added)) if (include(r)) queue(r.id, null, r)
        for (const [from, to] of Object.values(changes.updated)) if (include(to)) queue(to.id, from, to)
        for (const r of Object.values(changes.removed)) if (include(r)) queue(r.id, r, null)
      },
      { source: 'user', scope: 'document' },
    )

  return { flush, listen }
}
