/**
 * The RoomManager's options, their defaults (the rooms' shared context, `roomContextFrom`) and
 * the shapes it hands out (kept apart from its logic).
 */
import { defaultLimits, type SyncLimits } from './limits.js'
import { BadInputLog, silentLogger, type Logger } from './logger.js'
import { AwarenessSeenTap, type AwarenessSeenHook } from './awarenessSeen.js'
import type { UpdatePolicy } from './admission.js'
import type { AwarenessFilter } from './awarenessFilter.js'
import type { RoomStorage } from './storage.js'
import type { RoomEvent, RoomOwnership } from './ownership.js'
import type { RoomContext } from './roomContext.js'

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
  /** §13: room leases when several instances share the storage. */
  ownership?: RoomOwnership
  /** §13.4: room lifecycle events (metrics). Errors are ignored. */
  onRoomEvent?: (event: RoomEvent) => void
  /**
   * §12: judges every client update inside the transaction that applied it, before anything is
   * stored or broadcast; a refused update is reverted and the sender told (`policy:<reason>`).
   * Without it every decodable update of an editing connection is admitted.
   */
  policy?: UpdatePolicy
  /** §4.7: rewrites the awareness states a connection announces before they are applied and broadcast. */
  filterAwareness?: AwarenessFilter
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
  /**
   * §4.2: who the connection acts for (e.g. a signed-in person). An awareness client id belongs
   * to the participant it was first announced for: only that participant's connections announce
   * it (a reconnecting tab takes it over); connections without one count as one participant.
   */
  participant?: string
}

export interface RoomManagerStats {
  rooms: number
  connections: number
  /** §7.3: accepted, not yet persisted bytes over all rooms. */
  queuedBytes: number
  /** §7.3: connections not being read because their room's write queue is full. */
  pausedConnections: number
  /** §13: loaded rooms this instance holds the lease of. */
  ownedRooms: number
}

/** What the manager itself does for its rooms: the callbacks of their context. */
export type ManagerHooks = Pick<
  RoomContext,
  'onIdle' | 'onLastConnectionLeft' | 'onCompactionDue' | 'onLeaseLost' | 'onMoved' | 'connectionClosed'
>

/**
 * The context every room of a manager shares: its options with their defaults, and `hooks`.
 * One object literal (rooms read it on every message: one shape, whatever the options).
 */
export function roomContextFrom(opts: RoomManagerOptions, hooks: ManagerHooks): RoomContext {
  const logger = opts.logger ?? silentLogger
  return {
    storage: opts.storage,
    logger,
    badInput: new BadInputLog(logger, opts.maxBadInputLogLinesPerSecond ?? 50),
    // §7.3: at most 20 backpressure lines per 10 s over all rooms (each room: one start per 10 s)
    flowLog: new BadInputLog(logger, 20, 10_000, Date.now, 'backpressure'),
    limits: { ...defaultLimits, ...opts.limits },
    idleMs: opts.roomIdleMs ?? 30_000,
    storageRetryMs: opts.storageRetryMs ?? 1000,
    compactAfterUpdates: opts.compactAfterUpdates ?? 500,
    compactAfterBytes: opts.compactAfterBytes ?? 1024 * 1024,
    onIdle: hooks.onIdle,
    onLastConnectionLeft: hooks.onLastConnectionLeft,
    onCompactionDue: hooks.onCompactionDue,
    ownership: opts.ownership,
    onLeaseLost: hooks.onLeaseLost,
    onMoved: hooks.onMoved,
    connectionClosed: hooks.connectionClosed,
    policy: opts.policy,
    filterAwareness: opts.filterAwareness,
  }
}

/** §4.4: the tap that reports the awareness states rooms saw; null without `onAwarenessSeen` (nothing watched). */
export function awarenessSeenTapFrom(opts: RoomManagerOptions, logger: Logger): AwarenessSeenTap | null {
  if (!opts.onAwarenessSeen) return null
  return new AwarenessSeenTap(
    opts.onAwarenessSeen,
    opts.awarenessSeenIntervalMs ?? 1000,
    // new client ids per interval per room; a normal board has a handful
    1024,
    logger,
  )
}
