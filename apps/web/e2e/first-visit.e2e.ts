/**
 * Issue 12, a first visit of a big board (chromium, BUILT server + web): the page reads the
 * board's state with a plain GET of /sync/<room> while its scripts load (board/earlyState.ts),
 * so its socket brings only what changed since, not the whole board again. A note written
 * between that read and the socket still arrives; a return visit reads its IndexedDB cache
 * instead (no GET). Screenshot: apps/web/artifacts/first-visit.png
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecords } from '@copboard/board'
import { useBoardServer } from './support/suite'
import { shot, waitUntil } from './support/browser'
import { completeJoin, notes } from './support/board'
import { connect, fillRoom } from './support/benchBoard'

const suite = useBoardServer('CoP eerste bezoek (e2e)')
const NOTES = 300

describe('first visit e2e', { timeout: 300_000 }, () => {
  it('a first visit reads the board before its socket, which then carries only the changes; a return visit uses its cache', async () => {
    const { server, board } = suite
    const token = /#t=([^&]+)/.exec(board.participant)![1]
    const { bytes } = await fillRoom(server.url, board.room, token, NOTES, 120_000)
    const ctx = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })
    ctx.setDefaultTimeout(120_000)
    const page = await ctx.newPage()
    const stateReads: { status: number; size: number }[] = []
    page.on('response', async (r) => {
      if (r.request().method() === 'GET' && new URL(r.url()).pathname === `/sync/${board.room}` && r.request().resourceType() !== 'websocket') {
        stateReads.push({ status: r.status(), size: (await r.body().catch(() => Buffer.alloc(0))).length })
      }
    })
    let socketBytes = 0
    let sentBytes = 0
    let sockets = 0
    const size = (p: string | Buffer) => (typeof p === 'string' ? p.length : p.byteLength)
    page.on('websocket', (ws) => {
      if (!ws.url().includes(`/sync/${board.room}`)) return
      sockets++
      ws.on('framereceived', (f) => (socketBytes += size(f.payload)))
      ws.on('framesent', (f) => (sentBytes += size(f.payload)))
    })

    // the board's scripts are held back until the early read is answered, and meanwhile a note is
    // written: the read cannot hold it, the socket must bring it
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/assets/BoardPage-*.js', async (route) => {
      await held
      await route.continue()
    })
    await page.goto(board.participant)
    await waitUntil(async () => stateReads.length > 0, 60_000, 'the early read of the board state')
    const writer = new Y.Doc()
    const w = connect(server.url, board.room, token, writer)
    await w.synced
    // a copy of a note of the board (its page), with its own id and text
    const model = (readRecords(writer) as any[]).find((r) => r.type === 'note')
    const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'na het lezen' }] }] }
    writeRecords(writer, [{ ...model, id: 'shape:late', x: 40, y: 1000, props: { ...model.props, richText } }])
    await new Promise((r) => setTimeout(r, 500))
    release()
    await completeJoin(page, 'Eerste Bezoeker', 'gemeente')
    await page.waitForFunction((n) => (window as any).editor?.store.query.records('shape').get().length >= n, NOTES + 1)
    expect(stateReads).toEqual([{ status: 200, size: expect.any(Number) }])
    expect(stateReads[0].size).toBeGreaterThan(bytes * 0.8)
    expect((await notes(page)).some((n) => n.text === 'na het lezen')).toBe(true)
    // the socket carried the late note and presence, not the board again
    expect(sockets).toBe(1)
    expect(socketBytes).toBeLessThan(bytes / 5)
    // nor did the page send the board it read back to the server
    expect(sentBytes).toBeLessThan(bytes / 5)
    await shot(page, 'first-visit')

    // the cache is written once the board has rendered; the next visit starts from it
    await waitUntil(() => page.evaluate((room) => localStorage.getItem(`copboard:cached:${room}`) === '1', board.room), 30_000, 'the cache mark')
    stateReads.length = 0
    await page.reload()
    await completeJoin(page, 'Eerste Bezoeker', 'gemeente')
    await page.waitForFunction((n) => (window as any).editor?.store.query.records('shape').get().length >= n, NOTES + 1)
    expect(stateReads).toEqual([])
    w.provider.destroy()
    await ctx.close()
  })
})
