/** A comedy board in a Y.Doc, and a way to try one client's edit against the policy. */
import { expect } from 'vitest'
import * as Y from 'yjs'
import { createTLSchema, DocumentRecordType, PageRecordType, type TLRecord } from '@tldraw/tlschema'
import { writeDocSchema, writeRecords, getRecordsMap, recordToY } from '@copboard/board'
import { getTemplate, templateToRecords, plainToRichText } from '@copboard/templates'
import { createBoardPolicy, type PolicyContext, type Verdict } from '../src/index.js'

export const pageId = 'page:main'
export const comedy = getTemplate('comedy')!
export const shapes = templateToRecords(comedy, { pageId })
export const zoneShape = (zoneId: string) => shapes.find((s) => (s.meta as any).copboard?.part === 'zone' && (s.meta as any).copboard.zoneId === zoneId)!
/** A scaffold shape that is not a frame: the heading of act 2. */
export const heading = shapes.find((s) => (s.meta as any).copboard?.part === 'heading' && (s.meta as any).copboard.zoneId === 'act2')!

export const facilitator: PolicyContext = { role: 'facilitator', participantId: 'F'.repeat(22) }
export const participant: PolicyContext = { role: 'participant', participantId: 'P'.repeat(22) }
export const other: PolicyContext = { role: 'participant', participantId: 'Q'.repeat(22) }

export function boardDoc(): Y.Doc {
  const doc = new Y.Doc()
  writeDocSchema(doc, createTLSchema())
  writeRecords(doc, [
    DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord,
    PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord,
    ...shapes,
  ])
  return doc
}

/** A valid note record (tldraw 5 note props). */
export function note(id: string, x: number, y: number, meta: Record<string, unknown> = {}, parentId = pageId): TLRecord {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId,
    isLocked: false, opacity: 1, meta,
    props: {
      color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle',
      verticalAlign: 'middle', growY: 0, url: '', richText: plainToRichText('hallo'), scale: 1, textLastEditedBy: null,
    },
  } as unknown as TLRecord
}

/** Centre of a zone (page coordinates) minus half a note: a note placed there lies in the zone. */
export function noteAtZone(zoneId: string): { x: number; y: number } {
  const z = comedy.zones.find((d) => d.id === zoneId)!
  return { x: z.rect.x + z.rect.w / 2 - 100, y: z.rect.y + z.rect.h / 2 - 100 }
}

export function addRecord(doc: Y.Doc, rec: TLRecord) {
  getRecordsMap(doc).set(rec.id, recordToY(rec) as Y.Map<unknown>)
}

/**
 * Applies what `edit` does on a client copy of `server` to the server inside one transaction and
 * asks the policy (a fresh copy of the server each time, so attempts do not build on each other).
 */
export function attempt(server: Y.Doc, ctx: PolicyContext, edit: (d: Y.Doc) => void, policy = createBoardPolicy()): Verdict {
  const room = new Y.Doc()
  Y.applyUpdate(room, Y.encodeStateAsUpdate(server))
  const p = policy.forRoom(room)
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const sv = Y.encodeStateVector(client)
  edit(client)
  const update = Y.encodeStateAsUpdate(client, sv)
  let verdict!: Verdict
  room.transact((tr) => {
    Y.applyUpdate(room, update)
    verdict = p.check(ctx, tr)
  }, 'test')
  p.destroy()
  return verdict
}

/**
 * The server's side of one room: the comedy board (or `start`, e.g. an empty unstamped document)
 * with the policy attached. `check` runs `edit` on the room as one transaction and returns the
 * policy's verdict (edits build on each other).
 */
export function policyRoom(policy = createBoardPolicy(), start: Y.Doc = boardDoc()) {
  const room = new Y.Doc()
  Y.applyUpdate(room, Y.encodeStateAsUpdate(start))
  const roomPolicy = policy.forRoom(room)
  const check = (edit: () => void, ctx: PolicyContext = participant): Verdict => {
    let verdict!: Verdict
    room.transact((tr) => {
      edit()
      verdict = roomPolicy.check(ctx, tr)
    })
    return verdict
  }
  return { room, policy: roomPolicy, check }
}

export const rec = (d: Y.Doc, id: string) => getRecordsMap(d).get(id) as Y.Map<any>

/** A refusal for `reason`, and an admitted edit, as `check`/`attempt` return them. */
export const refusedWith = (reason: string) => expect.objectContaining({ ok: false, reason })
export const ok = { ok: true }
