/**
 * The board policy on the real server, tried as an attacker would (issue 9): stock y-websocket
 * providers with plain Y.Docs (no tldraw, no client-side lock) and a raw ws observer that records
 * every byte a peer receives. The shared harness of policy-*.test.ts (one SPEC section each;
 * rule numbers: packages/policy/SPEC.md and sync-core SPEC §12).
 */
import { afterAll, beforeAll } from 'vitest'
import * as Y from 'yjs'
import WebSocketClient from 'ws'
import type WebSocket from 'ws'
import { createTLSchema, DocumentRecordType, PageRecordType, type TLRecord } from '@tldraw/tlschema'
import { getRecordsMap, writeDocSchema, writeRecords } from '@copboard/board'
import { getTemplate, plainToRichText, templateToRecords } from '@copboard/templates'
import type { WebsocketProvider } from 'y-websocket'
import { provider, startServer, synced, waitFor, type TestServer } from './sync-harness.js'
import { participantIdFromSecret } from '../src/auth/participant.js'
import type { Authorize } from '../src/app.js'

const asRole: Authorize = async (request) => {
  const role = (request.query as Record<string, string>).as
  return { ok: true, role: role === 'facilitator' || role === 'viewer' ? role : 'participant' }
}

let server: TestServer
/** One server per test file (started before its tests, disposed after). */
export function usePolicyServer(): () => TestServer {
  beforeAll(async () => {
    server = await startServer({ roomIdleMs: 300 }, { authorize: asRole })
  })
  afterAll(async () => {
    await server?.dispose()
  })
  return () => server
}

export const pageId = 'page:main'
export const comedy = getTemplate('comedy')!
export const shapes = templateToRecords(comedy, { pageId })
export const heading = shapes.find((s) => (s.meta as any).copboard?.part === 'heading' && (s.meta as any).copboard.zoneId === 'act1')!
export const act1Frame: any = shapes.find((s) => (s.meta as any).copboard?.part === 'zone' && (s.meta as any).copboard.zoneId === 'act1')!
export const SECRET_P = 'p'.repeat(43)
export const SECRET_Q = 'q'.repeat(43)
export const pidP = participantIdFromSecret(SECRET_P)!
export const pidQ = participantIdFromSecret(SECRET_Q)!

export function note(id: string, x: number, y: number, meta: Record<string, unknown>): TLRecord {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: pageId, isLocked: false, opacity: 1, meta,
    props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: plainToRichText('Ze luisteren nooit'), scale: 1, textLastEditedBy: null },
  } as unknown as TLRecord
}

export interface Board {
  room: string
  fac: WebsocketProvider
  part: WebsocketProvider
  /** Every frame a second participant received, raw. */
  frames: Buffer[]
  observer: WebSocket
  denied: string[]
  close(): void
}

/** A launched comedy board: the facilitator writes the template, a participant and a raw observer join. */
export async function board(): Promise<Board> {
  const room = `policy${Math.random().toString(36).slice(2)}`
  const fac = provider(server.syncUrl, room, new Y.Doc(), { as: 'facilitator' })
  await synced(fac)
  writeDocSchema(fac.doc, createTLSchema())
  writeRecords(fac.doc, [
    DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord,
    PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord,
    ...shapes,
  ])
  const part = provider(server.syncUrl, room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_P })
  await synced(part)
  await waitFor(() => getRecordsMap(part.doc).size === shapes.length + 2, "participant has the board")
  const denied: string[] = []
  // the stock provider only logs permission denied; record what the server said
  const handlers = (part as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
  handlers[2] = (_e: unknown, decoder: { arr: Uint8Array; pos: number }) => {
    const bytes = decoder.arr.subarray(decoder.pos)
    denied.push(new TextDecoder().decode(bytes.subarray(2)))
    decoder.pos = decoder.arr.length
  }
  const frames: Buffer[] = []
  const observer = new WebSocketClient(`${server.syncUrl}/${room}?as=participant`)
  observer.on('message', (data: Buffer) => frames.push(data))
  await waitFor(() => frames.length > 0, 'observer greeted')
  return {
    room, fac, part, frames, observer, denied,
    close() {
      fac.destroy()
      part.destroy()
      observer.close()
    },
  }
}

export const rec = (d: Y.Doc, id: string) => getRecordsMap(d).get(id) as Y.Map<any>
export const wire = (frames: Buffer[], needle: string) => frames.some((f) => f.includes(needle))
export async function stored(room: string): Promise<{ doc: Y.Doc; bytes: Buffer[] }> {
  await server.app.rooms.encodeState(room) // waits until every accepted edit is durable
  const updates = await server.storage.loadRoom(room)
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return { doc, bytes: updates.map((u) => Buffer.from(u)) }
}

/** The facilitator opens vote `v1` on the whole board (2 dots each), inside the caller's transaction. */
export function openVote(doc: Y.Doc): void {
  const votes = new Y.Map()
  const v1 = new Y.Map()
  for (const [k, v] of Object.entries({ title: 'Welke eerst?', scope: { kind: 'board', pageId }, dotsPerPerson: 2, state: 'open', openedAt: 1, closedAt: null })) v1.set(k, v)
  v1.set('dots', new Y.Map())
  votes.set('v1', v1)
  doc.getMap('session').set('votes', votes)
}
