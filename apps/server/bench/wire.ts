/**
 * The load generator's frames, built once before a run so the generator does no Yjs work while it
 * measures: a writer sends pre-encoded "move a note" updates (two fields of one record's Y.Map, as
 * tldraw's binding writes a drag), receivers never decode Yjs, only the header of an update to
 * find which write it was (Yjs client id + clock).
 *
 * Two dialects: y-websocket (copboard, @y/websocket-server, the floor) and hocuspocus (every
 * message starts with the document name; the client authenticates first).
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

export type Dialect = 'y-websocket' | 'hocuspocus'

/** Cursor mover i of a run announces awareness client id CURSOR_CLIENT_BASE + i (receivers map it back). */
export const CURSOR_CLIENT_BASE = 900_000

/**
 * A tldraw presence as copboard's web client announces it (apps/web/src/board/presence.ts), its
 * cursor at step `k` of a slow sweep: what moving a mouse over the board sends, up to once a frame.
 */
export function cursorState(clientID: number, k: number): Record<string, unknown> {
  const x = 200 + ((k * 7) % 1600)
  return {
    user: { name: `Deelnemer ${clientID}`, color: '#1c7ed6', perspective: 'gemeente' },
    presence: {
      userId: `user:${clientID}`, userName: `Deelnemer ${clientID}`, lastActivityTimestamp: 1_764_000_000_000 + k * 50,
      color: '#1c7ed6', camera: { x: 0, y: 0, z: 1 }, selectedShapeIds: [], currentPageId: 'page:page',
      screenBounds: { x: 0, y: 0, w: 1600, h: 900 }, brush: null, scribbles: [], chatMessage: '', followingUserId: null,
      cursor: { x, y: 300 + (k % 40) * 5, type: 'default', rotation: 0 }, meta: {},
    },
  }
}

/** Writer i of a run gets Yjs client id WRITER_CLIENT_BASE + i (receivers map it back). */
export const WRITER_CLIENT_BASE = 100_000
/** Each move writes two items (x, y): clocks of consecutive moves differ by this. */
export const MOVE_CLOCK_STRIDE = 2

function prefix(dialect: Dialect, doc: string, body: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  if (dialect === 'hocuspocus') encoding.writeVarString(e, doc)
  body(e)
  return encoding.toUint8Array(e)
}

export const syncStep1Empty = (d: Dialect, doc: string) =>
  prefix(d, doc, (e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint8Array(e, new Uint8Array([0]))
  })

/** The answer to the server's step 1 from a client that has nothing: an empty update. */
export const syncStep2Empty = (d: Dialect, doc: string) =>
  prefix(d, doc, (e) => {
    // hocuspocus providers answer with SyncReply (4) so the server does not answer again
    encoding.writeVarUint(e, d === 'hocuspocus' ? 4 : 0)
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, new Uint8Array([0, 0]))
  })

export const updateFrame = (d: Dialect, doc: string, update: Uint8Array) =>
  prefix(d, doc, (e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, update)
  })

/** hocuspocus: Auth (2), sub-type token (0), the token. */
export const authFrame = (doc: string, token: string) =>
  prefix('hocuspocus', doc, (e) => {
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint(e, 0)
    encoding.writeVarString(e, token)
  })

/** One awareness entry, as y-protocols encodes it. */
export const awarenessFrame = (d: Dialect, doc: string, clientID: number, clock: number, state: unknown) =>
  prefix(d, doc, (e) => {
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, clientID)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  })

/** A note record as the board stores it (records map -> Y.Map, props/meta nested). */
export function noteRecord(id: string, i: number): Record<string, unknown> {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x: (i % 40) * 230,
    y: Math.floor(i / 40) * 230,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: { author: `Deelnemer ${i % 17}`, perspective: ['gemeente', 'initiatief', 'overig'][i % 3] },
    props: {
      color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle',
      verticalAlign: 'middle', growY: 0, url: '', scale: 1, textLastEditedBy: null,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Idee ${i}: meer groen in de wijk` }] }] },
    },
  }
}

function setRecord(records: Y.Map<unknown>, rec: Record<string, unknown>): void {
  const m = new Y.Map<unknown>()
  for (const [k, v] of Object.entries(rec)) {
    if ((k === 'props' || k === 'meta') && v && typeof v === 'object') {
      const sub = new Y.Map<unknown>()
      for (const [sk, sv] of Object.entries(v)) sub.set(sk, sv)
      m.set(k, sub)
    } else m.set(k, v)
  }
  records.set(rec.id as string, m)
}

/** An update holding `n` notes (a board to load, or the content of a churned room). */
export function boardUpdate(n: number, clientID = 7): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const records = doc.getMap<unknown>('records')
  doc.transact(() => {
    for (let i = 0; i < n; i++) setRecord(records, noteRecord(`shape:n${i}`, i))
  })
  const u = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return u
}

export interface WriterFrames {
  /** Creates the writer's note (sent before measuring). */
  setup: Uint8Array
  /** Move k of the note; its first struct has clock firstClock + k * MOVE_CLOCK_STRIDE. */
  moves: Uint8Array[]
  firstClock: number
}

/** Pre-encodes the frames of writer `index` (client id WRITER_CLIENT_BASE + index). */
export function writerFrames(d: Dialect, doc: string, index: number, count: number): WriterFrames {
  const ydoc = new Y.Doc()
  ydoc.clientID = WRITER_CLIENT_BASE + index
  const updates: Uint8Array[] = []
  ydoc.on('update', (u: Uint8Array) => updates.push(u))
  const records = ydoc.getMap<Y.Map<unknown>>('records')
  const id = `shape:w${index}`
  ydoc.transact(() => setRecord(records as Y.Map<unknown>, noteRecord(id, index)))
  const firstClock = Y.decodeStateVector(Y.encodeStateVector(ydoc)).get(ydoc.clientID) ?? 0
  const rec = records.get(id)!
  for (let k = 0; k < count; k++) {
    ydoc.transact(() => {
      rec.set('x', 100 + (k % 400))
      rec.set('y', 100 + ((k * 7) % 300))
    })
  }
  ydoc.destroy()
  return { setup: updateFrame(d, doc, updates[0]), moves: updates.slice(1).map((u) => updateFrame(d, doc, u)), firstClock }
}
