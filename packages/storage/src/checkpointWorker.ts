/**
 * [1.6] The WAL checkpoint's own thread: a worker holding a second connection to the database
 * runs `wal_checkpoint`, so its two fsyncs (~10–20 ms here, every 2 s) no longer stall the main
 * thread, where every edit of every room waits behind them (issue 12: p99 latency at 100 rooms ×
 * 10). The worker is small (no bundle of its own: its source is evaluated) and loads the same
 * better-sqlite3 as the main thread.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** A checkpoint was made, or why not. */
export type CheckpointResult = { ok: true } | { ok: false; error: string }

/** A worker that has not answered a checkpoint within this long is given up (an I/O hang: statements wait for it). */
const ANSWER_TIMEOUT_MS = 30_000

/**
 * The worker: PASSIVE (never waits for a lock), then TRUNCATE once everything is copied and the
 * WAL is larger than the limit. busy_timeout 0: a TRUNCATE that meets a writer (another process)
 * is skipped, never waited for.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlite)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('busy_timeout = 0')
const pageBytes = Number(db.pragma('page_size', { simple: true }))
parentPort.on('message', (m) => {
  if (m.close) {
    db.close()
    parentPort.close()
    return
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    if (r && r.busy === 0 && r.checkpointed === r.log && r.log * pageBytes > m.truncateAboveBytes) {
      db.pragma('wal_checkpoint(TRUNCATE)')
    }
    parentPort.postMessage({ ok: true })
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) })
  }
})
`

/** The better-sqlite3 the main thread loaded (the worker's `require` would resolve from the working directory). */
function sqliteModulePath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3')
}

export class CheckpointWorker {
  private readonly worker: Worker
  private pending: ((r: CheckpointResult) => void) | null = null
  private answerTimer: ReturnType<typeof setTimeout> | null = null
  /** Set once the worker is gone (it failed, or was closed): every later run fails at once. */
  private failure: string | null = null
  private readonly exited: Promise<void>

  /** `sqlite`: tests, a module that does not load. */
  constructor(path: string, sqlite: string = sqliteModulePath()) {
    // a small isolate: it holds one connection and a few numbers
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, sqlite },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    })
    this.worker.on('message', (r: CheckpointResult) => this.settle(r))
    this.worker.on('error', (err) => this.gone(`the WAL checkpoint worker failed: ${String(err?.message ?? err).split('\n')[0]}`))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.once('exit', (code) => this.gone(`the WAL checkpoint worker exited (${code})`))
    // an idle worker never keeps the process alive; one with a checkpoint or a close in
    // progress does, so that statements waiting for it run and a shutdown finishes (after the
    // listeners: adding a 'message' listener refs the worker again)
    this.worker.unref()
  }

  /** One checkpoint on the worker's connection (one at a time). */
  run(truncateAboveBytes: number): Promise<CheckpointResult> {
    if (this.failure) return Promise.resolve({ ok: false, error: this.failure })
    if (this.pending) throw new Error('a checkpoint is already running')
    return new Promise((resolve) => {
      this.pending = resolve
      this.worker.ref()
      this.answerTimer = setTimeout(() => {
        this.gone(`the WAL checkpoint worker did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`)
        void this.worker.terminate()
      }, ANSWER_TIMEOUT_MS)
      this.answerTimer.unref()
      this.worker.postMessage({ truncateAboveBytes })
    })
  }

  /** Closes the worker's connection and ends the thread (after the checkpoint in progress, if any). */
  async close(): Promise<void> {
    if (!this.failure) {
      this.failure = 'the WAL checkpoint worker is closed'
      this.worker.ref() // the process waits for its connection to close
      this.worker.postMessage({ close: true })
    }
    await this.exited
  }

  get failed(): string | null {
    return this.failure
  }

  private settle(r: CheckpointResult): void {
    const p = this.pending
    this.pending = null
    if (this.answerTimer) clearTimeout(this.answerTimer)
    this.answerTimer = null
    if (!this.failure) this.worker.unref()
    p?.(r)
  }

  private gone(why: string): void {
    this.failure ??= why
    this.settle({ ok: false, error: this.failure })
  }
}
