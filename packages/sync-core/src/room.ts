/**
 * One room = one Y.Doc + awareness + its connections: lifecycle (idle, unload), join/leave and
 * message dispatch. Loading (§2, the lease §13.1) is in `roomLoading.ts`, what the room needs from
 * its manager in `roomContext.ts`, connections in `connection.ts`, awareness (§4) in
 * `roomAwareness.ts`, document updates (admission, forwarding, server-side changes) in
 * `roomUpdates.ts`, the persist-then-broadcast queue in `writeQueue.ts`. The numbers in comments
 * (§n) refer to SPEC.md.
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { CloseCodeName } from './closeCodes.js'
import type { SyncConnection, ConnectionRoom } from './connection.js'
import { errorMessage } from './logger.js'
import { MessageCost } from './rateBudget.js'
import { ProtocolError, READ_ONLY_REASON, decodeClientMessage } from './protocol.js'
import { encodePermissionDenied, encodeSyncStep1, encodeSyncStep2 } from './frames.js'
import { RoomUpdates } from './roomUpdates.js'
import type { RoomLease } from './ownership.js'
import { RoomAwareness } from './roomAwareness.js'
import { RoomLog } from './roomLog.js'
import { SharedFullState } from './sharedFullState.js'
import { loadRoom } from './roomLoading.js'
import type { RoomContext } from './roomContext.js'

export type { RoomContext } from './roomContext.js'

type RoomState = 'loading' | 'ready' | 'closing' | 'closed'

export class Room implements ConnectionRoom {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  /** Live connections. */
  readonly conns = new Set<SyncConnection>()
  state: RoomState = 'loading'
  /** §8: the storage log as the room knows it, to decide when to compact. */
  readonly log: RoomLog
  compaction: Promise<void> | null = null
  /** §13: this instance's lease on the room (null without ownership). */
  lease: RoomLease | null = null
  /** §13.3: dropped because its lease was lost (server-side work on it did not persist). */
  evicted = false
  /** Resolves once the room is loaded (rejects when loading failed). */
  readonly ready: Promise<void>
  /** Resolves once the room is unloaded. */
  readonly unloaded: Promise<void>

  private waiting = new Set<SyncConnection>()
  private pins = 0
  private idleTimer: ReturnType<typeof setTimeout> | null = null
  /** §4: who owns which awareness client, what a connection may announce, the batched broadcast. */
  private readonly presence: RoomAwareness
  /** §1.1: the greeting's step 1 (the state vector), encoded once and shared until the document changes. */
  private step1: Uint8Array | null = null
  /** §1.6: the full state for joiners that have nothing, shared and extended by later updates. */
  private readonly fullStates = new SharedFullState(this.doc)
  private resolveUnloaded!: () => void
  /** §12, §5: client updates admitted, server-side changes, persist-then-broadcast. */
  private readonly updates: RoomUpdates

  constructor(
    readonly name: string,
    private readonly ctx: RoomContext,
  ) {
    this.log = new RoomLog(ctx)
    this.updates = new RoomUpdates(this, ctx)
    // the server has no presence of its own
    this.awareness.setLocalState(null)
    this.presence = new RoomAwareness(this, ctx)
    this.unloaded = new Promise((resolve) => (this.resolveUnloaded = resolve))
    this.ready = loadRoom(this, ctx)
    // callers that only care about connections use `state`; avoid unhandled rejections
    this.ready.catch(() => {})
  }

  // ---- lifecycle ----

  /** §2.1: called by `loadRoom` once the whole log is applied: the waiting connections join. */
  loaded(): void {
    this.state = 'ready'
    const waiting = [...this.waiting]
    this.waiting.clear()
    for (const conn of waiting) this.join(conn)
    this.checkIdle()
  }

  /** §2.4, §13.2: the load failed or another instance owns the room: the waiting connections are closed. Returns how many. */
  closeWaiting(name: CloseCodeName): number {
    const n = this.waiting.size
    for (const conn of this.waiting) conn.close(name)
    this.waiting.clear()
    return n
  }

  /** Adds a connection (called by the manager, in arrival order). */
  attach(conn: SyncConnection): void {
    this.clearIdle()
    conn.room = this
    if (this.state === 'ready') this.join(conn)
    else this.waiting.add(conn)
  }

  /** §1.1: greet with sync step 1 and the current awareness, then replay the backlog. */
  private join(conn: SyncConnection): void {
    if (conn.state === 'closed') return
    this.conns.add(conn)
    conn.send((this.step1 ??= encodeSyncStep1(Y.encodeStateVector(this.doc))))
    this.sendAwarenessStates(conn)
    if (conn.readOnly) conn.send(encodePermissionDenied(READ_ONLY_REASON))
    if (conn.isClosed()) return
    // §7.3: a newcomer to a room under backpressure is not read either (its backlog still is)
    this.updates.writes.admit(conn)
    conn.goLive(this)
  }

  /** Sends every awareness state the room holds (nothing when it holds none). */
  private sendAwarenessStates(conn: SyncConnection): void {
    const frame = this.presence.statesFrame()
    if (frame) conn.send(frame)
  }

  /** §1.2: what the client lacks; a client that has nothing gets the shared full state (§1.6). */
  private sendSyncStep2(conn: SyncConnection, stateVector: Uint8Array): void {
    if (stateVector.length !== 1 || stateVector[0] !== 0) return conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)))
    for (const frame of this.fullStates.joinerFrames()) conn.send(frame)
  }

  /** §1.7: the shared full state as one update (a view into the joiners' frame, not a copy; it may lack the last updates, §1.6). */
  fullState(): Uint8Array {
    return this.fullStates.baseUpdate()
  }

  /** §4.3: a connection left; its awareness states are removed and announced. */
  leave(conn: SyncConnection): void {
    this.waiting.delete(conn)
    if (!this.conns.delete(conn)) return
    this.presence.connectionLeft(conn, this.state !== 'closed')
    if (this.conns.size === 0 && this.waiting.size === 0 && this.state === 'ready') this.ctx.onLastConnectionLeft(this)
    this.checkIdle()
  }

  /** Keeps the room loaded while server code works on it. */
  pin(): void {
    this.pins++
    this.clearIdle()
  }

  unpin(): void {
    this.pins--
    this.checkIdle()
  }

  get holders(): number {
    return this.conns.size + this.waiting.size + this.pins
  }

  /** §9.1: with nobody holding the room, unload after the grace period. */
  private checkIdle(): void {
    if (this.state !== 'ready' || this.holders > 0 || this.idleTimer) return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      if (this.state === 'ready' && this.holders === 0) this.ctx.onIdle(this)
    }, this.ctx.idleMs)
    this.idleTimer.unref?.()
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
  }

  /** Starts unloading: no new holders; the manager awaits `drain()` and compaction, then `destroy()`. */
  beginUnload(): void {
    this.clearIdle()
    this.state = 'closing'
  }

  /** Closes every connection (shutdown, or the application closing the room). */
  closeAll(name: CloseCodeName): void {
    for (const conn of [...this.conns, ...this.waiting]) conn.close(name)
  }

  destroy(): void {
    this.clearIdle()
    this.updates.destroy()
    this.presence.destroy()
    this.step1 = null
    this.fullStates.drop()
    this.awareness.destroy()
    this.doc.destroy()
    this.finishUnload()
  }

  /** The room counts as unloaded (also when it never loaded, `roomLoading.ts`). */
  finishUnload(): void {
    this.state = 'closed'
    this.resolveUnloaded()
  }

  // ---- incoming messages (§1, §3) ----

  handle(conn: SyncConnection, frame: Uint8Array): void {
    try {
      const msg = decodeClientMessage(frame, this.ctx.limits)
      switch (msg.type) {
        case 'sync-step1':
          if (!conn.charge(MessageCost.stateRequest)) return
          this.sendSyncStep2(conn, msg.stateVector)
          return
        case 'sync-step2':
        case 'sync-update':
          this.updates.receive(conn, msg.update, msg.type === 'sync-update' ? frame : null)
          return
        case 'awareness':
          this.presence.receive(conn, msg.update, msg.entries)
          return
        case 'query-awareness':
          if (!conn.charge(MessageCost.awarenessQuery)) return
          this.sendAwarenessStates(conn)
          return
      }
    } catch (err) {
      if (err instanceof ProtocolError) conn.close(err.closeCode, err.detail)
      else {
        // not the client's fault as far as we can tell; still only this connection pays
        this.ctx.logger.error({ room: this.name, conn: conn.id, err: errorMessage(err) }, 'sync: unexpected error handling a message')
        conn.close('INTERNAL_ERROR')
      }
    }
  }

  // ---- the persist-then-broadcast pipeline (§5, writeQueue.ts) ----

  /** §7.3: accepted bytes not yet persisted. */
  get queuedBytes(): number {
    return this.updates.writes.queuedBytes
  }

  /** §7.3: the room stopped reading from its writers until its queue drained. */
  get backpressure(): boolean {
    return this.updates.writes.backpressure
  }

  /** §12: client updates refused by the policy. */
  get refusedUpdates(): number {
    return this.updates.refusedUpdates
  }

  /** The document took in `update` (any origin, in order): the greeting's step 1 is stale, the shared full state grows a tail (§1.6). */
  documentChanged(update: Uint8Array): void {
    this.step1 = null
    this.fullStates.changed(update)
  }

  /** Resolves when every queued update is persisted and broadcast. */
  drain(): Promise<void> {
    return this.updates.writes.drain()
  }

  /** Resolves true once every update queued so far is durable (false: the room dropped some, §13.3). */
  persistedSoFar(): Promise<boolean> {
    return this.updates.writes.persistedSoFar()
  }

  /** §8: a persisted batch grows the log; past the threshold compaction is scheduled. */
  persisted(updates: readonly Uint8Array[], bytes: number): void {
    if (this.log.appended(updates, bytes)) this.ctx.onCompactionDue(this)
  }
}
