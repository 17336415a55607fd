/**
 * Ending a session cannot fail half-way (issue 9 §3; archive rules A3–A5): the real sync plugin,
 * a participant's raw y-websocket client, a poison record (a line with 150,000 points) and a
 * renderer that fails. The end succeeds with a snapshot, nothing written after it is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import securityPlugin from '../src/plugins/security.js'
import { readRecords, writeRecords } from '@copboard/board'
import { RoomManager } from '@copboard/sync-core'
import syncPlugin from '../src/plugins/sync'
import { api, createCop, noteRecord, startApi, type ApiHarness } from './api-harness'

let h: ApiHarness
let rooms: RoomManager
let failRender = false
const providers: WebsocketProvider[] = []

beforeAll(async () => {
  const { svgToPng } = await import('../src/plugins/api/raster')
  h = await startApi({
    rasterize: async (svg, width) => {
      if (failRender) throw new Error('render failed on purpose')
      return svgToPng(svg, width)
    },
    register: async (app, archive) => {
      rooms = new RoomManager({ storage: archive.storage, roomIdleMs: 50, onRoomIdle: (room) => archive.onRoomIdle(room) })
      archive.attachRooms(rooms)
      await app.register(securityPlugin, { allowedOrigins: [] })
      await app.register(syncPlugin, { rooms, authorize: archive.authorize, maxMessageBytes: 16 * 1024 * 1024, pingIntervalMs: 10_000 })
      app.addHook('onClose', async () => rooms.close())
    },
  })
})
afterAll(async () => {
  for (const p of providers) p.destroy()
  await h?.close()
})

function connect(room: string, token: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(h.url.replace('http', 'ws') + '/sync', room, doc, { WebSocketPolyfill: WebSocket as never, params: { token }, disableBc: true })
  providers.push(provider)
  return new Promise((resolve) => provider.once('sync', () => resolve({ doc, provider })))
}

async function until<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('condition not reached')
}

async function storedIds(room: string): Promise<string[]> {
  const doc = new Y.Doc()
  const updates = await h.storage.loadRoom(room)
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates))
  return readRecords(doc).map((r) => r.id as string)
}

function poisonLine() {
  const points: Record<string, { id: string; index: string; x: number; y: number }> = {}
  for (let i = 0; i < 150_000; i++) points[`p${i}`] = { id: `p${i}`, index: `a${String(i).padStart(6, '0')}`, x: i % 900, y: (i * 13) % 600 }
  return {
    id: 'shape:poison', typeName: 'shape', type: 'line', x: 0, y: 0, rotation: 0, index: 'a9', parentId: 'page:page', isLocked: false, opacity: 1, meta: {},
    props: { color: 'black', dash: 'draw', size: 'm', spline: 'line', scale: 1, points },
  }
}

describe('ending a session cannot fail half-way (issue 9 §3)', () => {
  it('A3/A4: with a 150,000-point line on the board, end succeeds with a full snapshot; later writes are refused and never stored', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    const room = c.session.room
    const p = await connect(room, c.participant)
    writeRecords(p.doc, [noteRecord('before', 100, 100, 'voor het einde')] as never)
    await until(async () => (await storedIds(room)).includes('shape:before'))
    // the poison record reaches the live room (server-side, so the board policy's size limits do not stop it here)
    await rooms.transact(room, (doc) => writeRecords(doc, [poisonLine()] as never))

    const t0 = Date.now()
    const ended = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    console.log(`end with a 150,000-point line: ${Date.now() - t0} ms`)
    expect(ended.status).toBe(200)
    expect(ended.data.snapshot.meta).toMatchObject({ render: 'ok', noteCount: 1 })
    const snapId = ended.data.snapshot.id
    for (const f of ['state.bin', 'board.tldr', 'report.md', 'board.svg', 'board.png', 'thumbnail.png']) {
      expect((await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snapId}/${f}`, c.viewer)).status, f).toBe(200)
    }
    const svg = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snapId}/board.svg`, c.viewer)).data as string
    expect(svg.length).toBeLessThan(1_000_000)

    // the participant's board reconnects read-only: a write after the end is neither stored nor in the snapshot
    await until(() => p.provider.wsconnected && p.provider.synced)
    writeRecords(p.doc, [noteRecord('after', 300, 100, 'na het einde')] as never)
    // a fresh raw connection with the participant token is read-only too
    const raw = await connect(room, c.participant)
    writeRecords(raw.doc, [noteRecord('after2', 500, 100, 'ook na het einde')] as never)
    await new Promise((r) => setTimeout(r, 300))
    const ids = await storedIds(room)
    expect(ids).toContain('shape:before')
    expect(ids).not.toContain('shape:after')
    expect(ids).not.toContain('shape:after2')
    const again = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    expect([again.status, again.data.error]).toEqual([409, 'SESSION_STATE_CONFLICT'])
  })

  it('A5: a failing render still stores the state, .tldr and report; the images are marked failed and rendered later', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    await rooms.transact(c.session.room, (doc) => writeRecords(doc, [noteRecord('n', 10, 10, 'blijft bewaard')] as never))
    failRender = true
    let ended
    try {
      ended = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    } finally {
      failRender = false
    }
    expect(ended.status).toBe(200)
    expect(ended.data.session.state).toBe('ended')
    const snap = ended.data.snapshot
    expect(snap.meta.render).toBe('failed')
    const get = (f: string) => api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/${f}`, c.viewer)
    expect((await get('report.md')).data).toContain('blijft bewaard')
    expect((await get('board.tldr')).data.records.some((r: { id: string }) => r.id === 'shape:n')).toBe(true)
    expect((await get('state.bin')).status).toBe(200)
    expect((await get('thumbnail.png')).data.error).toBe('PART_NOT_FOUND')
    expect(await h.archive.retryRenders()).toBe(1)
    expect((await get('thumbnail.png')).status).toBe(200)
    expect((await get('board.svg')).data).toContain('blijft bewaard')
    expect((await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}`, c.viewer)).data.snapshot.meta.render).toBe('ok')
  })

  it('A5: an end that stopped after the state change is finished by the next end (no "ended without snapshot")', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    // the state change happened, the snapshot did not (e.g. the process stopped in between)
    await h.storage.transitionSession(c.session.id, 'live', 'ended', new Date().toISOString())
    const r = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    expect(r.status).toBe(200)
    expect(r.data.snapshot).toMatchObject({ kind: 'final', sessionId: c.session.id })
    expect((await api(h, 'POST', `${base}/end`, c.facilitator, {})).status).toBe(409)
  })
}, 300_000)
