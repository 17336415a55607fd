/**
 * §1 The frames the server sends (y-websocket protocol): sync step 1 / step 2 / update,
 * awareness, query-awareness and permission-denied, each sized exactly and built without a copy
 * of its payload beyond the one into the frame. What the server reads is `protocol.ts`.
 */
import { AUTH_PERMISSION_DENIED, MessageType, SyncType, type AwarenessEntry } from './protocol.js'

function frame(parts: (w: Writer) => void): Uint8Array {
  const w = new Writer()
  parts(w)
  return w.toUint8Array()
}

/** A tiny writer (lib0's encoder would do, this one sizes exactly and avoids a copy). */
class Writer {
  private chunks: (number | Uint8Array)[] = []
  private size = 0
  varUint(n: number): this {
    while (n > 0x7f) {
      this.chunks.push(0x80 | (n & 0x7f))
      n = Math.floor(n / 128)
      this.size++
    }
    this.chunks.push(n)
    this.size++
    return this
  }
  varBytes(b: Uint8Array): this {
    this.varUint(b.length)
    this.chunks.push(b)
    this.size += b.length
    return this
  }
  toUint8Array(): Uint8Array {
    const out = new Uint8Array(this.size)
    let pos = 0
    for (const c of this.chunks) {
      if (typeof c === 'number') out[pos++] = c
      else {
        out.set(c, pos)
        pos += c.length
      }
    }
    return out
  }
}

/** An awareness update (the payload of an awareness frame) holding `entries`, their states byte for byte. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((w) => {
    w.varUint(entries.length)
    for (const e of entries) w.varUint(e.clientId).varUint(e.clock).varBytes(e.state)
  })
}

export const encodeSyncStep1 = (stateVector: Uint8Array) =>
  frame((w) => w.varUint(MessageType.sync).varUint(SyncType.step1).varBytes(stateVector))
export const encodeSyncStep2 = (update: Uint8Array) =>
  frame((w) => w.varUint(MessageType.sync).varUint(SyncType.step2).varBytes(update))
export const encodeSyncUpdate = (update: Uint8Array) =>
  frame((w) => w.varUint(MessageType.sync).varUint(SyncType.update).varBytes(update))
export const encodeAwareness = (awarenessUpdate: Uint8Array) =>
  frame((w) => w.varUint(MessageType.awareness).varBytes(awarenessUpdate))
export const encodeQueryAwareness = () => frame((w) => w.varUint(MessageType.queryAwareness))
export const encodePermissionDenied = (reason: string) =>
  frame((w) => w.varUint(MessageType.auth).varUint(AUTH_PERMISSION_DENIED).varBytes(new TextEncoder().encode(reason)))
