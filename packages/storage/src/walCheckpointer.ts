/**
 * [1.6] SQLite's WAL is copied back into the database from a timer of its own (every 2 s after
 * any write), not inside an append's COMMIT (PASSIVE: it never waits for readers or writers).
 * Between two ticks every frame is copied, so the next write restarts the WAL from its start: it
 * stays as large as a few seconds of appends. Once everything is copied, a WAL larger than the
 * limit (after a burst) is truncated, so churn of many rooms cannot leave a WAL many times the
 * database. Durability is unchanged: a commit is in the WAL file once it returns.
 *
 * The checkpoint runs on a worker's connection (checkpointWorker.ts): its fsyncs took 8–19 ms
 * of the main thread every 2 s, the largest stall of a busy server (issue 12). While it runs,
 * this handle's statements wait for it (`inProgress`, sqlite.ts) and the journal's moves are
 * put off (the append journal already made every append durable), so the copy reaches the
 * WAL's end and the next write restarts it. (In session 5 a worker's checkpoint raced the
 * appends, which then committed one by one, and the WAL was never restarted.) Should the worker
 * fail, the checkpoint runs on the main thread as before.
 */
import type Database from 'better-sqlite3'
import { CheckpointWorker, type CheckpointResult } from './checkpointWorker'
import { StorageError } from './errors'
import type { StorageLogger } from './types'

/** How often appended WAL frames are checkpointed into the database file. */
const CHECKPOINT_INTERVAL_MS = 2000
/** [1.6] Largest WAL left on disk after a checkpoint. */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024

export type CheckpointPlace = 'worker' | 'main thread'

export interface WalCheckpointerOptions {
  /** Tests: the module the worker loads instead of better-sqlite3 (one that fails: the main-thread fallback). */
  workerSqliteModule?: string
  /** The worker starts now, not at the first checkpoint (OpenStorageOptions.checkpointWorkerAtOpen). */
  startAtOpen?: boolean
}

export class WalCheckpointer {
  private dirty = false
  private stopped = false
  private timer: ReturnType<typeof setInterval> | null = null
  private pageBytes = 0
  /** undefined: not started yet; null: no worker (it failed to start or died). */
  private worker: CheckpointWorker | null | undefined
  /** The checkpoint running on the worker; resolves to where it ran (the main thread if the worker failed meanwhile). */
  private running: Promise<CheckpointPlace> | null = null

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly logger?: StorageLogger,
    private readonly opts: WalCheckpointerOptions = {},
  ) {
    if (opts.startAtOpen) this.startWorker()
  }

  /** Every write (appends, compactions, deletions) leaves WAL frames for the next tick. */
  wrote(): void {
    this.dirty = true
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(this.tick, CHECKPOINT_INTERVAL_MS)
      this.timer.unref()
    }
  }

  /** The checkpoint running on the worker, null when none: this handle's statements wait for it. It never rejects. */
  get inProgress(): Promise<unknown> | null {
    return this.running
  }

  /**
   * Checkpoints now (after the one running), whether or not anything was written since; says
   * where it ran (tests, maintenance). Started at once when none is running.
   */
  checkpointNow(): Promise<CheckpointPlace> {
    // the next one starts a turn later: the statements that waited for this one run first
    if (this.running) return this.running.then(() => new Promise((r) => setImmediate(r))).then(() => this.checkpointNow())
    if (this.stopped || !this.db.open) return Promise.reject(new StorageError('CLOSED'))
    this.dirty = true
    this.tick()
    return this.running ?? Promise.resolve('main thread')
  }

  /** No more ticks; the worker ends after the checkpoint in progress (the database closes next). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    const worker = this.worker
    this.worker = null
    await worker?.close()
  }

  private tick = (): void => {
    if (!this.dirty || !this.db.open || this.running || this.stopped) return
    this.dirty = false
    const worker = this.startWorker()
    if (!worker) return this.checkpointHere()
    this.running = worker
      .run(WAL_SIZE_LIMIT_BYTES)
      .then((r) => this.finished(r))
      .catch((): CheckpointPlace => 'worker') // (a throwing logger): statements waiting for it must not fail
      .finally(() => (this.running = null))
  }

  private startWorker(): CheckpointWorker | null {
    if (this.worker !== undefined) return this.worker
    try {
      this.worker = new CheckpointWorker(this.path, this.opts.workerSqliteModule)
    } catch (err) {
      this.workerFailed((err as Error).message)
    }
    return this.worker ?? null
  }

  private finished(r: CheckpointResult): CheckpointPlace {
    if (r.ok) return 'worker'
    if (this.worker?.failed) {
      // the worker is gone: this tick's checkpoint runs here, and every later one
      this.workerFailed(r.error)
      if (this.db.open && !this.stopped) this.checkpointHere()
      return 'main thread'
    }
    // SQLITE_BUSY from another process's checkpoint etc.: the next tick tries again
    this.dirty = true
    this.logger?.warn(`storage: WAL checkpoint failed: ${r.error}`)
    return 'worker'
  }

  private workerFailed(why: string): void {
    this.worker = null
    this.logger?.warn(`storage: ${why}; the WAL is checkpointed on the main thread`)
  }

  /** The same checkpoint on this handle's connection (the worker failed). */
  private checkpointHere(): void {
    try {
      const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
      if (r && r.busy === 0 && r.checkpointed === r.log && r.log * this.pageSize() > WAL_SIZE_LIMIT_BYTES) {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
      }
    } catch (err) {
      this.dirty = true
      this.logger?.warn(`storage: WAL checkpoint failed: ${(err as Error).message}`)
    }
  }

  private pageSize(): number {
    return (this.pageBytes ||= Number(this.db.pragma('page_size', { simple: true })))
  }
}
