/**
 * [1.6] SQLite's WAL is copied back into the database from a timer of its own (every 2 s after
 * any write), not inside an append's COMMIT, and in the storage worker (storageWorker.ts), not on
 * the main thread: a checkpoint fsyncs the WAL and the database (30–70 ms at times on this
 * machine), which on the main thread held every edit on its way to the clients. PASSIVE: it
 * never waits for readers or writers (a WAL still in use is checkpointed on the next tick). Once
 * everything is copied, a WAL larger than the limit is truncated, so churn of many rooms cannot
 * leave a WAL many times the database. Durability is unchanged: a commit is in the WAL file
 * before appendUpdates resolves.
 */
import type Database from 'better-sqlite3'
import { storageWorker, type CheckpointResult } from './storageWorker'
import type { StorageLogger } from './types'

/** How often appended WAL frames are checkpointed into the database file. */
const CHECKPOINT_INTERVAL_MS = 2000
/** [1.6] Largest WAL left on disk after a checkpoint. */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024

export class WalCheckpointer {
  private dirty = false
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<void> | null = null

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly logger?: StorageLogger,
  ) {}

  /** Every write (appends, compactions, deletions) leaves WAL frames for the next tick. */
  wrote(): void {
    this.dirty = true
    if (!this.timer) {
      this.timer = setInterval(this.tick, CHECKPOINT_INTERVAL_MS)
      this.timer.unref()
    }
  }

  /** No more ticks; resolves once a checkpoint in flight is done (before the database closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private tick = (): void => {
    if (!this.dirty || !this.db.open || this.running) return
    this.dirty = false
    this.running = this.checkpoint().finally(() => (this.running = null))
  }

  private async checkpoint(): Promise<void> {
    let r: CheckpointResult
    try {
      r = (await storageWorker.run({ kind: 'checkpoint', path: this.path, truncateAboveBytes: WAL_SIZE_LIMIT_BYTES })) as CheckpointResult
    } catch (err) {
      if (!this.db.open) return
      // the worker could not (it did not start, or its connection failed): on this thread then
      try {
        r = this.checkpointHere()
      } catch (here) {
        // SQLITE_BUSY from another process's checkpoint etc.: the next tick tries again
        this.dirty = true
        this.logger?.warn(`storage: WAL checkpoint failed: ${(here as Error).message} (worker: ${(err as Error).message})`)
        return
      }
    }
    if (r.busy !== 0 || r.checkpointed < r.log) this.dirty = true
  }

  private checkpointHere(): CheckpointResult {
    const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
    const pageSize = Number(this.db.pragma('page_size', { simple: true }))
    let truncated = false
    if (r && r.busy === 0 && r.checkpointed === r.log && r.log * pageSize > WAL_SIZE_LIMIT_BYTES) {
      this.db.pragma('wal_checkpoint(TRUNCATE)')
      truncated = true
    }
    return { busy: r?.busy ?? 0, log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0, truncated }
  }
}
