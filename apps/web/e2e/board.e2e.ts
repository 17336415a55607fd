/**
 * Issue 4 e2e (chromium, BUILT server + web): two participants on one board; note + text appear
 * at the other within 2 s, named cursor, edit back, reload keeps everything, server restart with
 * an edit made while it was down, and no request to any other host.
 * Screenshots: apps/web/artifacts/board-*.png
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { useBoardServer } from './support/suite'
import { recordRequests, shot, waitUntil } from './support/browser'
import { boardLive, connectionState, joinBoard, notes, pageToClient, startNote, textFocused } from './support/board'

const suite = useBoardServer('CoP Warmtetransitie (e2e)')

async function context(): Promise<{ ctx: BrowserContext; page: Page; requests: ReturnType<typeof recordRequests>; errors: string[] }> {
  const ctx = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })
  ctx.setDefaultTimeout(120_000) // a loaded 2-core machine: a join can take > 30 s; the spec's budgets below stay explicit
  const requests = recordRequests(ctx)
  const page = await ctx.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`${e.message}\n${e.stack ?? ''}`))
  return { ctx, page, requests, errors }
}

// generous budget for a loaded 2-core machine (other e2e files run beside it): nothing here asserts a duration but the spec's sync budgets
describe('board e2e', { timeout: 480_000 }, () => {
  it('two participants edit one board live, through reload and a server restart', async () => {
    const t0 = Date.now()
    const step = (what: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`)
    const a = await context()
    const b = await context()
    await joinBoard(a.page, suite.board.participant, 'Anna de Wit', 'gemeente')
    await joinBoard(b.page, suite.board.participant, 'Bram Bakker', 'initiatief')
    await shot(a.page, 'board-1-joined')

    step('A creates a sticky note')
    // A creates a sticky note with the note tool and types text
    const at = await pageToClient(a.page, { x: 300, y: 200 })
    await startNote(a.page, { x: 300, y: 200 })
    await a.page.keyboard.type('Meer groen op het plein')
    const typedAt = Date.now()

    // B sees the note and its text within 2 s (wait-until budget, the spec)
    await waitUntil(async () => (await notes(b.page)).some((n) => n.text === 'Meer groen op het plein'), 2000, 'note text at B')
    console.log(`note text visible at B ${Date.now() - typedAt} ms after typing`)
    const [note] = await notes(b.page)
    expect(note.meta).toMatchObject({ author: 'Anna de Wit', perspective: 'gemeente' })
    expect(note.color).toBe('blue')

    step("A's named cursor at B")
    // A's named cursor at B
    await a.page.keyboard.press('Escape')
    await a.page.keyboard.press('Escape')
    await a.page.mouse.move(at.x + 200, at.y + 150, { steps: 5 })
    await a.page.mouse.move(at.x + 240, at.y + 170, { steps: 5 })
    await b.page.waitForSelector('.tl-collaborators__item:has-text("Anna de Wit")', { timeout: 5000 })
    await b.page.waitForSelector('[data-testid=participants]:has-text("2 online")')
    await shot(b.page, 'board-2-b-sees-note-and-cursor')

    step('B edits the text')
    // B edits the text; A sees it
    const center = await b.page.evaluate((id) => {
      const e = (window as any).editor
      const bnds = e.getShapePageBounds(id)
      return e.pageToScreen({ x: bnds.x + bnds.w / 2, y: bnds.y + bnds.h / 2 })
    }, note.id)
    await b.page.mouse.dblclick(center.x, center.y)
    await textFocused(b.page, note.id)
    await b.page.keyboard.press('ControlOrMeta+a')
    await b.page.keyboard.type('Meer groen en bankjes')
    await b.page.keyboard.press('Escape')
    await waitUntil(async () => (await notes(a.page)).some((n) => n.text === 'Meer groen en bankjes'), 5000, 'B\'s edit at A')
    await shot(a.page, 'board-3-a-sees-b-edit')

    step('a reload keeps everything')
    // a reload keeps everything
    await a.page.reload()
    await boardLive(a.page)
    await waitUntil(async () => (await notes(a.page)).some((n) => n.text === 'Meer groen en bankjes'), 5000, 'text after reload')

    step('the server goes down')
    // the server goes down; A edits meanwhile; both reconnect and keep the edit
    await suite.server.stop()
    await waitUntil(async () => (await connectionState(a.page)) !== 'connected', 10_000, 'A notices the server is gone')
    await a.page.evaluate((id) => {
      const e = (window as any).editor
      const shape = e.getShape(id)
      e.updateShape({ id, type: 'note', props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Offline bedacht: een moestuin' }] }] } } })
      e.updateShape({ id, type: 'note', x: shape.x + 80 })
    }, note.id)
    await shot(a.page, 'board-4-server-down')
    // tldraw loads its translation on every language switch: with the server down it must still work
    await a.page.click('[data-testid=lang-en]')
    await a.page.waitForFunction(() => (window as any).editor.user.getLocale() === 'en')
    await a.page.click('[data-testid=lang-nl]')
    await a.page.waitForFunction(() => (window as any).editor.user.getLocale() === 'nl')
    step('restart')
    await suite.server.restart()
    step('restarted')
    await a.page.waitForSelector('[data-testid=connection-state][data-state=connected]', { timeout: 30_000 })
    await b.page.waitForSelector('[data-testid=connection-state][data-state=connected]', { timeout: 30_000 })
    await waitUntil(async () => (await notes(b.page)).some((n) => n.text === 'Offline bedacht: een moestuin'), 10_000, 'offline edit at B after restart')
    await shot(b.page, 'board-5-after-restart')

    step('a fresh visitor')
    // a fresh visitor (new context, no cache) gets it from the restarted server
    const c = await context()
    await joinBoard(c.page, suite.board.participant, 'Chris', 'overig')
    await waitUntil(async () => (await notes(c.page)).some((n) => n.text === 'Offline bedacht: een moestuin'), 5000, 'offline edit for a new visitor')

    step('an edit made offline survives')
    // an edit made offline survives closing the tab (IndexedDB cache) and merges once the server is back
    await suite.server.stop()
    // after a few failed attempts the badge says the changes are kept
    await waitUntil(async () => (await connectionState(b.page)) === 'offline', 20_000, 'B shows offline')
    await b.page.evaluate((id) => {
      const e = (window as any).editor
      e.updateShape({ id, type: 'note', props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'En een deelauto' }] }] } } })
    }, note.id)
    await b.page.waitForTimeout(500) // y-indexeddb stores each update
    expect(await b.page.textContent('[data-testid=connection-state]')).toContain('Offline — wijzigingen worden bewaard')
    await shot(b.page, 'board-6-offline-badge')
    await b.page.close()
    step('restart')
    await suite.server.restart()
    step('restarted')
    const b2 = await b.ctx.newPage()
    step('B reopens')
    await joinBoard(b2, suite.board.participant, 'Bram Bakker', 'initiatief')
    await waitUntil(async () => (await notes(a.page)).some((n) => n.text === 'En een deelauto'), 15_000, 'B\'s offline edit at A after B reopened the board')

    step('nothing was requested')
    // nothing was requested from another host
    for (const x of [a, b, c]) expect(x.requests.foreign(suite.server.url)).toEqual([])
    for (const x of [a, b, c]) expect(x.errors).toEqual([])
    expect(a.requests.urls.length).toBeGreaterThan(5)
  })

  it('a viewer sees the board read-only with a banner', async () => {
    // the join form (participant link, fresh browser): name + perspective
    const j = await context()
    await j.page.goto(suite.board.participant)
    await j.page.waitForSelector('[data-testid=join-form]')
    await shot(j.page, 'board-0-join')
    await j.ctx.close()
    // viewers only look: the viewer link opens the board straight away, without a join form
    const v = await context()
    await v.page.goto(suite.board.viewer)
    await boardLive(v.page)
    expect(await v.page.locator('[data-testid=join-form]').count()).toBe(0)
    await v.page.waitForSelector('[data-testid=readonly-banner]')
    await v.page.waitForFunction(() => !!(window as any).editor?.getIsReadonly())
    await shot(v.page, 'board-7-viewer')
    expect(v.requests.foreign(suite.server.url)).toEqual([])
    // English switch: our labels and tldraw's UI follow
    await v.page.click('[data-testid=lang-en]')
    await v.page.waitForSelector('[data-testid=readonly-banner]:has-text("View only")')
    await v.page.waitForFunction(() => (window as any).editor.user.getLocale() === 'en')
    await shot(v.page, 'board-8-viewer-en')
    expect(v.errors).toEqual([])
  })

  it('changing name/perspective keeps the board connected and colours new notes', async () => {
    const x = await context()
    await joinBoard(x.page, suite.board.participant, 'Dirk', 'gemeente')
    const clientId = await x.page.evaluate(() => (window as any).copboard.conn.doc.clientID)
    await x.page.click('.cb-people__toggle')
    await x.page.click('.cb-people__edit')
    await x.page.fill('[data-testid=join-name]', 'Dirk Smit')
    await x.page.click('label:has([data-testid=join-overig])')
    await x.page.click('[data-testid=join-submit]')
    await x.page.waitForSelector('[data-testid=join-form]', { state: 'detached' })
    expect(await x.page.evaluate(() => (window as any).copboard.conn.doc.clientID)).toBe(clientId)
    await x.page.keyboard.press('n')
    await x.page.mouse.click(900, 500)
    await waitUntil(async () => (await notes(x.page)).find((n) => n.meta.author === 'Dirk Smit'), 5000, 'note by Dirk Smit')
    const mine = (await notes(x.page)).find((n) => n.meta.author === 'Dirk Smit')!
    expect([mine.color, mine.meta.perspective]).toEqual(['violet', 'overig'])
    expect(x.errors).toEqual([])
  })

  it('a wrong token gets a clear message, not a broken board', async () => {
    const x = await context()
    await x.page.goto(`${suite.server.url}/b/${suite.board.room}#t=not-a-real-token`)
    await x.page.waitForSelector('[data-testid=access-denied]')
    await shot(x.page, 'board-9-denied')
  })
})
