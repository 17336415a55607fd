/**
 * sync-core §4.5 §7.4 §7.5 on the real server (ws, SQLite): a bounded loopback flood from several
 * sockets, the paste of 500 notes, awareness spam, and connection caps keyed on the real client
 * address (TRUST_PROXY). No timing in pass/fail: only generous timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CloseCodes, encodeSyncUpdate } from '@copboard/sync-core'
import { readRecords, writeRecords } from '@copboard/board'
import { noteRecord } from './api-harness.js'
import { awarenessFrame, closed, provider, rawClient, roundTrip, startServer, synced, waitFor, type TestServer } from './sync-harness.js'

/** `n` distinct small valid updates (each one map entry), as y-websocket update frames. */
function floodFrames(n: number): Uint8Array[] {
  const doc = new Y.Doc()
  const frames: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => frames.push(encodeSyncUpdate(u)))
  const m = doc.getMap('flood')
  for (let i = 0; i < n; i++) m.set(`k${i % 50}`, i)
  return frames
}

describe('sync limits on the real server', () => {
  let server: TestServer
  beforeAll(async () => {
    // a tenth of the default message budget, so the flood is over quickly on a busy CI machine
    // (the defaults are what the paste test uses)
    server = await startServer({ messagesPerSecond: 30, messageBurst: 300 })
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('§7.4 a flood from 4 sockets: each flooder is closed with TOO_MANY_MESSAGES; /healthz and a client in another room keep answering; memory stays bounded', async () => {
    const rssBefore = process.memoryUsage().rss
    // distinct updates per flooder (a repeated one would be redundant, and nearly free); generated
    // first, since this process hosts the server too. Well beyond the burst (3,000).
    const batches = [0, 1, 2, 3].map(() => floodFrames(6_000))
    const flooders = await Promise.all(batches.map(() => rawClient(`${server.syncUrl}/flood-room`)))
    const codes = flooders.map((ws) => closed(ws))
    // each sends its updates as fast as it can, in chunks, until it is closed (bounded loop)
    const floods = flooders.map(async (ws, n) => {
      const frames = batches[n]
      for (let i = 0; i < frames.length && ws.readyState === WebSocket.OPEN; i += 500) {
        for (const f of frames.slice(i, i + 500)) ws.send(f)
        await new Promise((r) => setImmediate(r))
      }
    })
    // meanwhile: the health check and a round trip in another room
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`)
    expect(health.status).toBe(200)
    await roundTrip(server.syncUrl, 'calm-room')
    await Promise.all(floods)
    for (const c of await Promise.all(codes)) expect(c.code).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
    // responsive right after, too
    await roundTrip(server.syncUrl, 'calm-room-2')
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200)
    // stored: at most the bursts, not the 80,000 updates
    await waitFor(() => server.app.rooms.stats().queuedBytes === 0, 'queue drained', 30_000)
    expect((await server.storage.loadRoom('flood-room')).length).toBeLessThan(4 * 3_000)
    // generous: the flood must not hold hundreds of MB (it was 1.3 GB without limits)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024)
    // one log line per flooder
    const lines = server.logs.filter((l) => String(l.msg).includes('too many messages'))
    expect(lines.length).toBe(4)
  }, 120_000)

  it('§7.4 pasting 500 notes with the stock provider passes with the default limits (one transaction, then 500 separate updates)', async () => {
    const defaults = await startServer()
    const a = provider(defaults.syncUrl, 'paste-room')
    const b = provider(defaults.syncUrl, 'paste-room')
    let closedCode: number | null = null
    a.on('connection-close', (e: { code: number } | null) => (closedCode = e?.code ?? null))
    try {
      await Promise.all([synced(a), synced(b)])
      // valid tldraw notes (the board policy judges every update): one transaction, as tldraw pastes
      const note = (id: string, x: number, y: number, text: string) => {
        const r = noteRecord(id, x, y, text)
        return { ...r, props: { ...r.props, textLastEditedBy: null } } as never
      }
      writeRecords(a.doc, Array.from({ length: 500 }, (_, i) => note(`paste${i}`, (i % 25) * 220, Math.floor(i / 25) * 220, `idee ${i}`)))
      // and the worst case: 500 more, each its own update
      for (let i = 0; i < 500; i++) writeRecords(a.doc, [note(`single${i}`, (i % 25) * 220, 5000 + Math.floor(i / 25) * 220, `los ${i}`)])
      const notes = (doc: Y.Doc) => (readRecords(doc) as { type?: string }[]).filter((r) => r.type === 'note').length
      await waitFor(() => notes(b.doc) === 1000, 'paste arrived', 60_000)
      expect(notes(a.doc)).toBe(1000)
      expect(closedCode).toBeNull()
    } finally {
      a.destroy()
      b.destroy()
      await defaults.dispose()
    }
  }, 120_000)

  it('§4.5 one socket announcing 210 people is closed with AWARENESS_LIMIT; a real participant is seen by the others', async () => {
    const spammer = await rawClient(`${server.syncUrl}/aw-room`)
    const done = closed(spammer)
    for (let i = 0; i < 210; i++) spammer.send(awarenessFrame([{ id: 500_000 + i, clock: 1, state: { user: { name: `nep ${i}` } } }]))
    expect((await done).code).toBe(CloseCodes.AWARENESS_LIMIT.code)
    const watcher = provider(server.syncUrl, 'aw-room')
    const real = provider(server.syncUrl, 'aw-room')
    try {
      real.awareness.setLocalStateField('user', { name: 'Echte Deelnemer' })
      await Promise.all([synced(watcher), synced(real)])
      await waitFor(() => (watcher.awareness.getStates().get(real.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Echte Deelnemer', 'real participant seen')
      expect([...watcher.awareness.getStates().keys()].some((id) => id >= 500_000 && id < 500_210)).toBe(false)
    } finally {
      watcher.destroy()
      real.destroy()
    }
  }, 30_000)
})

describe('§7.5 connection caps key on the real client address (TRUST_PROXY)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ trustProxy: ['127.0.0.1'], maxConnectionsPerAddress: 2, maxConnectionsPerRoom: 3 })
  })
  afterAll(async () => {
    await server?.dispose()
  })

  const from = (ip: string, room = 'cap-room') => rawClient(`${server.syncUrl}/${room}`, { headers: { 'x-forwarded-for': ip } })

  it('§7.5 the third connection from one client address gets TOO_MANY_CONNECTIONS; another address behind the same proxy is not affected', async () => {
    const a = await from('203.0.113.7', 'r-a')
    const b = await from('203.0.113.7', 'r-b')
    const c = await from('203.0.113.7', 'r-c')
    expect((await closed(c)).code).toBe(CloseCodes.TOO_MANY_CONNECTIONS.code)
    const d = await from('198.51.100.9', 'r-c')
    await new Promise((r) => setTimeout(r, 200))
    expect(d.readyState).toBe(WebSocket.OPEN)
    for (const ws of [a, b, d]) ws.close()
  })

  it('§7.5 the connection over MAX_CONNECTIONS_PER_ROOM gets ROOM_FULL', async () => {
    const socks = await Promise.all(['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((ip) => from(ip, 'full-room')))
    const extra = await from('192.0.2.4', 'full-room')
    expect((await closed(extra)).code).toBe(CloseCodes.ROOM_FULL.code)
    for (const ws of socks) ws.close()
  })

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a client cannot pick its address', async () => {
    const plain = await startServer({ maxConnectionsPerAddress: 1 })
    try {
      const a = await rawClient(`${plain.syncUrl}/x1`, { headers: { 'x-forwarded-for': '10.1.1.1' } })
      const b = await rawClient(`${plain.syncUrl}/x2`, { headers: { 'x-forwarded-for': '10.2.2.2' } })
      expect((await closed(b)).code).toBe(CloseCodes.TOO_MANY_CONNECTIONS.code)
      a.close()
    } finally {
      await plain.dispose()
    }
  })
})
