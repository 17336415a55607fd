/**
 * "Naar de live sessie" end to end (chromium, BUILT server + web): a participant is on session 1's
 * live board; the facilitator ends session 1 and starts session 2 of the same CoP. Without a
 * reload, the participant's board turns read-only with the *ended* banner and then shows the
 * notice "Sessie 2 is nu live"; its link opens session 2's live board, where the participant
 * writes again (their CoP link's token serves every session of the series).
 * Screenshots: apps/web/artifacts/ended-notice-*.png (looked at).
 */
import { describe, expect, it } from 'vitest'
import { shot } from './support/browser'
import { boardLive, completeJoin, createBoard, joinBoard } from './support/board'
import { useBoardServer } from './support/suite'

const suite = useBoardServer()

const tokenOf = (link: string) => new URL(link).hash.replace(/^#t=/, '')

describe('ended board -> live session', () => {
  it('participant on an ended board is led to the live next session of the CoP', async () => {
    const board = await createBoard(suite.server.url, 'CoP einde e2e')
    const fac = tokenOf(board.facilitator)
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${suite.server.url}/api${path}`, { method, headers: { authorization: `Bearer ${fac}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const cop = (await api('GET', `/cops/${board.copId}`)) as { sessions?: { id: string; room: string }[] }
    const s1 = cop.sessions?.find((s) => s.room === board.room) ?? ((await api('GET', `/me?room=${board.room}`)) as { session: { id: string } }).session
    const s2 = ((await api('POST', `/cops/${board.copId}/sessions`, { title: 'Sessie 2', date: '2026-12-01', start: { kind: 'empty' } })) as { session: { id: string; room: string } }).session
    await api('POST', `/cops/${board.copId}/sessions/${s1.id}/start`)

    const ctx = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })
    ctx.setDefaultTimeout(120_000)
    const page = await ctx.newPage()
    await joinBoard(page, board.participant, 'Noor', 'initiatief')
    expect(await page.getAttribute('[data-testid=board]', 'data-readonly')).toBe('false')

    // the facilitator ends session 1 (from anywhere) and starts session 2
    await api('POST', `/cops/${board.copId}/sessions/${s1.id}/end`, {})
    await page.waitForSelector('[data-testid=board][data-readonly=true]')
    await page.waitForFunction(() => /afgelopen/.test(document.body.textContent ?? ''), undefined, { timeout: 60_000 })
    await api('POST', `/cops/${board.copId}/sessions/${s2.id}/start`)
    const notice = await page.waitForSelector('[data-testid=live-session-notice]', { timeout: 90_000 })
    expect(await notice.textContent()).toContain('Sessie 2')
    await shot(page, 'ended-notice-1-notice')

    await page.click('[data-testid=go-live]')
    await page.waitForURL((u) => u.pathname === `/b/${s2.room}`)
    await completeJoin(page, 'Noor', 'initiatief')
    await boardLive(page)
    await page.waitForSelector('[data-testid=board][data-readonly=false]')
    expect(await page.locator('[data-testid=live-session-notice]').count()).toBe(0)
    // writing works on the live board
    const ok = await page.evaluate(() => {
      const editor = (window as any).editor
      editor.createShape({ type: 'note', x: 100, y: 100 })
      return editor.getCurrentPageShapes().some((s: any) => s.type === 'note')
    })
    expect(ok).toBe(true)
    await shot(page, 'ended-notice-2-live')
    await ctx.close()
  })
})
