/**
 * Role checks on the WebSocket: the real sync plugin with the token authorizer, real y-websocket
 * providers over ws. Participant edits are stored; viewer edits are dropped; bad, revoked and
 * foreign tokens and unknown rooms are refused before the upgrade.
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
const providers: WebsocketProvider[] = []

beforeAll(async () => {
  h = await startApi({
    register: async (app, archive) => {
      rooms = new RoomManager({
        storage: h0storage(archive),
        roomIdleMs: 50,
        onRoomIdle: (room) => archive.onRoomIdle(room),
        onAwarenessSeen: (room, seen) => archive.onAwarenessSeen(room, seen),
      })
      archive.attachRooms(rooms)
      await app.register(securityPlugin, { allowedOrigins: [] })
      await app.register(syncPlugin, { rooms, authorize: archive.authorize, maxMessageBytes: 8 * 1024 * 1024, pingIntervalMs: 10_000 })
      app.addHook('onClose', async () => rooms.close())
    },
  })
})
afterAll(async () => {
  for (const p of providers) p.destroy()
  await h?.close()
})
const h0storage = (archive: { storage: ApiHarness['storage'] }) => archive.storage

function wsUrl() {
  return h.url.replace('http', 'ws') + '/sync'
}

function connect(room: string, token: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl(), room, doc, { WebSocketPolyfill: WebSocket as never, params: { token }, disableBc: true })
  providers.push(provider)
  return new Promise((resolve) => {
    if (provider.synced) resolve({ doc, provider })
    provider.once('sync', () => resolve({ doc, provider }))
  })
}

/** Status of a refused upgrade (or 101 when it was accepted). */
function upgradeStatus(room: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl()}/${room}${token ? `?token=${token}` : ''}`)
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => {
      resolve(101)
      ws.close()
    })
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)))
  })
}

async function until<T>(fn: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('condition not reached')
}

async function storedNoteIds(room: string): Promise<string[]> {
  const doc = new Y.Doc()
  const u = await h.storage.loadRoom(room)
  if (u.length) Y.applyUpdate(doc, Y.mergeUpdates(u))
  return (readRecords(doc) as any[]).filter((r) => r.type === 'note').map((r) => r.id).sort()
}

describe('WebSocket role checks', { timeout: 30_000 }, () => {
  it('participant edits are stored and reach the viewer; viewer edits are dropped', async () => {
    const c = await createCop(h)
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${c.session.id}/start`, c.facilitator)
    const room = c.session.room
    const p = await connect(room, c.participant)
    const v = await connect(room, c.viewer)
    writeRecords(v.doc, [noteRecord('fromViewer', 0, 0, 'viewer probeert') as never])
    writeRecords(p.doc, [noteRecord('fromParticipant', 300, 0, 'deelnemer schrijft') as never])
    await until(async () => (await storedNoteIds(room)).includes('shape:fromParticipant'))
    // the viewer receives the participant's note
    await until(async () => (readRecords(v.doc) as any[]).some((r) => r.id === 'shape:fromParticipant'))
    // one more participant edit after the viewer's: the viewer's note is still not stored nor broadcast
    writeRecords(p.doc, [noteRecord('second', 600, 0, 'nog een') as never])
    await until(async () => (await storedNoteIds(room)).includes('shape:second'))
    expect(await storedNoteIds(room)).toEqual(['shape:fromParticipant', 'shape:second'])
    expect((readRecords(p.doc) as any[]).some((r) => r.id === 'shape:fromViewer')).toBe(false)
    p.provider.destroy()
    v.provider.destroy()
    // the last one left: the room-idle hook autosaves
    const snaps = await until(async () => {
      const s = await h.storage.listSnapshots(c.cop.id)
      return s.length ? s : null
    })
    expect(snaps[0]).toMatchObject({ kind: 'autosave', sessionId: c.session.id })
    expect(snaps[0].meta).toMatchObject({ noteCount: 2 })
  })

  it('refuses before the upgrade: no token 401, bad token 401, other CoP 403, unknown room 404, revoked 401', async () => {
    const A = await createCop(h, 'A')
    const B = await createCop(h, 'B')
    expect(await upgradeStatus(A.session.room, A.participant)).toBe(101)
    expect(await upgradeStatus(A.session.room)).toBe(401)
    expect(await upgradeStatus(A.session.room, 'z'.repeat(43))).toBe(401)
    expect(await upgradeStatus(A.session.room, B.facilitator)).toBe(403)
    expect(await upgradeStatus(B.session.room, A.viewer)).toBe(403)
    expect(await upgradeStatus('noSuchRoom123', A.facilitator)).toBe(404)
    const made = await api(h, 'POST', `/cops/${A.cop.id}/links`, A.facilitator, { role: 'participant', label: 'tijdelijk' })
    expect(await upgradeStatus(A.session.room, made.data.secret)).toBe(101)
    await api(h, 'DELETE', `/cops/${A.cop.id}/links/${made.data.token.id}`, A.facilitator)
    expect(await upgradeStatus(A.session.room, made.data.secret)).toBe(401)
  })

  it('the final snapshot lists everyone seen on the board (also who never wrote) and note authors never seen', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    const room = c.session.room
    const p = await connect(room, c.participant)
    const v = await connect(room, c.viewer)
    p.provider.awareness.setLocalStateField('user', { name: '  Anna   de Vries ', color: '#f00', perspective: 'gemeente', role: 'participant' })
    // the viewer claims to be facilitator: the server-authorised role wins; it only watches
    v.provider.awareness.setLocalStateField('user', { name: 'Vera', color: '#00f', perspective: 'initiatief', role: 'facilitator', token: c.viewer })
    // Anna writes her own note and one she took down for Cor, who is not on the board
    writeRecords(p.doc, [noteRecord('a1', 0, 0, 'van Anna', 'Anna de Vries', 'gemeente') as never, noteRecord('c1', 300, 0, 'van Cor', 'Cor', 'overig') as never])
    // each sees the other's name: the server has both awareness states
    const names = (pr: WebsocketProvider) => [...pr.awareness.getStates().values()].map((s: any) => s.user?.name)
    await until(async () => names(p.provider).includes('Vera') && names(v.provider).includes('  Anna   de Vries '))
    await until(async () => (await storedNoteIds(room)).length === 2)
    const ended = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    expect(ended.status).toBe(200)
    const meta = ended.data.snapshot.meta
    expect(meta.participants.map((x: any) => [x.name, x.perspective, x.role])).toEqual(
      expect.arrayContaining([
        ['Anna de Vries', 'gemeente', 'participant'],
        ['Vera', 'initiatief', 'viewer'],
      ]),
    )
    expect(meta.participants).toHaveLength(2)
    for (const x of meta.participants) {
      expect(Object.keys(x).sort()).toEqual(['firstSeen', 'lastSeen', 'name', 'perspective', 'role'])
      expect(Date.parse(x.lastSeen)).toBeGreaterThanOrEqual(Date.parse(x.firstSeen))
    }
    expect(meta.authorsOnly).toEqual(['Cor'])
    expect(meta.noteCount).toBe(2)
    // what the snapshot list serves holds no token
    const list = await api(h, 'GET', `/cops/${c.cop.id}/snapshots`, c.viewer)
    expect(JSON.stringify(list.data)).not.toContain(c.viewer)
    p.provider.destroy()
    v.provider.destroy()
  })

  it('a plain GET of /sync/:room answers the board state with the socket\'s admission (Bearer token), no-store', async () => {
    const A = await createCop(h, 'A-state')
    const B = await createCop(h, 'B-state')
    const room = A.session.room
    await api(h, 'POST', `/cops/${A.cop.id}/sessions/${A.session.id}/start`, A.facilitator)
    const p = await connect(room, A.participant)
    writeRecords(p.doc, [noteRecord('seen', 0, 0, 'gelezen') as never])
    await until(async () => (await storedNoteIds(room)).includes('shape:seen'))
    const get = (token?: string, r = room) => fetch(`${h.url}/sync/${r}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    for (const token of [A.participant, A.viewer, A.facilitator]) {
      const res = await get(token)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      expect(res.headers.get('cache-control')).toBe('no-store')
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()))
      expect((readRecords(doc) as any[]).map((r) => r.id)).toContain('shape:seen')
    }
    // the same refusals as the upgrade, with the API's error bodies where it has them
    expect((await get()).status).toBe(401)
    expect((await get('z'.repeat(43))).status).toBe(401)
    expect((await get(B.facilitator)).status).toBe(403)
    expect((await get(A.facilitator, 'noSuchRoom123')).status).toBe(404)
    expect((await get(A.facilitator, 'bad.room')).status).toBe(400)
    // another participant's private draft room: refused like its socket
    const draft = await get(A.participant, `${room}~draft~${'a'.repeat(22)}`)
    expect(draft.status).toBe(403)
    // the body of a refusal holds no board content
    expect(await (await get(B.facilitator)).text()).not.toContain('gelezen')
    // a HEAD would load and encode the board for nothing: there is none
    expect((await fetch(`${h.url}/sync/${room}`, { method: 'HEAD', headers: { authorization: `Bearer ${A.viewer}` } })).status).toBe(404)
    // reads are not connections: the board's live count (snapshot metadata) has the one socket
    expect((h.archive as any).live.get(room)?.connections).toBe(1)
    p.provider.destroy()
  })

  it('a client that starts from the GET state receives only what changed since over its socket', async () => {
    const c = await createCop(h, 'early')
    const room = c.session.room
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${c.session.id}/start`, c.facilitator)
    const writer = await connect(room, c.participant)
    writeRecords(writer.doc, Array.from({ length: 150 }, (_, i) => noteRecord(`n${i}`, i * 10, 0, `notitie ${i} `.repeat(8)) as never))
    await until(async () => (await storedNoteIds(room)).length === 150)
    const res = await fetch(`${h.url}/sync/${room}`, { headers: { authorization: `Bearer ${c.viewer}` } })
    const state = new Uint8Array(await res.arrayBuffer())
    writeRecords(writer.doc, [noteRecord('after', 0, 500, 'na het lezen') as never])
    await until(async () => (await storedNoteIds(room)).includes('shape:after'))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    let bytesIn = 0
    const Counting = class extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args)
        this.on('message', (d: Buffer | ArrayBuffer) => (bytesIn += d.byteLength))
      }
    }
    const provider = new WebsocketProvider(wsUrl(), room, doc, { WebSocketPolyfill: Counting as never, params: { token: c.viewer }, disableBc: true })
    providers.push(provider)
    await until(async () => provider.synced && (readRecords(doc) as any[]).some((r) => r.id === 'shape:after'))
    expect((readRecords(doc) as any[]).filter((r) => r.type === 'note')).toHaveLength(151)
    // the state was ~tens of KiB; the socket brought the one note written after the read
    expect(state.length).toBeGreaterThan(20_000)
    expect(bytesIn).toBeLessThan(state.length / 10)
    provider.destroy()
    writer.provider.destroy()
  })

  it('an ended session is read-only for everyone', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    await api(h, 'POST', `${base}/end`, c.facilitator)
    const p = await connect(c.session.room, c.participant)
    writeRecords(p.doc, [noteRecord('late', 0, 0, 'te laat') as never])
    const f = await connect(c.session.room, c.facilitator)
    writeRecords(f.doc, [noteRecord('late2', 0, 0, 'ook te laat') as never])
    await new Promise((r) => setTimeout(r, 150))
    expect(await storedNoteIds(c.session.room)).toEqual([])
    expect((await api(h, 'GET', `/me?room=${c.session.room}`, c.participant)).data.boardRole).toBe('viewer')
  })
})
