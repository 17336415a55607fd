/**
 * SessionArchive over real storage (SQLite in a temp dir) with a fake RoomManager: the series
 * (A13–A15), the lifecycle's freeze (A4), snapshots that survive a failing render (A5), live rooms
 * (A10–A11), autosave (A12) and carry-over through storage (A7). No HTTP: apps/server tests the routes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openStorage, type Storage } from '@copboard/storage'
import { readRecords, writeRecords } from '@copboard/board'
import type { AwarenessSeen } from '@copboard/sync-core'
import { ArchiveError, LifecycleError, SessionArchive, editStoredRoom, linkTarget, loadBoardDoc, resolveCurrent, type RoomsApi, type SessionArchiveOptions } from '../src/index'

let dir: string
let storage: Storage
let minted = 0
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(20).fill(0)])
let failRender = false
const archives: SessionArchive[] = []

function newArchive(opts: Partial<SessionArchiveOptions> = {}): SessionArchive {
  const a = new SessionArchive({
    storage,
    autosaveMs: 0,
    mintToken: () => ({ secret: `secret-${++minted}`, hash: `hash-${minted}-${Math.random()}` }),
    rasterize: async () => {
      if (failRender) throw new Error('render failed on purpose')
      return PNG
    },
    ...opts,
  })
  archives.push(a)
  return a
}

/** A RoomManager stand-in: every call is logged; the board state comes from storage. */
function fakeRooms(owned?: string[]): RoomsApi & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    async encodeState(room) {
      calls.push(`encodeState ${room}`)
      return Y.encodeStateAsUpdate(await loadBoardDoc(storage, room))
    },
    async transact(room, fn) {
      calls.push(`transact ${room}`)
      let out!: ReturnType<typeof fn>
      await editStoredRoom(storage, room, (doc) => void (out = fn(doc)))
      return out
    },
    disconnectRoom(room, code) {
      calls.push(`disconnect ${room} ${code}`)
      return 0
    },
    flushAwarenessSeen(room) {
      calls.push(`flush ${room}`)
    },
    ...(owned ? { ownsRoom: (r: string) => owned.includes(r), ownedRooms: () => owned } : {}),
  }
}

const rt = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })
function note(id: string, x: number, y: number, text: string, author = 'Cor') {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: 'page:page', isLocked: false, opacity: 1,
    props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: rt(text), scale: 1 },
    meta: { author, perspective: 'initiatief' },
  }
}
const addNotes = (room: string, ...notes: ReturnType<typeof note>[]) => editStoredRoom(storage, room, (doc) => writeRecords(doc, notes as never))
const seen = (at: number, people: [clientId: number, name: string][], removed: number[] = []): AwarenessSeen => ({
  at,
  states: people.map(([clientId, name]) => ({ clientId, state: { user: { name } }, readOnly: false })),
  removed,
  dropped: 0,
})
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof ArchiveError ? e.code : e instanceof LifecycleError ? 'LifecycleError' : String(e)))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'copboard-archive-'))
  storage = await openStorage({ dataDir: dir })
})
afterAll(async () => {
  for (const a of archives) a.close()
  await storage?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('series (A13–A15)', () => {
  it('A14: a CoP comes with its first planned session and three links; secrets are handed out once, not stored', async () => {
    const a = newArchive()
    const { cop, session, secrets } = await a.createCop({ name: '  CoP Water ', theme: 'Droogte' }, { title: 'Sessie 1', date: '2026-12-01' })
    expect(cop.name).toBe('CoP Water')
    expect(session).toMatchObject({ copId: cop.id, state: 'planned', number: 1 })
    const links = await a.listLinks(cop.id)
    expect(links.map((l) => [l.role, l.label])).toEqual([['facilitator', 'Procesbegeleider'], ['participant', 'Deelnemers'], ['viewer', 'Meekijkers']])
    expect(Object.keys(secrets).sort()).toEqual(['facilitator', 'participant', 'viewer'])
    expect(JSON.stringify(links)).not.toContain(secrets.participant)
  })

  it('A13: lookups are scoped to their CoP; what is missing is a coded ArchiveError', async () => {
    const a = newArchive()
    const one = await a.createCop({ name: 'Een' }, { title: 'S1', date: '2026-12-01' })
    const two = await a.createCop({ name: 'Twee' }, { title: 'S1', date: '2026-12-01' })
    expect(await code(a.getCop('nope'))).toBe('COP_NOT_FOUND')
    expect(await code(a.getSession(two.cop.id, one.session.id))).toBe('SESSION_NOT_FOUND')
    expect(await code(a.getSnapshot(one.cop.id, 'nope'))).toBe('SNAPSHOT_NOT_FOUND')
    expect(await code(a.revokeLink(one.cop.id, 'nope'))).toBe('TOKEN_NOT_FOUND')
    const err = await a.createSession(one.cop, { title: 'x', date: '2026-12-02', start: { kind: 'template', templateId: 'no-such' } }).catch((e) => e)
    expect(err).toBeInstanceOf(ArchiveError)
    expect([err.code, err.detail]).toEqual(['TEMPLATE_UNKNOWN', 'no template "no-such"'])
    // no detail: the server answers with its own reason for the code
    expect(new ArchiveError('COP_NOT_FOUND').detail).toBeUndefined()
  })

  it('A14: revoking a link closes the open boards of its CoP; revoking twice keeps the first time', async () => {
    const rooms = fakeRooms()
    const a = newArchive({ rooms })
    const { cop, session } = await a.createCop({ name: 'Revoke' }, { title: 'S1', date: '2026-12-01' })
    const { token } = await a.issueLink(cop.id, 'participant', 'Gast')
    await a.revokeLink(cop.id, token.id)
    const first = (await a.listLinks(cop.id)).find((l) => l.id === token.id)!.revokedAt
    expect(first).toBeTruthy()
    expect(rooms.calls).toEqual([`disconnect ${session.room} NORMAL`])
    await a.revokeLink(cop.id, token.id)
    expect((await a.listLinks(cop.id)).find((l) => l.id === token.id)!.revokedAt).toBe(first)
  })

  it('A14: the CoP link leads participants to the live board, the facilitator to the CoP page; a new link opens the live board, else the planned one', () => {
    const s = (id: string, state: 'planned' | 'live' | 'ended', date = '2026-12-01', number = 1) => ({ id, copId: 'c', number, title: id, date, state, start: { kind: 'empty' as const }, room: `room-${id}`, createdAt: '', startedAt: null, endedAt: null })
    const series = [s('a', 'ended'), s('b', 'live'), s('c', 'planned', '2027-01-05', 3), s('d', 'planned', '2026-12-20', 4)]
    expect(resolveCurrent(series, 'participant')).toMatchObject({ go: 'board', room: 'room-b', next: { id: 'd' } })
    expect(resolveCurrent(series, 'facilitator')).toMatchObject({ go: 'cop', room: null, live: { id: 'b' } })
    expect(resolveCurrent([s('a', 'ended')], 'viewer')).toMatchObject({ go: 'cop', live: null, next: null })
    expect(linkTarget(series)?.id).toBe('b')
    expect(linkTarget(series.filter((x) => x.state !== 'live'))?.id).toBe('d')
    expect(linkTarget([s('a', 'ended')])).toBe(null)
  })

  it('A15: a session starts from a template (scaffold in its room) or from a snapshot (its state, titled "Vervolg op sessie N")', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Starts' }, { title: 'Eerste', date: '2026-12-01' })
    const planned = await a.createSession(cop, { title: 'Met sjabloon', date: '2026-12-02', start: { kind: 'template', templateId: 'lemniscaat' } })
    expect(readRecords(await loadBoardDoc(storage, planned.room)).filter((r) => r.typeName === 'shape').length).toBeGreaterThan(3)
    await addNotes(session.room, note('n1', 10, 10, 'Bewaar mij'))
    await a.transition(cop.id, session.id, 'start')
    const { snapshot } = await a.transition(cop.id, session.id, 'end')
    const next = await a.continueFrom(cop.id, snapshot!.id, { date: '2026-12-08' })
    expect(next).toMatchObject({ title: 'Vervolg op sessie 1: Eerste', state: 'planned', start: { kind: 'snapshot', snapshotId: snapshot!.id } })
    expect(readRecords(await loadBoardDoc(storage, next.room)).map((r) => r.id)).toContain('shape:n1')
  })
})

describe('lifecycle and snapshots (A4, A5)', () => {
  it('A4: ending freezes first (state ended, awareness flushed, room disconnected), then reads the board, then disconnects again', async () => {
    const rooms = fakeRooms()
    const a = newArchive({ rooms })
    const { cop, session } = await a.createCop({ name: 'Freeze' }, { title: 'S1', date: '2026-12-01' })
    expect(await code(a.transition(cop.id, session.id, 'end'))).toBe('LifecycleError')
    await a.transition(cop.id, session.id, 'start')
    expect(await code(a.transition(cop.id, session.id, 'start'))).toBe('LifecycleError')
    const { session: ended, snapshot } = await a.transition(cop.id, session.id, 'end')
    expect(ended.state).toBe('ended')
    expect(snapshot).toMatchObject({ kind: 'final', sessionId: session.id })
    const r = session.room
    expect(rooms.calls).toEqual([`flush ${r}`, `disconnect ${r} NORMAL`, `encodeState ${r}`, `disconnect ${r} NORMAL`])
    expect(await code(a.carryOver(cop.id, session.id, snapshot!.id, []))).toBe('SESSION_STATE_CONFLICT')
  })

  it('A5: a failing render still stores state, .tldr and report; the images are rendered on a later try', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Render' }, { title: 'S1', date: '2026-12-01' })
    await addNotes(session.room, note('r1', 10, 10, 'Tekst'))
    await a.transition(cop.id, session.id, 'start')
    failRender = true
    const { snapshot } = await a.transition(cop.id, session.id, 'end').finally(() => (failRender = false))
    expect(snapshot!.meta).toMatchObject({ render: 'failed', noteCount: 1 })
    for (const part of ['yjsState', 'tldr', 'reportMarkdown', 'reportJson'] as const) expect(await a.snapshotPart(snapshot!.id, part)).toBeTruthy()
    expect(await a.snapshotPart(snapshot!.id, 'png')).toBe(null)
    expect(await a.retryRenders()).toBe(1)
    expect((await a.getSnapshot(cop.id, snapshot!.id)).meta).toMatchObject({ render: 'ok' })
    expect(await a.snapshotPart(snapshot!.id, 'png')).toEqual(PNG)
  })

  it('A5: an end that stopped after the state change is finished by the next end', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Half' }, { title: 'S1', date: '2026-12-01' })
    await a.transition(cop.id, session.id, 'start')
    await storage.transitionSession(session.id, 'live', 'ended', new Date().toISOString())
    const { snapshot } = await a.transition(cop.id, session.id, 'end')
    expect(snapshot?.kind).toBe('final')
    expect(await code(a.transition(cop.id, session.id, 'end'))).toBe('LifecycleError')
  })
})

describe('live rooms and autosave (A10–A12)', () => {
  it('A10/A11: people on the planned board count from the start; a token-shaped name is never recorded', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'People' }, { title: 'S1', date: '2026-12-01' })
    const t0 = Date.parse('2026-12-01T09:00:00Z')
    a.onAwarenessSeen(session.room, seen(t0, [[1, 'Piet'], [2, 'Kees']]))
    a.onAwarenessSeen(session.room, seen(t0 + 1000, [], [2])) // Kees leaves before the start
    await a.transition(cop.id, session.id, 'start')
    a.onAwarenessSeen(session.room, seen(Date.now(), [[3, 'Vera'], [4, 'A'.repeat(43)]]))
    const snap = await a.autosave(session.room)
    expect((snap!.meta.participants as { name: string }[]).map((p) => p.name)).toEqual(['Piet', 'Vera'])
    expect(a.liveRooms()).toContain(session.room)
  })

  it('A12: autosave stores a changed board or new people only, and never a session that is no longer live', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Autosave' }, { title: 'S1', date: '2026-12-01' })
    expect(await a.autosave(session.room)).toBe(null) // planned: not tracked
    await a.transition(cop.id, session.id, 'start')
    await addNotes(session.room, note('a1', 10, 10, 'een'))
    expect((await a.autosave(session.room))?.kind).toBe('autosave')
    expect(await a.autosave(session.room)).toBe(null) // unchanged
    a.onAwarenessSeen(session.room, seen(Date.now(), [[1, 'Nieuw']]))
    expect((await a.onRoomIdle(session.room))?.kind).toBe('autosave') // someone new
    await storage.transitionSession(session.id, 'live', 'ended', new Date().toISOString())
    await addNotes(session.room, note('a2', 300, 10, 'twee'))
    expect(await a.autosave(session.room)).toBe(null)
    expect(a.liveRooms()).not.toContain(session.room)
  })

  it('A10: after a restart the first authorized connection tracks a live session again, with the people of its latest snapshot', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Restart' }, { title: 'S1', date: '2026-12-01' })
    await a.transition(cop.id, session.id, 'start')
    a.onAwarenessSeen(session.room, seen(Date.now(), [[1, 'Anna']]))
    await a.autosave(session.room)
    const restarted = newArchive()
    restarted.connectionAuthorized(session.room, session.id)
    restarted.onAwarenessSeen(session.room, seen(Date.now(), [[7, 'Bram']]))
    await new Promise((r) => setTimeout(r, 50))
    await addNotes(session.room, note('x1', 10, 10, 'na de herstart'))
    const snap = await restarted.autosave(session.room)
    expect((snap!.meta.participants as { name: string }[]).map((p) => p.name).sort()).toEqual(['Anna', 'Bram'])
    expect(snap!.meta.connections).toBe(1)
  })

  it('A12: several instances: a session started elsewhere is tracked and saved by its room owner only', async () => {
    const starter = newArchive()
    const { cop, session } = await starter.createCop({ name: 'Cluster' }, { title: 'S1', date: '2026-12-01' })
    await starter.transition(cop.id, session.id, 'start')
    await addNotes(session.room, note('c1', 10, 10, 'elders'))
    const other = newArchive({ rooms: fakeRooms([]) })
    const owner = newArchive({ rooms: fakeRooms([session.room]) })
    await other.autosaveAll()
    expect(other.liveRooms()).toEqual([])
    const before = (await owner.sessionSnapshots(cop.id, session.id)).length
    await owner.autosaveAll()
    expect(owner.liveRooms()).toEqual([session.room])
    expect((await owner.sessionSnapshots(cop.id, session.id)).length).toBe(before + 1)
  })

  it('A11 (cluster C9): ended through an instance that never saw the board, the final snapshot has the people its owner handed over, seen since the start', async () => {
    const handedOver = new Map<string, string>() // what Redis carries between the instances
    let ownerPeople!: (room: string) => unknown
    const owner = newArchive({ rooms: { ...fakeRooms(), handOverPeopleFrom: (fn) => void (ownerPeople = fn) } })
    const other = newArchive()
    other.attachRooms({ ...fakeRooms(), handedOverPeople: async (room) => JSON.parse(handedOver.get(room) ?? 'null') })
    const { cop, session } = await other.createCop({ name: 'Elders beëindigd' }, { title: 'S1', date: '2026-12-01' })
    owner.onAwarenessSeen(session.room, seen(Date.now() - 60_000, [[1, 'Kees']], [1])) // left before the start
    await other.transition(cop.id, session.id, 'start') // the owner does not know yet (C7)
    owner.onAwarenessSeen(session.room, seen(Date.now() + 1, [[2, 'Piet'], [3, 'Vera']]))
    handedOver.set(session.room, JSON.stringify(ownerPeople(session.room))) // the owner lets go of the room
    const { snapshot } = await other.transition(cop.id, session.id, 'end')
    expect((snapshot!.meta.participants as { name: string }[]).map((p) => p.name).sort()).toEqual(['Piet', 'Vera'])
  })
})

describe('carry-over through storage (A7)', () => {
  it('A7: picked notes land on the next board once; carrying again places nothing twice', async () => {
    const a = newArchive()
    const { cop, session } = await a.createCop({ name: 'Carry' }, { title: 'S1', date: '2026-12-01' })
    await addNotes(session.room, note('k1', 10, 10, 'Meenemen'), note('k2', 300, 10, 'Ook'))
    await a.transition(cop.id, session.id, 'start')
    const { snapshot } = await a.transition(cop.id, session.id, 'end')
    const ids = (await a.carryCandidates(cop.id, snapshot!.id)).map((c) => c.id)
    expect(ids.sort()).toEqual(['shape:k1', 'shape:k2'])
    const next = await a.createSession(cop, { title: 'S2', date: '2026-12-08', start: { kind: 'empty' } })
    expect(await a.carryOver(cop.id, next.id, snapshot!.id, ids)).toEqual({ placed: 2 })
    expect(await a.carryOver(cop.id, next.id, snapshot!.id, ids)).toEqual({ placed: 0 })
    const carried = readRecords(await loadBoardDoc(storage, next.room)).filter((r) => (r.meta as { carriedFrom?: unknown }).carriedFrom)
    expect(carried).toHaveLength(2)
  })
})
