/**
 * Reading and seeding board documents through storage (the sync core appends every update to
 * storage before broadcasting it, so the stored log is the board). Used for snapshots and for
 * starting a session from a template or from an earlier snapshot — both happen while the room is
 * new and not loaded by the RoomManager (a session's room is created with the session).
 */
import * as Y from 'yjs'
import type { Storage } from '@copboard/storage'
import { writeDocSchema, writeRecords } from '@copboard/board'
import { baseBoardRecords, defaultSerializedSchema } from './tldr'
import { templateToRecords, type TemplateDefinition, type TitleBlockInfo } from '@copboard/templates'

/** What the stored-room helpers need of storage. */
export type RoomLog = Pick<Storage, 'loadRoom' | 'appendUpdates'>

export async function loadBoardDoc(storage: RoomLog, room: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  const updates = await storage.loadRoom(room)
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates))
  return doc
}

/** Writes a template's scaffold into a new room (server-side launch). */
export async function seedRoomFromTemplate(storage: RoomLog, room: string, template: TemplateDefinition, title: TitleBlockInfo, lang: 'nl' | 'en' = 'nl'): Promise<void> {
  const doc = new Y.Doc()
  const records = [
    ...baseBoardRecords(),
    ...templateToRecords(template, { pageId: 'page:page', lang, titleBlock: title }),
  ]
  writeDocSchema(doc, defaultSerializedSchema() as Parameters<typeof writeDocSchema>[1])
  writeRecords(doc, records)
  await storage.appendUpdates(room, [Y.encodeStateAsUpdate(doc)])
}

/** Copies a snapshot's Yjs state into a new room ("continue where we left off"). */
export async function seedRoomFromState(storage: RoomLog, room: string, state: Uint8Array): Promise<void> {
  await storage.appendUpdates(room, [state])
}

/** Changes a room that is not loaded by the RoomManager: load from storage, apply `fn`, append the difference. */
export async function editStoredRoom(storage: RoomLog, room: string, fn: (doc: Y.Doc) => void): Promise<void> {
  const doc = await loadBoardDoc(storage, room)
  const before = Y.encodeStateVector(doc)
  fn(doc)
  const diff = Y.encodeStateAsUpdate(doc, before)
  if (diff.byteLength > 2) await storage.appendUpdates(room, [diff])
}
