/**
 * §8 A room's view of its storage log: the entries and bytes it holds since the last compaction,
 * the entries the document is known to hold (§8.2, a compaction stores its state instead of
 * them), and when the next compaction is due (§8.1). The compaction itself: `compaction.ts`.
 */
import { HeldLogEntries } from './heldLogEntries.js'

/** §8.1: a board compacted to this many bytes waits for one more entry before its next compaction… */
export const COMPACTED_BYTES_PER_UPDATE = 256
/** …up to this many (well below the digests a room keeps, `MAX_HELD_DIGESTS`). */
export const MAX_COMPACT_AFTER_UPDATES = 8_000

export interface CompactionThresholds {
  compactAfterUpdates: number
  compactAfterBytes: number
}

export class RoomLog {
  /** Entries in the storage log and their bytes. */
  count = 0
  bytes = 0
  /** The size of the entry the last compaction wrote. */
  private lastCompactedBytes = 0
  /** §8.2: the log entries the document is known to hold. */
  readonly held = new HeldLogEntries()

  constructor(private readonly thresholds: CompactionThresholds) {}

  /** §2.1: the room loaded `updates` (those the document could not decode are not `held`). */
  loaded(updates: readonly Uint8Array[]): void {
    this.count = updates.length
    let max = 0
    for (const u of updates) {
      this.bytes += u.length
      if (u.length > max) max = u.length
    }
    // the log's largest entry stands for its last compaction (§8.1)
    this.lastCompactedBytes = max
  }

  /** §8: a persisted batch grows the log. Returns whether it passed its compaction threshold. */
  appended(updates: readonly Uint8Array[], bytes: number): boolean {
    for (const u of updates) this.held.add(u)
    this.count += updates.length
    this.bytes += bytes
    return this.count >= 2 && (this.count > this.compactAfterUpdates() || this.bytes > this.compactAfterBytes())
  }

  /**
   * §8.2: a compaction replaced the entries it read (the log held `countBefore` entries of
   * `bytesBefore` when it started) by one of `bytesAfter`; appends that landed meanwhile stay in
   * the log after it.
   */
  compacted(countBefore: number, bytesBefore: number, bytesAfter: number): void {
    this.held.committed()
    this.count = 1 + Math.max(0, this.count - countBefore)
    this.bytes = bytesAfter + Math.max(0, this.bytes - bytesBefore)
    this.lastCompactedBytes = bytesAfter
  }

  /**
   * §8.1: a compaction encodes the whole document on the main thread (a 1.7 MB board: tens of
   * ms), so a big board waits for more entries than a small one: its cost per edit stays the same.
   */
  private compactAfterUpdates(): number {
    return Math.min(MAX_COMPACT_AFTER_UPDATES, Math.max(this.thresholds.compactAfterUpdates, Math.floor(this.lastCompactedBytes / COMPACTED_BYTES_PER_UPDATE)))
  }

  /** Relative to the last compacted size, or a large document would compact on every write. */
  private compactAfterBytes(): number {
    return Math.max(this.thresholds.compactAfterBytes, 2 * this.lastCompactedBytes)
  }
}
