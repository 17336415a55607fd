/**
 * Reading stored snapshots back as boards: the notes that can be carried over (A6), placing them
 * on another board (A7), comparing two snapshots (A8).
 */
import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { SnapshotMeta, Storage } from '@copboard/storage'
import { readRecords, writeRecords } from '@copboard/board'
import { ArchiveError } from './errors'
import { carryOverCandidates, planCarryOver, type CarryCandidate } from './carry-over'
import { compareRecords, type Comparison } from './compare'
import { editStoredRoom } from './stored-room'
import type { RoomsApi } from './session-archive'

export class SnapshotReader {
  constructor(private readonly storage: Storage) {}

  /** The board records of a snapshot; PART_NOT_FOUND when it has no board state. */
  async records(snapshotId: string): Promise<TLRecord[]> {
    const state = await this.storage.getSnapshotPart(snapshotId, 'yjsState')
    if (!state) throw new ArchiveError('PART_NOT_FOUND', 'the snapshot has no board state')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    return readRecords(doc)
  }

  async candidates(snap: SnapshotMeta): Promise<CarryCandidate[]> {
    return carryOverCandidates(await this.records(snap.id))
  }

  /** Places the picked notes of `snap` on `room`'s board: through the RoomManager when wired, else through storage. Returns how many. */
  async carryOver(snap: SnapshotMeta, room: string, noteIds: string[], rooms: RoomsApi | undefined): Promise<number> {
    const fromSession = await this.storage.getSession(snap.sessionId)
    const from = { sessionId: snap.sessionId, sessionNumber: fromSession?.number ?? Number((snap.meta as { sessionNumber?: number }).sessionNumber ?? 0), snapshotId: snap.id }
    const source = await this.records(snap.id)
    const place = (doc: Y.Doc) => {
      const notes = planCarryOver(readRecords(doc), source, noteIds, from)
      if (notes.length) writeRecords(doc, notes)
      return notes.length
    }
    if (rooms) return rooms.transact(room, place, 'carry-over')
    let placed = 0
    await editStoredRoom(this.storage, room, (doc) => void (placed = place(doc)))
    return placed
  }

  /** Notes added, removed and changed from snapshot `a` to `b` (a snapshot without board state is an empty board). */
  async compare(a: SnapshotMeta, b: SnapshotMeta): Promise<Comparison> {
    const [ra, rb] = await Promise.all(
      [a, b].map(async (s) => {
        const state = await this.storage.getSnapshotPart(s.id, 'yjsState')
        const doc = new Y.Doc()
        if (state) Y.applyUpdate(doc, state)
        return readRecords(doc)
      }),
    )
    return compareRecords(ra, rb, { outsideLabel: 'Buiten de zones' })
  }
}
