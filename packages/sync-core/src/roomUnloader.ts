/**
 * How a loaded room leaves its manager: unloaded when idle or handed over (§9.2, §13.5: drained,
 * compacted, lease released, then forgotten), evicted at once when its lease is lost (§13.3), and
 * freed on shutdown (§10). Never on the message path.
 */
import { errorMessage, type Logger } from './logger.js'
import type { AwarenessSeenTap } from './awarenessSeen.js'
import type { Compactor } from './compaction.js'
import type { RoomEvent } from './ownership.js'
import type { Room } from './room.js'

export class RoomUnloader {
  constructor(
    /** The manager's loaded rooms by name: a room that leaves is deleted (if still the one under its name). */
    private readonly rooms: Map<string, Room>,
    private readonly compactor: Compactor,
    /** §4.4: only when `onAwarenessSeen` is set. */
    private readonly seenTap: AwarenessSeenTap | null,
    private readonly logger: Logger,
    /** §13.4: `unloaded` and `evicted`. */
    private readonly emit: (event: RoomEvent) => void,
  ) {}

  /** §9.2: persist (drain + compact) and free an idle room. */
  async unload(room: Room): Promise<void> {
    if (room.state !== 'ready' || room.holders > 0) return
    room.beginUnload()
    try {
      await room.drain()
      this.compactor.forget(room)
      await room.compaction
      if (room.log.count > 1) await this.compactor.compact(room)
    } catch (err) {
      this.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: error while unloading room')
    } finally {
      // §13.1: released before the room counts as unloaded, so a reload here can take it again
      await this.releaseLease(room)
      // §13.3: evicted while it unloaded: dropped and reported already
      if (!room.evicted) {
        if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
        this.seenTap?.forget(room)
        room.destroy()
        this.emit({ type: 'unloaded', room: room.name })
      }
    }
  }

  /**
   * §13.3: the room's lease is gone (its database connection died): another instance may own the
   * room now, so this copy must stop at once. Its clients are closed with STORAGE_UNAVAILABLE and
   * reconnect (their unconfirmed edits travel again in sync step 2); nothing more is appended.
   */
  evict(room: Room, reason: string): void {
    if (room.state === 'closed' || room.evicted) return
    room.evicted = true
    this.logger.error({ room: room.name, reason, connections: room.conns.size }, 'sync: room lease lost; room dropped, clients reconnect')
    room.closeAll('STORAGE_UNAVAILABLE')
    this.compactor.forget(room)
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
    this.seenTap?.forget(room)
    room.lease = null
    room.destroy()
    this.emit({ type: 'evicted', room: room.name, reason })
  }

  /** §10: once its connections are closed, every accepted edit is persisted, then the room is freed (the manager forgets them all afterwards). */
  async shutDown(room: Room): Promise<void> {
    await room.ready.catch(() => {})
    await room.drain()
    await room.compaction
    await this.releaseLease(room)
    this.seenTap?.forget(room)
    room.destroy()
  }

  private async releaseLease(room: Room): Promise<void> {
    const lease = room.lease
    room.lease = null
    if (!lease) return
    try {
      await lease.release()
    } catch (err) {
      this.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: releasing the room lease failed')
    }
  }
}
