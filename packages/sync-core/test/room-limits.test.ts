/** RoomManager (SPEC.md): §7 limits and backpressure. Shared setup in roomHarness.ts. */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes, encodeSyncUpdate } from '../src/index.js'
import { closeRooms, setup } from './roomHarness.js'
import { gate } from './memoryStorage.js'
import { PausableMemorySocket, type TestClient, settle } from './client.js'

afterEach(closeRooms)

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
