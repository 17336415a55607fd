import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { AwarenessFanout, MAX_BATCH_WINDOW_MS, RENEWAL_WINDOW_MS, batchWindowMs } from '../src/awarenessFanout.js'
import { RoomManager } from '../src/manager.js'
import { TestClient } from './client.js'
import { MemoryStorage, tick } from './memoryStorage.js'

const managers: RoomManager[] = []
const clients: TestClient[] = []
function setup() {
  const manager = new RoomManager({ storage: new MemoryStorage(), roomIdleMs: 50 })
  managers.push(manager)
  const client = (room = 'r1', o: ConstructorParameters<typeof TestClient>[2] = {}) => {
    const c = new TestClient(manager, room, o)
    clients.push(c)
    return c
  }
  return { manager, client }
}
const settle = async () => {
  for (let i = 0; i < 5; i++) await tick()
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

const isAwareness = (f: Uint8Array) => f[0] === 1
const isFullStep2 = (f: Uint8Array) => f[0] === 0 && f[1] === 1

describe('§1.6 shared greeting', () => {
  it('§1.6 joiners that have nothing share one encoded full state; an update larger than its tail may hold replaces it', async () => {
    const { client } = setup()
    const writer = client()
    await settle()
    writer.doc.getMap('m').set('a', 1)
    await settle()
    const j1 = client()
    const j2 = client()
    await settle()
    const s1 = j1.socket.sent.find(isFullStep2)!
    const s2 = j2.socket.sent.find(isFullStep2)!
    expect(s1).toBe(s2) // the very same bytes, encoded once
    expect(j2.doc.getMap('m').get('a')).toBe(1)
    writer.doc.getMap('m').set('b', 2)
    await settle()
    const j3 = client()
    await settle()
    const s3 = j3.socket.sent.find(isFullStep2)!
    expect(s3).not.toBe(s1)
    expect(j3.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
  })

  it('§1.6 edits after the shared full state follow it as one tail frame: joiners of a board being edited share the same base', async () => {
    const { client } = setup()
    const writer = client()
    await settle()
    writer.doc.getText('t').insert(0, 'board '.repeat(1000))
    await settle()
    const j1 = client()
    await settle()
    const base = j1.socket.sent.find(isFullStep2)!
    writer.doc.getText('t').insert(0, 'new ')
    writer.doc.getText('t').delete(100, 20)
    await settle()
    const j2 = client()
    await settle()
    expect(j2.socket.sent.find(isFullStep2)).toBe(base) // not encoded again
    expect(j2.doc.getText('t').toString()).toBe(writer.doc.getText('t').toString())
    expect(j2.doc.getText('t').toString().startsWith('new board')).toBe(true)
  })

  it('§1.6 a joiner with state of its own gets exactly what it lacks, not the shared state', async () => {
    const { client } = setup()
    const writer = client()
    await settle()
    writer.doc.getMap('m').set('a', 1)
    await settle()
    const j = new Y.Doc()
    Y.applyUpdate(j, Y.encodeStateAsUpdate(writer.doc))
    const c = client()
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(j))
    await settle()
    expect(c.doc.getMap('m').get('a')).toBe(1)
  })
})

describe('§1.7 the joiner state for a plain HTTP read', () => {
  it('§1.7 joinerState is the shared full state (the same bytes a joiner gets), fresh after an update larger than its tail may hold', async () => {
    const { manager, client } = setup()
    const writer = client()
    await settle()
    writer.doc.getMap('m').set('a', 1)
    await settle()
    const state = await manager.joinerState('r1')
    const joiner = client()
    await settle()
    const step2 = joiner.socket.sent.find(isFullStep2)!
    // a view into the joiners' frame: no copy of the board per read
    expect(state.buffer).toBe(step2.buffer)
    expect(step2.subarray(step2.length - state.length)).toEqual(state)
    const d = new Y.Doc()
    Y.applyUpdate(d, state)
    expect(d.getMap('m').toJSON()).toEqual({ a: 1 })
    writer.doc.getMap('m').set('b', 2)
    await settle()
    const after = new Y.Doc()
    Y.applyUpdate(after, await manager.joinerState('r1'))
    expect(after.getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
  })

  it('§1.7 §9.1 an unloaded room is loaded from storage for the read and unloads again by itself', async () => {
    const { manager, client } = setup()
    const writer = client('r2')
    await settle()
    writer.doc.getText('t').insert(0, 'stored')
    await settle()
    writer.destroy()
    await new Promise((r) => setTimeout(r, 120))
    expect(manager.roomNames()).not.toContain('r2')
    const d = new Y.Doc()
    Y.applyUpdate(d, await manager.joinerState('r2'))
    expect(d.getText('t').toString()).toBe('stored')
    expect(manager.roomNames()).toContain('r2')
    await new Promise((r) => setTimeout(r, 120))
    expect(manager.roomNames()).not.toContain('r2')
  })

  it('§1.7 a read while the board is edited is the same base (no new encoding); a client that starts from it gets only what it lacks on connect', async () => {
    const { manager, client } = setup()
    const writer = client()
    await settle()
    writer.doc.getText('t').insert(0, 'x'.repeat(5000))
    await settle()
    const state = await manager.joinerState('r1')
    writer.doc.getText('t').insert(0, 'late ')
    await settle()
    const again = await manager.joinerState('r1')
    expect(again.buffer).toBe(state.buffer) // the board was not encoded again…
    const read = new Y.Doc()
    Y.applyUpdate(read, again)
    expect(read.getText('t').toString()).toBe('x'.repeat(5000)) // …so the read lacks the last edit
    const c = client('r1', { initialState: again })
    await settle()
    expect(c.doc.getText('t').toString()).toBe('late ' + 'x'.repeat(5000))
    // what the server sent the early reader: far less than the board
    const received = c.socket.sent.reduce((n, f) => n + f.length, 0)
    expect(received).toBeLessThan(1000)
  })
})

describe('§4.6 batched awareness fan-out', () => {
  it('§4.6 forty joiners in one turn: each sees every other state in a few frames, not one frame per joiner', async () => {
    const { client } = setup()
    const first = client('r1', { name: 'first' })
    await settle()
    const before = first.socket.sent.length
    const crowd = Array.from({ length: 40 }, (_, i) => client('r1', { name: `p${i}` }))
    await settle()
    // 41 connections: later batches wait for the room's window (§4.6)
    await new Promise((r) => setTimeout(r, 3 * MAX_BATCH_WINDOW_MS))
    await settle()
    const frames = first.socket.sent.slice(before).filter(isAwareness).length
    expect(frames).toBeLessThanOrEqual(3)
    for (const c of [first, ...crowd]) expect(c.awareness.getStates().size).toBe(41)
  })

  it('§4.1 §4.6 a change announced by one connection is not echoed to it', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    const before = a.socket.sent.length
    a.awareness.setLocalState({ name: 'a2' })
    await settle()
    expect(a.socket.sent.slice(before).filter(isAwareness)).toHaveLength(0)
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a2' })
  })

  it('§4.3 §4.6 a leaving connection is removed for everyone, also when it leaves in the batch it joined', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    await settle()
    const b = client('r1', { name: 'b' })
    b.disconnect()
    await settle()
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false)
  })
})

describe('§4.6 the batch window of a crowded room', () => {
  /** A connection that records what the fan-out sends it. */
  class Peer {
    readonly frames: Uint8Array[] = []
    send(frame: Uint8Array) {
      this.frames.push(frame)
    }
    /** Every state the frames carried, applied like a client does (latest clock wins). */
    seen(): Map<number, unknown> {
      const a = new awarenessProtocol.Awareness(new Y.Doc())
      a.setLocalState(null)
      for (const f of this.frames) {
        const d = decoding.createDecoder(f)
        expect(decoding.readVarUint(d)).toBe(1) // awareness
        awarenessProtocol.applyAwarenessUpdate(a, decoding.readVarUint8Array(d), 'server')
      }
      const states = new Map(a.getStates())
      a.destroy()
      return states
    }
  }

  function crowdedRoom(n: number) {
    const doc = new Y.Doc()
    const awareness = new awarenessProtocol.Awareness(doc)
    awareness.setLocalState(null)
    const conns = new Set<Peer>(Array.from({ length: n }, () => new Peer()))
    const fanout = new AwarenessFanout(awareness, conns)
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      fanout.changed(added.concat(updated, removed), origin instanceof Peer ? origin : null)
    })
    /** One client's state, announced by `via` as a client would (clock 1; a renewal: same state, later clock). */
    const announce = (id: number, via: Peer | null, clock = 1, name = `p${id}`) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, id)
      encoding.writeVarUint(e, clock)
      encoding.writeVarString(e, JSON.stringify({ name }))
      awarenessProtocol.applyAwarenessUpdate(awareness, encoding.toUint8Array(e), via)
    }
    return { awareness, conns: [...conns], fanout, announce, done: () => (fanout.destroy(), awareness.destroy()) }
  }

  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] }))
  afterEach(() => vi.useRealTimers())

  it('§4.6 the window grows with the room: none below 10 connections, 0.1 ms per connection, at most 100 ms', () => {
    expect(batchWindowMs(1)).toBe(0)
    expect(batchWindowMs(9)).toBe(0)
    expect(batchWindowMs(30)).toBeCloseTo(3)
    expect(batchWindowMs(500)).toBeCloseTo(50)
    expect(batchWindowMs(5000)).toBe(100)
  })

  it('§4.6 a batch that took long to send widens the window to 10× its time from 100 connections (one per 10 connections below, at least 2×), at most 1 s; a room under 10 connections never waits', () => {
    expect(batchWindowMs(5, 0.05)).toBe(0)
    expect(batchWindowMs(9, 50)).toBe(0)
    expect(batchWindowMs(500, 20)).toBeCloseTo(200)
    expect(batchWindowMs(100, 20)).toBeCloseTo(200)
    expect(batchWindowMs(500, 2)).toBeCloseTo(50)
    expect(batchWindowMs(500, 500)).toBe(1000)
    // a CoP room: a cursor waits 3× a batch, not 10×
    expect(batchWindowMs(30, 0.5)).toBeCloseTo(3)
    expect(batchWindowMs(30, 2)).toBeCloseTo(6)
    expect(batchWindowMs(12, 2)).toBeCloseTo(4)
  })

  it('§4.6 fifty joiners arriving one per millisecond into a room of 500: each present connection gets at most 2 frames, holding all fifty states', () => {
    const room = crowdedRoom(500)
    for (let i = 0; i < 50; i++) {
      room.announce(1000 + i, null)
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(MAX_BATCH_WINDOW_MS)
    for (const peer of room.conns) {
      expect(peer.frames.length).toBeLessThanOrEqual(2)
      const seen = peer.seen()
      for (let i = 0; i < 50; i++) expect(seen.get(1000 + i)).toEqual({ name: `p${1000 + i}` })
    }
    room.done()
  }, 30_000) // 25,000 state checks: seconds on a loaded 2-core machine

  it('§4.6 the first change after a quiet window goes out on the next turn; a removal is announced like any change', () => {
    const room = crowdedRoom(500)
    vi.advanceTimersByTime(1000)
    room.announce(7, room.conns[0])
    vi.advanceTimersByTime(0) // setImmediate: no window to wait for
    expect(room.conns[1].frames).toHaveLength(1)
    expect(room.conns[0].frames).toHaveLength(0) // §4.1 never echoed to its sender
    awarenessProtocol.removeAwarenessStates(room.awareness, [7], null)
    vi.advanceTimersByTime(0)
    expect(room.conns[1].frames).toHaveLength(1) // within the window: held back…
    vi.advanceTimersByTime(MAX_BATCH_WINDOW_MS)
    expect(room.conns[1].frames).toHaveLength(2) // …then announced
    expect(room.conns[1].seen().has(7)).toBe(false)
    expect(room.conns[0].frames).toHaveLength(1) // the removal came from the server: everyone hears it
    room.done()
  })

  it('§4.6 a CoP room (window under BURST_WINDOW_LIMIT_MS) sends a change a moment after the last batch at once, one window early at most: one batch per window on average', () => {
    const room = crowdedRoom(30) // window 3 ms
    const watcher = room.conns[1]
    vi.advanceTimersByTime(1000)
    room.announce(7, room.conns[0], 1, 'a')
    vi.advanceTimersByTime(0)
    expect(watcher.frames).toHaveLength(1)
    vi.advanceTimersByTime(1)
    room.announce(7, room.conns[0], 2, 'b') // 1 ms later: no wait
    vi.advanceTimersByTime(0)
    expect(watcher.frames).toHaveLength(2)
    vi.advanceTimersByTime(1)
    room.announce(7, room.conns[0], 3, 'c') // the burst is spent: it waits for its turn (1 ms)
    vi.advanceTimersByTime(0)
    expect(watcher.frames).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(watcher.frames).toHaveLength(3)
    // a stream of changes every 0.5 ms for 60 ms: at most one batch per 3 ms, plus the burst
    const before = watcher.frames.length
    for (let i = 0; i < 120; i++) {
      room.announce(8, room.conns[0], 1 + i, `m${i}`)
      vi.advanceTimersByTime(0.5)
    }
    vi.advanceTimersByTime(10)
    expect(watcher.frames.length - before).toBeLessThanOrEqual(60 / 3 + 2)
    expect(watcher.seen().get(8)).toEqual({ name: 'm119' })
    room.done()
  })

  it('§4.6 renewals (same state, later clock) wait up to 3 s and ride along with the next change', () => {
    const room = crowdedRoom(500)
    for (let i = 0; i < 100; i++) room.announce(2000 + i, null)
    vi.advanceTimersByTime(RENEWAL_WINDOW_MS)
    const watcher = room.conns[0]
    const after = () => watcher.frames.length
    const start = after()
    // 100 renewals over 1 s: nothing goes out while the renewal window runs
    for (let i = 0; i < 100; i++) {
      room.announce(2000 + i, null, 2)
      vi.advanceTimersByTime(10)
    }
    expect(after()).toBeLessThanOrEqual(start + 1) // the first may go at once (quiet room)
    vi.advanceTimersByTime(RENEWAL_WINDOW_MS)
    const renewed = after()
    expect(renewed).toBeLessThanOrEqual(start + 2)
    expect(room.awareness.meta.get(2099)?.clock).toBe(2)
    // every renewal reached the watcher (it would drop a state not renewed for 30 s)
    const seenClocks = new awarenessProtocol.Awareness(new Y.Doc())
    seenClocks.setLocalState(null)
    for (const f of watcher.frames) {
      const d = decoding.createDecoder(f)
      decoding.readVarUint(d)
      awarenessProtocol.applyAwarenessUpdate(seenClocks, decoding.readVarUint8Array(d), null)
    }
    for (let i = 0; i < 100; i++) expect(seenClocks.meta.get(2000 + i)?.clock).toBe(2)
    seenClocks.destroy()
    // a content change does not wait for a pending renewal batch, and takes the renewals along
    room.announce(2000, null, 3)
    room.announce(2001, null, 3, 'renamed')
    vi.advanceTimersByTime(MAX_BATCH_WINDOW_MS)
    expect(after()).toBe(renewed + 1)
    expect(watcher.seen().get(2001)).toEqual({ name: 'renamed' })
    room.done()
  })
})
