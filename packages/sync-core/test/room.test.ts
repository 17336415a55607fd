import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CloseCodes, RoomManager, READ_ONLY_REASON, encodeSyncUpdate } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage, gate } from './memoryStorage.js'
import { PausableMemorySocket, TestClient, settle } from './client.js'

let managers: RoomManager[] = []
const clients: TestClient[] = []

function setup(opts: Partial<ConstructorParameters<typeof RoomManager>[0]> = {}) {
  const storage = (opts.storage as MemoryStorage | undefined) ?? new MemoryStorage()
  const logger = new CapturingLogger()
  const manager = new RoomManager({ logger, roomIdleMs: 50, ...opts, storage })
  managers.push(manager)
  const client = (room = 'r1', o: ConstructorParameters<typeof TestClient>[2] = {}) => {
    const c = new TestClient(manager, room, o)
    clients.push(c)
    return c
  }
  return { storage, logger, manager, client }
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

function updateFrame(doc: Y.Doc, edit: (d: Y.Doc) => void): Uint8Array {
  let update!: Uint8Array
  const h = (u: Uint8Array) => (update = u)
  doc.on('update', h)
  edit(doc)
  doc.off('update', h)
  return encodeSyncUpdate(update)
}

describe('§1 protocol', () => {
  it('§1.1 greets a new connection with sync step 1 and the present awareness', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    await settle()
    const b = client('r1')
    await settle()
    expect(b.received[0][0]).toBe(0) // sync
    expect(b.received[0][1]).toBe(0) // step 1
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
  })

  it('§1.2 §1.3 two clients converge on concurrent edits, nothing is echoed to the sender', async () => {
    const { client } = setup()
    const a = client()
    const b = client()
    await settle()
    a.doc.getText('t').insert(0, 'hello ')
    b.doc.getText('t').insert(0, 'world ')
    await settle()
    expect(a.text()).toBe(b.text())
    expect(a.text()).toContain('hello')
    expect(a.text()).toContain('world')
    // a received exactly one doc update after the initial sync: b's
    const updatesToA = a.received.filter((f) => f[0] === 0 && f[1] === 2)
    expect(updatesToA).toHaveLength(1)
  })

  it('§1.2 a late joiner receives the full state in its first sync step 2', async () => {
    const { client } = setup()
    const a = client()
    await settle()
    a.doc.getText('t').insert(0, 'abc')
    await settle()
    const late = client()
    await settle()
    expect(late.text()).toBe('abc')
  })

  it('§1.4 query-awareness is answered with every state', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    const before = b.received.length
    b.sendRaw(new Uint8Array([3]))
    await settle()
    expect(b.received.length).toBe(before + 1)
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
  })

  it('§1.5 a redundant update is neither stored nor broadcast', async () => {
    const { client, storage } = setup()
    const a = client()
    const b = client()
    await settle()
    const frame = updateFrame(a.doc, (d) => d.getText('t').insert(0, 'x'))
    await settle()
    const stored = storage.logs.get('r1')!.length
    const bFrames = b.received.length
    a.sendRaw(frame) // the same update again
    await settle()
    expect(storage.logs.get('r1')!.length).toBe(stored)
    expect(b.received.length).toBe(bFrames)
  })
})

describe('§2 loading', () => {
  it('§2.1 §2.2 a room answers nobody before its log is loaded; early frames are replayed in order', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getText('t').insert(0, 'stored')
    storage.logs.set('r1', [Y.encodeStateAsUpdate(seed)])
    const g = gate()
    storage.loadGate = g.promise
    const { client } = setup({ storage })
    const a = client()
    a.doc.getText('t').insert(0, '!') // an early edit, buffered
    await settle()
    expect(a.received).toHaveLength(0)
    g.open()
    await settle()
    // the first step 2 already carried the stored content
    expect(a.synced).toBe(true)
    expect(a.text()).toContain('stored')
    expect(storage.docOf('r1').getText('t').toString()).toContain('!')
  })

  it('§2.2 a connection flooding a loading room is closed with TOO_MANY_MESSAGES', async () => {
    const storage = new MemoryStorage()
    const g = gate()
    storage.loadGate = g.promise
    const { client } = setup({ storage, limits: { maxBacklogMessages: 4 } })
    const a = client()
    for (let i = 0; i < 10; i++) a.sendRaw(new Uint8Array([3]))
    expect(a.socket.closeCode).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
    g.open()
  })

  it('§2.2 a connection sending more bytes than the backlog holds while the room loads is closed with TOO_MANY_MESSAGES', async () => {
    const storage = new MemoryStorage()
    const g = gate()
    storage.loadGate = g.promise
    const { client } = setup({ storage, limits: { maxBacklogBytes: 4096, maxMessageBytes: 1024 } })
    const a = client()
    const b = client()
    // 1,000-byte awareness-sized frames: four fit in 4 KiB, the fifth is one too many
    const frame = new Uint8Array(1000).fill(0)
    frame[0] = 3
    for (let i = 0; i < 4; i++) a.sendRaw(frame)
    expect(a.socket.closeCode).toBeNull()
    a.sendRaw(frame)
    expect(a.socket.closeCode).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
    b.sendRaw(frame)
    expect(b.socket.closeCode).toBeNull()
    g.open()
  })

  it('§2.3 an undecodable stored entry is skipped with one error line', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getText('t').insert(0, 'ok')
    storage.logs.set('r1', [new Uint8Array([9, 9, 9]), Y.encodeStateAsUpdate(seed)])
    const { client, logger } = setup({ storage })
    const a = client()
    await settle()
    expect(a.text()).toBe('ok')
    expect(logger.at('error')).toHaveLength(1)
  })

  it('§2.4 a load failure closes waiting connections with STORAGE_UNAVAILABLE; the next connect retries', async () => {
    const storage = new MemoryStorage()
    storage.failLoads = 1
    const { client, manager } = setup({ storage })
    const a = client()
    await settle()
    expect(a.socket.closeCode).toBe(CloseCodes.STORAGE_UNAVAILABLE.code)
    expect(manager.stats().rooms).toBe(0)
    const b = client()
    await settle()
    expect(b.synced).toBe(true)
  })
})

function varints(...n: number[]): number[] {
  const e = encoding.createEncoder()
  for (const x of n) encoding.writeVarUint(e, x)
  return [...encoding.toUint8Array(e)]
}

function awarenessFrame(entries: { id: number; clock: number; json: string }[], count = entries.length) {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, count)
  for (const en of entries) {
    encoding.writeVarUint(inner, en.id)
    encoding.writeVarUint(inner, en.clock)
    encoding.writeVarString(inner, en.json)
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

const badFrames: { rule: string; name: string; frame: Uint8Array; text?: boolean; code: keyof typeof CloseCodes }[] = [
  { rule: '3.1', name: 'text frame', frame: new TextEncoder().encode('hello'), text: true, code: 'TEXT_FRAME' },
  { rule: '3.1', name: 'empty frame', frame: new Uint8Array([]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'truncated sync payload', frame: new Uint8Array([0, 2, 10, 1, 2]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'truncated varint', frame: new Uint8Array([0, 0x80]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'trailing bytes', frame: new Uint8Array([3, 0]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'unknown message type', frame: new Uint8Array([7]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  { rule: '3.1', name: 'auth message from a client', frame: new Uint8Array([2, 0, 0]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  { rule: '3.1', name: 'unknown sync sub-type', frame: new Uint8Array([0, 5, 0]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  {
    rule: '3.1',
    name: 'varint longer than 8 bytes',
    frame: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
    code: 'OVERLONG_VARINT',
  },
  { rule: '3.1', name: 'non-minimal varint', frame: new Uint8Array([0x80, 0x00]), code: 'OVERLONG_VARINT' },
  {
    rule: '3.1',
    name: 'varint above 2^53',
    frame: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    code: 'OVERLONG_VARINT',
  },
  { rule: '3.1', name: 'frame over the size cap', frame: new Uint8Array(2048).fill(3), code: 'MESSAGE_TOO_BIG' },
  { rule: '3.2', name: 'garbage update', frame: new Uint8Array([0, 2, 4, 5, 200, 1, 9]), code: 'INVALID_UPDATE' },
  { rule: '3.2', name: 'garbage sync step 2', frame: new Uint8Array([0, 1, 3, 1, 1, 1]), code: 'INVALID_UPDATE' },
  { rule: '3.3', name: 'state vector with a bad count', frame: new Uint8Array([0, 0, 2, 50, 1]), code: 'INVALID_STATE_VECTOR' },
  { rule: '3.3', name: 'awareness not JSON', frame: awarenessFrame([{ id: 1, clock: 1, json: '{nope' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'awareness state is a number', frame: awarenessFrame([{ id: 1, clock: 1, json: '42' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'awareness count lies', frame: awarenessFrame([{ id: 1, clock: 1, json: '{}' }], 3), code: 'INVALID_AWARENESS' },
  {
    rule: '3.3',
    name: 'awareness with too many entries',
    frame: awarenessFrame(Array.from({ length: 20 }, (_, i) => ({ id: i, clock: 1, json: '{}' }))),
    code: 'INVALID_AWARENESS',
  },
  {
    rule: '3.3',
    name: 'awareness client id above 2^32',
    frame: awarenessFrame([{ id: 2 ** 40, clock: 1, json: '{}' }]),
    code: 'INVALID_AWARENESS',
  },
  { rule: '3.3', name: 'awareness invalid utf-8', frame: new Uint8Array([1, 6, 1, 1, 1, 2, 0xc3, 0x28]), code: 'INVALID_AWARENESS' },
]

describe('§3 validation', () => {
  for (const bad of badFrames) {
    it(`§${bad.rule} ${bad.name} -> ${bad.code}, the room carries on, one log line`, async () => {
      const { client, storage, logger } = setup({ limits: { maxMessageBytes: 1024, maxAwarenessEntries: 10 } })
      const good = client()
      const evil = client()
      await settle()
      good.doc.getText('t').insert(0, 'before')
      await settle()
      const storedBefore = storage.logs.get('r1')!.length
      evil.sendRaw(bad.frame, !bad.text)
      evil.sendRaw(bad.frame, !bad.text) // a second one must not log again
      await settle()
      expect(evil.socket.closeCode).toBe(CloseCodes[bad.code].code)
      expect(evil.socket.closeReason).toBe(CloseCodes[bad.code].reason)
      expect(storage.logs.get('r1')!.length).toBe(storedBefore)
      const warns = logger.at('warn')
      expect(warns).toHaveLength(1)
      expect(warns[0].obj.reason).toBe(bad.code)
      expect(JSON.stringify(warns[0])).not.toMatch(/\n\s+at /)
      // healthy round trip afterwards
      const other = client()
      await settle()
      good.doc.getText('t').insert(0, 'after ')
      await settle()
      expect(other.text()).toBe('after before')
    })
  }

  it('§3.1 random garbage never throws and always closes with a documented code', async () => {
    const { client } = setup({ limits: { maxMessageBytes: 4096 } })
    const codes = new Set(Object.values(CloseCodes).map((c) => c.code))
    let seed = 42
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let i = 0; i < 300; i++) {
      const c = client(`fuzz${i % 5}`)
      await settle(2)
      const len = Math.floor(rnd() * 64)
      const frame = new Uint8Array(len).map(() => Math.floor(rnd() * 256))
      frame[0] = Math.floor(rnd() * 4) // mostly plausible message types
      if (len > 1 && frame[0] === 0) frame[1] = Math.floor(rnd() * 3)
      c.sendRaw(frame)
      await settle(2)
      if (c.socket.closeCode !== null) expect(codes.has(c.socket.closeCode as never)).toBe(true)
      c.destroy()
    }
  })
})

describe('§3.4 log limits', () => {
  it('§3.4 the bad-input log has a global budget and reports what it suppressed', async () => {
    const { BadInputLog } = await import('../src/logger.js')
    const logger = new CapturingLogger()
    let now = 0
    const log = new BadInputLog(logger, 3, 1000, () => now)
    for (let i = 0; i < 10; i++) log.report(new Set(), 'X', {}, 'bad')
    expect(logger.at('warn')).toHaveLength(3)
    now = 2000
    log.report(new Set(), 'X', {}, 'bad')
    expect(logger.at('warn').some((l) => l.obj.suppressed === 7)).toBe(true)
  })
})

describe('§4 awareness', () => {
  it('§4.1 §4.3 awareness appears for others and is removed when its connection leaves', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    expect(a.awareness.getStates().get(b.doc.clientID)).toEqual({ name: 'b' })
    b.disconnect()
    await settle()
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false)
  })

  it('§4.2 a reconnecting client takes its id over; the dead socket leaving does not erase it', async () => {
    const { client, manager } = setup()
    const watcher = client('r1')
    const old = client('r1', { name: 'x' })
    await settle()
    // the old socket dies silently (no close event yet); the client reconnects with the same id
    old.socket.open = false
    const sock2 = client('r1')
    old.awareness.setLocalState({ name: 'x2' })
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(old.awareness, [old.doc.clientID]))
    await settle()
    sock2.sendRaw(encoding.toUint8Array(e))
    await settle()
    expect(watcher.awareness.getStates().get(old.doc.clientID)).toEqual({ name: 'x2' })
    old.disconnect()
    await settle()
    expect(watcher.awareness.getStates().get(old.doc.clientID)).toEqual({ name: 'x2' })
    expect(manager.stats().connections).toBe(2)
  })
})

describe('§5 persistence pipeline', () => {
  it('§5.1 an update is broadcast only after the append resolved', async () => {
    const { client, storage } = setup()
    const a = client()
    const b = client()
    await settle()
    const g = gate()
    storage.appendGate = g.promise
    a.doc.getText('t').insert(0, 'durable')
    await settle()
    expect(b.text()).toBe('')
    storage.appendGate = null
    g.open()
    await settle()
    expect(b.text()).toBe('durable')
    expect(storage.docOf('r1').getText('t').toString()).toBe('durable')
  })

  it('§5.2 §5.3 updates arriving during a write go into the next write, in order', async () => {
    const { client, storage } = setup()
    const a = client()
    const b = client()
    await settle()
    const g = gate()
    storage.appendGate = g.promise
    const t = a.doc.getText('t')
    t.insert(0, '1')
    await settle(2)
    t.insert(1, '2')
    t.insert(2, '3')
    t.insert(3, '4')
    await settle(2)
    storage.appendGate = null
    g.open()
    await settle()
    const calls = storage.appendCalls.filter((c) => c.room === 'r1')
    expect(calls.slice(-2).map((c) => c.count)).toEqual([1, 3])
    expect(b.text()).toBe('1234')
  })

  it('§5.4 an append failure broadcasts nothing, closes the sender with STORAGE_UNAVAILABLE, retries, the room carries on', async () => {
    const { client, storage, logger, manager } = setup({ storageRetryMs: 30 })
    const a = client()
    const b = client()
    await settle()
    storage.failAppends = 1
    a.doc.getText('t').insert(0, 'lost?')
    await settle()
    expect(a.socket.closeCode).toBe(CloseCodes.STORAGE_UNAVAILABLE.code)
    expect(b.text()).toBe('')
    expect(logger.at('error')).toHaveLength(1)
    // the room holds the edit and retries the append; the client resends it on reconnect (harmless)
    const a2 = new TestClient(manager, 'r1')
    clients.push(a2)
    Y.applyUpdate(a2.doc, Y.encodeStateAsUpdate(a.doc))
    await new Promise((r) => setTimeout(r, 60))
    await settle()
    expect(b.text()).toBe('lost?')
    expect(storage.docOf('r1').getText('t').toString()).toBe('lost?')
  })

  it('§5.5 a server-side change (local origin) is persisted, then broadcast to everyone', async () => {
    const { client, storage, manager } = setup()
    const a = client()
    await settle()
    await manager.transact('r1', (doc) => doc.getText('t').insert(0, 'template'), 'template')
    expect(storage.docOf('r1').getText('t').toString()).toBe('template')
    await settle()
    expect(a.text()).toBe('template')
  })
})

describe('§6 read-only', () => {
  it('§6.1 §6.2 a viewer is told, its updates are dropped, its awareness is shared, it receives edits', async () => {
    const { client, storage } = setup()
    const editor = client('r1')
    const viewer = client('r1', { readOnly: true, name: 'viewer' })
    await settle()
    expect(viewer.readOnlyNotices).toEqual([READ_ONLY_REASON])
    viewer.doc.getText('t').insert(0, 'nope')
    await settle()
    expect(editor.text()).toBe('')
    expect(storage.logs.get('r1') ?? []).toHaveLength(0)
    expect(viewer.conn.droppedUpdates).toBeGreaterThan(0)
    expect(editor.awareness.getStates().get(viewer.doc.clientID)).toEqual({ name: 'viewer' })
    editor.doc.getText('t').insert(0, 'yes ')
    await settle()
    expect(viewer.text()).toContain('yes ')
  })
})

describe('§7 limits', () => {
  it('§7.2 a slow consumer is closed with SLOW_CONSUMER, the others carry on', async () => {
    const { client } = setup({ limits: { maxBufferedBytes: 1000 } })
    const a = client()
    const slow = client()
    const c = client()
    await settle()
    slow.socket.bufferedAmount = 5000
    a.doc.getText('t').insert(0, 'x')
    await settle()
    expect(slow.socket.closeCode).toBe(CloseCodes.SLOW_CONSUMER.code)
    expect(c.text()).toBe('x')
  })
})

describe('§7.3 bounded write queue', () => {
  /** Runs the event loop until `cond` holds (bounded by rounds, not time). */
  async function until(cond: () => boolean, rounds = 2000) {
    for (let i = 0; i < rounds && !cond(); i++) await settle(1)
    expect(cond()).toBe(true)
  }

  /** The frames a client sends for its document updates, in order. */
  function sentUpdates(c: TestClient): Uint8Array[] {
    const frames: Uint8Array[] = []
    c.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== c) frames.push(encodeSyncUpdate(u))
    })
    return frames
  }

  const chunk = (i: number) => `<${i}>`.padEnd(1000, '.')

  it('§7.3 a stalled storage pauses the room\'s writers; the queue stays bounded; after release all is persisted and broadcast in order and everyone is resumed', async () => {
    const limit = 10_000
    const { client, storage, manager, logger } = setup({ limits: { maxQueuedBytes: limit } })
    const a = client('r1', { pausable: true })
    const b = client('r1', { pausable: true })
    const c = client('r1', { pausable: true })
    const viewer = client('r1', { pausable: true, readOnly: true })
    await settle()
    const g = gate()
    storage.appendGate = g.promise
    const frames = sentUpdates(a)
    const t = a.doc.getText('t')
    for (let i = 0; i < 60; i++) t.insert(t.length, chunk(i))
    const sa = a.socket as PausableMemorySocket
    const sb = b.socket as PausableMemorySocket
    // over the limit: every writer stops being read, the rest of a's frames wait at the sender
    expect(sa.paused).toBe(true)
    expect(sb.paused).toBe(true)
    expect((viewer.socket as PausableMemorySocket).paused).toBe(false)
    expect(sa.inbox.length).toBeGreaterThan(40)
    const stalled = manager.stats()
    expect(stalled.pausedConnections).toBe(3)
    // bounded: the limit plus the one update that crossed it
    expect(stalled.queuedBytes).toBeGreaterThan(limit)
    expect(stalled.queuedBytes).toBeLessThanOrEqual(limit + 2100)
    await settle()
    expect(manager.stats().queuedBytes).toBe(stalled.queuedBytes)
    expect(b.text()).toBe('') // nothing broadcast before it is durable (§5.1)
    // a paused connection that goes away is resumed and forgotten
    c.disconnect()
    expect((c.socket as PausableMemorySocket).resumeCalls).toBe(1)
    expect(manager.stats().pausedConnections).toBe(2)
    expect(logger.at('warn').filter((l) => l.msg.includes('write queue full'))).toHaveLength(1)

    storage.appendGate = null
    g.open()
    await until(() => b.text() === t.toString() && manager.stats().queuedBytes === 0)
    expect(frames).toHaveLength(60)
    // persisted, and broadcast to b as the very frames a sent, in a's order
    expect(storage.docOf('r1').getText('t').toString()).toBe(t.toString())
    const toB = b.received.filter((f) => f[0] === 0 && f[1] === 2)
    expect(toB).toEqual(frames)
    expect(viewer.text()).toBe(t.toString())
    expect(sa.paused).toBe(false)
    expect(sb.paused).toBe(false)
    expect(sa.inbox).toHaveLength(0)
    expect(manager.stats().pausedConnections).toBe(0)
    expect(a.socket.closeCode).toBeNull()
    // one start and one stop line per 10 s and room, however often it flapped meanwhile
    expect(logger.at('warn').filter((l) => l.msg.includes('write queue full'))).toHaveLength(1)
    expect(logger.at('info').filter((l) => l.msg.includes('write queue drained'))).toHaveLength(1)
  })

  it('§7.3 a socket that cannot pause is closed with QUEUE_FULL; its accepted edits are kept and the rest arrives on reconnect', async () => {
    const limit = 3000
    const { client, storage, manager } = setup({ limits: { maxQueuedBytes: limit } })
    const a = client('r1') // MemorySocket: no pause()
    const b = client('r1', { pausable: true })
    await settle()
    const g = gate()
    storage.appendGate = g.promise
    const t = a.doc.getText('t')
    for (let i = 0; i < 10; i++) t.insert(t.length, chunk(i))
    expect(a.socket.closeCode).toBe(CloseCodes.QUEUE_FULL.code)
    expect(CloseCodes.QUEUE_FULL.code).toBeGreaterThanOrEqual(4500) // the stock client reconnects
    expect((b.socket as PausableMemorySocket).paused).toBe(true)
    expect(manager.stats().queuedBytes).toBeLessThanOrEqual(limit + 2100)
    storage.appendGate = null
    g.open()
    await until(() => manager.stats().queuedBytes === 0 && b.text().length > 0)
    // what was accepted before the close is durable and broadcast
    expect(t.toString().startsWith(b.text())).toBe(true)
    expect((b.socket as PausableMemorySocket).paused).toBe(false)
    // the client kept every edit: reconnecting resends the rest in sync step 2
    const a2 = client('r1')
    Y.applyUpdate(a2.doc, Y.encodeStateAsUpdate(a.doc))
    await until(() => b.text() === t.toString())
    expect(storage.docOf('r1').getText('t').toString()).toBe(t.toString())
  })
})

describe('§8 compaction', () => {
  it('§8.1 the log is compacted in the background once past the threshold; content intact', async () => {
    const { client, storage } = setup({ compactAfterUpdates: 5 })
    const a = client()
    await settle()
    for (let i = 0; i < 12; i++) {
      a.doc.getText('t').insert(0, String(i % 10))
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBeGreaterThan(0)
    expect(storage.logs.get('r1')!.length).toBeLessThan(12)
    expect(storage.docOf('r1').getText('t').toString()).toBe(a.text())
  })
})

describe('§9 lifecycle', () => {
  it('§9.1 §9.2 idle rooms are unloaded after the grace period and reload from storage', async () => {
    const { client, manager, storage } = setup({ roomIdleMs: 20 })
    for (let i = 0; i < 50; i++) {
      const c = client(`room${i}`)
      c.doc.getText('t').insert(0, `content ${i}`)
    }
    await settle()
    for (const c of clients.splice(0)) c.destroy()
    expect(manager.stats().rooms).toBe(50)
    await new Promise((r) => setTimeout(r, 80))
    await settle()
    expect(manager.stats().rooms).toBe(0)
    expect(storage.logs.get('room7')!.length).toBe(1) // compacted on unload
    const again = client('room7')
    await settle()
    expect(again.text()).toBe('content 7')
  })

  it('§9.3 a connection arriving while its room unloads gets the room freshly loaded', async () => {
    const { client, manager, storage } = setup({ roomIdleMs: 10 })
    const a = client('r1')
    await settle()
    // two log entries, so that unloading compacts (and the gate below can hold it)
    a.doc.getText('t').insert(0, 'ke')
    await settle()
    a.doc.getText('t').insert(2, 'pt')
    await settle()
    a.disconnect()
    const g = gate()
    // hold the unload inside its compaction
    const compact = storage.compactRoom.bind(storage)
    storage.compactRoom = async (room) => {
      await g.promise
      return compact(room)
    }
    await new Promise((r) => setTimeout(r, 30))
    const b = client('r1')
    await settle()
    expect(b.received).toHaveLength(0)
    g.open()
    await settle()
    expect(b.text()).toBe('kept')
    expect(manager.stats().rooms).toBe(1)
  })
})

describe('§9.4 idle hook', () => {
  it('§9.4 onRoomIdle runs when the last connection leaves, while the room is still loaded', async () => {
    const seen: string[] = []
    let m!: RoomManager
    const { client, manager } = setup({
      roomIdleMs: 1000,
      onRoomIdle: async (room) => {
        seen.push(room)
        await m.encodeState(room)
      },
    })
    m = manager
    const a = client('r1')
    const b = client('r1')
    await settle()
    a.disconnect()
    await settle()
    expect(seen).toEqual([])
    b.disconnect()
    await settle()
    expect(seen).toEqual(['r1'])
    expect(manager.stats().rooms).toBe(1)
  })
})

describe('§10 shutdown', () => {
  it('§10.1 close() closes every socket with 1001 after persisting what was accepted', async () => {
    const { client, manager, storage } = setup()
    const a = client()
    await settle()
    const g = gate()
    storage.appendGate = g.promise
    a.doc.getText('t').insert(0, 'last words')
    await settle(2)
    const closing = manager.close()
    storage.appendGate = null
    g.open()
    await closing
    expect(a.socket.closeCode).toBe(1001)
    expect(storage.docOf('r1').getText('t').toString()).toBe('last words')
    const late = client()
    expect(late.socket.closeCode).toBe(1001)
  })
})
