/**
 * §4.7: the application may rewrite the awareness states a connection announces before the room
 * applies and broadcasts them (e.g. copboard hides the cursor and selection of someone writing in
 * an anonymous zone). The payload was checked before (§3.3, roomAwareness.ts): `count, (clientID,
 * clock, JSON object|null)*`.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import type * as Y from 'yjs'

export type AwarenessState = Record<string, unknown>

/**
 * Returns the state to apply: the same object when unchanged, a new object to replace it.
 * `info` is the connection's `ConnectOptions.info`.
 */
export type AwarenessFilter = (room: string, doc: Y.Doc, state: AwarenessState, info: Readonly<Record<string, unknown>> | undefined) => AwarenessState

/** Runs `fn` on every non-null state; re-encodes only when one changed (else returns `update` itself). */
export function filterAwarenessUpdate(update: Uint8Array, fn: (state: AwarenessState) => AwarenessState): Uint8Array {
  const d = decoding.createDecoder(update)
  const n = decoding.readVarUint(d)
  const entries: { id: number; clock: number; json: string; changed: boolean }[] = []
  let changed = false
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    const json = decoding.readVarString(d)
    const state = JSON.parse(json) as AwarenessState | null
    if (state === null) {
      entries.push({ id, clock, json, changed: false })
      continue
    }
    const next = fn(state)
    if (next === state) entries.push({ id, clock, json, changed: false })
    else {
      changed = true
      entries.push({ id, clock, json: JSON.stringify(next), changed: true })
    }
  }
  if (!changed) return update
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const x of entries) {
    encoding.writeVarUint(e, x.id)
    encoding.writeVarUint(e, x.clock)
    encoding.writeVarString(e, x.json)
  }
  return encoding.toUint8Array(e)
}
