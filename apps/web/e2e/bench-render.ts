/**
 * Render benchmark (a script, not a test): a board pre-filled with 2,000 notes (written into the
 * room through a y-websocket client in node with @copboard/board's writeRecords), opened in
 * headless chromium. Prints time to first render and to fully synced, cold (empty cache) and warm
 * (reload with the IndexedDB cache); then 5 remote writers (node clients) each move a note 10×/s
 * for BENCH_WRITE_SECONDS (10) while the page records its frame times (requestAnimationFrame
 * deltas) and long tasks (PerformanceObserver). `pnpm bench` runs it with BENCH_JSON=<file>.
 *
 *   pnpm build && pnpm --filter @copboard/web bench:render      (NOTES=2000 by default)
 */
import { writeFileSync } from 'node:fs'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, DocumentRecordType, getIndices, NoteShapeUtil, PageRecordType, toRichText, type TLRecord } from 'tldraw'
import { readRecords, writeDocSchema, writeRecords } from '@copboard/board'
import { startServer } from './support/server'
import { launchBrowser } from './support/browser'
import { createBoard } from './support/board'

const NOTES = Number(process.env.NOTES ?? 2000)
const WRITERS = 5
const WRITE_RATE = 10
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 10)
const PERSPECTIVES = ['gemeente', 'initiatief', 'overig'] as const
const COLORS = { gemeente: 'blue', initiatief: 'green', overig: 'violet' } as const

function boardRecords(): TLRecord[] {
  const page = PageRecordType.create({ id: PageRecordType.createId('page'), name: 'Pagina 1', index: 'a1' as never })
  const doc = DocumentRecordType.create({ id: 'document:document' as never })
  const props = NoteShapeUtil.prototype.getDefaultProps.call({} as never)
  const indices = getIndices(NOTES)
  const notes = Array.from({ length: NOTES }, (_, i) => {
    const p = PERSPECTIVES[i % 3]
    return {
      id: `shape:bench${i}`, typeName: 'shape', type: 'note', x: (i % 40) * 230, y: Math.floor(i / 40) * 230, rotation: 0,
      index: indices[i], parentId: page.id, isLocked: false, opacity: 1,
      meta: { author: `Deelnemer ${i % 17}`, perspective: p },
      props: { ...props, color: COLORS[p], richText: toRichText(`Idee ${i}: ${'meer groen in de wijk '.repeat(1 + (i % 3))}`) },
    } as unknown as TLRecord
  })
  return [doc, page, ...notes]
}

function connect(base: string, room: string, token: string | null, doc: Y.Doc) {
  const provider = new WebsocketProvider(base.replace(/^http/, 'ws') + '/sync', room, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: token ? { token } : {},
    disableBc: true,
  })
  const synced = new Promise<void>((res) => provider.once('sync', () => res()))
  return { provider, synced }
}

/** Remote writers (node y-websocket clients) each move one note; the page records frames and long tasks. */
async function remoteWriters(page: import('playwright-core').Page, base: string, room: string, token: string | null) {
  await page.evaluate(`(() => {
    const s = (window.__live = { frames: [], longTasks: 0, longTaskMs: 0, moves: 0 })
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { s.longTasks++; s.longTaskMs += e.duration } }).observe({ type: 'longtask' })
    let last = performance.now()
    const frame = (t) => { s.frames.push(t - last); last = t; if (!s.stop) requestAnimationFrame(frame) }
    requestAnimationFrame(frame)
    window.editor.store.listen(() => { s.moves++ }, { source: 'remote', scope: 'document' })
  })()`)
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const doc = new Y.Doc()
      const c = connect(base, room, token, doc)
      await c.synced
      return { doc, provider: c.provider, rec: doc.getMap<Y.Map<unknown>>('records').get(`shape:bench${w * 7}`)! }
    }),
  )
  let sent = 0
  const timers = writers.map((w, i) =>
    setInterval(() => {
      const k = sent++
      w.doc.transact(() => {
        w.rec.set('x', 200 + ((k * 13) % 600) + i * 40)
        w.rec.set('y', 200 + ((k * 7) % 400))
      })
    }, 1000 / WRITE_RATE),
  )
  await new Promise((r) => setTimeout(r, WRITE_SECONDS * 1000))
  for (const t of timers) clearInterval(t)
  await new Promise((r) => setTimeout(r, 500))
  const s = (await page.evaluate(`(() => { const s = window.__live; s.stop = true; return s })()`)) as { frames: number[]; longTasks: number; longTaskMs: number; moves: number }
  for (const w of writers) w.provider.destroy()
  const frames = s.frames.slice(1).sort((a, b) => a - b)
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))] ?? NaN
  return { frameP50: pct(50), frameP95: pct(95), frames: frames.length, longTasks: s.longTasks, longTaskMs: s.longTaskMs, movesSeen: s.moves, movesSent: sent }
}

const server = await startServer()
try {
  const board = await createBoard(server.url, 'Bench CoP')
  const token = /#t=([^&]+)/.exec(board.participant)?.[1] ?? null

  // fill the room from node
  const t0 = performance.now()
  const doc = new Y.Doc()
  const filler = connect(server.url, board.room, token, doc)
  await filler.synced
  writeDocSchema(doc, createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils }).schema)
  writeRecords(doc, boardRecords())
  const bytes = Y.encodeStateAsUpdate(doc).byteLength
  // confirm the server has it: a second client must see every record
  let check = new Y.Doc()
  for (let i = 0; ; i++) {
    await new Promise((r) => setTimeout(r, 200))
    const c = connect(server.url, board.room, token, check)
    await c.synced
    const n = readRecords(check).length
    c.provider.destroy()
    if (n >= NOTES + 2) break
    if (i > 50) throw new Error(`server has only ${n} records`)
    check = new Y.Doc()
  }
  filler.provider.destroy()
  console.log(`room filled: ${NOTES} notes, ${(bytes / 1024).toFixed(0)} KiB Y.Doc update, ${(performance.now() - t0).toFixed(0)} ms`)

  const browser = await launchBrowser()
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  // a string, not a function: tsx/esbuild would wrap a function with helpers the page lacks
  await ctx.addInitScript(`
    localStorage.setItem('copboard.profile', JSON.stringify({ name: 'Bench', perspective: 'overig', color: '#1c7ed6' }))
    window.__expect = ${NOTES}
    const marks = (window.__bench = {})
    const tick = () => {
      const now = performance.now()
      const ed = window.editor
      if (!marks.canvas && document.querySelector('.tl-canvas')) marks.canvas = now
      if (!marks.firstNote && document.querySelector('.tl-shape')) marks.firstNote = now
      if (ed && !marks.allNotes && ed.store.query.records('shape').get().length >= window.__expect) marks.allNotes = now
      if (!marks.allNotes) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  `)
  const page = await ctx.newPage()
  page.on('console', (m) => m.type() !== 'log' && console.log(`[page ${m.type()}] ${m.text().slice(0, 200)}`))

  const run = async (label: string, go: () => Promise<unknown>) => {
    await go()
    await page
      .waitForFunction(() => (window as any).__bench.allNotes && (window as any).copboard?.conn?.timings?.synced, undefined, { timeout: Number(process.env.BENCH_RENDER_TIMEOUT_MS ?? 300_000), polling: 100 })
      .catch(async (e) => {
        const state = await page.evaluate(() => ({
          url: location.href,
          bench: (window as any).__bench,
          shapes: (window as any).editor?.store.query.records('shape').get().length,
          timings: (window as any).copboard?.conn?.timings,
          body: document.body.innerText.slice(0, 200),
        }))
        throw new Error(`${label}: board did not finish loading: ${JSON.stringify(state)}`, { cause: e })
      })
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const m = (window as any).__bench
      const t = (window as any).copboard.conn.timings
      return { dcl: nav.domContentLoadedEventEnd, canvas: m.canvas, firstNote: m.firstNote, allNotes: m.allNotes, wsSynced: t.synced, cache: t.cacheLoaded, ready: t.ready, bound: t.bound, mounted: t.mounted }
    })
    const f = (x?: number) => (x === undefined ? '   -' : `${x.toFixed(0).padStart(5)} ms`)
    console.log(`\n${label}`)
    console.log(`  DOMContentLoaded             ${f(r.dcl)}`)
    console.log(`  IndexedDB cache loaded       ${f(r.cache)}`)
    console.log(`  server sync done (y-ws)      ${f(r.wsSynced)}`)
    console.log(`  doc -> store (binding load)  ${f(r.bound)}`)
    console.log(`  tldraw mounted               ${f(r.mounted)}`)
    console.log(`  first render (note painted)  ${f(r.firstNote)}`)
    console.log(`  fully synced (${NOTES} notes in store, server synced) ${f(Math.max(r.allNotes, r.wsSynced))}`)
    return r
  }
  const cold = await run(`cold (empty cache), ${NOTES} notes`, () => page.goto(board.participant))
  await page.waitForTimeout(1500) // let y-indexeddb store the doc
  const warm = await run(`warm (reload, IndexedDB cache), ${NOTES} notes`, () => page.reload())
  const live = await remoteWriters(page, server.url, board.room, token)
  console.log(`\n${WRITERS} remote writers × ${WRITE_RATE}/s for ${WRITE_SECONDS} s: frame time p50 ${live.frameP50.toFixed(1)} ms, p95 ${live.frameP95.toFixed(1)} ms, ${live.longTasks} long tasks (${live.longTaskMs.toFixed(0)} ms), moves seen ${live.movesSeen}/${live.movesSent}`)
  await browser.close()
  if (process.env.BENCH_JSON) {
    writeFileSync(process.env.BENCH_JSON, JSON.stringify({
      notes: NOTES, firstRenderMs: cold.firstNote, allNotesMs: Math.max(cold.allNotes, cold.wsSynced), warmFirstRenderMs: warm.firstNote,
      writers: WRITERS, rate: WRITE_RATE, seconds: WRITE_SECONDS, ...live,
    }))
  }
} finally {
  await server.dispose()
}
process.exit(0)
