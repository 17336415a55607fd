/**
 * One room = one Y.Doc + awareness + its connections + the persist-then-broadcast pipeline.
 * The numbers in comments (§n) refer to SPEC.md.
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CloseCodes, type CloseCodeName } from './closeCodes.js'
import type { SyncLimits } from './limits.js'
import { errorMessage, type BadInputLog, type Logger } from './logger.js'
import { STORAGE_ORIGIN, isOrigin, type TransactionOrigin } from './origins.js'
import {
  ProtocolError,
  READ_ONLY_REASON,
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  validateUpdate,
} from './protocol.js'
import type { SyncSocket } from './socket.js'
import type { RoomStorage } from './storage.js'
import { filterAwarenessUpdate, type AwarenessFilter } from './awarenessFilter.js'

/** What a room needs from its manager (kept narrow so Room is testable on its own). */
export interface RoomContext {
  storage: RoomStorage
  logger: Logger
  badInput: BadInputLog
  /** §7.3: backpressure start/stop lines (own global budget). */
  flowLog: BadInputLog
  limits: SyncLimits
  idleMs: number
  storageRetryMs: number
  compactAfterUpdates: number
  compactAfterBytes: number
  /** Called when the room had no holders for `idleMs`. */
  onIdle(room: Room): void
  /** Called when the last connection of the room left (the room stays loaded for the grace period). */
  onLastConnectionLeft(room: Room): void
  /** Called after appends when the log passed its compaction threshold. */
  onCompactionDue(room: Room): void
  /** §4.5: rewrites announced awareness states before they are applied and broadcast. */
  filterAwareness?: AwarenessFilter
  /** §4.5: the connection's `ConnectOptions.info`, for the filter. */
  infoOf?(conn: SyncConnection): Readonly<Record<string, unknown>> | undefined
}

let nextConnectionId = 1

/** Up to this many bytes of a batch are handed to a socket as one write (§5.3). */
const CORK_MAX_BYTES = 64 * 1024

/** §7.3: a room logs the start of backpressure at most this often (episodes in between are counted). */
const BACKPRESSURE_LOG_INTERVAL_MS = 10_000

/**
 * A client's connection as the core sees it. The transport pushes frames in with `receive`
 * (from the first frame on: frames are buffered until the room is loaded, §2.2) and reports
 * the end of the socket with `closed()`.
 */
export class SyncConnection {
  readonly id = nextConnectionId++
  /** Awareness client ids this connection currently owns (§4.2). */
  readonly awarenessClients = new Set<number>()
  /** Reasons already logged for this connection (§3.4). */
  readonly loggedReasons = new Set<string>()
  /** Updates dropped because the connection is read-only (§6). */
  droppedUpdates = 0
  state: 'pending' | 'live' | 'closed' = 'pending'
  room: Room | null = null
  /** §7.3: the transport was told to stop reading from this connection. */
  paused = false
  private backlog: Uint8Array[] = []
  private backlogBytes = 0

  constructor(
    readonly socket: SyncSocket,
    readonly roomName: string,
    readonly readOnly: boolean,
    private readonly ctx: Pick<RoomContext, 'limits' | 'badInput'>,
    readonly logFields: Record<string, unknown> = {},
  ) {}

  isClosed(): boolean {
    return this.state === 'closed'
  }

  /** One frame from the transport. `isBinary` false means a text frame. */
  receive(data: Uint8Array, isBinary = true): void {
    if (this.state === 'closed') return
    if (!isBinary) return this.close('TEXT_FRAME', `text frame of ${data.length} bytes`)
    if (data.length > this.ctx.limits.maxMessageBytes) {
      return this.close('MESSAGE_TOO_BIG', `frame of ${data.length} bytes`)
    }
    if (this.state === 'pending') {
      if (this.backlog.length >= this.ctx.limits.maxBacklogMessages) {
        return this.close('TOO_MANY_MESSAGES', `${this.backlog.length} frames while the room was loading`)
      }
      const maxBytes = Math.max(this.ctx.limits.maxBacklogBytes, 2 * this.ctx.limits.maxMessageBytes)
      if (this.backlogBytes + data.length > maxBytes) {
        return this.close('TOO_MANY_MESSAGES', `${this.backlogBytes + data.length} bytes while the room was loading`)
      }
      this.backlog.push(data)
      this.backlogBytes += data.length
      return
    }
    this.room!.handle(this, data)
  }

  /** The transport reports that the socket is gone. */
  closed(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.backlog = []
    this.backlogBytes = 0
    // §7.3: a closing socket must read again (the peer's close frame), and nothing stays paused
    if (this.paused) this.resume()
    this.room?.leave(this)
  }

  /** Closes the connection with a documented code; input errors are logged once (§3.4). */
  close(name: CloseCodeName, detail?: string): void {
    if (this.state === 'closed') return
    const info = CloseCodes[name]
    if (detail !== undefined) this.reportBadInput(name, detail)
    try {
      this.socket.close(info.code, info.reason)
    } catch {
      // the transport is already gone; nothing else to release
    }
    this.closed()
  }

  /**
   * The transport rejected a frame and is closing the socket itself (ws sends 1002/1007/1009):
   * log it like any bad input (§3.4) and leave the room.
   */
  transportError(name: CloseCodeName, detail: string): void {
    if (this.state === 'closed') return
    this.reportBadInput(name, detail)
    this.closed()
  }

  /** One log line per (connection, reason), within the global budget (§3.4). */
  private reportBadInput(name: CloseCodeName, detail: string): void {
    const info = CloseCodes[name]
    this.ctx.badInput.report(
      this.loggedReasons,
      name,
      { conn: this.id, room: this.roomName, code: info.code, detail, ...this.logFields },
      `sync: closing connection: ${info.reason}`,
    )
  }

  /** Sends unless the client fell too far behind (§7.2). */
  send(data: Uint8Array): void {
    if (this.state === 'closed') return
    if (!this.socket.isOpen()) return this.closed()
    const buffered = this.socket.bufferedAmount
    if (buffered > this.ctx.limits.maxBufferedBytes) {
      return this.close('SLOW_CONSUMER', `${buffered} bytes unsent`)
    }
    try {
      this.socket.send(data)
    } catch (err) {
      this.close('INTERNAL_ERROR', `send failed: ${errorMessage(err)}`)
    }
  }

  /** §7.3: whether the transport can stop reading (else the room closes it with QUEUE_FULL). */
  canPause(): boolean {
    return typeof this.socket.pause === 'function' && typeof this.socket.resume === 'function'
  }

  /** §7.3: stop reading from the peer (frames already received still arrive and are handled). */
  pause(): void {
    if (this.paused || this.state === 'closed' || !this.canPause()) return
    this.paused = true
    try {
      this.socket.pause!()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  resume(): void {
    if (!this.paused) return
    this.paused = false
    try {
      this.socket.resume!()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  /** Holds back writes until `uncork` so a batch of frames leaves in one write (if the transport can). */
  cork(): void {
    if (this.state !== 'closed') this.socket.cork?.()
  }

  uncork(): void {
    try {
      this.socket.uncork?.()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  /** Called by the room once it is loaded: replays what arrived meanwhile, in order. */
  goLive(room: Room): void {
    this.state = 'live'
    const backlog = this.backlog
    this.backlog = []
    this.backlogBytes = 0
    for (const frame of backlog) {
      if (this.state !== 'live') break
      room.handle(this, frame)
    }
  }
}

interface QueueEntry {
  update: Uint8Array
  /** The frame to broadcast (for a client's `update` message: the very bytes it sent). */
  frame: Uint8Array
  /** The connection it came from; null for a local (server-side) change that is already applied. */
  sender: SyncConnection | null
  /** Memory it holds until persisted (§7.3): the frame, plus the update when it is not part of it. */
  bytes: number
}

type RoomState = 'loading' | 'ready' | 'closing' | 'closed'

export class Room {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  /** Live connections. */
  readonly conns = new Set<SyncConnection>()
  state: RoomState = 'loading'
  /** Entries in the storage log and their bytes, to decide when to compact (§8). */
  logCount = 0
  logBytes = 0
  lastCompactedBytes = 0
  compaction: Promise<void> | null = null
  /** Resolves once the room is loaded (rejects when loading failed). */
  readonly ready: Promise<void>
  /** Resolves once the room is unloaded. */
  readonly unloaded: Promise<void>

  private waiting = new Set<SyncConnection>()
  private pins = 0
  private queue: QueueEntry[] = []
  /** §7.3: bytes of accepted updates not yet persisted (queued + the write in flight); a running sum. */
  queuedBytes = 0
  /** §7.3: the room stopped reading from its connections until the queue drains below half the limit. */
  backpressure = false
  private backpressureSince = 0
  private backpressureLogged = false
  private lastBackpressureLogAt = -Infinity
  private unloggedBackpressure = 0
  private writing = false
  private drainWaiters: (() => void)[] = []
  private idleTimer: ReturnType<typeof setTimeout> | null = null
  private awarenessOwner = new Map<number, SyncConnection>()
  private resolveUnloaded!: () => void
  private loggedCorruptEntry = false

  constructor(
    readonly name: string,
    private readonly ctx: RoomContext,
  ) {
    // the server has no presence of its own
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.doc.on('update', this.onDocUpdate)
    this.unloaded = new Promise((resolve) => (this.resolveUnloaded = resolve))
    this.ready = this.load()
    // callers that only care about connections use `state`; avoid unhandled rejections
    this.ready.catch(() => {})
  }

  // ---- lifecycle ----

  /** §2.1: the whole log is applied before the room answers anyone. */
  private async load(): Promise<void> {
    let updates: Uint8Array[]
    try {
      updates = await this.ctx.storage.loadRoom(this.name)
    } catch (err) {
      this.ctx.logger.error({ room: this.name, err: errorMessage(err) }, 'sync: loading room from storage failed')
      for (const conn of this.waiting) conn.close('STORAGE_UNAVAILABLE')
      this.waiting.clear()
      this.finishUnload()
      throw err
    }
    for (const update of updates) {
      try {
        Y.applyUpdate(this.doc, update, STORAGE_ORIGIN)
      } catch (err) {
        // a corrupt entry must not make the whole room unreadable; it is reported, not hidden
        if (!this.loggedCorruptEntry) {
          this.loggedCorruptEntry = true
          this.ctx.logger.error({ room: this.name, err: errorMessage(err) }, 'sync: skipped an undecodable stored update')
        }
      }
      this.logBytes += update.length
    }
    this.logCount = updates.length
    this.lastCompactedBytes = updates.length === 1 ? updates[0].length : 0
    this.state = 'ready'
    const waiting = [...this.waiting]
    this.waiting.clear()
    for (const conn of waiting) this.join(conn)
    this.checkIdle()
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
    conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
    this.sendAwarenessStates(conn)
    if (conn.readOnly) conn.send(encodePermissionDenied(READ_ONLY_REASON))
    if (conn.isClosed()) return
    // §7.3: a newcomer to a room under backpressure is not read either (its backlog still is)
    if (this.backpressure && !conn.readOnly) conn.pause()
    conn.goLive(this)
  }

  /** Sends every awareness state the room holds (nothing when it holds none). */
  private sendAwarenessStates(conn: SyncConnection): void {
    const states = this.awareness.getStates()
    if (states.size > 0) {
      conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
  }

  /** §4.3: a connection left; its awareness states are removed and announced. */
  leave(conn: SyncConnection): void {
    this.waiting.delete(conn)
    if (!this.conns.delete(conn)) return
    const owned = [...conn.awarenessClients].filter((id) => this.awarenessOwner.get(id) === conn)
    conn.awarenessClients.clear()
    for (const id of owned) this.awarenessOwner.delete(id)
    if (owned.length > 0 && this.state !== 'closed') {
      awarenessProtocol.removeAwarenessStates(this.awareness, owned, null)
    }
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
    for (const c of this.conns) c.resume()
    this.backpressure = false
    this.awareness.off('update', this.onAwarenessUpdate)
    this.doc.off('update', this.onDocUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.finishUnload()
  }

  private finishUnload(): void {
    this.state = 'closed'
    this.resolveUnloaded()
  }

  // ---- incoming messages (§1, §3) ----

  handle(conn: SyncConnection, frame: Uint8Array): void {
    try {
      const msg = decodeClientMessage(frame, this.ctx.limits)
      switch (msg.type) {
        case 'sync-step1':
          conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, msg.stateVector)))
          return
        case 'sync-step2':
        case 'sync-update': {
          if (conn.readOnly) {
            // §6: a viewer's edits are dropped; it was told at connect time
            conn.droppedUpdates++
            return
          }
          if (validateUpdate(msg.update, this.doc).redundant) return
          if (msg.type === 'sync-update') {
            // the update is a view into the received frame, which is forwarded as is (§1.3)
            this.enqueue({ update: msg.update, frame, sender: conn, bytes: frame.byteLength })
          } else {
            const out = encodeSyncUpdate(msg.update)
            this.enqueue({ update: msg.update, frame: out, sender: conn, bytes: frame.byteLength + out.byteLength })
          }
          return
        }
        case 'awareness': {
          const update = this.filteredAwareness(conn, msg.update)
          if (!update) return
          try {
            awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn)
          } catch (err) {
            throw new ProtocolError('INVALID_AWARENESS', errorMessage(err))
          }
          return
        }
        case 'query-awareness':
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

  /** §4.5: the update after the application's filter; null (dropped, logged) when the filter failed. */
  private filteredAwareness(conn: SyncConnection, update: Uint8Array): Uint8Array | null {
    const filter = this.ctx.filterAwareness
    if (!filter) return update
    try {
      return filterAwarenessUpdate(update, (s) => filter(this.name, this.doc, s, this.ctx.infoOf?.(conn)))
    } catch (err) {
      // an application bug must neither leak what it should hide nor close the client
      this.ctx.badInput.report(conn.loggedReasons, 'INTERNAL_ERROR', { room: this.name, conn: conn.id, err: errorMessage(err) }, 'sync: awareness filter failed; update dropped')
      return null
    }
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof SyncConnection) {
      // §4.2: the connection that last announced a client owns it (a reconnecting client takes
      // its id over from the dead socket, whose later removal must not erase the live state)
      for (const id of added.concat(updated)) {
        const prev = this.awarenessOwner.get(id)
        if (prev === origin) continue
        prev?.awarenessClients.delete(id)
        this.awarenessOwner.set(id, origin)
        origin.awarenessClients.add(id)
      }
      for (const id of removed) {
        if (this.awarenessOwner.get(id) === origin) this.awarenessOwner.delete(id)
        origin.awarenessClients.delete(id)
      }
    }
    const changed = added.concat(updated, removed)
    if (changed.length === 0 || this.conns.size === 0) return
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
    for (const c of this.conns) if (c !== origin) c.send(frame)
  }

  // ---- the persist-then-broadcast pipeline (§5) ----

  /** Server-side changes (no connection/storage origin) are persisted and broadcast to all. */
  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (isOrigin(origin)) {
      if (origin.kind === 'connection' || origin.kind === 'storage') return
      if (origin.kind === 'remote') {
        // persisted by the instance that received it; only fan out locally
        const frame = encodeSyncUpdate(update)
        for (const c of this.conns) c.send(frame)
        return
      }
    }
    const frame = encodeSyncUpdate(update)
    this.enqueue({ update, frame, sender: null, bytes: update.byteLength + frame.byteLength })
  }

  private enqueue(entry: QueueEntry): void {
    this.queue.push(entry)
    this.queuedBytes += entry.bytes
    if (this.queuedBytes > this.ctx.limits.maxQueuedBytes) this.queueFull(entry.sender)
    if (!this.writing) {
      // §5.3 group commit: every frame that arrives in this I/O phase (one TCP read can carry
      // many; many sockets become readable together) goes into the same storage write.
      // `writing` is set now so `drain()` waits for the scheduled flush.
      this.writing = true
      setImmediate(this.startFlush)
    }
  }

  private startFlush = (): void => void this.flush()

  /**
   * §7.3: the write queue passed `maxQueuedBytes`. Stop reading from every connection that can
   * send edits (TCP backpressure reaches the senders; nothing is dropped); a sender whose
   * transport cannot pause is closed with QUEUE_FULL (its client resends in sync step 2). The
   * update that got here is kept: frames already received are processed normally.
   */
  private queueFull(sender: SyncConnection | null): void {
    if (sender && !sender.canPause()) sender.close('QUEUE_FULL')
    if (this.backpressure) return
    this.backpressure = true
    this.backpressureSince = Date.now()
    let paused = 0
    for (const c of this.conns) {
      if (c.readOnly || c.paused) continue
      c.pause()
      if (c.paused) paused++
    }
    const now = this.backpressureSince
    if (now - this.lastBackpressureLogAt >= BACKPRESSURE_LOG_INTERVAL_MS) {
      this.backpressureLogged = this.ctx.flowLog.line(
        'warn',
        {
          room: this.name,
          queuedBytes: this.queuedBytes,
          maxQueuedBytes: this.ctx.limits.maxQueuedBytes,
          paused,
          episodesNotLogged: this.unloggedBackpressure,
        },
        'sync: write queue full, room stops reading from its connections (storage is slow)',
      )
    } else this.backpressureLogged = false
    if (this.backpressureLogged) {
      this.lastBackpressureLogAt = now
      this.unloggedBackpressure = 0
    } else this.unloggedBackpressure++
  }

  /** §7.3: the queue fell below half the limit: every paused connection is read again. */
  private queueDrained(): void {
    this.backpressure = false
    let resumed = 0
    for (const c of this.conns) {
      if (!c.paused) continue
      c.resume()
      resumed++
    }
    if (this.backpressureLogged) {
      this.backpressureLogged = false
      this.ctx.flowLog.line(
        'info',
        { room: this.name, queuedBytes: this.queuedBytes, resumed, durationMs: Date.now() - this.backpressureSince },
        'sync: write queue drained, room reads from its connections again',
      )
    }
  }

  /** Bytes of a finished (persisted or failed) batch leave the queue; maybe end backpressure. */
  private dequeued(bytes: number): void {
    this.queuedBytes -= bytes
    if (this.backpressure && this.queuedBytes < this.ctx.limits.maxQueuedBytes / 2) this.queueDrained()
  }

  /**
   * §5.1–5.3: one storage write at a time per room; whatever arrived during a write goes into the
   * next one (group commit). Only after the append resolved is an update applied and broadcast.
   */
  private async flush(): Promise<void> {
    this.writing = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        let batchBytes = 0
        for (const e of batch) batchBytes += e.bytes
        try {
          await this.ctx.storage.appendUpdates(
            this.name,
            batch.map((e) => e.update),
          )
        } catch (err) {
          this.appendFailed(batch, err) // re-queues (and re-counts) local changes
          this.dequeued(batchBytes)
          if (this.queue.length > 0 && batch.some((e) => e.sender === null)) {
            await new Promise((r) => setTimeout(r, this.ctx.storageRetryMs))
          }
          continue
        }
        let bytes = 0
        // a batch of several updates reaches each socket in one write (one syscall), not one each
        // (only for small batches: corked bytes count as unsent for the slow-consumer check, §7.2)
        let frameBytes = 0
        for (const e of batch) frameBytes += e.frame.length
        const corked = batch.length > 1 && frameBytes <= CORK_MAX_BYTES ? [...this.conns] : null
        if (corked) for (const c of corked) c.cork()
        try {
          for (const entry of batch) {
            bytes += entry.update.length
            if (entry.sender) {
              const origin: TransactionOrigin = { kind: 'connection', connection: entry.sender }
              try {
                Y.applyUpdate(this.doc, entry.update, origin)
              } catch (err) {
                // validated before, so this is a Yjs-level surprise; the doc stays usable
                this.ctx.logger.error({ room: this.name, err: errorMessage(err) }, 'sync: applying a validated update failed')
                continue
              }
            }
            for (const c of this.conns) if (c !== entry.sender) c.send(entry.frame)
          }
        } finally {
          if (corked) for (const c of corked) c.uncork()
        }
        this.dequeued(batchBytes)
        this.logCount += batch.length
        this.logBytes += bytes
        if (
          this.logCount >= 2 &&
          (this.logCount > this.compactAfterUpdates() || this.logBytes > this.compactAfterBytes())
        ) {
          this.ctx.onCompactionDue(this)
        }
      }
    } finally {
      this.writing = false
      const waiters = this.drainWaiters
      this.drainWaiters = []
      for (const w of waiters) w()
    }
  }

  /**
   * §5.4: nothing of a failed batch is broadcast. Senders are closed with STORAGE_UNAVAILABLE
   * (their clients keep the edits and resend them on reconnect); local changes are retried.
   */
  private appendFailed(batch: QueueEntry[], err: unknown): void {
    this.ctx.logger.error(
      { room: this.name, updates: batch.length, err: errorMessage(err) },
      'sync: appending to storage failed; edits not broadcast',
    )
    const senders = new Set<SyncConnection>()
    const local: QueueEntry[] = []
    for (const e of batch) {
      if (e.sender) senders.add(e.sender)
      else local.push(e)
    }
    for (const s of senders) s.close('STORAGE_UNAVAILABLE')
    if (local.length > 0 && this.state !== 'closed') {
      this.queue.unshift(...local)
      for (const e of local) this.queuedBytes += e.bytes
    }
  }

  /** Resolves when every queued update is persisted and broadcast. */
  drain(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  private compactAfterUpdates(): number {
    return this.ctx.compactAfterUpdates
  }

  /** Relative to the last compacted size, or a large document would compact on every write. */
  private compactAfterBytes(): number {
    return Math.max(this.ctx.compactAfterBytes, 2 * this.lastCompactedBytes)
  }
}
