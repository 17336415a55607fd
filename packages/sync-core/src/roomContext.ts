/**
 * What a room needs from its manager (kept narrow so Room is testable on its own). The manager
 * builds it from its options (`managerOptions.ts`, defaults there) and its own callbacks.
 */
import type { ConnectionContext } from './connection.js'
import type { BadInputLog } from './logger.js'
import type { UpdatePolicy } from './admission.js'
import type { WriteQueueContext } from './writeQueue.js'
import type { RoomOwnership } from './ownership.js'
import type { AwarenessFilter } from './awarenessFilter.js'
import type { Room } from './room.js'

export interface RoomContext extends WriteQueueContext, ConnectionContext {
  badInput: BadInputLog
  idleMs: number
  compactAfterUpdates: number
  compactAfterBytes: number
  /** Called when the room had no holders for `idleMs`. */
  onIdle(room: Room): void
  /** Called when the last connection of the room left (the room stays loaded for the grace period). */
  onLastConnectionLeft(room: Room): void
  /** Called after appends when the log passed its compaction threshold. */
  onCompactionDue(room: Room): void
  /** §13: leases of several instances (absent: one instance, no lease). */
  ownership?: RoomOwnership
  /** §13.3: the room's lease was lost. */
  onLeaseLost(room: Room, reason: string): void
  /** §13.2: another instance owns the room; `connections` were sent on with ROOM_MOVED. */
  onMoved(room: Room, connections: number): void
  /** §12: the application's judge of every client update (none: everything is admitted). */
  policy?: UpdatePolicy
  /** §4.7: rewrites announced awareness states before they are applied and broadcast. */
  filterAwareness?: AwarenessFilter
}
