/**
 * A room's persist-then-broadcast pipeline (§5) and its bounded write queue (§7.3): admitted
 * updates (already applied to the room's document, §12) are appended to storage in batches
 * (group commit), and only once the append resolved are they broadcast. When the unpersisted bytes pass the limit, the
 * room's writers are paused until the queue drained below half of it.
 */
import type * as Y from 'yjs'
import type { SyncConnection } from './connection.js'
import type { SyncLimits } from './limits.js'
import { errorMessage, type BadInputLog, type Logger } from './logger.js'
import type { RoomStorage } from './storage.js'

/** What the queue needs from its manager. */
export interface WriteQueueContext {
  storage: RoomStorage
  logger: Logger
  /** §7.3: backpressure start/stop lines (own global budget). */
  flowLog: BadInputLog
  limits: SyncLimits
  storageRetryMs: number
}

/** What the queue needs from its room. */
export interface WriteQueueHost {
  readonly name: string
  readonly doc: Y.Doc
  /** Live connections: receivers of broadcasts, and the writers paused under backpressure. */
  readonly conns: ReadonlySet<SyncConnection>
  /** The room is unloaded: failed local changes are not retried any more. */
  isClosed(): boolean
  /** A batch of `updates` (`bytes` of them) is durable, applied and broadcast. */
  persisted(updates: readonly Uint8Array[], bytes: number): void
  /** §13.1: where the room's appends go (through its lease when it holds one). Default: storage. */
  append?(updates: Uint8Array[]): Promise<void>
}

export interface QueueEntry {
  update: Uint8Array
  /** The frame to broadcast (a sync update message of `update`). */
  frame: Uint8Array
  /**
   * The connection it came from (it is not sent back there); null for a server-side change or a
   * refused client update's revert, which go to everyone. Every entry is already applied (§12).
   */
  sender: SyncConnection | null
  /** Memory it holds until persisted (§7.3): the frame, plus the update when it is not part of it. */
  bytes: number
}

const RESOLVED = Promise.resolve()

/** Up to this many bytes of a batch are handed to a socket as one write (§5.3). */
const CORK_MAX_BYTES = 64 * 1024

/** §7.3: a room logs the start of backpressure at most this often (episodes in between are counted). */
const BACKPRESSURE_LOG_INTERVAL_MS = 10_000

export class WriteQueue {
  private queue: QueueEntry[] = []
  /** §7.3: bytes of accepted updates not yet persisted (queued + the write in flight); a running sum. */
  queuedBytes = 0
  /** §7.3: the room stopped reading from its connections until the queue drains below half the limit. */
  backpressure = false
  private backpressureSince = 0
  private backpressureLogged = false
  private lastBackpressureLogAt = -Infinity
  private unloggedBackpressure = 0
  private writing = false
  private drainWaiters: (() => void)[] = []
  /**
   * Entries enqueued / settled so far (persisted, or dropped by a closed room; FIFO: a failed
   * batch is retried first), for `persistedSoFar`.
   */
  private enqueuedCount = 0
  private settledCount = 0
  private persistWaiters: { upTo: number; resolve: (durable: boolean) => void }[] = []

  constructor(
    private readonly host: WriteQueueHost,
    private readonly ctx: WriteQueueContext,
  ) {}

  enqueue(entry: QueueEntry): void {
    this.queue.push(entry)
    this.enqueuedCount++
    this.queuedBytes += entry.bytes
    if (this.queuedBytes > this.ctx.limits.maxQueuedBytes) this.queueFull(entry.sender)
    if (!this.writing) {
      // §5.3: the write starts once the code that admitted this update is done (a microtask: a
      // server-side change made of several transactions is one write); whatever arrives while
      // it is in flight goes into the next one. Not a setImmediate: ws hands over messages from
      // the check phase, so that would cost every edit a whole event-loop turn of latency.
      // `writing` is set now so `drain()` waits for the scheduled flush.
      // (a resolved promise, not queueMicrotask: Node wraps each of those in an AsyncResource)
      this.writing = true
      void RESOLVED.then(this.startFlush)
    }
  }

  /** Resolves when every queued update is persisted and broadcast. */
  drain(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  /**
   * Resolves true once every update enqueued so far is durable, false when the room closed and
   * dropped some of them first (§8.2: a leased room's compaction stores only what is durable).
   * Unlike `drain()`, updates enqueued later are not waited for.
   */
  persistedSoFar(): Promise<boolean> {
    const upTo = this.enqueuedCount
    if (this.settledCount >= upTo) return Promise.resolve(true)
    return new Promise((resolve) => this.persistWaiters.push({ upTo, resolve }))
  }

  /** `flushEnded`: the queue is empty, so nothing a waiter waits for is still to come. */
  private settlePersistWaiters(flushEnded: boolean): void {
    if (this.persistWaiters.length === 0) return
    const waiting: typeof this.persistWaiters = []
    for (const w of this.persistWaiters) {
      if (this.settledCount >= w.upTo) w.resolve(true)
      else if (flushEnded) w.resolve(false)
      else waiting.push(w)
    }
    this.persistWaiters = waiting
  }

  /** §7.3: a newcomer to a room under backpressure is not read either. */
  admit(conn: SyncConnection): void {
    if (this.backpressure && !conn.readOnly) conn.pause()
  }

  /** The room is being destroyed: nothing stays paused. */
  release(): void {
    for (const c of this.host.conns) c.resume()
    this.backpressure = false
  }

  private startFlush = (): void => void this.flush()

  /**
   * §7.3: the write queue passed `maxQueuedBytes`. Stop reading from every connection that can
   * send edits (TCP backpressure reaches the senders; nothing is dropped); a sender whose
   * transport cannot pause is closed with QUEUE_FULL (its client resends in sync step 2). The
   * update that got here is kept: frames already received are processed normally.
   */
  private queueFull(sender: SyncConnection | null): void {
    if (sender && !sender.canPause()) sender.close('QUEUE_FULL')
    if (this.backpressure) return
    this.backpressure = true
    this.backpressureSince = Date.now()
    let paused = 0
    for (const c of this.host.conns) {
      if (c.readOnly || c.paused) continue
      c.pause()
      if (c.paused) paused++
    }
    const now = this.backpressureSince
    if (now - this.lastBackpressureLogAt >= BACKPRESSURE_LOG_INTERVAL_MS) {
      this.backpressureLogged = this.ctx.flowLog.line(
        'warn',
        {
          room: this.host.name,
          queuedBytes: this.queuedBytes,
          maxQueuedBytes: this.ctx.limits.maxQueuedBytes,
          paused,
          episodesNotLogged: this.unloggedBackpressure,
        },
        'sync: write queue full, room stops reading from its connections (storage is slow)',
      )
    } else this.backpressureLogged = false
    if (this.backpressureLogged) {
      this.lastBackpressureLogAt = now
      this.unloggedBackpressure = 0
    } else this.unloggedBackpressure++
  }

  /** §7.3: the queue fell below half the limit: every paused connection is read again. */
  private queueDrained(): void {
    this.backpressure = false
    let resumed = 0
    for (const c of this.host.conns) {
      if (!c.paused) continue
      c.resume()
      resumed++
    }
    if (this.backpressureLogged) {
      this.backpressureLogged = false
      this.ctx.flowLog.line(
        'info',
        { room: this.host.name, queuedBytes: this.queuedBytes, resumed, durationMs: Date.now() - this.backpressureSince },
        'sync: write queue drained, room reads from its connections again',
      )
    }
  }

  /** Bytes of a finished (persisted or failed) batch leave the queue; maybe end backpressure. */
  private dequeued(bytes: number): void {
    this.queuedBytes -= bytes
    if (this.backpressure && this.queuedBytes < this.ctx.limits.maxQueuedBytes / 2) this.queueDrained()
  }

  /**
   * §5.1–5.3: one storage write at a time per room; whatever arrived during a write goes into the
   * next one (group commit). Only after the append resolved is an update broadcast.
   */
  private async flush(): Promise<void> {
    this.writing = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        let batchBytes = 0
        for (const e of batch) batchBytes += e.bytes
        const updates = batch.map((e) => e.update)
        try {
          await (this.host.append ? this.host.append(updates) : this.ctx.storage.appendUpdates(this.host.name, updates))
        } catch (err) {
          this.appendFailed(batch, err) // re-queues (and re-counts) the batch
          this.dequeued(batchBytes)
          if (this.queue.length > 0) {
            await new Promise((r) => setTimeout(r, this.ctx.storageRetryMs))
          }
          continue
        }
        const bytes = this.broadcast(batch)
        this.dequeued(batchBytes)
        this.settledCount += batch.length
        this.host.persisted(updates, bytes)
        this.settlePersistWaiters(false)
      }
    } finally {
      this.writing = false
      this.settlePersistWaiters(true)
      const waiters = this.drainWaiters
      this.drainWaiters = []
      for (const w of waiters) w()
    }
  }

  /** A persisted batch: broadcast every entry. Returns the update bytes. */
  private broadcast(batch: QueueEntry[]): number {
    const { conns } = this.host
    let bytes = 0
    // a batch of several updates reaches each socket in one write (one syscall), not one each
    // (only for small batches: corked bytes count as unsent for the slow-consumer check, §7.2)
    let frameBytes = 0
    for (const e of batch) frameBytes += e.frame.length
    const corked = batch.length > 1 && frameBytes <= CORK_MAX_BYTES ? [...conns] : null
    if (corked) for (const c of corked) c.cork()
    try {
      for (const entry of batch) {
        bytes += entry.update.length
        for (const c of conns) if (c !== entry.sender) c.send(entry.frame)
      }
    } finally {
      if (corked) for (const c of corked) c.uncork()
    }
    return bytes
  }

  /**
   * §5.4: nothing of a failed batch is broadcast. The room's document already holds it (§12), so
   * the whole batch is retried (after `storageRetryMs`) until it is durable; the senders are
   * closed with STORAGE_UNAVAILABLE so their users see the trouble (their clients resync on
   * reconnect; what they resend is already in the room).
   */
  private appendFailed(batch: QueueEntry[], err: unknown): void {
    this.ctx.logger.error(
      { room: this.host.name, updates: batch.length, err: errorMessage(err) },
      'sync: appending to storage failed; edits not broadcast',
    )
    const senders = new Set<SyncConnection>()
    for (const e of batch) if (e.sender) senders.add(e.sender)
    for (const s of senders) s.close('STORAGE_UNAVAILABLE')
    if (!this.host.isClosed()) {
      this.queue.unshift(...batch)
      for (const e of batch) this.queuedBytes += e.bytes
    } else {
      // dropped (FIFO: these were next in line): whoever waits for them learns they are not durable
      this.settledCount += batch.length
      for (const w of this.persistWaiters.splice(0)) w.resolve(false)
    }
  }
}
