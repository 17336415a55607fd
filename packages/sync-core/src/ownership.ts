/**
 * §13 Room ownership (several instances). Before a room is loaded its instance takes a lease
 * that no other instance can hold at the same time; every append of the room goes through that
 * lease (fencing: once the lease is lost, appends fail instead of reaching the log). Without an
 * `ownership` option (one instance, SQLite) rooms load and append straight through storage.
 */

export interface RoomLease {
  /** Appends durably, only while the lease is held (rejects once it is lost). */
  appendUpdates(updates: Uint8Array[]): Promise<void>
  /** Gives the room up (after its last append). Idempotent. */
  release(): Promise<void>
  /** Registers the callback run once when the lease is lost without `release` (e.g. the lock's connection died). */
  onLost(callback: (reason: string) => void): void
}

export interface RoomOwnership {
  /**
   * Takes the room's lease before the room is loaded. Resolves to null when another instance
   * owns the room; rejects when the lease store is unreachable (the room then fails to load, §2.4).
   */
  acquire(room: string): Promise<RoomLease | null>
}

/** `RoomManager.transact` / `encodeState` on a room another instance owns. */
export class RoomOwnedElsewhereError extends Error {
  override readonly name = 'RoomOwnedElsewhereError'
  constructor(readonly room: string) {
    super(`room ${room} is owned by another instance`)
  }
}

/** What the manager reports about room lifecycle (metrics, logs). */
export type RoomEvent =
  | { type: 'loaded'; room: string; owned: boolean }
  | { type: 'unloaded'; room: string }
  /** The room's lease was lost: its connections were closed with STORAGE_UNAVAILABLE and it was dropped. */
  | { type: 'evicted'; room: string; reason: string }
  /** Another instance owns the room: its waiting connections were closed with ROOM_MOVED. */
  | { type: 'moved'; room: string; connections: number }
