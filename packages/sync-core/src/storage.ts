/**
 * What the sync core needs from persistence. Implemented by `@copboard/storage`
 * (SQLite, PostgreSQL) and by an in-memory store for unit tests.
 */
export interface RoomStorage {
  /** Every stored update of a room, oldest first (a compacted state counts as one). [] for a new room. */
  loadRoom(room: string): Promise<Uint8Array[]>
  /**
   * Appends updates durably: when the promise resolves they survive a process crash (kill -9).
   * Called before the updates are broadcast. It may resolve without giving the event loop a turn
   * (SQLite: one write(2) to its journal), so a caller must not loop on it without one.
   */
  appendUpdates(room: string, updates: Uint8Array[]): Promise<void>
  /**
   * Replaces the room's log by one merged update. Safe to run while appends continue:
   * updates appended after the read are kept.
   */
  compactRoom(room: string): Promise<{ updatesBefore: number; bytesAfter: number }>
  /** Number of log entries of a room (to decide when to compact). */
  countUpdates(room: string): Promise<number>
}
