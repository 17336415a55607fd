/**
 * §8 Background compaction: rooms whose log passed its threshold are compacted one at a time,
 * each from a fresh macrotask (never on the message path); the room's document state replaces the
 * entries read (§8.2, `heldLogEntries.ts`), appends that land meanwhile stay in the log after it.
 */
import * as Y from 'yjs'
import { errorMessage, type Logger } from './logger.js'
import { STORED_ORIGIN } from './origins.js'
import type { Room } from './room.js'
import type { RoomStorage } from './storage.js'

export class Compactor {
  private readonly queue = new Set<Room>()
  private running: Promise<void> | null = null
  private stopped = false

  constructor(
    private readonly storage: RoomStorage,
    private readonly logger: Logger,
  ) {}

  /** Queues `room` (once) for compaction in the background. */
  schedule(room: Room): void {
    if (room.compaction || this.stopped) return
    this.queue.add(room)
    if (!this.running) this.running = this.runAll()
  }

  /** The room unloads or was dropped: it leaves the queue (a running compaction is awaited through `room.compaction`). */
  forget(room: Room): void {
    this.queue.delete(room)
  }

  /** Shutdown: nothing new starts; resolves once the one running has finished. */
  async stop(): Promise<void> {
    this.stopped = true
    this.queue.clear()
    await this.running
  }

  /** One room at a time, each started from a fresh macrotask: never on the message path. */
  private async runAll(): Promise<void> {
    try {
      while (this.queue.size > 0 && !this.stopped) {
        await new Promise((r) => setImmediate(r))
        const room = this.queue.values().next().value as Room
        this.queue.delete(room)
        if (room.state !== 'ready') continue
        await this.compact(room)
      }
    } finally {
      this.running = null
    }
  }

  /** Compacts `room` now (or joins the compaction running on it). */
  compact(room: Room): Promise<void> {
    if (room.compaction) return room.compaction
    const countBefore = room.log.count
    const bytesBefore = room.log.bytes
    room.compaction = (async () => {
      try {
        // §8.2: the room's document state replaces the entries read
        const leased = room.lease !== null
        const res = await this.storage.compactRoom(room.name, async (entries) => {
          if (room.evicted) throw new Error('room lease lost')
          const state = room.log.held.compose(room.doc, entries, (entry) => Y.applyUpdate(room.doc, entry, STORED_ORIGIN))
          // §13.3: a compaction does not go through the lease, so its state may hold only what
          // is durable: a change the lease failed to store (its caller was told so) must not
          // reach the log this way and be stored twice when retried on the next owner
          if (leased && (!(await room.persistedSoFar()) || room.evicted)) throw new Error('room lease lost')
          return state
        })
        room.log.compacted(countBefore, bytesBefore, res.bytesAfter)
        this.logger.debug(
          { room: room.name, updatesBefore: res.updatesBefore, bytesAfter: res.bytesAfter },
          'sync: compacted room log',
        )
      } catch (err) {
        room.log.held.failed()
        this.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: compaction failed (log kept as is)')
      } finally {
        room.compaction = null
      }
    })()
    return room.compaction
  }
}
