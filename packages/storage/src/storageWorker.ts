/**
 * The storage's worker thread: the work that would otherwise stop every room of the instance.
 *  - [1.3] a compaction's `Y.mergeUpdates`: 0.2–1 s of CPU for a 1 MB board with 500 new entries;
 *  - [1.6] SQLite's WAL checkpoint: it fsyncs the WAL and the database, 30–70 ms each now and then
 *    on this machine (strace), every 2 s while edits arrive.
 * One worker per process, started on first use and stopped after a quiet spell (its heap is
 * given back); it never keeps the process alive. Each job falls back
 * to the calling thread when the worker cannot do it (could not start, died): nothing is skipped.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** The worker stops after this long without a job. */
const IDLE_STOP_MS = 3000

/** [1.6] what a checkpoint did (SQLite's wal_checkpoint row), and whether the WAL was truncated. */
export interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
  truncated: boolean
}

export type WorkerJob =
  /** the entries back to back in `packed` (transferred, not copied), entry i ending at ends[i] */
  | { kind: 'merge'; packed: Uint8Array; ends: number[] }
  | { kind: 'checkpoint'; path: string; truncateAboveBytes: number }

// CommonJS in an eval worker, requiring the same yjs and better-sqlite3 as this process by path.
// A checkpoint connection never waits (busy_timeout 0): a busy WAL is checkpointed next time.
const workerSource = (paths: { yjs: string; sqlite: string }) => `
const { parentPort } = require('node:worker_threads')
let Y = null
let Database = null
function checkpoint({ path, truncateAboveBytes }) {
  Database ??= require(${JSON.stringify(paths.sqlite)})
  // a connection per checkpoint (every 2 s at most): none outlives the storage that asked
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 0')
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    const pageSize = db.pragma('page_size', { simple: true })
    let truncated = false
    if (r && r.busy === 0 && r.checkpointed === r.log && r.log * pageSize > truncateAboveBytes) {
      const [t] = db.pragma('wal_checkpoint(TRUNCATE)')
      truncated = !!t && t.busy === 0
    }
    return { busy: r.busy, log: r.log, checkpointed: r.checkpointed, truncated }
  } finally {
    db.close()
  }
}
parentPort.on('message', ({ id, job }) => {
  try {
    if (job.kind === 'merge') {
      Y ??= require(${JSON.stringify(paths.yjs)})
      const updates = job.ends.map((end, i) => job.packed.subarray(i === 0 ? 0 : job.ends[i - 1], end))
      const merged = Y.mergeUpdates(updates)
      parentPort.postMessage({ id, result: merged }, [merged.buffer])
    } else if (job.kind === 'checkpoint') {
      parentPort.postMessage({ id, result: checkpoint(job) })
    }
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) })
  }
})
`

type Pending = { resolve: (r: unknown) => void; reject: (e: Error) => void }

class StorageWorker {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private idleTimer: ReturnType<typeof setTimeout> | null = null

  get running(): boolean {
    return this.worker !== null
  }

  run(job: WorkerJob, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.rearmIdleStop()
      worker.postMessage({ id, job }, transfer)
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const req = createRequire(import.meta.url)
    const worker = new Worker(workerSource({ yjs: req.resolve('yjs'), sqlite: req.resolve('better-sqlite3') }), { eval: true })
    worker.unref()
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.error === undefined) p.resolve(msg.result)
      else p.reject(new Error(`storage worker: ${msg.error}`))
      this.rearmIdleStop()
    })
    const gone = (err: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    worker.on('error', gone)
    worker.on('exit', (code) => gone(new Error(`storage worker exited (${code})`)))
    this.worker = worker
    return worker
  }

  /** The idle stop only fires with nothing in flight. */
  private rearmIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    if (this.pending.size > 0) return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      const w = this.worker
      if (!w || this.pending.size > 0) return
      this.worker = null
      void w.terminate()
    }, IDLE_STOP_MS)
    this.idleTimer.unref()
  }
}

/** The process's storage worker (shared by every open storage). */
export const storageWorker = new StorageWorker()
