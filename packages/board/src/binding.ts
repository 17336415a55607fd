/**
 * tldraw store <-> board Y.Doc binding.
 *
 * - Only *document* records are synced (shapes, bindings, assets, pages, document, user);
 *   session/camera/instance/presence records never leave the client.
 * - Local changes: `store.listen(…, { source: 'user', scope: 'document' })`. Changes are collected
 *   per record as (first `from`, latest `to`) and flushed by the scheduler (one animation frame by
 *   default) in ONE Y transaction with `origin` = the binding's own origin. Only the fields that the
 *   user changed are written (props/meta per sub-key), so a concurrent edit of another field of
 *   the same record by a peer survives.
 * - Remote changes: a deep observer on doc.getMap('records') that skips the binding's own
 *   transactions (no echo), reads the changed records, migrates (older board) and validates them
 *   with the store's schema, and applies the valid ones with `store.mergeRemoteChanges` (source
 *   'remote': tldraw's history/undo ignores them). Invalid records are skipped with a warning.
 *   With `remoteScheduler` the changed ids are collected and applied once per scheduled run.
 * - Schema: doc.getMap('meta') holds tldraw's serialized schema. A client that does not know the
 *   stored versions ('newer') becomes read-only for the doc: it shows the board but never writes.
 */
import * as Y from 'yjs'
import type { Store, RecordsDiff } from '@tldraw/store'
export type { Scheduler } from './scheduler.js'
import type { TLRecord } from '@tldraw/tlschema'
import { getMetaMap, getRecordsMap, TEXT_KEY } from './layout.js'
import { fragmentToRichText, getTextFragment, richTextToFragment, sameRichText } from './text.js'
import { frameScheduler } from './scheduler.js'
import { createTextMirror } from './mirror.js'
import { splitFirstLoad } from './firstLoad.js'
import type { BindOptions, BoardBinding } from './bindingTypes.js'

export type { BindOptions, BoardBinding }
import {
  diffFields,
  hasRichText,
  mergeFieldChanges,
  overlayFields,
  readRecords,
  upsertRecord,
  yToRecord,
  type FieldChanges,
} from './records.js'
import { checkDocSchema, migrateRecord, readDocSchema, writeDocSchema, type DocSchemaStatus } from './schema.js'

type TLStoreLike = Store<TLRecord, any>

interface Pending {
  from: TLRecord | null // null: created in this batch
  to: TLRecord | null // null: removed
  fields: FieldChanges
}

export function bindStoreToDoc(store: TLStoreLike, doc: Y.Doc, opts: BindOptions = {}): BoardBinding {
  const origin = opts.userOrigin ?? { binding: 'copboard-board' }
  const schedule = opts.scheduler ?? frameScheduler
  const records = getRecordsMap(doc)
  const meta = getMetaMap(doc)
  const schema = store.schema as any
  const docTypes = new Set(
    Object.values(schema.types)
      .filter((t: any) => t.scope === 'document')
      .map((t: any) => t.typeName as string),
  )
  const include = opts.include ?? (() => true)
  const warn = (id: string, reason: string) => {
    if (opts.onRejected) opts.onRejected(id, reason)
    else console.warn(`[copboard/board] skipped record ${id}: ${reason}`)
  }

  let status: DocSchemaStatus = checkDocSchema(doc, schema)
  let readonly = status === 'newer'
  const pending = new Map<string, Pending>()
  let scheduled = false
  let bound = true
  const mirror = createTextMirror(doc, records, origin, opts.mirrorDelayMs ?? 1000, () => readonly)
  const remoteIds = new Set<string>()
  let remoteScheduled = false

  /** Reads, migrates and validates a record from the doc; null when unusable. */
  const load = (id: string, value: unknown): TLRecord | null => {
    let rec = yToRecord(value)
    if (!rec || rec.id !== id) return warn(id, 'not a record'), null
    if (!docTypes.has(rec.typeName)) return warn(id, `type ${String(rec.typeName)} is not a document record`), null
    if (status === 'older') {
      const m = migrateRecord(schema, readDocSchema(doc), rec)
      if (!m) return warn(id, 'migration failed'), null
      rec = m
    }
    try {
      const before = store.get(id as any) ?? null
      return schema.validateRecord(store, rec, before ? 'updateRecord' : 'createRecord', before) as TLRecord
    } catch (e) {
      warn(id, (e as Error).message.split('\n')[0])
      return null
    }
  }

  /** Applies doc records `ids` to the store (remote changes). */
  const applyFromDoc = (ids: Iterable<string>) => {
    const puts: TLRecord[] = []
    const removes: TLRecord['id'][] = []
    for (const id of ids) {
      const value = records.get(id)
      if (value === undefined) {
        pending.delete(id) // a remote delete wins over a pending local edit
        const held = store.get(id as any) as TLRecord | undefined
        if (held && include(held)) removes.push(id as TLRecord['id'])
        continue
      }
      const loaded = load(id, value)
      if (!loaded || !include(loaded)) continue
      let rec: TLRecord = loaded
      const cur = store.get(id as any) as TLRecord | undefined
      if (cur && hasRichText(cur) && hasRichText(rec) && getTextFragment(value)) {
        const curText = (cur as any).props.richText
        // the same text (or the editor's own, live one) keeps its object: no re-render, and
        // tldraw's editor never gets its content replaced under the caret
        if (opts.isTextLive?.(id) || sameRichText(curText, (rec as any).props.richText)) rec = { ...(rec as any), props: { ...(rec as any).props, richText: curText } } as TLRecord
      }
      const p = pending.get(id)
      if (p) {
        if (!p.to) continue // we deleted it locally; the flush will delete it in the doc
        // fields the user changed (not yet flushed) win: they are written on flush
        rec = overlayFields(rec, p.to, p.fields)
      }
      puts.push(rec)
    }
    if (!puts.length && !removes.length) return
    store.mergeRemoteChanges(() => {
      if (removes.length) store.remove(removes)
      for (const r of puts) {
        try {
          store.put([r])
        } catch (e) {
          warn(r.id, (e as Error).message.split('\n')[0])
        }
      }
    })
  }

  const flush = () => {
    scheduled = false
    if (!pending.size) return
    if (readonly) {
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
      schedule(() => bound && flush())
    }
  }

  // --- initial load --------------------------------------------------------------------------
  /** Records that waited (opts.later): read from the doc as it is when their chunk runs. */
  const loadLater = (ids: string[]) => {
    const done = () => opts.later?.onDone?.()
    if (!ids.length) return
    const chunk = opts.later?.chunk ?? 200
    const next = opts.remoteScheduler ?? frameScheduler
    let at = 0
    const step = () => {
      if (!bound) return
      applyFromDoc(ids.slice(at, (at += chunk)))
      if (at < ids.length) next(step)
      else done()
    }
    void Promise.resolve(opts.later?.after).then(() => next(step))
  }
  /**
   * Applies doc records; a big batch (the board itself, when the server's state arrives after the
   * binding started on an empty or cached doc) puts the records `later` picks in chunks (rule 14).
   */
  const applyInTurn = (ids: Iterable<string>) => {
    const split = splitFirstLoad(records, ids, opts.later)
    applyFromDoc(split.now)
    loadLater(split.later)
  }
  const initial = () => {
    if (status === 'empty' || status === 'older') {
      if (!readonly && records.size > 0 && status === 'older') {
        // migrate the board up once and stamp our schema
        const migrated: TLRecord[] = []
        for (const r of readRecords(doc)) {
          const m = load(r.id, records.get(r.id))
          if (m) migrated.push(m)
        }
        status = 'same'
        doc.transact(() => {
          for (const r of migrated) upsertRecord(records, r)
          writeDocSchema(doc, schema)
        }, origin)
      } else if (!readonly) {
        writeDocSchema(doc, schema, origin)
        status = 'same'
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
    } else if (!readonly) {
      // first client of an empty board: publish our document records
      const mine = store.allRecords().filter((r) => docTypes.has(r.typeName) && include(r))
      if (mine.length) doc.transact(() => mine.forEach((r) => upsertRecord(records, r)), origin)
    }
    opts.onSchemaStatus?.(status)
  }
  initial()

  // --- local -> doc --------------------------------------------------------------------------
  const stopListening = store.listen(
    ({ changes }: { changes: RecordsDiff<TLRecord> }) => {
      for (const r of Object.values(changes.added)) if (include(r)) queue(r.id, null, r)
      for (const [from, to] of Object.values(changes.updated)) if (include(to)) queue(to.id, from, to)
      for (const r of Object.values(changes.removed)) if (include(r)) queue(r.id, r, null)
    },
    { source: 'user', scope: 'document' },
  )

  // --- doc -> store --------------------------------------------------------------------------
  /** Applies the records changed since the last apply (rule 13), as the doc holds them now. */
  const applyRemote = () => {
    remoteScheduled = false
    if (!bound || !remoteIds.size) return
    const ids = [...remoteIds]
    remoteIds.clear()
    applyInTurn(ids)
  }
  const onRecords = (events: Y.YEvent<any>[], txn: Y.Transaction) => {
    if (txn.origin === origin) return
    const ids = new Set<string>()
    for (const ev of events) {
      if (ev.target === records) for (const k of (ev as Y.YMapEvent<unknown>).keysChanged) ids.add(k)
      else if (typeof ev.path[0] === 'string') {
        const id = ev.path[0]
        ids.add(id)
        // this client's editor typed into the fragment: the mirror follows
        if (txn.local && ev.path[1] === TEXT_KEY) mirror.schedule(id)
        // a peer's mirror write raced ours: whoever wrote last re-renders from the fragment
        else if (!txn.local && mirror.recentlyMirrored(id)) mirror.schedule(id)
      }
    }
    if (!opts.remoteScheduler) return applyInTurn(ids)
    for (const id of ids) remoteIds.add(id)
    if (remoteScheduled) return
    remoteScheduled = true
    opts.remoteScheduler(applyRemote)
  }
  records.observeDeep(onRecords)

  const onMeta = (_e: Y.YMapEvent<unknown>, txn: Y.Transaction) => {
    if (txn.origin === origin) return
    const next = checkDocSchema(doc, schema)
    if (next === status) return
    if (next === 'older' && status === 'same') {
      // an older client stamped its schema (e.g. first to write): keep ours as the doc's schema
      if (!readonly) writeDocSchema(doc, schema, origin)
      return
    }
    status = next
    readonly = next === 'newer'
    opts.onSchemaStatus?.(status)
  }
  meta.observe(onMeta)

  const textFragment = (id: string): Y.XmlFragment | null => {
    flush()
    const rec = records.get(id)
    if (!(rec instanceof Y.Map)) return null
    const existing = getTextFragment(rec)
    if (existing) return existing
    const current = store.get(id as any) ?? yToRecord(rec)
    if (readonly || !hasRichText(current)) return null
    const frag = richTextToFragment((current as any).props.richText)
    doc.transact(() => rec.set(TEXT_KEY, frag), origin)
    return frag
  }

  const unbind = () => {
    if (!bound) return
    flush()
    mirror.flush()
    mirror.stop()
    bound = false
    remoteIds.clear()
    stopListening()
    records.unobserveDeep(onRecords)
    meta.unobserve(onMeta)
  }
  const binding = unbind as BoardBinding
  Object.defineProperties(binding, {
    unbind: { value: unbind },
    flush: {
      value: () => {
        flush()
        mirror.flush()
      },
    },
    textFragment: { value: textFragment },
    readonly: { get: () => readonly },
    origin: { value: origin },
  })
  return binding
}
