/**
 * Doc -> store (rules 2–4, 13, 14): records that peers changed are read from the doc, migrated and
 * validated, and put with `store.mergeRemoteChanges` (source 'remote': tldraw's undo ignores
 * them); the binding's own transactions are skipped (no echo). Also what the first load puts.
 */
import type * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import { TEXT_KEY } from './layout.js'
import { getTextFragment, sameRichText } from './text.js'
import { frameScheduler } from './scheduler.js'
import { splitFirstLoad } from './firstLoad.js'
import { hasRichText, overlayFields, yToRecord } from './records.js'
import { migrateRecord, readDocSchema } from './schema.js'
import type { BindingState } from './bindingState.js'

export interface RemoteApplier {
  /** Reads, migrates and validates a record from the doc; null when unusable. */
  load(id: string, value: unknown): TLRecord | null
  /** Applies doc records now, or in chunks after the first render where `opts.later` lets them wait. */
  applyInTurn(ids: Iterable<string>): void
  /** Starts following the doc's records; returns the function that stops it. */
  observe(): () => void
}

export function createRemoteApplier(state: BindingState): RemoteApplier {
  const { store, doc, records, schema, opts, origin, docTypes, include, pending, mirror } = state
  const remoteIds = new Set<string>()
  let remoteScheduled = false

  const warn = (id: string, reason: string) => {
    if (opts.onRejected) opts.onRejected(id, reason)
    else console.warn(`[copboard/board] skipped record ${id}: ${reason}`)
  }

  const load = (id: string, value: unknown): TLRecord | null => {
    let rec = yToRecord(value)
    if (!rec || rec.id !== id) return warn(id, 'not a record'), null
    if (!docTypes.has(rec.typeName)) return warn(id, `type ${String(rec.typeName)} is not a document record`), null
    if (state.status === 'older') {
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

  /** Records that waited (opts.later): read from the doc as it is when their chunk runs. */
  const loadLater = (ids: string[]) => {
    const done = () => opts.later?.onDone?.()
    if (!ids.length) return
    const chunk = opts.later?.chunk ?? 200
    const next = opts.remoteScheduler ?? frameScheduler
    let at = 0
    const step = () => {
      if (!state.bound) return
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

  /** Applies the records changed since the last apply (rule 13), as the doc holds them now. */
  const applyRemote = () => {
    remoteScheduled = false
    if (!state.bound || !remoteIds.size) return
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

  const observe = () => {
    records.observeDeep(onRecords)
    return () => {
      remoteIds.clear()
      records.unobserveDeep(onRecords)
    }
  }

  return { load, applyInTurn, observe }
}
