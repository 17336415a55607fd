/**
 * Helpers of the render bench (e2e/bench-render.ts): a generated board of N notes written into a
 * room by a node y-websocket client, and remote writers that move notes while the page measures.
 * Every wait is bounded and says what it waited for.
 */
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, DocumentRecordType, getIndices, NoteShapeUtil, PageRecordType, toRichText, type TLRecord } from 'tldraw'
import { readRecords, writeDocSchema, writeRecords } from '@copboard/board'

const PERSPECTIVES = ['gemeente', 'initiatief', 'overig'] as const
const COLORS = { gemeente: 'blue', initiatief: 'green', overig: 'violet' } as const

/** Rejects with `what` when `p` does not settle within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${(ms / 1000).toFixed(0)} s: ${what}`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

/** A page, a document record and `notes` notes in a 40-wide grid, spread over the perspectives. */
export function boardRecords(notes: number): TLRecord[] {
  const page = PageRecordType.create({ id: PageRecordType.createId('page'), name: 'Pagina 1', index: 'a1' as never })
  const doc = DocumentRecordType.create({ id: 'document:document' as never })
  const props = NoteShapeUtil.prototype.getDefaultProps.call({} as never)
  const indices = getIndices(notes)
  const shapes = Array.from({ length: notes }, (_, i) => {
    const p = PERSPECTIVES[i % 3]
    return {
      id: `shape:bench${i}`, typeName: 'shape', type: 'note', x: (i % 40) * 230, y: Math.floor(i / 40) * 230, rotation: 0,
      index: indices[i], parentId: page.id, isLocked: false, opacity: 1,
      meta: { author: `Deelnemer ${i % 17}`, perspective: p },
      props: { ...props, color: COLORS[p], richText: toRichText(`Idee ${i}: ${'meer groen in de wijk '.repeat(1 + (i % 3))}`) },
    } as unknown as TLRecord
  })
  return [doc, page, ...shapes]
}

/** A node y-websocket client of the room; `synced` rejects after `ms`. */
export function connect(base: string, room: string, token: string | null, doc: Y.Doc, ms = 60_000) {
  const provider = new WebsocketProvider(base.replace(/^http/, 'ws') + '/sync', room, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: token ? { token } : {},
    disableBc: true,
  })
  const synced = within(new Promise<void>((res) => provider.once('sync', () => res())), ms, `node client sync with ${room}`)
  return { provider, synced }
}

/** Writes `notes` notes into the room and waits until a fresh client sees all of them. */
export async function fillRoom(base: string, room: string, token: string | null, notes: number, ms: number) {
  const end = Date.now() + ms
  const doc = new Y.Doc()
  const filler = connect(base, room, token, doc, ms)
  try {
    await filler.synced
    writeDocSchema(doc, createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils }).schema)
    writeRecords(doc, boardRecords(notes))
    const bytes = Y.encodeStateAsUpdate(doc).byteLength
    let seen = 0
    while (seen < notes + 2) {
      if (Date.now() > end) throw new Error(`timed out after ${(ms / 1000).toFixed(0)} s: the server has ${seen} of ${notes + 2} records`)
      await new Promise((r) => setTimeout(r, 200))
      const check = new Y.Doc()
      const c = connect(base, room, token, check, Math.max(1000, end - Date.now()))
      try {
        await c.synced
        seen = readRecords(check).length
      } finally {
        c.provider.destroy()
        check.destroy()
      }
    }
    return { bytes }
  } finally {
    filler.provider.destroy()
    doc.destroy()
  }
}

export interface LiveFigures {
  frameP50: number
  frameP95: number
  frames: number
  longTasks: number
  longTaskMs: number
  /** Remote store commits the page made: batches (several moves each when the binding paces them), not moves. */
  movesSeen: number
  movesSent: number
}

/** Starts the page's frame / long-task / remote-move recorder (read back by `stopRecorder`). */
export const START_RECORDER = `(() => {
  const s = (window.__live = { frames: [], longTasks: 0, longTaskMs: 0, moves: 0 })
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { s.longTasks++; s.longTaskMs += e.duration } }).observe({ type: 'longtask' })
  let last = performance.now()
  const frame = (t) => { s.frames.push(t - last); last = t; if (!s.stop) requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
  window.editor.store.listen(() => { s.moves++ }, { source: 'remote', scope: 'document' })
})()`
export const STOP_RECORDER = `(() => { const s = window.__live; s.stop = true; return s })()`

export function liveFigures(s: { frames: number[]; longTasks: number; longTaskMs: number; moves: number }, sent: number): LiveFigures {
  const frames = s.frames.slice(1).sort((a, b) => a - b)
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))] ?? NaN
  return { frameP50: pct(50), frameP95: pct(95), frames: frames.length, longTasks: s.longTasks, longTaskMs: s.longTaskMs, movesSeen: s.moves, movesSent: sent }
}

/**
 * `writers` node clients each move their own note `rate` times a second for `seconds` seconds
 * (x and y in one transaction), starting after all have synced and `onSynced` has resolved.
 * Returns the number of moves sent; the clients are closed.
 */
export async function moveNotes(
  base: string,
  room: string,
  token: string | null,
  opts: { writers: number; rate: number; seconds: number; syncMs: number; onSynced?: () => Promise<unknown> },
) {
  const clients: { doc: Y.Doc; provider: WebsocketProvider }[] = []
  let sent = 0
  try {
    for (let w = 0; w < opts.writers; w++) {
      const doc = new Y.Doc()
      const c = connect(base, room, token, doc, opts.syncMs)
      clients.push({ doc, provider: c.provider })
    }
    await Promise.all(clients.map((c) => within(new Promise<void>((res) => (c.provider.synced ? res() : c.provider.once('sync', () => res()))), opts.syncMs, 'remote writer sync')))
    await opts.onSynced?.()
    const timers = clients.map((c, i) => {
      const rec = c.doc.getMap<Y.Map<unknown>>('records').get(`shape:bench${i * 7}`)
      if (!rec) throw new Error(`remote writer ${i}: note shape:bench${i * 7} not in the room`)
      return setInterval(() => {
        const k = sent++
        c.doc.transact(() => {
          rec.set('x', 200 + ((k * 13) % 600) + i * 40)
          rec.set('y', 200 + ((k * 7) % 400))
        })
      }, 1000 / opts.rate)
    })
    await new Promise((r) => setTimeout(r, opts.seconds * 1000))
    for (const t of timers) clearInterval(t)
    await new Promise((r) => setTimeout(r, 500))
    return sent
  } finally {
    for (const c of clients) {
      c.provider.destroy()
      c.doc.destroy()
    }
  }
}
