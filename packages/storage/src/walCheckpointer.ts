/**
 * [1.6] SQLite's WAL is copied back into the database from a timer of its own (every 2 s after
 * any write), not inside an append's COMMIT (PASSIVE: it never waits for readers or writers).
 * Between two ticks every frame is copied, so the next write restarts the WAL from its start: it
 * stays as large as a few seconds of appends. Once everything is copied, a WAL larger than the
 * limit (after a burst) is truncated, so churn of many rooms cannot leave a WAL many times the
 * database. Durability is unchanged: a commit is in the WAL file once it returns.
 *
 * It stays on the main thread: run from a second connection (a worker thread, tried in session
 * 5), the copy raced the appends, the WAL was never fully copied at the start of a write so it
 * kept growing, and the TRUNCATE that then had to bound it held appends for 30–40 ms (review).
 */
import type Database from 'better-sqlite3'
import type { StorageLogger } from './types'

/** How often appended WAL frames are checkpointed into the database file. */
const CHECKPOINT_INTERVAL_MS = 2000
/** [1.6] Largest WAL left on disk after a checkpoint. */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024

export class WalCheckpointer {
  private dirty = false
  private stopped = false
  private timer: ReturnType<typeof setInterval> | null = null
  private pageBytes = 0

  constructor(
    private readonly db: Database.Database,
    private readonly logger?: StorageLogger,
  ) {}

  /** Every write (appends, compactions, deletions) leaves WAL frames for the next tick. */
  wrote(): void {
    this.dirty = true
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(this.checkpoint, CHECKPOINT_INTERVAL_MS)
      this.timer.unref()
    }
  }

  /** No more ticks (the database closes). */
  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private checkpoint = (): void => {
    if (!this.dirty || !this.db.open) return
    this.dirty = false
    try {
      const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
      // [1.6] everything is in the database file now: a WAL beyond the limit is truncated (cheap:
      // nothing left to copy), so churn of many rooms cannot leave a WAL many times the database
      if (r && r.busy === 0 && r.checkpointed === r.log && r.log * this.pageSize() > WAL_SIZE_LIMIT_BYTES) {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
      }
    } catch (err) {
      // SQLITE_BUSY from another process's checkpoint etc.: the next tick tries again
      this.dirty = true
      this.logger?.warn(`storage: WAL checkpoint failed: ${(err as Error).message}`)
    }
  }

  private pageSize(): number {
    return (this.pageBytes ||= Number(this.db.pragma('page_size', { simple: true })))
  }
}
