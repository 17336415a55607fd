/**
 * [1.3] A compaction's `Y.mergeUpdates` runs in a worker thread: merging a 1 MB board with 500
 * new entries took 0.2–1 s of CPU (issue 12), and on the main thread that froze every room of the
 * instance (edits, cursors, /healthz) each time a busy board passed its compaction threshold.
 *
 * One worker per process, started on the first merge and stopped after a quiet spell, so an idle
 * server holds no second heap. It never keeps the process alive. Should the worker fail (it could
 * not start, or died), the merge runs here instead: a compaction is never skipped for it.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import * as Y from 'yjs'

/** The worker stops after this long without a merge (its heap is given back). */
const IDLE_STOP_MS = 10_000

// CommonJS in an eval worker: the same yjs this process resolves, by absolute path
const workerSource = (yjsPath: string) => `
const { parentPort } = require('node:worker_threads')
const Y = require(${JSON.stringify(yjsPath)})
parentPort.on('message', ({ id, updates }) => {
  try {
    const merged = Y.mergeUpdates(updates)
    parentPort.postMessage({ id, merged }, [merged.buffer])
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) })
  }
})
`

type Pending = { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }

class MergeWorker {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private idleTimer: ReturnType<typeof setTimeout> | null = null

  merge(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.busy()
      // copied, not transferred: the rows may be views into buffers the driver shares
      worker.postMessage({ id, updates })
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const yjsPath = createRequire(import.meta.url).resolve('yjs')
    const worker = new Worker(workerSource(yjsPath), { eval: true })
    worker.unref()
    worker.on('message', (msg: { id: number; merged?: Uint8Array; error?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.merged) p.resolve(msg.merged)
      else p.reject(new Error(`merge worker: ${msg.error}`))
      this.busy()
    })
    const gone = (err: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    worker.on('error', gone)
    worker.on('exit', (code) => gone(new Error(`merge worker exited (${code})`)))
    this.worker = worker
    return worker
  }

  /** (Re)arms the idle stop; it only fires with nothing in flight. */
  private busy(): void {
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

const shared = new MergeWorker()

/** `Y.mergeUpdates(updates)`, computed off the main thread (on it only if the worker failed). */
export async function mergeOffThread(updates: readonly Uint8Array[]): Promise<Uint8Array> {
  if (updates.length <= 1) return Y.mergeUpdates([...updates])
  try {
    return await shared.merge(updates)
  } catch {
    return Y.mergeUpdates([...updates])
  }
}
