import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { awarenessFrame, closed, provider, rawClient, startServer, synced, waitFor, type TestServer } from './sync-harness.js'

let server: TestServer
beforeAll(async () => {
  // 200 providers from one address: lift the per-address caps (tested in sync-limits.test.ts and http-hygiene.test.ts)
  // (the short ping interval lives only in the §11.2 test: on a loaded machine it would cut these clients off)
  server = await startServer({ roomIdleMs: 300, maxConnectionsPerAddress: 0, syncUpgradesPerMinute: 1_000_000 })
})
afterAll(async () => {
  await server?.dispose()
})

describe('sync server with the stock y-websocket provider', () => {
  it('§1.3 two providers converge on concurrent edits', async () => {
    const a = provider(server.syncUrl, 'converge')
    const b = provider(server.syncUrl, 'converge')
    await Promise.all([synced(a), synced(b)])
    for (let i = 0; i < 20; i++) {
      a.doc.getArray<string>('list').push([`a${i}`])
      b.doc.getArray<string>('list').push([`b${i}`])
      a.doc.getText('t').insert(0, 'A')
      b.doc.getText('t').insert(0, 'B')
    }
    // the list and the text are separate transactions: wait for both, or the last text edit may still be in flight
    const converged = () =>
      a.doc.getArray('list').length === 40 && b.doc.getArray('list').length === 40 && a.doc.getText('t').length === 40 && b.doc.getText('t').length === 40
    await waitFor(converged, 'convergence')
    expect(a.doc.getArray('list').toJSON()).toEqual(b.doc.getArray('list').toJSON())
    expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString())
    a.destroy()
    b.destroy()
  })

  it('§1.2 a late joiner receives the full state', async () => {
    const a = provider(server.syncUrl, 'late')
    await synced(a)
    a.doc.getMap('m').set('x', 1)
    a.doc.getText('t').insert(0, 'hello')
    await waitFor(() => server.app.rooms.stats().rooms > 0, 'room')
    const late = provider(server.syncUrl, 'late')
    await synced(late)
    await waitFor(() => late.doc.getText('t').toString() === 'hello', 'late joiner state')
    expect(late.doc.getMap('m').get('x')).toBe(1)
    a.destroy()
    late.destroy()
  })

  it('§4.1 §4.3 awareness appears and is removed when a peer disconnects', async () => {
    const a = provider(server.syncUrl, 'aware')
    const b = provider(server.syncUrl, 'aware')
    a.awareness.setLocalStateField('user', { name: 'Anna' })
    await Promise.all([synced(a), synced(b)])
    await waitFor(() => (b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } })?.user?.name === 'Anna', 'awareness')
    a.destroy()
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), 'awareness removal')
    b.destroy()
  })

  it('sync-core §4.2 a raw client of another participant can neither hide nor rewrite a present cursor; the same participant may take it over', async () => {
    const secret = (c: string) => c.repeat(43)
    const a = provider(server.syncUrl, 'owner', new Y.Doc(), { participantSecret: secret('a') })
    const watcher = provider(server.syncUrl, 'owner', new Y.Doc(), { participantSecret: secret('w') })
    a.awareness.setLocalStateField('user', { name: 'Anna' })
    await Promise.all([synced(a), synced(watcher)])
    const id = a.doc.clientID
    const nameSeen = () => (watcher.awareness.getStates().get(id) as { user?: { name: string } } | undefined)?.user?.name
    await waitFor(() => nameSeen() === 'Anna', 'awareness')
    /** A raw frame setting `forId`'s state at a clock ahead of the room's. */
    const forged = (state: unknown, forId = id) => awarenessFrame([{ id: forId, clock: (watcher.awareness.meta.get(forId)?.clock ?? 0) + 10, state }])
    const other = await rawClient(`${server.syncUrl}/owner?participantSecret=${secret('x')}`)
    // the same participant (a second tab, a reconnect) may take it over
    const sameParticipant = await rawClient(`${server.syncUrl}/owner?participantSecret=${secret('a')}`)
    try {
      other.send(forged(null))
      other.send(forged({ user: { name: 'Not Anna' } }))
      // then a state of its own: once the watcher has it, the room has handled the forged frames
      other.send(forged({ user: { name: 'Other' } }, 4242))
      await waitFor(() => watcher.awareness.getStates().has(4242), "the other's own state")
      expect(nameSeen()).toBe('Anna')
      sameParticipant.send(forged({ user: { name: 'Anna, tab 2' } }))
      await waitFor(() => nameSeen() === 'Anna, tab 2', 'take-over by the same participant')
      expect(other.readyState).toBe(WebSocket.OPEN)
    } finally {
      for (const ws of [other, sameParticipant]) ws.close()
      a.destroy()
      watcher.destroy()
    }
  })

  it('§6.1 §6.2 a viewer receives edits, its own edits are dropped', async () => {
    const viewerServer = await startServer({}, { authorize: async (req) => ({ ok: true, role: (req.query as { token?: string }).token === 'v' ? 'viewer' : 'participant' }) })
    try {
      const editor = provider(viewerServer.syncUrl, 'ro')
      const viewer = provider(viewerServer.syncUrl, 'ro', new Y.Doc(), { token: 'v' })
      await Promise.all([synced(editor), synced(viewer)])
      viewer.doc.getMap('m').set('viewer', true)
      editor.doc.getMap('m').set('editor', true)
      await waitFor(() => viewer.doc.getMap('m').get('editor') === true, 'edit reaches viewer')
      // a later joiner sees the editor's edit but never the viewer's
      const third = provider(viewerServer.syncUrl, 'ro')
      await synced(third)
      await waitFor(() => third.doc.getMap('m').get('editor') === true, 'third synced')
      expect(third.doc.getMap('m').has('viewer')).toBe(false)
      editor.destroy()
      viewer.destroy()
      third.destroy()
    } finally {
      await viewerServer.dispose()
    }
  })

  it('§11.4 authorisation runs before the upgrade: a refused request gets its HTTP status, a bad room name 400', async () => {
    const s = await startServer({}, { authorize: async () => ({ ok: false, status: 401, error: 'NO_TOKEN' }) })
    try {
      const err = await rawClient(`${s.syncUrl}/room1`).then(() => null, (e: Error) => e)
      expect(err?.message).toMatch(/401/)
      const bad = await rawClient(`${server.syncUrl}/bad.name`).then(() => null, (e: Error) => e)
      expect(bad?.message).toMatch(/400/)
    } finally {
      await s.dispose()
    }
  })

  it('§11.2 a socket that stops answering pings is terminated', async () => {
    const pinging = await startServer({ pingIntervalMs: 150 })
    try {
      const ws = await rawClient(`${pinging.syncUrl}/dead`, { autoPong: false })
      const ev = await closed(ws)
      expect(ev.code).toBe(1006) // terminated, no close frame
    } finally {
      await pinging.dispose()
    }
  })

  it('§9.1 §9.2 200 abandoned rooms are unloaded after the grace period and reload from storage', async () => {
    const n = 200
    const providers = []
    for (let i = 0; i < n; i++) providers.push(provider(server.syncUrl, `abandoned-${i}`))
    await Promise.all(providers.map(synced))
    providers.forEach((p, i) => p.doc.getText('t').insert(0, `content ${i}`))
    await waitFor(() => server.app.rooms.stats().rooms >= n, 'rooms loaded', 30_000)
    // every edit has reached its room before the clients leave (a provider destroyed earlier drops its unsent edit)
    for (let i = 0; i < n; i++) {
      for (;;) {
        const doc = new Y.Doc()
        Y.applyUpdate(doc, await server.app.rooms.encodeState(`abandoned-${i}`))
        if (doc.getText('t').toString() === `content ${i}`) break
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    providers.forEach((p) => p.destroy())
    await waitFor(() => server.app.rooms.stats().rooms === 0, 'all rooms unloaded', 60_000)
    expect(server.app.rooms.stats().connections).toBe(0)
    for (const i of [0, 57, 123, 199]) {
      const p = provider(server.syncUrl, `abandoned-${i}`)
      await synced(p)
      expect(p.doc.getText('t').toString()).toBe(`content ${i}`)
      p.destroy()
    }
    for (let i = 0; i < n; i++) {
      const doc = new Y.Doc()
      for (const u of await server.storage.loadRoom(`abandoned-${i}`)) Y.applyUpdate(doc, u)
      expect(doc.getText('t').toString()).toBe(`content ${i}`)
    }
  }, 150_000)

  it('GET /healthz reports rooms, connections and storage', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { rooms: unknown }
    expect(body).toMatchObject({ ok: true, storage: 'ok' })
    expect(typeof body.rooms).toBe('number')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
