/**
 * §4.1, §4.6: a room's awareness fan-out, batched. Changes are collected and sent once per turn of
 * the event loop (setImmediate): when 500 people join at once, each of them gets a few frames
 * holding many states instead of one frame per joiner (O(N²) frames, one syscall each). The
 * greeting's "every state" frame is encoded once and shared by every joiner until the next batch.
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeAwareness } from './protocol.js'

/** What the fan-out needs of a connection. */
export interface AwarenessPeer {
  send(frame: Uint8Array): void
}

export class AwarenessFanout<C extends AwarenessPeer> {
  /** Changed client id -> the connection that announced it (null: removed by the server). */
  private readonly pending = new Map<number, C | null>()
  private scheduled: ReturnType<typeof setImmediate> | null = null
  /** Every state, as of the last batch sent (the pending batch reaches joiners too). */
  private allStates: Uint8Array | null = null

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly conns: ReadonlySet<C>,
  ) {}

  /** Records changed client ids; they go out with the next batch. */
  changed(ids: number[], origin: C | null): void {
    for (const id of ids) this.pending.set(id, origin)
    if (!this.scheduled) this.scheduled = setImmediate(this.flush)
  }

  /** The greeting (§1.1) and the answer to query-awareness (§1.4); null when the room has no states. */
  statesFrame(): Uint8Array | null {
    if (this.allStates) return this.allStates
    const states = this.awareness.getStates()
    if (states.size === 0) return null
    this.allStates = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]))
    return this.allStates
  }

  /**
   * Sends the batch. A batch announced by one connection skips that connection (§4.1: never
   * echoed); a batch from several goes to everyone, and a client ignores its own entries coming
   * back (y-protocols drops a state whose clock it already has).
   */
  readonly flush = (): void => {
    this.scheduled = null
    if (this.pending.size === 0) return
    this.allStates = null
    let origin: C | null | undefined
    let single = true
    for (const o of this.pending.values()) {
      if (origin === undefined) origin = o
      else if (o !== origin) {
        single = false
        break
      }
    }
    const ids = [...this.pending.keys()]
    this.pending.clear()
    if (this.conns.size === 0) return
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    const skip = single ? origin : null
    for (const c of this.conns) if (c !== skip) c.send(frame)
  }

  /** The room unloads: nothing more is sent. */
  destroy(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = null
    this.pending.clear()
    this.allStates = null
  }
}
