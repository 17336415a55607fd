/**
 * §4.1, §4.6: a room's awareness fan-out, batched. Changes are collected and sent as one frame per
 * connection, at most once per batch window of the room (0.1 ms per connection, at most 100 ms,
 * and at least 10× the time the last batch took to send from 100 connections, one per 10
 * connections below, at least 2×; at most 1 s; under 10 connections or below 1 ms: once per turn
 * of the event loop). A batch costs one send per connection, so a room's awareness fan-out stays
 * under ~10,000 frames per second up to 1,000 connections (and ~1/k of a busy server's time: 1/10
 * from 100 connections, up to 1/2 in a room of 10–19), and when 500
 * people join within a second each of them gets a few frames holding many states instead of one
 * frame per joiner (O(N²) frames, one syscall each; and the stock client sends each one back).
 * The first change after a quiet window goes out on the next turn (no added latency in a calm
 * room). Renewals (an unchanged state re-announced, every 15 s per client) wait up to 3 s and
 * ride along with the next batch: 500 people renew 33 times a second. The greeting's "every state" frame is encoded once and shared by every joiner until the
 * next batch.
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeAwareness } from './frames.js'

/** What the fan-out needs of a connection. */
export interface AwarenessPeer {
  send(frame: Uint8Array): void
}

/** §4.6: a room with fewer connections sends its batch on the next turn of the event loop. */
export const SMALL_ROOM = 10
/** §4.6: per connection of the room, the batch window grows by this much… */
export const BATCH_WINDOW_MS_PER_CONNECTION = 0.1
/** …up to this (a cursor in a crowded room moves at ≥ 10 frames per second). */
export const MAX_BATCH_WINDOW_MS = 100
/**
 * §4.6: and it is at least this many times as long as sending the last batch took (from 100
 * connections; a smaller room: one per 10 connections, at least 2)… A room's people see each
 * other's cursors through these batches: in a CoP room of 30, 10× a batch (≈ 0.5 ms to send) held
 * cursor moves up to 9 ms (p99 12 ms against the reference's 2), and coalesced few of them.
 */
export const BATCH_COST_FACTOR = 10
export const MIN_BATCH_COST_FACTOR = 2
/** …up to this (a busy or starved server spends at most ~1/k of its time on one room's awareness). */
export const MAX_BUSY_BATCH_WINDOW_MS = 1000
/**
 * §4.6: a room whose window is shorter than this may send a batch up to one window ahead of its
 * schedule (its rate stays one batch per window on average): two cursor moves a moment apart in a
 * CoP room both go out at once, instead of the second waiting out the window (p99 +2–4 ms at 30
 * people). A crowded room's batches keep their schedule.
 */
export const BURST_WINDOW_LIMIT_MS = 10

/**
 * §4.6: a batch of nothing but renewals (y-protocols clients re-announce an unchanged state every
 * 15 s, and drop a state not renewed within 30 s) waits at least this long after the last batch.
 */
export const RENEWAL_WINDOW_MS = 3000

/**
 * §4.6: the shortest time between two awareness batches of a room with `connections` connections
 * whose last batch took `lastBatchMs` to send.
 */
export function batchWindowMs(connections: number, lastBatchMs = 0): number {
  if (connections < SMALL_ROOM) return 0
  const bySize = Math.min(MAX_BATCH_WINDOW_MS, connections * BATCH_WINDOW_MS_PER_CONNECTION)
  const factor = Math.min(BATCH_COST_FACTOR, Math.max(MIN_BATCH_COST_FACTOR, connections / 10))
  const ms = Math.max(bySize, Math.min(MAX_BUSY_BATCH_WINDOW_MS, factor * lastBatchMs))
  return ms < 1 ? 0 : ms
}

export class AwarenessFanout<C extends AwarenessPeer> {
  /** Changed client id -> the connection that announced it (null: removed by the server). */
  private readonly pending = new Map<number, C | null>()
  /** Whether a pending id changed content (else the batch holds only renewals). */
  private pendingContent = false
  /** Ids whose content changed in the awareness event being handled ('change' comes before 'update'). */
  private readonly contentIds = new Set<number>()
  private scheduled:
    | { immediate: ReturnType<typeof setImmediate>; content: boolean }
    | { timer: ReturnType<typeof setTimeout>; content: boolean }
    | null = null
  /** When the last batch went out (performance.now()), and how long sending it took. */
  private lastSent = -Infinity
  private lastBatchMs = 0
  /** When the next content batch is due at one batch per window (a batch may go a window early, BURST_WINDOW_LIMIT_MS). */
  private nextDue = -Infinity
  /** Every state, as of the last batch sent (the pending batch reaches joiners too). */
  private allStates: Uint8Array | null = null

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly conns: ReadonlySet<C>,
  ) {
    awareness.on('change', this.onChange)
  }

  private readonly onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    for (const ids of [added, updated, removed]) for (const id of ids) this.contentIds.add(id)
  }

  /**
   * Records changed client ids (the room's awareness 'update' event); they go out with the next
   * batch: on the next turn, or when the room's window is over (renewals only: RENEWAL_WINDOW_MS).
   */
  changed(ids: number[], origin: C | null): void {
    for (const id of ids) {
      this.pending.set(id, origin)
      if (this.contentIds.has(id)) this.pendingContent = true
    }
    this.contentIds.clear()
    if (this.scheduled) {
      // a content change does not wait for a renewal batch
      if (this.scheduled.content || !this.pendingContent) return
      this.cancel()
    }
    const window = batchWindowMs(this.conns.size, this.lastBatchMs)
    const early = window < BURST_WINDOW_LIMIT_MS ? window : 0
    const wait = (this.pendingContent ? this.nextDue - early : this.lastSent + Math.max(window, RENEWAL_WINDOW_MS)) - performance.now()
    const content = this.pendingContent
    this.scheduled = wait < 1 ? { immediate: setImmediate(this.flush), content } : { timer: setTimeout(this.flush, wait), content }
  }

  private cancel(): void {
    if (this.scheduled && 'immediate' in this.scheduled) clearImmediate(this.scheduled.immediate)
    else if (this.scheduled) clearTimeout(this.scheduled.timer)
    this.scheduled = null
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
    this.pendingContent = false
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
    const start = performance.now()
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    const skip = single ? origin : null
    for (const c of this.conns) if (c !== skip) c.send(frame)
    this.lastSent = performance.now()
    this.lastBatchMs = this.lastSent - start
    // one batch per window on average: a batch sent early (a burst) moves the schedule on by a window
    this.nextDue = Math.max(this.nextDue, this.lastSent) + batchWindowMs(this.conns.size, this.lastBatchMs)
  }

  /** The room unloads: nothing more is sent. */
  destroy(): void {
    this.cancel()
    this.awareness.off('change', this.onChange)
    this.pending.clear()
    this.contentIds.clear()
    this.allStates = null
  }
}
