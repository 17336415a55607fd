/**
 * tldraw store <-> board Y.Doc binding.
 *
 * - Only *document* records are synced (shapes, bindings, assets, pages, document, user);
 *   session/camera/instance/presence records never leave the client.
 * - Local changes (localWrites.ts): `store.listen(…, { source: 'user', scope: 'document' })`.
 *   Changes are collected per record as (first `from`, latest `to`) and flushed by the scheduler
 *   (one animation frame by default) in ONE Y transaction with `origin` = the binding's own origin.
 *   Only the fields that the user changed are written (props/meta per sub-key), so a concurrent
 *   edit of another field of the same record by a peer survives.
 * - Remote changes (remoteApply.ts): a deep observer on doc.getMap('records') that skips the
 *   binding's own transactions (no echo), reads the changed records, migrates (older board) and
 *   validates them with the store's schema, and applies the valid ones with
 *   `store.mergeRemoteChanges` (source 'remote': tldraw's history/undo ignores them). Invalid
 *   records are skipped with a warning. With `remoteScheduler` the changed ids are collected and
 *   applied once per scheduled run.
 * - Schema: doc.getMap('meta') holds tldraw's serialized schema (stamped or migrated on bind:
 *   initialSync.ts). A client that does not know the stored versions ('newer') becomes read-only
 *   for the doc: it shows the board but never writes.
 */
import * as Y from 'yjs'
import { getMetaMap, TEXT_KEY } from './layout.js'
import { getTextFragment, richTextToFragment } from './text.js'
import type { BindOptions, BoardBinding } from './bindingTypes.js'
import { hasRichText, yToRecord } from './records.js'
import { checkDocSchema, writeDocSchema } from './schema.js'
import { createBindingState, type TLStoreLike } from './bindingState.js'
import { createLocalWriter } from './localWrites.js'
import { createRemoteApplier } from './remoteApply.js'
import { syncOnBind } from './initialSync.js'

export type { Scheduler } from './scheduler.js'
export type { BindOptions, BoardBinding }

export function bindStoreToDoc(store: TLStoreLike, doc: Y.Doc, opts: BindOptions = {}): BoardBinding {
  const state = createBindingState(store, doc, opts)
  const { records, schema, origin, mirror } = state
  const meta = getMetaMap(doc)
  const { flush, listen } = createLocalWriter(state)
  const remote = createRemoteApplier(state)

  syncOnBind(state, remote)

  // --- local -> doc --------------------------------------------------------------------------
  const stopListening = listen()

  // --- doc -> store --------------------------------------------------------------------------
  const stopObserving = remote.observe()

  const onMeta = (_e: Y.YMapEvent<unknown>, txn: Y.Transaction) => {
    if (txn.origin === origin) return
    const next = checkDocSchema(doc, schema)
    if (next === state.status) return
    if (next === 'older' && state.status === 'same') {
      // an older client stamped its schema (e.g. first to write): keep ours as the doc's schema
      if (!state.readonly) writeDocSchema(doc, schema, origin)
      return
    }
    state.status = next
    state.readonly = next === 'newer'
    opts.onSchemaStatus?.(state.status)
  }
  meta.observe(onMeta)

  const textFragment = (id: string): Y.XmlFragment | null => {
    flush()
    const rec = records.get(id)
    if (!(rec instanceof Y.Map)) return null
    const existing = getTextFragment(rec)
    if (existing) return existing
    const current = store.get(id as any) ?? yToRecord(rec)
    if (state.readonly || !hasRichText(current)) return null
    const frag = richTextToFragment((current as any).props.richText)
    doc.transact(() => rec.set(TEXT_KEY, frag), origin)
    return frag
  }

  const unbind = () => {
    if (!state.bound) return
    flush()
    mirror.flush()
    mirror.stop()
    state.bound = false
    stopListening()
    stopObserving()
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
    readonly: { get: () => state.readonly },
    origin: { value: origin },
  })
  return binding
}
