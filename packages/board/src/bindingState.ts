/**
 * The state one binding's parts share (binding.ts wires them): created once per `bindStoreToDoc`,
 * so the hot paths read plain fields of one object instead of taking getters per record.
 */
import type * as Y from 'yjs'
import type { Store } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { getRecordsMap } from './layout.js'
import { createTextMirror, type TextMirror } from './mirror.js'
import { checkDocSchema, type DocSchemaStatus } from './schema.js'
import type { FieldChanges } from './records.js'
import type { BindOptions } from './bindingTypes.js'

export type TLStoreLike = Store<TLRecord, any>

/** A local change not yet written to the doc: per record the first `from` and latest `to`. */
export interface Pending {
  from: TLRecord | null // null: created in this batch
  to: TLRecord | null // null: removed
  fields: FieldChanges
}

export interface BindingState {
  readonly store: TLStoreLike
  readonly doc: Y.Doc
  readonly records: Y.Map<Y.Map<unknown>>
  readonly schema: any
  readonly opts: BindOptions
  readonly origin: unknown
  /** Type names of the store's document records: the only ones synced. */
  readonly docTypes: Set<string>
  readonly include: (record: TLRecord) => boolean
  /** Local changes waiting for the scheduled flush; a remote change reads and drops them too. */
  readonly pending: Map<string, Pending>
  readonly mirror: TextMirror
  status: DocSchemaStatus
  /** The doc's schema is newer than ours: never write. */
  readonly: boolean
  /** False once unbound: scheduled work does nothing. */
  bound: boolean
}

export function createBindingState(store: TLStoreLike, doc: Y.Doc, opts: BindOptions): BindingState {
  const origin = opts.userOrigin ?? { binding: 'copboard-board' }
  const records = getRecordsMap(doc)
  const schema = store.schema as any
  const docTypes = new Set(
    Object.values(schema.types)
      .filter((t: any) => t.scope === 'document')
      .map((t: any) => t.typeName as string),
  )
  const status: DocSchemaStatus = checkDocSchema(doc, schema)
  const state: BindingState = {
    store,
    doc,
    records,
    schema,
    opts,
    origin,
    docTypes,
    include: opts.include ?? (() => true),
    pending: new Map(),
    mirror: createTextMirror(doc, records, origin, opts.mirrorDelayMs ?? 1000, () => state.readonly),
    status,
    readonly: status === 'newer',
    bound: true,
  }
  return state
}
