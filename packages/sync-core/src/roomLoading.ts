/**
 * §2 Loading a room: its lease first (§13.1), then every entry of its log (§2.1), before it sends
 * anything to anyone. A failed load closes the waiting connections (§2.4); a room another
 * instance owns sends them on (§13.2). Runs once per room, never on the message path.
 */
import * as Y from 'yjs'
import { errorMessage } from './logger.js'
import { STORAGE_ORIGIN } from './origins.js'
import { RoomOwnedElsewhereError } from './ownership.js'
import type { Room } from './room.js'
import type { RoomContext } from './roomContext.js'

/** Loads `room` (its `ready`); rejects when loading failed or another instance owns the room. */
export async function loadRoom(room: Room, ctx: RoomContext): Promise<void> {
  let updates: Uint8Array[]
  try {
    // §13.1: the lease first, so no other instance appends to what is loaded here
    if (ctx.ownership) {
      const lease = await ctx.ownership.acquire(room.name)
      if (!lease) return sendOn(room, ctx)
      room.lease = lease
      lease.onLost((reason) => ctx.onLeaseLost(room, reason))
    }
    updates = await ctx.storage.loadRoom(room.name)
  } catch (err) {
    if (room.evicted) throw err // §13.3: dropped while loading, its connections are closed already
    if (err instanceof RoomOwnedElsewhereError) {
      if (room.state === 'closed') throw err // sent on already
      return sendOn(room, ctx) // the lease store said so itself
    }
    ctx.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: loading room from storage failed')
    void room.lease?.release().catch(() => {})
    room.lease = null
    room.closeWaiting('STORAGE_UNAVAILABLE')
    room.finishUnload()
    throw err
  }
  // §13.3: the lease was lost while the log was read: the room was dropped and destroyed, and
  // must not come back to life as a copy no lease protects
  if (room.evicted) throw new Error(`room ${room.name}: the lease was lost while the room was loading`)
  let loggedCorruptEntry = false
  for (const update of updates) {
    try {
      Y.applyUpdate(room.doc, update, STORAGE_ORIGIN)
      room.log.held.add(update)
    } catch (err) {
      // a corrupt entry must not make the whole room unreadable; it is reported, not hidden
      if (!loggedCorruptEntry) {
        loggedCorruptEntry = true
        ctx.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: skipped an undecodable stored update')
      }
    }
  }
  room.log.loaded(updates)
  room.loaded()
}

/** §13.2: another instance owns the room: send the waiting clients on, never serve a copy. */
function sendOn(room: Room, ctx: RoomContext): never {
  // a lease taken before storage said so is not kept
  void room.lease?.release().catch(() => {})
  room.lease = null
  const n = room.closeWaiting('ROOM_MOVED')
  ctx.onMoved(room, n)
  room.finishUnload()
  throw new RoomOwnedElsewhereError(room.name)
}
