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
   * Replaces the room's log by one update: `compose(entries read)` (it must hold all of them;
   * default: their `Y.mergeUpdates`). Safe to run while appends continue: updates appended after
   * the read are kept. `compose` may be called again when the log changed under it.
   */
  compactRoom(room: string, compose?: ComposeCompaction): Promise<{ updatesBefore: number; bytesAfter: number }>
  /** Number of log entries of a room (to decide when to compact). */
  countUpdates(room: string): Promise<number>
}

/** The update that replaces a room's log entries in a compaction. */
export type ComposeCompaction = (entries: readonly Uint8Array[]) => Uint8Array | Promise<Uint8Array>
