/**
 * The rooms' update logs (RoomStorage of sync-core): one row per Yjs update, ordered by seq.
 * Appending is the drivers' hot path (SqlDb.appendUpdates); reading, compacting and deleting are here.
 */
import { toBuf, toU8 } from '../bytes'
import { tx, type SqlDb } from '../sql'
import type { ComposeCompaction } from '@copboard/sync-core'
import * as Y from 'yjs'

export async function loadRoom(db: SqlDb, room: string): Promise<Uint8Array[]> {
  const rows = await db.all<{ data: Uint8Array }>('SELECT data FROM updates WHERE room = ? ORDER BY seq', [room])
  return rows.map((r) => toU8(r.data))
}

/**
 * Replaces the room's log by one update (the caller's `compose`, default their merge), safe
 * beside appends: the read and the write each run in a macrotask of their own, and
 * the write removes exactly the entries read and puts the merged one at the newest one's seq, so
 * appends made after the read stay after it.
 */
export async function compactRoom(db: SqlDb, room: string, compose: ComposeCompaction = mergeEntries): Promise<{ updatesBefore: number; bytesAfter: number }> {
  for (let attempt = 0; ; attempt++) {
    await yieldToLoop()
    const rows = await db.all<{ seq: number | string; data: Uint8Array }>('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq', [room])
    if (rows.length <= 1) return { updatesBefore: rows.length, bytesAfter: rows[0]?.data.byteLength ?? 0 }
    const merged = await compose(rows.map((r) => toU8(r.data)))
    const maxSeq = rows[rows.length - 1]!.seq
    try {
      await db.transaction(function* () {
        const removed = yield* tx.run('DELETE FROM updates WHERE room = ? AND seq <= ?', [room, maxSeq])
        // an entry we did not read (another process compacted, or a PostgreSQL append with a lower
        // seq committed after our read): leave everything as it was and read again
        if (removed !== rows.length) throw new CompactionConflict()
        yield* tx.run('INSERT INTO updates (seq, room, data, created_at) VALUES (?, ?, ?, ?)', [maxSeq, room, toBuf(merged), Date.now()])
      })
      return { updatesBefore: rows.length, bytesAfter: merged.byteLength }
    } catch (err) {
      if (err instanceof CompactionConflict && attempt < 3) continue
      throw err
    }
  }
}

export async function countUpdates(db: SqlDb, room: string): Promise<number> {
  const r = await db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM updates WHERE room = ?', [room])
  return Number(r!.n)
}

/** Deletes a room's whole log; the number of entries removed. */
export function deleteRoom(db: SqlDb, room: string): Promise<number> {
  return db.run('DELETE FROM updates WHERE room = ?', [room])
}

export async function listRooms(db: SqlDb): Promise<string[]> {
  const rows = await db.all<{ room: string }>('SELECT DISTINCT room FROM updates ORDER BY room')
  return rows.map((r) => r.room)
}

class CompactionConflict extends Error {}

/** The default compose: the entries' merge (the sync core composes its document's state instead, sync-core §8.2). */
const mergeEntries = (entries: readonly Uint8Array[]): Uint8Array => Y.mergeUpdates([...entries])

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

