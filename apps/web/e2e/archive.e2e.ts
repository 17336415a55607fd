/**
 * Issue 6 e2e (chromium), against the REAL server (buildApp: token auth, /api, /sync, static) with
 * SQLite: a facilitator creates a CoP on the home page, launches the comedy template on the board,
 * a participant adds notes, the facilitator ends the session from the board (tldraw's own PNG
 * export goes along), opens the archive, sees the thumbnail, opens the snapshot read-only and
 * exports the report: the Markdown holds the participant's notes under the right act.
 * Pages: the home and CoP pages as shipped; the board page is e2e/archive-harness (until BOARD's
 * app serves /b/<room>). Screenshots: apps/web/artifacts/archive-*.png
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
// @ts-expect-error plain ESM helper without types
import { buildHarness } from './archive-harness/build.mjs'

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname
const OUT = join(tmpdir(), `copboard-archive-harness-${process.pid}`)
let dataDir = ''
let server: ChildProcess | null = null
const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url))

/** The real server (src/main.ts under tsx: always the current code) on port 0; reads the port from its start line. */
function startServer(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: SERVER_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    server = child
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /running at (http:\/\/[^/\s]+)\//.exec(out)
      if (m) resolve(m[1])
    })
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d))
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}
let browser: Browser
let base = ''

beforeAll(async () => {
  await buildHarness(OUT)
  dataDir = await mkdtemp(join(tmpdir(), 'copboard-archive-e2e-'))
  base = await startServer({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, WEB_DIST_DIR: OUT, LOG_LEVEL: 'warn', AUTOSAVE_MINUTES: '0' })
  await mkdir(ARTIFACTS, { recursive: true })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r))
    server.kill('SIGTERM')
    await exited
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function boardReady(page: Page) {
  await page.waitForSelector('[data-testid=board-bar][data-synced="1"]')
  await page.waitForFunction(() => !!(window as any).editor)
}

describe('archive e2e', () => {
  it('create CoP -> comedy -> participant notes -> end -> archive thumbnail, read-only snapshot, report export', async () => {
    const requests: string[] = []
    const fctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    fctx.on('request', (r) => requests.push(r.url()))
    const home = await fctx.newPage()
    await home.goto(`${base}/`)
    await home.fill('input[name=name]', 'CoP Warmtetransitie Zwolle')
    await home.fill('input[name=theme]', 'Samenwerking tussen gemeente en warmte-initiatieven')
    await home.fill('input[name=coHost]', 'Provincie Overijssel')
    await home.screenshot({ path: `${ARTIFACTS}archive-1-home.png` })
    await home.click('[data-testid=create-cop]')
    await home.waitForSelector('[data-testid=cop-created]')
    const participantLink = await home.inputValue('[data-testid=link-participant]')
    const facilitatorCopLink = await home.inputValue('[data-testid=link-facilitator]')
    expect(participantLink).toMatch(/\/b\/[A-Za-z0-9_-]+#t=[A-Za-z0-9_-]{43}$/)
    expect(facilitatorCopLink).toMatch(/\/cop\/[A-Za-z0-9_-]+#t=[A-Za-z0-9_-]{43}$/)
    await home.screenshot({ path: `${ARTIFACTS}archive-2-links.png` })

    // facilitator: board, start the session, launch the comedy
    await home.click('[data-testid=open-board]')
    const fboard = home
    await boardReady(fboard)
    await fboard.click('[data-testid=start-session-board]')
    await fboard.waitForFunction(() => document.querySelector('[data-testid=board-state]')?.textContent === 'live')
    await fboard.click('[data-testid=launch-comedy]')
    await fboard.waitForFunction(() => (window as any).editor.getCurrentPageShapes().some((s: any) => s.meta?.copboard?.templateId === 'comedy'))

    // participant: joins with the participant link, goes to the comedy page, adds notes in act 1 and act 2
    const pctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const pboard = await pctx.newPage()
    await pboard.goto(participantLink)
    await boardReady(pboard)
    expect(await pboard.textContent('[data-testid=board-role]')).toBe('participant')
    await pboard.waitForFunction(() => (window as any).editor.getPages().length >= 2)
    await pboard.evaluate(() => {
      const ed = (window as any).editor
      const rt = (window as any).toRichText
      const page = ed.getPages().find((p: any) => ed.getSortedChildIdsForParent(p.id).length > 0 && [...ed.getPageShapeIds(p.id)].some((id: string) => ed.getShape(id)?.meta?.copboard?.templateId === 'comedy'))
      ed.setCurrentPage(page.id)
      // template at origin: act 1 / gemeente x 20..572, y 360..879; act 2 / initiatieven x 1788..2340
      ed.createShapes([
        { type: 'note', x: 60, y: 420, props: { color: 'light-green', richText: rt('Gemeenten denken dat wij niet professioneel zijn') }, meta: { author: 'Cor', perspective: 'initiatief' } },
        { type: 'note', x: 1830, y: 420, props: { color: 'light-green', richText: rt('Wij brengen draagvlak in de buurt') }, meta: { author: 'Cor', perspective: 'initiatief' } },
      ])
      ed.zoomToFit()
      return null
    })
    // the facilitator sees them
    await fboard.waitForFunction(() => (window as any).editor.getCurrentPageShapes().filter((s: any) => s.type === 'note' && s.meta?.author === 'Cor').length === 2)
    await fboard.evaluate(() => void (window as any).editor.zoomToFit())
    await fboard.screenshot({ path: `${ARTIFACTS}archive-3-board-live.png` })

    // facilitator ends the session from the board: export + end -> CoP page
    fboard.on('dialog', (d) => void d.accept())
    await fboard.click('[data-testid=end-session-board]')
    await fboard.waitForURL(/\/cop\//, { timeout: 60_000 })
    await fboard.waitForSelector('[data-testid=session-1]')
    expect(await fboard.textContent('[data-testid=session-1] [data-testid=session-state]')).toBe('Afgelopen')
    // the thumbnail is there and decoded
    await fboard.waitForFunction(() => {
      const img = document.querySelector('[data-testid=session-1] [data-testid=session-thumbnail]') as HTMLImageElement | null
      return !!img && img.complete && img.naturalWidth > 0
    })
    await fboard.screenshot({ path: `${ARTIFACTS}archive-4-cop-page.png`, fullPage: true })

    // open the snapshot read-only on the canvas
    await fboard.click('[data-testid=session-1] [data-testid=snapshot-final] [data-testid=view-snapshot]')
    await fboard.waitForSelector('[data-testid=snapshot-viewer] .tl-container')
    await fboard.waitForFunction(() => document.querySelectorAll('[data-testid=snapshot-viewer] .tl-shape[data-shape-type=note]').length === 2)
    await fboard.screenshot({ path: `${ARTIFACTS}archive-5-snapshot-readonly.png` })
    // read-only: tldraw shows only select / hand / laser, no note or draw tool
    await fboard.waitForSelector('[data-testid=snapshot-viewer] [data-testid="tools.select"]')
    expect(await fboard.locator('[data-testid=snapshot-viewer] [data-testid="tools.note"]').count()).toBe(0)
    expect(await fboard.locator('[data-testid=snapshot-viewer] [data-testid="tools.draw"]').count()).toBe(0)

    // export the report (Markdown)
    const [download] = await Promise.all([fboard.waitForEvent('download'), fboard.click('.cb-modal__bar [data-testid="export-report.md"]')])
    const md = await readFile((await download.path())!, 'utf8')
    const section = (from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to))
    expect(md).toContain('Akte 1 — Vooroordelen')
    expect(section('Akte 1 — Vooroordelen', 'Akte 2 — Waarden')).toContain('Gemeenten denken dat wij niet professioneel zijn')
    expect(section('Akte 2 — Waarden', 'Akte 3 — Opgaven')).toContain('Wij brengen draagvlak in de buurt')
    expect(section('Akte 2 — Waarden', 'Akte 3 — Opgaven')).toContain('Cor')
    expect(md.indexOf('Wij brengen draagvlak')).toBeGreaterThan(md.indexOf('Akte 2 — Waarden'))
    // anonymous act: the author is hidden
    expect(section('Akte 1 — Vooroordelen', 'Akte 2 — Waarden')).not.toContain('Cor')

    // no request left this host
    expect(requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([])
    await pctx.close()
    await fctx.close()
  }, 180_000)
})
