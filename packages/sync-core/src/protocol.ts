/**
 * Strict decoding of the y-websocket wire protocol (client -> server) and encoding of the
 * server's messages. Decoding never throws anything but a ProtocolError, whose close code
 * says exactly what was wrong (SPEC.md §3).
 */
import * as Y from 'yjs'
import type { CloseCodeName } from './closeCodes.js'

export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const
export const SyncType = { step1: 0, step2: 1, update: 2 } as const
/** y-protocols/auth: sub-type 0 = permission denied, followed by a reason string. */
export const AUTH_PERMISSION_DENIED = 0
/** The reason of the auth message that tells a viewer its connection is read-only (SPEC.md §6). */
export const READ_ONLY_REASON = 'read-only'

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' }

/** One entry of an awareness update, as decoded (the state itself is applied by y-protocols). */
export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The entry removes the client's state (its state is `null`). */
  removes: boolean
  /** The state's JSON bytes (a view into the update), checked by `checkAwarenessStates`. */
  state: Uint8Array
}

export class ProtocolError extends Error {
  constructor(
    readonly closeCode: CloseCodeName,
    readonly detail: string,
  ) {
    super(detail)
    this.name = 'ProtocolError'
  }
}

export interface DecodeLimits {
  maxMessageBytes: number
  /** Upper bound of entries in one awareness update (a query-awareness answer lists the whole room). */
  maxAwarenessEntries: number
  /** §4.5: largest awareness state (its UTF-8 JSON) in bytes; larger is AWARENESS_LIMIT. */
  maxAwarenessStateBytes: number
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER

/** A cursor over one frame; every read checks bounds and canonical form. */
class Reader {
  pos = 0
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos
  }

  varUint(): number {
    let num = 0
    let mult = 1
    for (let i = 0; ; i++) {
      if (this.pos >= this.buf.length) throw new ProtocolError('MALFORMED_MESSAGE', 'truncated varint')
      const byte = this.buf[this.pos++]
      num += (byte & 0x7f) * mult
      if (byte < 0x80) {
        // lib0 writes minimal varints; a zero continuation byte is padding an attacker added
        if (i > 0 && byte === 0) throw new ProtocolError('OVERLONG_VARINT', 'non-minimal varint')
        if (num > MAX_SAFE) throw new ProtocolError('OVERLONG_VARINT', 'varint above 2^53-1')
        return num
      }
      if (i >= 7) throw new ProtocolError('OVERLONG_VARINT', 'varint longer than 8 bytes')
      mult *= 128
    }
  }

  bytes(len: number, what: string): Uint8Array {
    if (len > this.remaining) throw new ProtocolError('MALFORMED_MESSAGE', `truncated ${what}`)
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }

  varBytes(what: string): Uint8Array {
    return this.bytes(this.varUint(), what)
  }

  end(): void {
    if (this.remaining !== 0) throw new ProtocolError('MALFORMED_MESSAGE', `${this.remaining} trailing bytes`)
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Decodes one client frame. Checks the envelope, and the payload's own encoding for awareness
 * and state vectors. Yjs update payloads are checked separately by {@link validateUpdate}
 * (it needs the document).
 */
export function decodeClientMessage(frame: Uint8Array, limits: DecodeLimits): ClientMessage {
  if (frame.length > limits.maxMessageBytes) {
    throw new ProtocolError('MESSAGE_TOO_BIG', `frame of ${frame.length} bytes`)
  }
  if (frame.length === 0) throw new ProtocolError('MALFORMED_MESSAGE', 'empty frame')
  const r = new Reader(frame)
  const type = r.varUint()
  switch (type) {
    case MessageType.sync: {
      const sub = r.varUint()
      const payload = r.varBytes('sync payload')
      r.end()
      if (sub === SyncType.step1) {
        validateStateVector(payload)
        return { type: 'sync-step1', stateVector: payload }
      }
      if (sub === SyncType.step2) return { type: 'sync-step2', update: payload }
      if (sub === SyncType.update) return { type: 'sync-update', update: payload }
      throw new ProtocolError('UNSUPPORTED_MESSAGE_TYPE', `sync sub-type ${sub}`)
    }
    case MessageType.awareness: {
      const payload = r.varBytes('awareness payload')
      r.end()
      const entries = decodeAwareness(payload, limits)
      return { type: 'awareness', update: payload, entries }
    }
    case MessageType.queryAwareness:
      r.end()
      return { type: 'query-awareness' }
    default:
      throw new ProtocolError('UNSUPPORTED_MESSAGE_TYPE', `message type ${type}`)
  }
}

/** A state vector is `count, (client, clock)*`, each a varuint. */
function validateStateVector(sv: Uint8Array): void {
  try {
    const r = new Reader(sv)
    const n = r.varUint()
    // each entry needs at least 2 bytes: reject absurd counts before looping
    if (n * 2 > r.remaining) throw new ProtocolError('INVALID_STATE_VECTOR', 'entry count exceeds payload')
    for (let i = 0; i < n; i++) {
      r.varUint()
      r.varUint()
    }
    r.end()
  } catch (err) {
    if (err instanceof ProtocolError && err.closeCode === 'INVALID_STATE_VECTOR') throw err
    throw new ProtocolError('INVALID_STATE_VECTOR', err instanceof Error ? err.message : 'undecodable')
  }
}

/** §3.3: the largest awareness clock accepted. */
export const MAX_AWARENESS_CLOCK = 2 ** 52

/**
 * An awareness update is `count, (clientID, clock, JSON string)*`; each JSON at most
 * `maxAwarenessStateBytes` long (§4.5). The JSON itself is checked by `checkAwarenessStates`
 * once the room knows the update changes something (§3.3).
 */
function decodeAwareness(payload: Uint8Array, limits: DecodeLimits): AwarenessEntry[] {
  const entries: AwarenessEntry[] = []
  try {
    const r = new Reader(payload)
    const n = r.varUint()
    if (n > limits.maxAwarenessEntries) throw new ProtocolError('INVALID_AWARENESS', `${n} entries (max ${limits.maxAwarenessEntries})`)
    if (n * 3 > r.remaining) throw new ProtocolError('INVALID_AWARENESS', 'entry count exceeds payload')
    for (let i = 0; i < n; i++) {
      const clientId = r.varUint()
      if (clientId > 0xffffffff) throw new ProtocolError('INVALID_AWARENESS', 'client id above 2^32')
      const clock = r.varUint()
      // a state adopted at such a clock would make its owner's next change overflow 2^53 (no
      // client renewing every 15 s gets there)
      if (clock > MAX_AWARENESS_CLOCK) throw new ProtocolError('INVALID_AWARENESS', 'clock above 2^52')
      const raw = r.varBytes('awareness state')
      if (raw.length > limits.maxAwarenessStateBytes) {
        throw new ProtocolError('AWARENESS_LIMIT', `state of ${raw.length} bytes (max ${limits.maxAwarenessStateBytes})`)
      }
      entries.push({ clientId, clock, removes: isNullJson(raw), state: raw })
    }
    r.end()
  } catch (err) {
    if (err instanceof ProtocolError && (err.closeCode === 'INVALID_AWARENESS' || err.closeCode === 'AWARENESS_LIMIT')) throw err
    throw new ProtocolError('INVALID_AWARENESS', err instanceof Error ? err.message : 'undecodable')
  }
  return entries
}

const NULL_JSON = [0x6e, 0x75, 0x6c, 0x6c] // "null", as JSON.stringify writes it

function isNullJson(raw: Uint8Array): boolean {
  return raw.length === 4 && raw[0] === NULL_JSON[0] && raw[1] === NULL_JSON[1] && raw[2] === NULL_JSON[2] && raw[3] === NULL_JSON[3]
}

/**
 * §3.3: every state of an awareness update is UTF-8 JSON, an object or `null` (written `null`).
 * Checked only for an update that changes the room's awareness: the stock client echoes every
 * state it receives, and parsing each echoed state cost a 500-person room O(people²) JSON parses
 * per wave of renewals (issue 12: ~40 ms of every 3 s, the crowd's latency tail).
 */
export function checkAwarenessStates(entries: readonly AwarenessEntry[]): void {
  for (const e of entries) {
    let state: unknown
    try {
      state = JSON.parse(utf8.decode(e.state))
    } catch (err) {
      throw new ProtocolError('INVALID_AWARENESS', err instanceof Error ? err.message : 'undecodable state')
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new ProtocolError('INVALID_AWARENESS', 'state is not an object or null')
    }
    if ((state === null) !== e.removes) throw new ProtocolError('INVALID_AWARENESS', 'a null state not written `null`')
  }
}

export interface UpdateCheck {
  /** True when the update adds nothing to `doc`: no new structs and no deletions. */
  redundant: boolean
  /** True when it holds structs `doc` does not have yet (applied completely, it changes the doc). */
  newStructs: boolean
}

/**
 * Decodes a Yjs (v1) update completely without touching the document, so a malformed update is
 * rejected before it is stored or applied (Yjs integrates structs before reading the delete set,
 * so a bad tail would otherwise leave the room half-applied). Costs about one parse of the update.
 */
export function validateUpdate(update: Uint8Array, doc: Y.Doc): UpdateCheck {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch (err) {
    throw new ProtocolError('INVALID_UPDATE', err instanceof Error ? err.message : 'undecodable update')
  }
  const deletes = decoded.ds.clients.size > 0
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    if (s.id.clock + s.length > clockOf(doc, s.id.client)) return { redundant: false, newStructs: true }
  }
  return { redundant: !deletes, newStructs: false }
}

function clockOf(doc: Y.Doc, client: number): number {
  const structs = doc.store.clients.get(client)
  if (!structs || structs.length === 0) return 0
  const last = structs[structs.length - 1]
  return last.id.clock + last.length
}

/** The update a sync step 2 frame carries: a view into the frame, not a copy (§1.7). */
export function syncStep2Update(step2: Uint8Array): Uint8Array {
  const r = new Reader(step2)
  if (r.varUint() !== MessageType.sync || r.varUint() !== SyncType.step2) throw new ProtocolError('MALFORMED_MESSAGE', 'not a sync step 2')
  const update = r.varBytes('sync payload')
  r.end()
  return update
}
