/**
 * Render A/B (a script, not a test): two or more builds of the web app, each served by its own
 * server with the same NOTES-note board (2,000), opened cold (new browser context, empty cache)
 * and warm (reload) in turns (A B, B A, ...), REPS (5) times. Prints each load's main-thread CPU
 * (CDP ThreadTime) and wall time until the first painted note, and the medians per build. On a
 * machine shared with other work the builds see the same load, unlike separate bench runs.
 *
 *   cd apps/web && npx vite build --outDir /tmp/dist-a   (then change, build to /tmp/dist-b)
 *   DISTS=/tmp/dist-a,/tmp/dist-b node --import tsx e2e/bench-render-ab.ts
 */
import { loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { startServer } from './support/server'
import { launchBrowser } from './support/browser'
import { createBoard } from './support/board'
import { fillRoom } from './support/benchBoard'
const NOTES = Number(process.env.NOTES ?? 2000)
const REPS = Number(process.env.REPS ?? 5)
const builds: Record<string, string> = Object.fromEntries(process.env.DISTS!.split(',').map((d, i) => ['ABCDEF'[i], d]))
const setups: Record<string, { server: Awaited<ReturnType<typeof startServer>>; url: string }> = {}
for (const [k, dist] of Object.entries(builds)) {
  const server = await startServer({ WEB_DIST_DIR: dist })
  const board = await createBoard(server.url, 'AB CoP')
  const token = /#t=([^&]+)/.exec(board.participant)?.[1] ?? null
  await fillRoom(server.url, board.room, token, NOTES, 120_000)
  setups[k] = { server, url: board.participant }
}
const browser = await launchBrowser()
const MARKS = `localStorage.setItem('copboard.profile', JSON.stringify({ name: 'Bench', perspective: 'overig', color: '#1c7ed6' }))
  const m = (window.__bench = {}); const tick = () => { if (!m.firstNote && document.querySelector('.tl-shape .tl-note__container')) m.firstNote = performance.now(); if (!m.firstNote) requestAnimationFrame(tick) }; requestAnimationFrame(tick)`
async function load(page: Page, go: () => Promise<unknown>) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  const read = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')!.value * 1000)
  const t0 = await read()
  await go()
  let cpu = NaN
  for (const end = Date.now() + 120_000; Date.now() < end; ) {
    if (await page.evaluate(() => !!(window as any).__bench?.firstNote).catch(() => false)) { cpu = (await read()) - t0; break }
    await new Promise((r) => setTimeout(r, 30))
  }
  const wall = await page.evaluate(() => (window as any).__bench.firstNote)
  await cdp.detach()
  return { cpu, wall }
}
const out: Record<string, { cold: number[]; coldWall: number[]; warm: number[]; warmWall: number[] }> = {}
for (let i = 0; i < REPS; i++) {
  const keys = Object.keys(builds)
  for (const k of i % 2 ? [...keys].reverse() : keys) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await ctx.addInitScript(MARKS)
    const page = await ctx.newPage()
    await page.goto(`${new URL(setups[k].url).origin}/healthz`)
    const cold = await load(page, () => page.goto(setups[k].url, { waitUntil: 'commit' }))
    await page.waitForFunction(() => (window as any).editor?.store.query.records('shape').get().length >= 2000, undefined, { timeout: 60000 })
    await page.waitForTimeout(2500)
    const warm = await load(page, () => page.reload({ waitUntil: 'commit' }))
    await ctx.close()
    const o = (out[k] ??= { cold: [], coldWall: [], warm: [], warmWall: [] })
    o.cold.push(cold.cpu); o.coldWall.push(cold.wall); o.warm.push(warm.cpu); o.warmWall.push(warm.wall)
    console.log(k, i, `cold cpu ${cold.cpu.toFixed(0)} wall ${cold.wall.toFixed(0)} | warm cpu ${warm.cpu.toFixed(0)} wall ${warm.wall.toFixed(0)} load ${loadavg()[0].toFixed(1)}`)
  }
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(0)
for (const [k, o] of Object.entries(out)) console.log(`${k} (${builds[k]}) median: cold cpu ${med(o.cold)} wall ${med(o.coldWall)} | warm cpu ${med(o.warm)} wall ${med(o.warmWall)}`)
await browser.close()
for (const s of Object.values(setups)) await s.server.dispose()
