/**
 * Render benchmark (a script, not a test): a board pre-filled with NOTES (2,000) notes (written into
 * the room through a y-websocket client in node with @copboard/board's writeRecords), opened in
 * headless chromium. Prints time to first render and to fully synced, cold (empty cache; the median
 * of BENCH_COLD_RUNS (3) loads, each in a fresh browser context) and warm (reload with the IndexedDB
 * cache); then 5 remote writers (node clients) each move a note 10×/s for BENCH_WRITE_SECONDS (10)
 * while the page records its frame times (requestAnimationFrame deltas) and long tasks
 * (PerformanceObserver). `pnpm bench` runs it with BENCH_JSON=<file>.
 *
 *   pnpm build && pnpm --filter @copboard/web bench:render      (NOTES=2000 by default)
 *
 * Every stage has a bounded wait (BENCH_RENDER_TIMEOUT_MS per page load, default 120 s; the whole
 * run BENCH_DEADLINE_S, default 280 s, below `pnpm bench`'s 300 s kill): on a timeout it prints
 * the figures it has, writes them (with `error`) to BENCH_JSON and exits 1; browser and server are
 * always closed. BENCH_PROFILE=<dir> writes CPU profiles (cold load, warm load, remote moves) as
 * .cpuprofile files (open them in Chrome DevTools → Performance). Each load also reports the page's
 * main-thread CPU time (CDP Performance ThreadTime), steadier than wall time on a loaded machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { launchBrowser } from './support/browser'
import { createBoard } from './support/board'
import { fillRoom, liveFigures, moveNotes, START_RECORDER, STOP_RECORDER, within, type LiveFigures } from './support/benchBoard'

const NOTES = Number(process.env.NOTES ?? 2000)
/** Cold loads, each in a fresh browser context: the figure is their median (one load varies by ±30 % here). */
const COLD_RUNS = Math.max(1, Number(process.env.BENCH_COLD_RUNS ?? 3))
const WRITERS = 5
const WRITE_RATE = 10
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 10)
const LOAD_TIMEOUT_MS = Number(process.env.BENCH_RENDER_TIMEOUT_MS ?? 120_000)
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_S ?? 280) * 1000
const PROFILE_DIR = process.env.BENCH_PROFILE
const started = Date.now()
const left = () => Math.max(1000, DEADLINE_MS - (Date.now() - started))

interface LoadFigures {
  /** the page's main-thread CPU time (ms) from navigation until fully synced (CDP ThreadTime) */
  cpu?: number
  /** of which running script */
  scriptCpu?: number
  /** main-thread CPU time until the first note was painted (polled every 50 ms) */
  firstRenderCpu?: number
  dcl?: number
  cache?: number
  wsSynced?: number
  ready?: number
  bound?: number
  mounted?: number
  canvas?: number
  firstNote?: number
  allNotes?: number
  /** the early read of the board's state (GET /sync/:room, earlyState.ts): sent, first byte, last byte */
  earlyRead?: { start: number; firstByte: number; end: number }
}

/** Marks first canvas, first painted note and all notes in the store, per page load. */
const MARKS_SCRIPT = `
  localStorage.setItem('copboard.profile', JSON.stringify({ name: 'Bench', perspective: 'overig', color: '#1c7ed6' }))
  window.__expect = ${NOTES}
  const marks = (window.__bench = {})
  const tick = () => {
    const now = performance.now()
    const ed = window.editor
    if (!marks.canvas && document.querySelector('.tl-canvas')) marks.canvas = now
    if (!marks.firstNote && document.querySelector('.tl-shape .tl-note__container')) marks.firstNote = now
    if (ed && !marks.allNotes && ed.store.query.records('shape').get().length >= window.__expect) marks.allNotes = now
    if (!marks.allNotes) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
`

/** What the page has measured so far (works on a page that is still loading). */
async function pageFigures(page: Page): Promise<LoadFigures & { shapes?: number; rendered?: number; body?: string }> {
  return within(
    page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
      const m = (window as any).__bench ?? {}
      const t = (window as any).copboard?.conn?.timings ?? {}
      const read = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => new URL(e.name).pathname.startsWith('/sync/'))
      return {
        earlyRead: read && { start: read.requestStart || read.startTime, firstByte: read.responseStart, end: read.responseEnd },
        dcl: nav?.domContentLoadedEventEnd || undefined,
        cache: t.cacheLoaded, wsSynced: t.synced, ready: t.ready, bound: t.bound, mounted: t.mounted,
        canvas: m.canvas, firstNote: m.firstNote, allNotes: m.allNotes,
        shapes: (window as any).editor?.store.query.records('shape').get().length,
        rendered: document.querySelectorAll('.tl-note__container').length,
        body: document.body?.innerText.slice(0, 160),
      }
    }),
    15_000,
    'reading the page figures',
  ).catch((e) => ({ body: `(page did not answer: ${(e as Error).message})` }))
}

const ms = (x?: number) => (x === undefined || !Number.isFinite(x) ? '    -   ' : `${x.toFixed(0).padStart(5)} ms`)
function printLoad(label: string, r: LoadFigures & { rendered?: number }) {
  console.log(`\n${label}`)
  console.log(`  DOMContentLoaded             ${ms(r.dcl)}`)
  if (r.earlyRead) console.log(`  early state read (HTTP)      ${ms(r.earlyRead.start)} sent, first byte ${ms(r.earlyRead.firstByte)}, last ${ms(r.earlyRead.end)}`)
  console.log(`  cache or early state loaded  ${ms(r.cache)}`)
  console.log(`  server sync done (y-ws)      ${ms(r.wsSynced)}`)
  console.log(`  doc -> store (binding load)  ${ms(r.bound)}`)
  console.log(`  tldraw mounted               ${ms(r.mounted)}`)
  console.log(`  first render (note painted)  ${ms(r.firstNote)}   (${r.rendered ?? '?'} notes rendered in the DOM)`)
  console.log(`  fully synced (${NOTES} notes in store, server synced) ${ms(fullySynced(r))}`)
  if (r.firstRenderCpu !== undefined) console.log(`  page main-thread CPU until first render ${ms(r.firstRenderCpu)}`)
  if (r.cpu !== undefined) console.log(`  page main-thread CPU until fully synced ${ms(r.cpu)}   (script ${ms(r.scriptCpu)})`)
}

/**
 * The renderer's main-thread CPU time (thread ticks, not wall time: a loaded machine stretches wall
 * time, much less CPU time). The page must stay in one renderer: open the origin first.
 */
async function cpuMeter(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics')
    const m = new Map(metrics.map((x) => [x.name, x.value]))
    return { thread: (m.get('ThreadTime') ?? NaN) * 1000, script: (m.get('ScriptDuration') ?? NaN) * 1000 }
  }
  const start = await read()
  // polled: the CPU time at the first poll that sees a painted note (over by at most one poll)
  let firstRenderCpu: number | undefined
  let polling = true
  let poll: Promise<void> = Promise.resolve()
  return {
    /** Call once the navigation has committed (before, the old page may still answer). */
    watchFirstRender() {
      poll = (async () => {
        while (polling && firstRenderCpu === undefined) {
          const painted = await page.evaluate(() => !!(window as any).__bench?.firstNote).catch(() => false)
          if (painted) firstRenderCpu = (await read().catch(() => ({ thread: NaN }))).thread - start.thread
          else await new Promise((r) => setTimeout(r, 50))
        }
      })()
    },
    async stop() {
      polling = false
      await poll
      const end = await read()
      await cdp.detach().catch(() => {})
      return { cpu: end.thread - start.thread, scriptCpu: end.script - start.script, firstRenderCpu }
    },
  }
}
const fullySynced = (r: LoadFigures) => (r.allNotes !== undefined && r.wsSynced !== undefined ? Math.max(r.allNotes, r.wsSynced) : undefined)

async function startProfile(page: Page): Promise<CDPSession | null> {
  if (!PROFILE_DIR) return null
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  return cdp
}
async function stopProfile(cdp: CDPSession | null, name: string) {
  if (!cdp || !PROFILE_DIR) return
  const { profile } = await within(cdp.send('Profiler.stop'), 60_000, 'stopping the CPU profile')
  mkdirSync(PROFILE_DIR, { recursive: true })
  writeFileSync(`${PROFILE_DIR}/${name}.cpuprofile`, JSON.stringify(profile))
  await cdp.detach().catch(() => {})
  console.log(`  profile: ${PROFILE_DIR}/${name}.cpuprofile`)
}

/** One page load (`go`), waited for until every note is in the store and the server sync is done. */
async function measureLoad(page: Page, label: string, go: () => Promise<unknown>): Promise<LoadFigures> {
  // a profile must start in the renderer that shows the board: open the origin first
  const cdp = await startProfile(page)
  const meter = await cpuMeter(page)
  const timeout = Math.min(LOAD_TIMEOUT_MS, left())
  try {
    await within(go(), timeout, `${label}: navigation`)
    meter.watchFirstRender()
    await page.waitForFunction(() => (window as any).__bench?.allNotes && (window as any).copboard?.conn?.timings?.synced, undefined, { timeout, polling: 100 })
  } catch (e) {
    const r = await pageFigures(page)
    printLoad(`${label} (INCOMPLETE)`, r)
    throw new Error(`${label}: the board did not finish loading within ${(timeout / 1000).toFixed(0)} s (${r.shapes ?? 0} of ${NOTES} notes in the store; page: ${JSON.stringify(r.body)})`, { cause: e })
  } finally {
    await stopProfile(cdp, label.split(' ')[0] + (/run (\d+)/.exec(label)?.[1] ?? '')).catch((e) => console.log(`  profile failed: ${(e as Error).message}`))
  }
  const r = { ...(await pageFigures(page)), ...(await meter.stop()) }
  printLoad(label, r)
  return r
}

/** A fresh context (empty caches) with the marks script, on the app's origin (one renderer for profiles and the CPU meter). */
async function openPage(b: Browser): Promise<Page> {
  const ctx = await b.newContext({ viewport: { width: 1440, height: 900 } })
  // a string, not a function: tsx/esbuild would wrap a function with helpers the page lacks
  await ctx.addInitScript(MARKS_SCRIPT)
  const page = await ctx.newPage()
  page.on('console', (m) => m.type() !== 'log' && console.log(`[page ${m.type()}] ${m.text().slice(0, 200)}`))
  await page.goto(`${server!.url}/healthz`)
  return page
}

/** Median (the lower one of an even count), min and max of the figures that were measured. */
function spreadOf(xs: (number | undefined)[]): { median?: number; min?: number; max?: number } {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b)
  return v.length ? { median: v[Math.floor((v.length - 1) / 2)], min: v[0], max: v[v.length - 1] } : {}
}
const spreadText = ({ median, min, max }: ReturnType<typeof spreadOf>) => `${ms(median).trim()} [${min?.toFixed(0)}–${max?.toFixed(0)}]`

async function measureLive(page: Page, base: string, room: string, token: string | null): Promise<LiveFigures> {
  let cdp: CDPSession | null = null
  // frames are recorded from the first move on (not while the writers download the board)
  const onSynced = async () => {
    await within(page.evaluate(START_RECORDER), 30_000, 'starting the frame recorder')
    cdp = await startProfile(page)
  }
  const sent = await within(
    moveNotes(base, room, token, { writers: WRITERS, rate: WRITE_RATE, seconds: WRITE_SECONDS, syncMs: Math.min(60_000, left()), onSynced }),
    Math.min(WRITE_SECONDS * 1000 + 90_000, left()),
    'remote writers',
  )
  await stopProfile(cdp, 'live').catch((e) => console.log(`  profile failed: ${(e as Error).message}`))
  const s = (await within(page.evaluate(STOP_RECORDER), 30_000, 'reading the frame recorder')) as Parameters<typeof liveFigures>[0]
  const live = liveFigures(s, sent)
  console.log(
    `\n${WRITERS} remote writers × ${WRITE_RATE}/s for ${WRITE_SECONDS} s: frame time p50 ${live.frameP50.toFixed(1)} ms, p95 ${live.frameP95.toFixed(1)} ms, ` +
      `${live.longTasks} long tasks (${live.longTaskMs.toFixed(0)} ms), ${live.movesSeen} remote batches applied for ${live.movesSent} moves sent`,
  )
  return live
}

let server: TestServer | null = null
let browser: Browser | null = null
const result: Record<string, unknown> = { notes: NOTES, writers: WRITERS, rate: WRITE_RATE, seconds: WRITE_SECONDS }
let failure: Error | null = null
// a stuck stage must not outlive `pnpm bench`'s kill: report what we have and leave
const watchdog = setTimeout(() => finish(new Error(`the whole run exceeded ${DEADLINE_MS / 1000} s`)), DEADLINE_MS + 15_000)

let finishing = false
async function finish(err: Error | null) {
  if (finishing) return
  finishing = true
  clearTimeout(watchdog)
  if (err) {
    failure = err
    result.error = err.message
    console.error(`\nbench-render FAILED: ${err.message}`)
  }
  await within(browser?.close() ?? Promise.resolve(), 20_000, 'closing the browser').catch((e) => console.error(String(e)))
  await within(server?.dispose() ?? Promise.resolve(), 20_000, 'stopping the server').catch((e) => console.error(String(e)))
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(result))
  process.exit(failure ? 1 : 0)
}

try {
  server = await startServer()
  const board = await within(createBoard(server.url, 'Bench CoP'), 30_000, 'creating the board')
  const token = /#t=([^&]+)/.exec(board.participant)?.[1] ?? null
  const t0 = performance.now()
  const { bytes } = await fillRoom(server.url, board.room, token, NOTES, Math.min(120_000, left()))
  console.log(`room filled: ${NOTES} notes, ${(bytes / 1024).toFixed(0)} KiB Y.Doc update, ${(performance.now() - t0).toFixed(0)} ms`)

  browser = await within(launchBrowser(), 60_000, 'launching chromium')
  // every cold load in a fresh context (empty HTTP cache, IndexedDB and localStorage); the last
  // one's page goes on to the warm reload and the live writers
  const colds: LoadFigures[] = []
  let page: Page | null = null
  for (let i = 1; i <= COLD_RUNS; i++) {
    if (page) await page.context().close()
    page = await openPage(browser)
    const label = `cold (empty cache), ${NOTES} notes${COLD_RUNS > 1 ? `, run ${i} of ${COLD_RUNS}` : ''}`
    colds.push(await measureLoad(page, label, () => page!.goto(board.participant, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS })))
  }
  page = page!
  const firstRender = spreadOf(colds.map((c) => c.firstNote))
  const firstRenderCpu = spreadOf(colds.map((c) => c.firstRenderCpu))
  if (COLD_RUNS > 1) console.log(`\ncold, median of ${COLD_RUNS} [min–max]: first render ${spreadText(firstRender)}, main-thread CPU until first render ${spreadText(firstRenderCpu)}`)
  Object.assign(result, {
    firstRenderMs: firstRender.median, allNotesMs: spreadOf(colds.map(fullySynced)).median, coldCpuMs: spreadOf(colds.map((c) => c.cpu)).median,
    coldFirstRenderCpuMs: firstRenderCpu.median, coldRuns: COLD_RUNS, firstRenderMinMs: firstRender.min, firstRenderMaxMs: firstRender.max,
  })
  if (process.env.BENCH_SHOT) await page.screenshot({ path: process.env.BENCH_SHOT })
  await page.waitForTimeout(1500) // let y-indexeddb store the doc
  const warm = await measureLoad(page, `warm (reload, IndexedDB cache), ${NOTES} notes`, () => page.reload({ waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS }))
  Object.assign(result, { warmFirstRenderMs: warm.firstNote, warmCpuMs: warm.cpu, warmFirstRenderCpuMs: warm.firstRenderCpu })
  Object.assign(result, await measureLive(page, server.url, board.room, token))
  await finish(null)
} catch (e) {
  await finish(e as Error)
}
