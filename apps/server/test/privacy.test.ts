/**
 * Private mode on the wire (issue 10): the full server (buildApp, token authorizer), raw ws
 * clients. A hidden note's text never travels on another participant's socket before the reveal;
 * after the facilitator's reveal it does, written by the server (in the update log), anonymous in
 * an anonymous zone. A draft room opens only for the participant whose secret derives its name.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { FastifyInstance } from 'fastify'
import { openStorage, type Storage } from '@copboard/storage'
import { draftRoomName, readRecords, readRevealState, writeRecords } from '@copboard/board'
import { getTemplate, templateToRecords } from '@copboard/templates'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { participantIdFromSecret } from '../src/auth/participant.js'
import { provider, synced, waitFor } from './sync-harness.js'
import { tokenOf } from './api-harness.js'

let app: FastifyInstance
let storage: Storage
let dataDir: string
let base: string
const open: { destroy(): void }[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'copboard-private-'))
  storage = await openStorage({ dataDir })
  app = await buildApp({ ...loadConfig({}), port: 0, dataDir, logLevel: 'warn' }, { storage, logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  base = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
})
afterAll(async () => {
  for (const o of open) o.destroy()
  await app?.close()
  await storage?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function post(path: string, token: string, body?: unknown) {
  const res = await fetch(`http://${base}/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, data: (await res.json()) as any }
}

async function board() {
  const res = await fetch(`http://${base}/api/cops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'CoP Warmte' }) })
  const data = (await res.json()) as any
  const room = data.session.room as string
  // the comedy template on page:page (act 1 is anonymous)
  const comedy = getTemplate('comedy')!
  await app.rooms.transact(room, (doc) =>
    writeRecords(doc, [
      { id: 'page:page', typeName: 'page', name: 'Komedie', index: 'a1', meta: {} } as never,
      ...(templateToRecords(comedy, { pageId: 'page:page', titleBlock: { copName: 'CoP', sessionNumber: 1, date: '2026-01-01' } }) as never[]),
    ]),
  )
  return { room, copId: data.cop.id as string, sessionId: data.session.id as string, facilitator: tokenOf(data.links.facilitator), participant: tokenOf(data.links.participant), viewer: tokenOf(data.links.viewer) }
}

const secret = (c: string) => c.repeat(43)

/** A note as tldraw's schema (and so the board policy) accepts it. */
function noteRecord(id: string, x: number, y: number, text: string, author = 'Cor', perspective = 'initiatief') {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: 'page:page', isLocked: false, opacity: 1,
    props: {
      color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: null, align: 'middle', verticalAlign: 'middle', growY: 0, url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }, scale: 1, textLastEditedBy: null,
    },
    meta: { author, perspective },
  }
}

/** A raw socket that records every byte it receives and asks for the full state now and then. */
async function tap(room: string, token: string, pk: string) {
  const frames: Buffer[] = []
  const ws = new WebSocket(`ws://${base}/sync/${room}?token=${token}&participantSecret=${pk}`)
  ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)))
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
  const askAll = () => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    syncProtocol.writeSyncStep1(e, new Y.Doc())
    ws.send(encoding.toUint8Array(e))
  }
  askAll()
  open.push({ destroy: () => ws.terminate() })
  return { frames, askAll, carries: (text: string) => frames.some((f) => f.includes(Buffer.from(text))), count: () => frames.length }
}

function upgradeStatus(room: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}/sync/${room}?${query}`)
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.on('open', () => {
      resolve({ status: 101, body: '' })
      ws.close()
    })
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)))
  })
}

describe('private mode (issue 10)', { timeout: 30_000 }, () => {
  it('a hidden note never reaches another participant before the reveal; after it, it does — anonymous in an anonymous zone', async () => {
    const b = await board()
    const comedy = getTemplate('comedy')!
    const act1 = comedy.zones.find((z) => z.anonymous)!
    const pkA = secret('a')
    const pkB = secret('b')
    const pidA = participantIdFromSecret(pkA)!

    // a participant cannot switch private mode on; the facilitator can
    expect((await post(`/boards/${b.room}/private`, b.participant, { mode: 'private' })).status).toBe(403)
    const on = await post(`/boards/${b.room}/private`, b.facilitator, { mode: 'private' })
    expect(on.status).toBe(200)
    expect(on.data.reveal.mode).toBe('private')

    const other = await tap(b.room, b.participant, pkB) // participant B's socket on the board
    const fac = await tap(b.room, b.facilitator, secret('f')) // the facilitator does not see drafts either

    // participant A writes two notes into their draft (one in anonymous act 1)
    const draftDoc = new Y.Doc()
    const draft = provider(`ws://${base}/sync`, draftRoomName(b.room, pidA), draftDoc, { token: b.participant, participantSecret: pkA })
    open.push(draft)
    await synced(draft)
    const hidden = { ...noteRecord('hidden', 3000, 3000, 'GEHEIM-IDEE-42', 'Anna', 'gemeente'), meta: { author: 'Anna', perspective: 'gemeente', private: true } }
    const anon = {
      ...noteRecord('anon', act1.rect.x + act1.rect.w / 2 - 100, act1.rect.y + act1.rect.h / 2 - 100, 'ANONIEM-VOOROORDEEL', 'Anna', 'gemeente'),
      meta: { author: 'Anna', perspective: 'gemeente', private: true },
    }
    writeRecords(draftDoc, [hidden, anon] as never)
    // durable in A's draft room
    const stored = async () => {
      const u = await storage.loadRoom(draftRoomName(b.room, pidA))
      return u.some((x) => Buffer.from(x).includes(Buffer.from('GEHEIM-IDEE-42')))
    }
    for (let i = 0; i < 200 && !(await stored()); i++) await new Promise((r) => setTimeout(r, 20))
    expect(await stored()).toBe(true)

    // B and the facilitator ask for the whole board again: the answer does not carry the text
    const before = other.count()
    other.askAll()
    fac.askAll()
    await waitFor(() => other.count() > before, 'sync step 2 for B')
    await new Promise((r) => setTimeout(r, 200))
    for (const t of [other, fac]) {
      expect(t.carries('GEHEIM-IDEE-42')).toBe(false)
      expect(t.carries('ANONIEM-VOOROORDEEL')).toBe(false)
    }

    // the reveal: done by the server, into the board's update log
    expect((await post(`/boards/${b.room}/reveal`, b.participant)).status).toBe(403)
    const rev = await post(`/boards/${b.room}/reveal`, b.facilitator)
    expect(rev.status).toBe(200)
    expect(rev.data).toMatchObject({ moved: 2, anonymized: 1, drafts: 1, reveal: { mode: 'open', round: 1 } })
    await waitFor(() => other.carries('GEHEIM-IDEE-42') && other.carries('ANONIEM-VOOROORDEEL'), 'the revealed text on B’s socket')

    // stored in the board's log: fresh ids, no private flag, the anonymous one without author
    const boardDoc = new Y.Doc()
    Y.applyUpdate(boardDoc, Y.mergeUpdates(await storage.loadRoom(b.room)))
    const notes = (readRecords(boardDoc) as any[]).filter((r) => r.type === 'note' && !r.meta.copboard)
    const text = (r: any) => JSON.stringify(r.props.richText)
    const revealed = notes.find((r) => text(r).includes('GEHEIM-IDEE-42'))
    const anonymous = notes.find((r) => text(r).includes('ANONIEM-VOOROORDEEL'))
    expect(revealed.id).not.toBe('shape:hidden')
    expect(revealed.meta).toEqual({ author: 'Anna', perspective: 'gemeente' })
    expect(anonymous.meta).toEqual({ anonymous: true })
    expect(anonymous.props.color).toBe('yellow')
    expect(readRevealState(boardDoc)).toMatchObject({ mode: 'open', round: 1 })
    // the draft is empty (its client removes the private copies)
    await waitFor(() => readRecords(draftDoc).length === 0, 'draft emptied')
  })

  it('a draft room opens only for its own participant: others, viewers, no secret and bad names are refused before the upgrade', async () => {
    const b = await board()
    const pkA = secret('c')
    const draftA = draftRoomName(b.room, participantIdFromSecret(pkA)!)
    expect((await upgradeStatus(draftA, `token=${b.participant}&participantSecret=${pkA}`)).status).toBe(101)
    const someoneElse = await upgradeStatus(draftA, `token=${b.participant}&participantSecret=${secret('d')}`)
    expect(someoneElse.status).toBe(403)
    expect(JSON.parse(someoneElse.body).error).toBe('NOT_YOUR_DRAFT')
    expect((await upgradeStatus(draftA, `token=${b.participant}`)).status).toBe(403)
    expect((await upgradeStatus(draftA, `token=${b.facilitator}&participantSecret=${secret('e')}`)).status).toBe(403)
    const viewer = await upgradeStatus(draftA, `token=${b.viewer}&participantSecret=${pkA}`)
    expect(viewer.status).toBe(403)
    expect(JSON.parse(viewer.body).error).toBe('DRAFT_NOT_FOR_VIEWERS')
    expect((await upgradeStatus(draftA, `participantSecret=${pkA}`)).status).toBe(401)
    expect((await upgradeStatus(`${b.room}~draft~x`, `token=${b.participant}&participantSecret=${pkA}`)).status).toBe(400)
  })

  it('private mode and reveal are facilitator-only and refused on an ended board', async () => {
    const b = await board()
    expect((await post(`/boards/${b.room}/private`, b.viewer, { mode: 'private' })).status).toBe(403)
    expect((await post(`/boards/${b.room}/private`, b.facilitator, { mode: 'secret' })).status).toBe(400)
    expect((await post(`/boards/nosuchroom/reveal`, b.facilitator)).status).toBe(404)
    const empty = await post(`/boards/${b.room}/reveal`, b.facilitator)
    expect(empty.data).toMatchObject({ moved: 0, drafts: 0, reveal: { mode: 'open', round: 1 } })
    expect((await post(`/cops/${b.copId}/sessions/${b.sessionId}/start`, b.facilitator)).status).toBe(200)
    expect((await post(`/cops/${b.copId}/sessions/${b.sessionId}/end`, b.facilitator, {})).status).toBe(200)
    const ended = await post(`/boards/${b.room}/private`, b.facilitator, { mode: 'private' })
    expect(ended.status).toBe(409)
    expect(ended.data.error).toBe('SESSION_STATE_CONFLICT')
  })
})

describe('anonymous zones stay anonymous while people write (templates SPEC 19, sync-core §4.7)', { timeout: 30_000 }, () => {
  it('a cursor or selection in an anonymous zone never reaches the others; elsewhere it does', async () => {
    const b = await board()
    const comedy = getTemplate('comedy')!
    const act1 = comedy.zones.find((z) => z.anonymous)!
    const act2 = comedy.zones.find((z) => !z.anonymous && !z.parentZoneId && z.id !== act1.id)!
    const writer = provider(`ws://${base}/sync`, b.room, new Y.Doc(), { token: b.participant, participantSecret: secret('w') })
    const watcher = provider(`ws://${base}/sync`, b.room, new Y.Doc(), { token: b.participant, participantSecret: secret('v') })
    open.push(writer, watcher)
    await Promise.all([synced(writer), synced(watcher)])
    const raw = await tap(b.room, b.facilitator, secret('f'))
    const presence = (x: number, y: number, selectedShapeIds: string[] = []) => ({
      userName: 'Anna', currentPageId: 'page:page', cursor: { x, y, type: 'default', rotation: 0 }, selectedShapeIds,
      brush: null, scribbles: [], chatMessage: '', meta: {}, camera: { x: 0, y: 0, z: 1 },
    })
    const seen = () => (watcher.awareness.getStates().get(writer.awareness.clientID) as any)?.presence

    writer.awareness.setLocalStateField('user', { name: 'Anna' })
    writer.awareness.setLocalStateField('presence', presence(act2.rect.x + 123.5, act2.rect.y + 77.25))
    await waitFor(() => seen()?.cursor?.x === act2.rect.x + 123.5, 'a visible cursor outside the anonymous zone')

    writer.awareness.setLocalStateField('presence', presence(act1.rect.x + 321.5, act1.rect.y + 99.75))
    await waitFor(() => seen()?.cursor === null, 'the cursor hidden in act 1')
    expect(seen().meta).toEqual({ anonymous: true })
    expect((watcher.awareness.getStates().get(writer.awareness.clientID) as any).user.name).toBe('Anna') // still listed as present

    // selecting a note that lies in act 1, cursor elsewhere: the selection is hidden too
    await app.rooms.transact(b.room, (doc) => writeRecords(doc, [noteRecord('inact1', act1.rect.x + 40, act1.rect.y + 200, 'x')] as never))
    writer.awareness.setLocalStateField('presence', presence(act2.rect.x + 5.5, act2.rect.y + 5.5, ['shape:inact1']))
    await waitFor(() => seen()?.selectedShapeIds?.length === 0 && seen()?.cursor === null, 'selection hidden')
    // the raw socket never carried the act-1 coordinates
    expect(raw.carries(String(act1.rect.x + 321.5))).toBe(false)
    expect(raw.carries('shape:inact1"]')).toBe(false)
  })
})
