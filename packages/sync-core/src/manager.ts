/**
 * The set of loaded rooms: creates a room on first use (after the connection caps of
 * `connectionCaps.ts`), unloads it when idle (`roomUnloader.ts`), has it compacted in the
 * background (`compaction.ts`), serves server-side access and shuts everything down in order.
 * Options and their defaults: `managerOptions.ts`.
 */
import * as Y from 'yjs'
import { CloseCodes } from './closeCodes.js'
import type { SyncLimits } from './limits.js'
import { errorMessage } from './logger.js'
import { localOrigin } from './origins.js'
import type { AwarenessSeenTap } from './awarenessSeen.js'
import { SyncConnection } from './connection.js'
import { ConnectionCaps } from './connectionCaps.js'
import { Compactor } from './compaction.js'
import { Room } from './room.js'
import type { RoomContext } from './roomContext.js'
import { RoomUnloader } from './roomUnloader.js'
import type { SyncSocket } from './socket.js'
import { RoomOwnedElsewhereError, type RoomEvent } from './ownership.js'
import {
  awarenessSeenTapFrom,
  roomContextFrom,
  type ConnectOptions,
  type RoomManagerOptions,
  type RoomManagerStats,
} from './managerOptions.js'

export type { ConnectOptions, RoomManagerOptions, RoomManagerStats } from './managerOptions.js'

/** §13.3: server-side access loads a room whose lease was lost while loading at most this often in a row. */
export const MAX_EVICTED_LOADS = 3

export class RoomManager {
  private readonly rooms = new Map<string, Room>()
  private readonly ctx: RoomContext
  private closing = false
  /** §8: one room at a time, in the background. */
  private readonly compactor: Compactor
  /** §4.4: only when `onAwarenessSeen` is set. */
  private readonly seenTap: AwarenessSeenTap | null
  /** §7.5: open connections per room name and per address. */
  private readonly caps: ConnectionCaps
  /** §9.2, §13.3, §10: how a room leaves `rooms`. */
  private readonly unloader: RoomUnloader

  constructor(opts: RoomManagerOptions) {
    this.ctx = roomContextFrom(opts, {
      onIdle: (room) => void this.unloader.unload(room),
      // ARCHIVE hook (issue 6): autosave when a board is left; after the queue drained, so both the
      // room and storage hold every accepted edit
      onLastConnectionLeft: (room) => {
        const hook = opts.onRoomIdle
        if (!hook || this.closing) return
        this.seenTap?.flush(room)
        void room
          .drain()
          .then(() => hook(room.name))
          .catch((err) => this.ctx.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: onRoomIdle hook failed'))
      },
      onCompactionDue: (room) => this.compactor.schedule(room),
      onLeaseLost: (room, reason) => this.unloader.evict(room, reason),
      onMoved: (room, connections) => {
        this.ctx.logger.info({ room: room.name, connections }, 'sync: room is owned by another instance; clients sent on')
        this.emit({ type: 'moved', room: room.name, connections })
      },
      connectionClosed: (conn) => this.caps.uncount(conn),
    })
    const { logger, limits } = this.ctx
    this.caps = new ConnectionCaps(limits)
    this.compactor = new Compactor(opts.storage, logger)
    this.seenTap = awarenessSeenTapFrom(opts, logger)
    this.unloader = new RoomUnloader(this.rooms, this.compactor, this.seenTap, logger, (event) => this.emit(event))
    this.onRoomEvent = opts.onRoomEvent
  }

  private readonly onRoomEvent: RoomManagerOptions['onRoomEvent']

  private emit(event: RoomEvent): void {
    try {
      this.onRoomEvent?.(event)
    } catch {
      // metrics must never break a room
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
    const conn = new SyncConnection(socket, roomName, this.ctx, opts)
    if (!this.caps.admit(conn, this.closing)) return conn
    this.attach(conn)
    return conn
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
      created.ready.then(
        () => this.emit({ type: 'loaded', room: name, owned: created.lease !== null }),
        () => {},
      )
      created.ready.catch(() => {
        this.seenTap?.forget(created)
        if (this.rooms.get(name) === created) this.rooms.delete(name)
      })
    }
    return room
  }

  /** Loads (if needed) and pins a room for server-side work. */
  private async acquire(name: string): Promise<Room> {
    for (let evictedLoads = 0; ; ) {
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
        // §13.3: its lease was lost while it loaded: the room is loaded afresh (lease again, or sent on)
        if (room.evicted && ++evictedLoads < MAX_EVICTED_LOADS) continue
        if (room.evicted) throw new Error(`room ${name}: its lease was lost while loading, ${evictedLoads} times in a row`, { cause: err })
        throw err
      }
      if (room.state === 'closed') {
        room.unpin()
        throw new RoomOwnedElsewhereError(name)
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
      // §13.3: a room evicted meanwhile did not persist the change
      if (room.evicted) throw new Error(`room ${name} lost its lease before the change was stored`)
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

  /**
   * §1.7: the state a joiner without a cache gets (the shared full state of §1.6, no encoding
   * while the document is unchanged), for the application's plain HTTP read of a room. Loads the
   * room if needed (it then unloads like a room whose last connection left); throws
   * RoomOwnedElsewhereError when another instance owns it.
   */
  async joinerState(name: string): Promise<Uint8Array> {
    const room = await this.acquire(name)
    try {
      return room.fullState()
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

  /**
   * §13.5: gives a loaded room up (another instance is where the proxy sends its clients): every
   * connection is closed with ROOM_MOVED, the room is drained, compacted and unloaded, and its
   * lease released. Resolves to the number of connections sent on (0 when the room is not here).
   */
  async handOver(name: string): Promise<number> {
    const room = this.rooms.get(name)
    if (!room || room.state !== 'ready') return 0
    const n = room.conns.size
    room.closeAll('ROOM_MOVED')
    await this.unloader.unload(room)
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
    let ownedRooms = 0
    for (const room of this.rooms.values()) {
      if (room.lease) ownedRooms++
      connections += room.conns.size
      queuedBytes += room.queuedBytes
      if (room.backpressure) for (const c of room.conns) if (c.paused) pausedConnections++
    }
    return { rooms: this.rooms.size, connections, queuedBytes, pausedConnections, ownedRooms }
  }

  /** Names of the rooms in memory (for diagnostics and tests). */
  roomNames(): string[] {
    return [...this.rooms.keys()]
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
    const compactionsDone = this.compactor.stop()
    const rooms = [...this.rooms.values()]
    for (const room of rooms) room.closeAll('GOING_AWAY')
    await Promise.all(rooms.map((room) => this.unloader.shutDown(room)))
    await compactionsDone
    this.rooms.clear()
  }
}

export { CloseCodes }
