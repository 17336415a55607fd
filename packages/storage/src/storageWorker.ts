/**
 * The storage's worker thread, for work that would otherwise stop every room of the instance:
 * [1.3] a large compaction's `Y.mergeUpdates` (0.2–1 s of CPU for a 1 MB board with 500 new entries).
 *
 * One worker per process, started on the first job and stopped after a quiet spell (its heap is
 * given back). It keeps the process alive only while a job is in flight (so a shutdown awaiting a
 * compaction is not cut short). A job the worker cannot do (it did not start, it died) is
 * rejected and its caller does the work itself; after a failure no worker is started for a while.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * The worker stops after this long without a job: longer than a busy big board's compactions are
 * apart (500 edits: 10 s at a CoP's 50 edits/s), so a live session does not start (and compile)
 * a new one for each.
 */
const IDLE_STOP_MS = 30_000
/** After the worker failed, jobs run on their caller's thread for this long. */
const RETRY_AFTER_MS = 60_000

export type WorkerJob =
  /** the entries back to back in `packed` (transferred, not copied), entry i ending at ends[i] */
  { kind: 'merge'; packed: Uint8Array; ends: number[] }

// CommonJS in an eval worker, requiring the same yjs as this process by path
const workerSource = (yjsPath: string) => `
const { parentPort } = require('node:worker_threads')
// background work: on a machine of few cores the main thread's edits must not wait for a merge
// (Linux: this thread's own nice value; elsewhere the default priority)
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())
  require('node:os').setPriority(tid, 19)
} catch {}
const Y = require(${JSON.stringify(yjsPath)})
parentPort.on('message', ({ id, job }) => {
  try {
    const updates = job.ends.map((end, i) => job.packed.subarray(i === 0 ? 0 : job.ends[i - 1], end))
    const merged = Y.mergeUpdates(updates)
    parentPort.postMessage({ id, result: merged }, [merged.buffer])
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
  private failedAt = -Infinity

  /** Runs `job` in the worker; rejects when the worker cannot (the caller then does it itself). */
  run(job: WorkerJob, transfer: ArrayBuffer[] = []): Promise<unknown> {
    let worker: Worker
    try {
      worker = this.start()
    } catch (err) {
      return Promise.reject(err)
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.ref()
      this.rearmIdleStop()
      worker.postMessage({ id, job }, transfer)
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    if (Date.now() - this.failedAt < RETRY_AFTER_MS) throw new Error('storage worker unavailable (failed recently)')
    let worker: Worker
    try {
      worker = new Worker(workerSource(createRequire(import.meta.url).resolve('yjs')), { eval: true })
    } catch (err) {
      this.failedAt = Date.now()
      throw err
    }
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.error === undefined) p.resolve(msg.result)
      else p.reject(new Error(`storage worker: ${msg.error}`))
      if (this.pending.size === 0) worker.unref()
      this.rearmIdleStop()
    })
    const gone = (err: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      if (this.pending.size > 0) this.failedAt = Date.now()
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    worker.on('error', gone)
    worker.on('exit', (code) => gone(new Error(`storage worker exited (${code})`)))
    // (after the listeners: adding a 'message' listener refs the worker again)
    worker.unref()
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
