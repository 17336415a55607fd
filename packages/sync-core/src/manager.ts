/**
 * The set of loaded rooms: creates a room on first use, unloads it when idle, runs background
 * compaction one room at a time, and shuts everything down in order.
 */
import * as Y from 'yjs'
import { CloseCodes } from './closeCodes.js'
import { defaultLimits, type SyncLimits } from './limits.js'
import { BadInputLog, errorMessage, silentLogger, type Logger } from './logger.js'
import { localOrigin } from './origins.js'
import { AwarenessSeenTap, type AwarenessSeenHook } from './awarenessSeen.js'
import { SyncConnection } from './connection.js'
import { Room, type RoomContext } from './room.js'
import type { SyncSocket } from './socket.js'
import type { UpdatePolicy } from './admission.js'
import type { RoomStorage } from './storage.js'

export interface RoomManagerOptions {
  storage: RoomStorage
  logger?: Logger
  limits?: Partial<SyncLimits>
  /** Grace period before an unused room is unloaded (§9.1). Default 30 s. */
  roomIdleMs?: number
  /** Compact a room's log when it has more entries than this (§8). Default 500. */
  compactAfterUpdates?: number
  /** …or more bytes than this (and than twice its last compacted size). Default 1 MiB. */
  compactAfterBytes?: number
  /** Delay before retrying a failed append of a server-side change. Default 1 s. */
  storageRetryMs?: number
  /**
   * ARCHIVE hook (issue 6): called when the last connection of a room left, once its queued edits
   * are persisted, while the room is still loaded for the grace period (autosave may read storage
   * or use `encodeState`). Errors are logged. Not called for server-side users (transact/encodeState).
   */
  onRoomIdle?: (room: string) => unknown
  /** Bad-input log lines per second over all connections (§3.4). Default 50. */
  maxBadInputLogLinesPerSecond?: number
  /**
   * ARCHIVE hook (issue 6, §4.4): the awareness states a room saw (added/changed, with the
   * announcing connection's `readOnly` and `info`) and the client ids that left, coalesced to at
   * most one call per `awarenessSeenIntervalMs` per room, and flushed before `onRoomIdle`, before
   * a room unloads, on `close()` and on `flushAwarenessSeen(room)`. Runs from a timer, never
   * inside message handling; errors are logged. Without it the rooms' awareness is not watched.
   */
  onAwarenessSeen?: AwarenessSeenHook
  /** Coalescing period of `onAwarenessSeen` per room. Default 1 s. */
  awarenessSeenIntervalMs?: number
  /**
   * §12: judges every client update inside the transaction that applied it, before anything is
   * stored or broadcast; a refused update is reverted and the sender told (`policy:<reason>`).
   * Without it every decodable update of an editing connection is admitted.
   */
  policy?: UpdatePolicy
}

export interface ConnectOptions {
  /** Viewer: document updates are dropped, awareness is allowed (§6). */
  readOnly?: boolean
  /** Extra fields for this connection's log lines (e.g. remote address, role). */
  logFields?: Record<string, unknown>
  /** Application data about the connection (e.g. its authorised role), handed back by `onAwarenessSeen` (§4.4). */
  info?: Readonly<Record<string, unknown>>
  /** §7.5: the client's address, for `maxConnectionsPerAddress` (not counted when absent). */
  address?: string
}

export interface RoomManagerStats {
  rooms: number
  connections: number
  /** §7.3: accepted, not yet persisted bytes over all rooms. */
  queuedBytes: number
  /** §7.3: connections not being read because their room's write queue is full. */
  pausedConnections: number
}

export class RoomManager {
  private readonly rooms = new Map<string, Room>()
  private readonly ctx: RoomContext
  private closing = false
  private readonly compactionQueue = new Set<Room>()
  private compactionRunning: Promise<void> | null = null
  /** §4.4: only when `onAwarenessSeen` is set. */
  private readonly seenTap: AwarenessSeenTap | null
  private readonly connInfo = new WeakMap<SyncConnection, Readonly<Record<string, unknown>>>()
  /** §7.5: open connections per room name and per address (entries removed at zero). */
  private readonly perRoom = new Map<string, number>()
  private readonly perAddress = new Map<string, number>()
  private readonly counted = new Set<SyncConnection>()

  constructor(opts: RoomManagerOptions) {
    const logger = opts.logger ?? silentLogger
    const limits: SyncLimits = { ...defaultLimits, ...opts.limits }
    this.seenTap = opts.onAwarenessSeen
      ? new AwarenessSeenTap(
          opts.onAwarenessSeen,
          opts.awarenessSeenIntervalMs ?? 1000,
          // new client ids per interval per room; a normal board has a handful
          1024,
          logger,
          (conn) => this.connInfo.get(conn),
        )
      : null
    this.ctx = {
      storage: opts.storage,
      logger,
      badInput: new BadInputLog(logger, opts.maxBadInputLogLinesPerSecond ?? 50),
      // §7.3: at most 20 backpressure lines per 10 s over all rooms (each room: one start per 10 s)
      flowLog: new BadInputLog(logger, 20, 10_000, Date.now, 'backpressure'),
      limits,
      idleMs: opts.roomIdleMs ?? 30_000,
      storageRetryMs: opts.storageRetryMs ?? 1000,
      compactAfterUpdates: opts.compactAfterUpdates ?? 500,
      compactAfterBytes: opts.compactAfterBytes ?? 1024 * 1024,
      onIdle: (room) => void this.unload(room),
      // ARCHIVE hook (issue 6): autosave when a board is left; after the queue drained, so both the
      // room and storage hold every accepted edit
      onLastConnectionLeft: (room) => {
        const hook = opts.onRoomIdle
        if (!hook || this.closing) return
        this.seenTap?.flush(room)
        void room
          .drain()
          .then(() => hook(room.name))
          .catch((err) => logger.error({ room: room.name, err: errorMessage(err) }, 'sync: onRoomIdle hook failed'))
      },
      onCompactionDue: (room) => this.scheduleCompaction(room),
      connectionClosed: (conn) => this.uncount(conn),
      policy: opts.policy,
    }
  }

  get limits(): Readonly<SyncLimits> {
    return this.ctx.limits
  }

  /**
   * Registers a new socket for `roomName`. Returns at once (§2.2): the transport must push every
   * frame into the returned connection from now on; they are buffered until the room is loaded.
   */
  connect(socket: SyncSocket, roomName: string, opts: ConnectOptions = {}): SyncConnection {
    const conn = new SyncConnection(socket, roomName, opts.readOnly ?? false, this.ctx, opts.logFields, opts.address ?? null, opts.info)
    if (opts.info) this.connInfo.set(conn, opts.info)
    if (!this.admit(conn)) return conn
    this.attach(conn)
    return conn
  }

  /** §7.5: per-room and per-address connection caps; a refused connection is closed at once. */
  private admit(conn: SyncConnection): boolean {
    const { maxConnectionsPerRoom, maxConnectionsPerAddress } = this.ctx.limits
    const inRoom = this.perRoom.get(conn.roomName) ?? 0
    const fromAddress = conn.address === null ? 0 : (this.perAddress.get(conn.address) ?? 0)
    if (!this.closing) {
      if (maxConnectionsPerAddress > 0 && conn.address !== null && fromAddress >= maxConnectionsPerAddress) {
        conn.close('TOO_MANY_CONNECTIONS', `${fromAddress} connections open from ${conn.address}`)
        return false
      }
      if (maxConnectionsPerRoom > 0 && inRoom >= maxConnectionsPerRoom) {
        conn.close('ROOM_FULL', `${inRoom} connections open in the room`)
        return false
      }
    }
    this.counted.add(conn)
    this.perRoom.set(conn.roomName, inRoom + 1)
    if (conn.address !== null) this.perAddress.set(conn.address, fromAddress + 1)
    return true
  }

  private uncount(conn: SyncConnection): void {
    if (!this.counted.delete(conn)) return
    const dec = (map: Map<string, number>, key: string) => {
      const n = (map.get(key) ?? 1) - 1
      if (n <= 0) map.delete(key)
      else map.set(key, n)
    }
    dec(this.perRoom, conn.roomName)
    if (conn.address !== null) dec(this.perAddress, conn.address)
  }

  private attach(conn: SyncConnection): void {
    if (conn.state === 'closed') return
    if (this.closing) return conn.close('GOING_AWAY')
    const room = this.rooms.get(conn.roomName)
    if (room && room.state === 'closing') {
      // §9.3: wait for the unload to finish, then load the room afresh
      conn.room = null
      void room.unloaded.then(() => this.attach(conn))
      return
    }
    this.getOrCreate(conn.roomName).attach(conn)
  }

  private getOrCreate(name: string): Room {
    let room = this.rooms.get(name)
    if (!room || room.state === 'closed') {
      room = new Room(name, this.ctx)
      const created = room
      this.rooms.set(name, created)
      this.seenTap?.watch(created)
      created.ready.catch(() => {
        this.seenTap?.forget(created)
        if (this.rooms.get(name) === created) this.rooms.delete(name)
      })
    }
    return room
  }

  /** Loads (if needed) and pins a room for server-side work. */
  private async acquire(name: string): Promise<Room> {
    for (;;) {
      if (this.closing) throw new Error('room manager is shutting down')
      const existing = this.rooms.get(name)
      if (existing && existing.state === 'closing') {
        await existing.unloaded
        continue
      }
      const room = this.getOrCreate(name)
      room.pin()
      try {
        await room.ready
      } catch (err) {
        room.unpin()
        throw err
      }
      return room
    }
  }

  /**
   * Runs `fn` on the room's document in one transaction with a local origin (§5.5) and resolves
   * once the resulting update is durable and was broadcast. Use it for templates and restores.
   */
  async transact<T>(name: string, fn: (doc: Y.Doc) => T, label = 'local'): Promise<T> {
    const room = await this.acquire(name)
    try {
      let result!: T
      room.doc.transact(() => {
        result = fn(room.doc)
      }, localOrigin(label))
      await room.drain()
      return result
    } finally {
      room.unpin()
    }
  }

  /** The room's full state as one update (loads the room briefly if needed). */
  async encodeState(name: string): Promise<Uint8Array> {
    const room = await this.acquire(name)
    try {
      await room.drain()
      return Y.encodeStateAsUpdate(room.doc)
    } finally {
      room.unpin()
    }
  }

  /** Closes every connection of a room, e.g. when its session ended or a token was revoked. */
  disconnectRoom(name: string, code: 'NORMAL' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'ROOM_NOT_FOUND' = 'NORMAL'): number {
    const room = this.rooms.get(name)
    if (!room) return 0
    const n = room.conns.size
    room.closeAll(code)
    return n
  }

  /** §4.4: hands the room's pending awareness-seen batch to `onAwarenessSeen` now (e.g. before a final snapshot). */
  flushAwarenessSeen(name: string): void {
    const room = this.rooms.get(name)
    if (room) this.seenTap?.flush(room)
  }

  stats(): RoomManagerStats {
    let connections = 0
    let queuedBytes = 0
    let pausedConnections = 0
    for (const room of this.rooms.values()) {
      connections += room.conns.size
      queuedBytes += room.queuedBytes
      if (room.backpressure) for (const c of room.conns) if (c.paused) pausedConnections++
    }
    return { rooms: this.rooms.size, connections, queuedBytes, pausedConnections }
  }

  /** Names of the rooms in memory (for diagnostics and tests). */
  roomNames(): string[] {
    return [...this.rooms.keys()]
  }

  /** §9.2: persist (drain + compact) and free an idle room. */
  private async unload(room: Room): Promise<void> {
    if (room.state !== 'ready' || room.holders > 0) return
    room.beginUnload()
    try {
      await room.drain()
      this.compactionQueue.delete(room)
      await room.compaction
      if (room.logCount > 1) await this.compact(room)
    } catch (err) {
      this.ctx.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: error while unloading room')
    } finally {
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
      this.seenTap?.forget(room)
      room.destroy()
    }
  }

  // ---- background compaction (§8) ----

  private scheduleCompaction(room: Room): void {
    if (room.compaction || this.closing) return
    this.compactionQueue.add(room)
    if (!this.compactionRunning) this.compactionRunning = this.runCompactions()
  }

  /** One room at a time, each started from a fresh macrotask: never on the message path. */
  private async runCompactions(): Promise<void> {
    try {
      while (this.compactionQueue.size > 0 && !this.closing) {
        await new Promise((r) => setImmediate(r))
        const room = this.compactionQueue.values().next().value as Room
        this.compactionQueue.delete(room)
        if (room.state !== 'ready') continue
        await this.compact(room)
      }
    } finally {
      this.compactionRunning = null
    }
  }

  private compact(room: Room): Promise<void> {
    if (room.compaction) return room.compaction
    const countBefore = room.logCount
    const bytesBefore = room.logBytes
    room.compaction = (async () => {
      try {
        const res = await this.ctx.storage.compactRoom(room.name)
        // appends that landed while compacting stay in the log after the merged entry
        const appendedCount = Math.max(0, room.logCount - countBefore)
        const appendedBytes = Math.max(0, room.logBytes - bytesBefore)
        room.logCount = 1 + appendedCount
        room.logBytes = res.bytesAfter + appendedBytes
        room.lastCompactedBytes = res.bytesAfter
        this.ctx.logger.debug(
          { room: room.name, updatesBefore: res.updatesBefore, bytesAfter: res.bytesAfter },
          'sync: compacted room log',
        )
      } catch (err) {
        this.ctx.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: compaction failed (log kept as is)')
      } finally {
        room.compaction = null
      }
    })()
    return room.compaction
  }

  // ---- shutdown ----

  /**
   * §10: refuse new connections, close all with GOING_AWAY (1001), wait until every accepted
   * edit is persisted, finish running compactions, free the rooms. Storage stays open (the
   * caller closes it afterwards).
   */
  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.compactionQueue.clear()
    const rooms = [...this.rooms.values()]
    for (const room of rooms) room.closeAll('GOING_AWAY')
    await Promise.all(
      rooms.map(async (room) => {
        await room.ready.catch(() => {})
        await room.drain()
        await room.compaction
        this.seenTap?.forget(room)
        room.destroy()
      }),
    )
    await this.compactionRunning
    this.rooms.clear()
  }
}

export { CloseCodes }
