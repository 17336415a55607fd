/**
 * Issue 10 e2e (chromium, BUILT server + web): a facilitator and two participants on one board.
 * - the facilitator joins without a perspective, sees the header (CoP, session, status, back link)
 *   and ONE panel beside the canvas; the gallery takes focus, closes on Escape, gives focus back;
 *   pages carry names, never "Page 1"
 * - private writing: participant A's note reaches neither B's browser (not even B's WebSocket
 *   frames) nor the facilitator's until the reveal; then everyone has it once, with A as author
 * - anonymous zone: while A types in act 1 of the comedy, B receives no cursor and no selection
 *   of A (and does again once A is elsewhere)
 * - the perspective legend highlights one perspective; a viewer gets no join form
 * Screenshots in artifacts/facilitation-*.png (looked at).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { getTemplate } from '@copboard/templates'
import { useBoardServer } from './support/suite'
import { shot, waitUntil } from './support/browser'
import { boardLive, joinBoard, notes } from './support/board'

const suite = useBoardServer('CoP Warmtetransitie Zwolle')

/** A page in its own context that records every byte its WebSockets receive. */
async function newPage(width = 1440, height = 900) {
  const ctx = await suite.browser.newContext({ viewport: { width, height } })
  const page = await ctx.newPage()
  page.setDefaultTimeout(90_000) // a loaded 2-core machine; no assertion is about time
  const frames: Buffer[] = []
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(Buffer.isBuffer(f.payload) ? f.payload : Buffer.from(f.payload))))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  return { page, frames, errors, carries: (text: string) => frames.some((f) => f.includes(Buffer.from(text))) }
}

const rt = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

async function createNote(page: Page, x: number, y: number, text: string): Promise<string> {
  return page.evaluate(
    ({ x, y, richText }) => {
      const editor = (window as any).editor
      const id = `shape:e2e${Math.random().toString(36).slice(2)}`
      editor.createShape({ id, type: 'note', x, y, props: { richText } })
      return id
    },
    { x, y, richText: rt(text) },
  )
}

/** What B's store holds about A's presence (tldraw instance_presence records). */
function presenceOf(page: Page, name: string) {
  return page.evaluate((name) => {
    const editor = (window as any).editor
    const p = editor.store.query.records('instance_presence').get().find((r: any) => r.userName === name)
    return p ? { cursor: p.cursor, selected: p.selectedShapeIds as string[] } : null
  }, name)
}

async function moveMouseTo(page: Page, point: { x: number; y: number }) {
  const screen = await page.evaluate((p) => {
    const editor = (window as any).editor
    const s = editor.pageToScreen(p)
    return { x: s.x, y: s.y }
  }, point)
  await page.mouse.move(screen.x, screen.y, { steps: 3 })
}

// generous limits for a loaded 2-core machine: nothing here asserts a duration
describe('issue 10: facilitator, private writing, anonymous zones', { timeout: 480_000 }, () => {
  const comedy = getTemplate('comedy')!
  const act1 = comedy.zones.find((z) => z.anonymous)!
  const act2 = comedy.zones.find((z) => z.kind === 'act' && !z.anonymous)!
  let fac: Awaited<ReturnType<typeof newPage>>
  let a: Awaited<ReturnType<typeof newPage>>
  let b: Awaited<ReturnType<typeof newPage>>

  it('the facilitator joins without a perspective, sees header + one panel; the gallery is keyboard-operable', async () => {
    fac = await newPage()
    await fac.page.goto(suite.board.facilitator)
    await fac.page.waitForSelector('[data-testid=join-form]')
    expect(await fac.page.locator('[data-testid=join-gemeente]').count()).toBe(0)
    await shot(fac.page, 'facilitation-join-facilitator')
    await fac.page.fill('[data-testid=join-name]', 'Pieter (procesbegeleider)')
    await fac.page.click('[data-testid=join-submit]')
    await boardLive(fac.page)
    await fac.page.evaluate(() => (window as any).editor.user.updateUserPreferences({ animationSpeed: 0 }))
    const header = await fac.page.textContent('[data-testid=board-header]')
    expect(header).toContain('CoP Warmtetransitie Zwolle')
    expect(await fac.page.getAttribute('[data-testid=session-status]', 'data-state')).toBe('planned')
    expect(await fac.page.getAttribute('[data-testid=back-to-cop]', 'href')).toMatch(/^\/cop\/[^#]+#t=/)
    await fac.page.waitForSelector('[data-testid=facilitator-panel]')
    // the panel lies beside the canvas, not over it
    const canvas = (await fac.page.locator('.cb-board__canvas').boundingBox())!
    const panel = (await fac.page.locator('[data-testid=facilitator-panel]').boundingBox())!
    expect(panel.x).toBeGreaterThanOrEqual(canvas.x + canvas.width - 1)

    // gallery: keyboard in, Escape out, focus back on the opener
    await fac.page.focus('[data-testid=open-templates]')
    await fac.page.keyboard.press('Enter')
    await fac.page.waitForSelector('[data-testid=template-gallery]')
    expect(await fac.page.evaluate(() => !!document.activeElement?.closest('[data-testid=template-gallery]'))).toBe(true)
    await shot(fac.page, 'facilitation-gallery')
    await fac.page.keyboard.press('Escape')
    await fac.page.waitForSelector('[data-testid=template-gallery]', { state: 'detached' })
    expect(await fac.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-templates')
    await fac.page.keyboard.press('Enter')
    await fac.page.click('[data-testid=launch-comedy]')
    // no page is called "Page 1"
    await waitUntil(
      () => fac.page.evaluate(() => (window as any).editor.getPages().every((p: any) => !/^(Page|Pagina) \d+$/.test(p.name))),
      10_000,
      'pages renamed',
    )
    await shot(fac.page, 'facilitation-facilitator-board')
  })

  it('participants land readable on act 1; a private note reaches nobody before the reveal, everyone after', async () => {
    a = await newPage()
    b = await newPage()
    await joinBoard(a.page, suite.board.participant, 'Anna', 'gemeente')
    await joinBoard(b.page, suite.board.participant, 'Bram', 'initiatief')
    // landing zoom: prompts (24 px) at least 12 px on screen
    for (const p of [a.page, b.page]) {
      await waitUntil(() => p.evaluate(() => (window as any).editor.getZoomLevel() >= 0.5), 30_000, 'readable landing zoom')
    }
    await fac.page.click('[data-testid=private-on]')
    await a.page.waitForSelector('[data-testid=private-banner]')
    await fac.page.waitForSelector('[data-testid=private-reveal]')

    const secret = 'PRIVE-ALPHA-7731'
    await createNote(a.page, act2.rect.x + 120, act2.rect.y + 220, secret)
    await waitUntil(async () => (await notes(a.page)).some((n) => n.text === secret && n.meta.private === true), 30_000, 'A sees her private note')
    await new Promise((r) => setTimeout(r, 1500))
    expect((await notes(b.page)).some((n) => n.text === secret)).toBe(false)
    expect((await notes(fac.page)).some((n) => n.text === secret)).toBe(false)
    expect(b.carries(secret)).toBe(false)
    expect(fac.carries(secret)).toBe(false)
    expect(a.carries(secret)).toBe(false) // A's own socket never gets it back either: it only sent it
    await shot(a.page, 'facilitation-private-participant')
    await shot(fac.page, 'facilitation-private-facilitator')

    await fac.page.click('[data-testid=private-reveal]')
    await waitUntil(async () => (await notes(b.page)).some((n) => n.text === secret), 30_000, 'B sees the revealed note')
    await waitUntil(async () => (await notes(fac.page)).some((n) => n.text === secret), 30_000, 'the facilitator sees it')
    expect(b.carries(secret)).toBe(true)
    await waitUntil(async () => (await notes(a.page)).filter((n) => n.text === secret).length === 1 && !(await notes(a.page)).some((n) => n.meta.private), 30_000, 'A has one public copy')
    const revealed = (await notes(b.page)).find((n) => n.text === secret)!
    expect(revealed.meta).toMatchObject({ author: 'Anna', perspective: 'gemeente' })
    expect(revealed.meta.private).toBeUndefined()
    await shot(b.page, 'facilitation-revealed')
    expect(await fac.page.textContent('[data-testid=private-message]')).toContain('1')
  })

  it('nothing anonymous leaks while typing: no cursor, no selection of the writer in act 1', async () => {
    // A writes in act 1 (anonymous): cursor there, the note selected and being edited
    await moveMouseTo(a.page, { x: act1.rect.x + 300, y: act1.rect.y + 300 })
    const id = await createNote(a.page, act1.rect.x + 260, act1.rect.y + 260, 'ANONIEM-ZONDER-NAAM')
    await a.page.evaluate((id) => {
      const editor = (window as any).editor
      editor.select(id)
      editor.setEditingShape(id)
    }, id)
    await a.page.keyboard.type(' en meer', { delay: 20 })
    await moveMouseTo(a.page, { x: act1.rect.x + 320, y: act1.rect.y + 310 })
    await waitUntil(async () => (await notes(b.page)).some((n) => n.id === id), 30_000, 'B sees the anonymous note')
    await new Promise((r) => setTimeout(r, 800))
    const during = await presenceOf(b.page, 'Anna')
    expect(during).not.toBeNull()
    expect(during!.cursor).toBeNull()
    expect(during!.selected).toEqual([])
    const note = (await notes(b.page)).find((n) => n.id === id)!
    expect(note.meta.author).toBeUndefined()
    expect(note.meta.anonymous).toBe(true)
    await shot(b.page, 'facilitation-anonymous-watcher')

    // elsewhere, A's cursor shows again (the check above could fail)
    await a.page.keyboard.press('Escape')
    await a.page.evaluate(() => void (window as any).editor.selectNone())
    await moveMouseTo(a.page, { x: act2.rect.x + 400, y: act2.rect.y + 400 })
    await waitUntil(async () => (await presenceOf(b.page, 'Anna'))?.cursor != null, 30_000, 'A’s cursor visible outside act 1')
  })

  it('the perspective legend highlights one perspective; badges name it; a viewer gets no join form', async () => {
    await b.page.click('[data-testid=legend-initiatief]')
    expect(await b.page.getAttribute('[data-testid=legend-initiatief]', 'aria-pressed')).toBe('true')
    // a note of another perspective (the anonymous one has none) really fades on screen
    await waitUntil(
      () =>
        b.page.evaluate(() => {
          const editor = (window as any).editor
          const other = editor.getCurrentPageShapes().find((s: any) => s.type === 'note' && !s.meta.copboard && s.meta.perspective !== 'initiatief')
          const el = other && document.querySelector(`.tl-shape[data-shape-id="${other.id}"]`)
          return !!el && Number(getComputedStyle(el).opacity) < 0.5
        }),
      30_000,
      'other notes faded',
    )
    await shot(b.page, 'facilitation-legend-filter')
    await b.page.click('[data-testid=legend-initiatief]')

    const viewer = await newPage()
    await viewer.page.goto(suite.board.viewer)
    const first = await viewer.page.waitForSelector('[data-testid=join-form], [data-testid=board]')
    expect(await first.getAttribute('data-testid')).toBe('board')
    await viewer.page.waitForSelector('[data-testid=readonly-banner]')
    expect(await viewer.page.locator('[data-testid=sign-accord]').count()).toBe(0)
    expect(await viewer.page.locator('[data-testid=facilitator-panel]').count()).toBe(0)
    await shot(viewer.page, 'facilitation-viewer')

    const guide = await newPage()
    await guide.page.goto(`${suite.server.url}/gids`)
    await guide.page.waitForSelector('[data-testid=guide]')
    expect(await guide.page.locator('.cb-guide__template').count()).toBe(5)
    await shot(guide.page, 'facilitation-guide')
    for (const p of [fac, a, b]) expect(p.errors).toEqual([])
  })
})
