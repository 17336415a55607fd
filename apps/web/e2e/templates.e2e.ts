/**
 * Issue 5 e2e (chromium): the facilitator launches each template (screenshots in artifacts/), one undo
 * removes a launch, and a participant's attempts to drag, unlock or delete the scaffold leave it where it
 * was on both screens, while participant notes still go through.
 * Runs against the templates harness (e2e/templates-harness, built with vite) — a tldraw board with the
 * TemplatesPanel and a tab-to-tab sync that applies remote changes via mergeRemoteChanges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { readFile, mkdir } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { getTemplate, templates } from '@copboard/templates'
// @ts-expect-error plain ESM helper without types
import { buildHarness } from './templates-harness/build.mjs'

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname
const OUT = join(tmpdir(), `copboard-tpl-harness-${process.pid}`)
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.json': 'application/json', '.png': 'image/png' }
const demo = JSON.parse(readFileSync(new URL('../../../../shared/fixtures/demo-cop.json', import.meta.url), 'utf8'))

let server: Server
let base = ''
let browser: Browser
let ctx: BrowserContext

async function open(role: string, name: string): Promise<Page> {
  const page = await ctx.newPage()
  await page.goto(`${base}/?role=${role}&name=${name}`)
  await page.waitForFunction(() => !!(window as any).editor)
  return page
}

beforeAll(async () => {
  await buildHarness(OUT)
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = join(OUT, path === '/' ? 'index.html' : path)
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address() as { port: number }
  base = `http://127.0.0.1:${addr.port}`
  await mkdir(ARTIFACTS, { recursive: true })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
})

afterAll(async () => {
  await browser?.close()
  await new Promise((r) => server?.close(r))
})

const COLORS: Record<string, string> = { gemeente: 'light-blue', initiatief: 'light-green', overig: 'yellow' }

/** Demo notes from fixtures/demo-cop.json, placed in their zones (template at origin 0,0). */
function demoNotes(templateId: string) {
  const session = demo.sessions.find((s: any) => s.template === templateId)
  if (!session) return []
  const t = getTemplate(templateId)!
  const persp = new Map(demo.participants.map((p: any) => [p.name, p.perspective]))
  const out: any[] = []
  for (const [key, notes] of Object.entries(session.notes) as [string, any[]][]) {
    const [outer, inner] = key.split(' / ')
    const top = t.zones.find((z) => z.label.nl === outer && !z.parentZoneId)!
    const zone = inner ? t.zones.find((z) => z.parentZoneId === top.id && z.label.nl === inner)! : top
    const perRow = Math.max(1, Math.floor((zone.rect.w - 40) / 215))
    notes.forEach((n, i) => {
      const p = n.anonymous ? 'overig' : (persp.get(n.by) as string)
      out.push({
        type: 'note',
        x: zone.rect.x + 24 + (i % perRow) * 215,
        y: zone.rect.y + (zone.kind === 'cell' ? 115 : 150) + Math.floor(i / perRow) * 215,
        props: { color: n.anonymous ? 'yellow' : COLORS[p], size: 's', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: n.text }] }] } },
        meta: n.anonymous ? { anonymous: true } : { author: n.by, perspective: p },
      })
    })
  }
  return out
}

async function scaffoldSnapshot(page: Page, pageId?: string) {
  return page.evaluate((pid) => {
    const ed = (window as any).editor
    if (pid && !ed.getPage(pid)) return []
    return [...ed.getPageShapeIds(pid ?? ed.getCurrentPageId())]
      .map((id: string) => ed.getShape(id))
      .filter((s: any) => s.meta?.copboard?.scaffold)
      .map((s: any) => ({ id: s.id, x: s.x, y: s.y, isLocked: s.isLocked, props: JSON.stringify(s.props) }))
      .sort((a: any, b: any) => (a.id < b.id ? -1 : 1))
  }, pageId)
}

describe('templates e2e', () => {
  let facilitator: Page
  const pageIds: Record<string, string> = {}

  it('facilitator launches each of the five templates on a new page; screenshots saved', async () => {
    facilitator = await open('facilitator', 'Procesbegeleider')
    for (const t of templates) {
      await facilitator.click('[data-testid=open-templates]')
      await facilitator.click(`[data-testid=launch-${t.id}]`)
      await facilitator.waitForFunction((id) => (window as any).editor.getCurrentPageShapes().some((s: any) => s.meta?.copboard?.templateId === id), t.id)
      const info = await facilitator.evaluate(() => {
        const ed = (window as any).editor
        return { pageId: ed.getCurrentPageId(), pages: ed.getPages().length }
      })
      pageIds[t.id] = info.pageId
      const notes = demoNotes(t.id)
      if (notes.length) await facilitator.evaluate((n) => void (window as any).editor.createShapes(n), notes)
      await facilitator.click('[data-testid=step-all]')
      await facilitator.waitForTimeout(900)
      await facilitator.screenshot({ path: `${ARTIFACTS}template-${t.id}.png` })
      const bounds = await facilitator.evaluate(() => {
        const ed = (window as any).editor
        const ids = ed.getCurrentPageShapes().filter((s: any) => s.meta?.copboard?.scaffold).map((s: any) => s.id)
        const b = ed.getShapesPageBounds(ids)
        const vp = ed.getViewportPageBounds()
        return { b: { x: b.x, y: b.y, w: b.w, h: b.h }, vp: { x: vp.x, y: vp.y, w: vp.w, h: vp.h }, zoom: ed.getZoomLevel() }
      })
      // the whole template is in view, at a zoom where 36px headings are >= 20px on screen
      expect(bounds.vp.x).toBeLessThanOrEqual(bounds.b.x + 1)
      expect(bounds.vp.y).toBeLessThanOrEqual(bounds.b.y + 1)
      expect(bounds.vp.x + bounds.vp.w).toBeGreaterThanOrEqual(bounds.b.x + bounds.b.w - 1)
      expect(36 * bounds.zoom).toBeGreaterThanOrEqual(18)
    }
    const pages = await facilitator.evaluate(() => (window as any).editor.getPages().length)
    expect(pages).toBe(1 + templates.length)
  })

  it('a launch is one undoable step; zone navigator frames an agenda step', async () => {
    const before = await facilitator.evaluate(() => (window as any).editor.getPages().length)
    await facilitator.click('[data-testid=open-templates]')
    await facilitator.click('[data-testid=launch-accord]')
    expect(await facilitator.evaluate(() => (window as any).editor.getPages().length)).toBe(before + 1)
    await facilitator.evaluate(() => void (window as any).editor.undo())
    expect(await facilitator.evaluate(() => (window as any).editor.getPages().length)).toBe(before)
    // navigator on the comedy page: act 2 framed
    await facilitator.evaluate((id) => void (window as any).editor.setCurrentPage(id), pageIds.comedy)
    await facilitator.click('[data-testid=navigator-toggle]')
    await facilitator.click('[data-testid=step-act2]')
    await facilitator.waitForTimeout(800)
    const vp = await facilitator.evaluate(() => {
      const v = (window as any).editor.getViewportPageBounds()
      return { x: v.x, y: v.y, w: v.w, h: v.h }
    })
    const act2 = getTemplate('comedy')!.zones.find((z) => z.id === 'act2')!.rect
    expect(vp.x).toBeLessThanOrEqual(act2.x)
    expect(vp.x + vp.w).toBeGreaterThanOrEqual(act2.x + act2.w)
    expect(vp.w).toBeLessThan(getTemplate('comedy')!.layout.width) // zoomed in on the act
    await facilitator.screenshot({ path: `${ARTIFACTS}template-comedy-act2.png` })
  })

  it('participant cannot drag, unlock or delete the scaffold (both screens unchanged) but can add notes', async () => {
    const participant = await open('participant', 'Cor')
    const pageId = pageIds['learning-questions']
    await participant.waitForFunction((id) => !!(window as any).editor.getPage(id), pageId)
    await participant.evaluate((id) => void (window as any).editor.setCurrentPage(id), pageId)
    await facilitator.evaluate((id) => void (window as any).editor.setCurrentPage(id), pageId)
    await participant.click('[data-testid=step-all]').catch(() => {})
    expect(await participant.locator('[data-testid=open-templates]').count()).toBe(0)
    const before = await scaffoldSnapshot(participant)
    expect(before.length).toBeGreaterThan(10)
    expect(await scaffoldSnapshot(facilitator)).toEqual(before)

    // 1. a real pointer drag over the "seek" heading
    const heading = await participant.evaluate(() => {
      const ed = (window as any).editor
      const s = ed.getCurrentPageShapes().find((x: any) => x.meta?.copboard?.zoneId === 'seek' && x.meta.copboard.part === 'heading')
      const b = ed.getShapePageBounds(s.id)
      return ed.pageToScreen({ x: b.x + 40, y: b.y + 20 })
    })
    await participant.mouse.move(heading.x, heading.y)
    await participant.mouse.down()
    await participant.mouse.move(heading.x + 300, heading.y + 200, { steps: 8 })
    await participant.mouse.up()
    // 2. select all + Delete
    await participant.keyboard.press('Control+a')
    await participant.keyboard.press('Delete')
    // 3. API: unlock, move, resize, delete — even bypassing tldraw's own lock check
    await participant.evaluate(() => {
      const ed = (window as any).editor
      const ids = ed.getCurrentPageShapes().filter((s: any) => s.meta?.copboard?.scaffold).map((s: any) => s.id)
      ed.toggleLock(ids)
      ed.run(() => {
        ed.updateShapes(ids.map((id: string) => ({ id, type: ed.getShape(id).type, x: 999, isLocked: false })))
        ed.deleteShapes(ids)
      }, { ignoreShapeLock: true })
      const page = ed.getCurrentPageId()
      ed.deletePage(page)
    })
    await participant.waitForTimeout(300)
    expect(await scaffoldSnapshot(participant, pageId)).toEqual(before)
    expect(await scaffoldSnapshot(facilitator, pageId)).toEqual(before)
    await participant.evaluate((id) => void (window as any).editor.setCurrentPage(id), pageId)

    // participant can add a note inside a zone; it reaches the facilitator
    const seek = getTemplate('learning-questions')!.zones.find((z) => z.id === 'seek')!.rect
    await participant.evaluate((p) => void (window as any).editor.createShape({ id: 'shape:cor-note', type: 'note', x: p.x, y: p.y, props: { color: 'light-green' }, meta: { author: 'Cor', perspective: 'initiatief' } }), { x: seek.x + 260, y: seek.y + 700 })
    await facilitator.waitForFunction(() => !!(window as any).editor.getShape('shape:cor-note'))
    // and the participant can move their own note
    await participant.evaluate(() => void (window as any).editor.updateShape({ id: 'shape:cor-note', type: 'note', x: 300 }))
    await facilitator.waitForFunction(() => (window as any).editor.getShape('shape:cor-note').x === 300)

    // the facilitator may move scaffold; the change applies on the participant's screen (remote)
    await facilitator.evaluate(() => {
      const ed = (window as any).editor
      const s = ed.getCurrentPageShapes().find((x: any) => x.meta?.copboard?.zoneId === 'seek' && x.meta.copboard.part === 'heading')
      ed.run(() => ed.updateShape({ id: s.id, type: 'text', x: s.x + 10 }), { ignoreShapeLock: true })
    })
    const headingBefore = before.find((s) => s.id.endsWith('.heading.seek'))!
    await participant.waitForFunction((h) => (window as any).editor.getShape(h.id)?.x === h.x + 10, headingBefore)
    const moved = (await scaffoldSnapshot(participant)).find((s) => s.id.endsWith('.heading.seek'))!
    expect(moved.x).toBeCloseTo(before.find((s) => s.id.endsWith('.heading.seek'))!.x + 10)
    await participant.screenshot({ path: `${ARTIFACTS}template-participant-after-attempts.png` })
  })
})
