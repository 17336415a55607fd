/** RoomManager (SPEC.md): §2 loading, §5 persistence pipeline, §8 compaction. Shared setup in roomHarness.ts. */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../src/index.js'
import { clients, closeRooms, setup } from './roomHarness.js'
import { MemoryStorage, gate } from './memoryStorage.js'
import { TestClient, settle } from './client.js'

afterEach(closeRooms)

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

  it('§8.1 a big board compacts after more entries (one per 256 bytes of its last compaction), a small one after compactAfterUpdates', async () => {
    const { client, storage } = setup({ compactAfterUpdates: 5 })
    const a = client()
    await settle()
    // one big edit, compacted: the log's state is ~40 KB, so the next compaction waits for ~160 entries
    a.doc.getText('t').insert(0, 'x'.repeat(40_000))
    for (let i = 0; i < 6; i++) {
      a.doc.getText('t').insert(0, 'y')
      await settle(3)
    }
    await settle()
    const after = storage.compactCalls
    expect(after).toBeGreaterThan(0)
    for (let i = 0; i < 100; i++) {
      a.doc.getText('t').insert(0, 'z')
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBe(after)
    for (let i = 0; i < 80; i++) {
      a.doc.getText('t').insert(0, 'w')
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBeGreaterThan(after)
    expect(storage.docOf('r1').getText('t').toString()).toBe(a.text())
  })

  it('§8.1 after a load, the log\'s largest entry stands for the last compaction', async () => {
    const { client, storage } = setup({ compactAfterUpdates: 5 })
    // a big board's state and a few edits, as a crash leaves them
    const d = new Y.Doc()
    d.getText('t').insert(0, 'x'.repeat(40_000))
    await storage.appendUpdates('r1', [Y.encodeStateAsUpdate(d)])
    for (let i = 0; i < 6; i++) {
      const sv = Y.encodeStateVector(d)
      d.getText('t').insert(0, 'y')
      await storage.appendUpdates('r1', [Y.encodeStateAsUpdate(d, sv)])
    }
    const a = client()
    await settle()
    for (let i = 0; i < 3; i++) {
      a.doc.getText('t').insert(0, 'z')
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBe(0)
    expect(a.text()).toBe('zzz' + 'y'.repeat(6) + 'x'.repeat(40_000))
  })

  it('§8.2 a compaction stores the document\'s state: an overwritten value is not kept', async () => {
    const { client, storage } = setup({ compactAfterUpdates: 50 })
    const a = client()
    await settle()
    const note = (i: number) => `${i} `.padEnd(200, '.')
    for (let i = 0; i < 120; i++) {
      a.doc.getMap('notes').set('n1', note(i))
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBeGreaterThan(0)
    const log = storage.logs.get('r1')!
    const stored = log.reduce((n, u) => n + u.byteLength, 0)
    // a merge of the log keeps all 120 values (> 24 KB); the state keeps the last ones since the compaction
    expect(stored).toBeLessThan(250 * (log.length + 2))
    expect(storage.docOf('r1').getMap('notes').get('n1')).toBe(note(119))
  })

  it('§8.2 an entry written to the log around the room is kept by compactions and reaches its clients', async () => {
    const { client, storage } = setup({ compactAfterUpdates: 5 })
    const a = client()
    const b = client()
    await settle()
    a.doc.getText('t').insert(0, 'a')
    await settle()
    const elsewhere = new Y.Doc()
    elsewhere.getMap('m').set('x', 'written around the room')
    storage.logs.get('r1')!.push(Y.encodeStateAsUpdate(elsewhere))
    // two rounds of compaction: the second must not drop what the first took in
    for (let i = 0; i < 16; i++) {
      a.doc.getText('t').insert(0, String(i % 10))
      await settle(3)
    }
    await settle()
    expect(storage.compactCalls).toBeGreaterThanOrEqual(2)
    expect(storage.docOf('r1').getMap('m').get('x')).toBe('written around the room')
    expect(storage.docOf('r1').getText('t').toString()).toBe(a.text())
    expect(b.doc.getMap('m').get('x')).toBe('written around the room')
    expect(a.doc.getMap('m').get('x')).toBe('written around the room')
  })
})
