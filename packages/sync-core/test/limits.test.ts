import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes, MessageCost, RateBudget, RoomManager, TokenBucket, encodeSyncUpdate, type AwarenessSeen } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage, gate } from './memoryStorage.js'
import { TestClient, settle } from './client.js'
import { awarenessFrame } from './roomHarness.js'

const managers: RoomManager[] = []
const clients: TestClient[] = []

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

function setup(opts: Partial<ConstructorParameters<typeof RoomManager>[0]> = {}) {
  const storage = new MemoryStorage()
  const logger = new CapturingLogger()
  const seen: AwarenessSeen[] = []
  const manager = new RoomManager({
    storage,
    logger,
    roomIdleMs: 60_000,
    awarenessSeenIntervalMs: 60_000,
    onAwarenessSeen: (_room, s) => void seen.push(s),
    ...opts,
  })
  managers.push(manager)
  const client = (room = 'r1', o: ConstructorParameters<typeof TestClient>[2] = {}) => {
    const c = new TestClient(manager, room, o)
    clients.push(c)
    return c
  }
  return { storage, logger, manager, client, seen }
}

/** The frame of one small edit made on `doc` (not sent by its TestClient). */
function editFrame(doc: Y.Doc, i: number): Uint8Array {
  let update!: Uint8Array
  const h = (u: Uint8Array) => (update = u)
  doc.on('update', h)
  doc.getMap('m').set(`k${i}`, i)
  doc.off('update', h)
  return encodeSyncUpdate(update)
}

/** An awareness frame announcing `states` (clientId -> state) with the given clock. */
describe('§7.4 rate budget (pure)', () => {
  it('§7.4 a token bucket refills at its rate up to its burst', () => {
    let t = 0
    const b = new TokenBucket(10, 20, () => t)
    expect(b.take(20)).toBe(true)
    expect(b.take(1)).toBe(false)
    t = 500 // half a second: 5 tokens
    expect(b.take(5)).toBe(true)
    expect(b.take(1)).toBe(false)
    t = 60_000 // never above the burst
    expect(b.take(21)).toBe(false)
    expect(b.take(20)).toBe(true)
  })

  it('§7.4 one frame of the largest size always fits into a full byte bucket, twice', () => {
    const budget = new RateBudget({ messagesPerSecond: 1, messageBurst: 1, bytesPerSecond: 1, byteBurst: 10, maxMessageBytes: 1000 }, () => 0)
    expect(budget.chargeBytes(1000)).toBeNull()
    expect(budget.chargeBytes(1000)).toBeNull()
    expect(budget.chargeBytes(1)).toMatch(/byte rate/)
  })
})

describe('§7.4 rate limits on a connection', () => {
  it('§7.4 a socket flooding small valid updates is closed with TOO_MANY_MESSAGES within its burst; the room carries on; one log line', async () => {
    const { client, storage, logger } = setup({ limits: { messageBurst: 100, messagesPerSecond: 10 } })
    const flooder = client('r1')
    const peer = client('r1')
    await settle()
    const doc = new Y.Doc()
    let sent = 0
    for (let i = 0; i < 5000 && flooder.socket.open; i++, sent++) flooder.sendRaw(editFrame(doc, i))
    expect(flooder.socket.closeCode).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
    // the burst (plus what refilled meanwhile), not the 5000
    expect(sent).toBeLessThan(200)
    await settle()
    const stored = (storage.logs.get('r1') ?? []).length
    expect(stored).toBeLessThan(200)
    expect(logger.lines.filter((l) => l.msg.includes('too many messages'))).toHaveLength(1)
    peer.doc.getText('t').insert(0, 'still here')
    const other = client('r1')
    await settle()
    expect(other.text()).toBe('still here')
  })

  it('§7.4 pasting 500 notes passes with the default limits: as one transaction and as 500 separate updates', async () => {
    const { client, storage } = setup()
    const a = client('r1')
    const b = client('r1')
    await settle()
    // one transaction (what tldraw does for a paste)
    a.doc.transact(() => {
      const notes = a.doc.getMap('records')
      for (let i = 0; i < 500; i++) {
        const note = new Y.Map<unknown>()
        note.set('type', 'note')
        note.set('text', `note ${i} `.repeat(20))
        notes.set(`shape:paste${i}`, note)
      }
    })
    // and the worst case: 500 frames at once
    for (let i = 0; i < 500; i++) a.doc.getMap('loose').set(`n${i}`, `note ${i} `.repeat(20))
    await settle(60)
    expect(a.socket.closeCode).toBeNull()
    expect(b.doc.getMap('records').size).toBe(500)
    expect(b.doc.getMap('loose').size).toBe(500)
    expect(storage.docOf('r1').getMap('loose').size).toBe(500)
  })

  it('§7.4 bytes count before decoding (also while the room loads): more than the byte burst is TOO_MANY_MESSAGES', async () => {
    const { client, storage } = setup({ limits: { maxMessageBytes: 10_000, byteBurst: 0, bytesPerSecond: 1, maxBacklogBytes: 1 << 20 } })
    const g = gate()
    storage.loadGate = g.promise
    const a = client('r1')
    // the burst is never below two frames of maxMessageBytes (20,000 bytes): the third is refused
    const frame = new Uint8Array(9_000)
    a.sendRaw(frame)
    a.sendRaw(frame)
    expect(a.socket.closeCode).toBeNull()
    a.sendRaw(frame)
    expect(a.socket.closeCode).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
    g.open()
  })

  it('§7.4 sync step 1 costs 50 messages: a state-request flood is closed', async () => {
    const { client } = setup({ limits: { messageBurst: 500, messagesPerSecond: 1 } })
    const a = client('r1')
    await settle()
    const step1 = new Uint8Array([0, 0, 1, 0])
    for (let i = 0; i < 20 && a.socket.open; i++) a.sendRaw(step1)
    expect(a.socket.closeCode).toBe(CloseCodes.TOO_MANY_MESSAGES.code)
  })

  it('§7.4 §4.5 echoed awareness (same clock) is nearly free: a busy room does not close its readers', async () => {
    // connecting costs 51 (step 1 + own state); 1,000 echoes cost 50
    const { client } = setup({ limits: { messageBurst: 150, messagesPerSecond: 1 } })
    const a = client('r1', { name: 'a' })
    await settle()
    const state = a.awareness.getStates().get(a.doc.clientID)
    const clock = a.awareness.meta.get(a.doc.clientID)!.clock
    const b = client('r1', { name: 'b' })
    await settle()
    // 1,000 echoes of a's state (what the stock client sends back for every state it receives)
    const echo = awarenessFrame([{ id: a.doc.clientID, clock, state }])
    for (let i = 0; i < 1000; i++) b.sendRaw(echo)
    expect(b.socket.closeCode).toBeNull()
    // the same 1,000 frames as changes would have closed it
    expect(MessageCost.effective * 1000).toBeGreaterThan(150)
  })
})

describe('§4.5 awareness limits', () => {
  it('§4.5 one connection announcing 210 people is closed with AWARENESS_LIMIT after 4; a real participant is still seen by everyone and by the hook', async () => {
    const { client, manager, seen } = setup()
    const watcher = client('r1', { name: 'watcher' })
    const spammer = client('r1')
    await settle()
    for (let i = 0; i < 210 && spammer.socket.open; i++) {
      spammer.sendRaw(awarenessFrame([{ id: 100_000 + i, clock: 1, state: { user: { name: `fake ${i}` } } }]))
    }
    expect(spammer.socket.closeCode).toBe(CloseCodes.AWARENESS_LIMIT.code)
    const real = client('r1', { name: 'Real Person' })
    await settle()
    manager.flushAwarenessSeen('r1')
    const names = seen.flatMap((s) => s.states.map((e) => (e.state as { name?: string }).name))
    expect(names).toContain('Real Person')
    // the fifth id was refused before it was applied; the spammer's four are gone with it
    expect(watcher.awareness.getStates().has(100_004)).toBe(false)
    expect(watcher.awareness.getStates().has(100_000)).toBe(false)
    expect(watcher.awareness.getStates().get(real.doc.clientID)).toEqual({ name: 'Real Person' })
  })

  it('§4.5 announcing and removing ids in turn does not get around the cap', async () => {
    const { client } = setup()
    const c = client('r1')
    await settle()
    for (let i = 0; i < 10 && c.socket.open; i++) {
      c.sendRaw(awarenessFrame([{ id: 200 + i, clock: 1, state: { n: i } }]))
      c.sendRaw(awarenessFrame([{ id: 200 + i, clock: 2, state: null }]))
    }
    expect(c.socket.closeCode).toBe(CloseCodes.AWARENESS_LIMIT.code)
  })

  it('§4.5 a state larger than maxAwarenessStateBytes is AWARENESS_LIMIT, nothing applied', async () => {
    const { client } = setup({ limits: { maxAwarenessStateBytes: 1000 } })
    const watcher = client('r1')
    const c = client('r1')
    await settle()
    c.sendRaw(awarenessFrame([{ id: 4242, clock: 1, state: { blob: 'x'.repeat(2000) } }]))
    await settle()
    expect(c.socket.closeCode).toBe(CloseCodes.AWARENESS_LIMIT.code)
    expect(watcher.awareness.getStates().has(4242)).toBe(false)
  })

  it('§4.2 §4.5 a reconnecting client announcing its own id on a new socket is fine', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    await settle()
    a.awareness.setLocalState({ name: 'a2' })
    a.awareness.setLocalState({ name: 'a3' })
    await settle()
    expect(a.socket.closeCode).toBeNull()
  })
})

describe('§7.5 connection caps', () => {
  it('§7.5 the connection over maxConnectionsPerRoom is closed with ROOM_FULL; a place frees up when one leaves', async () => {
    const { client } = setup({ limits: { maxConnectionsPerRoom: 2 } })
    const a = client('r1')
    client('r1')
    const third = client('r1')
    expect(third.socket.closeCode).toBe(CloseCodes.ROOM_FULL.code)
    expect(client('r2').socket.closeCode).toBeNull()
    a.disconnect()
    await settle()
    expect(client('r1').socket.closeCode).toBeNull()
  })

  it('§7.5 the connection over maxConnectionsPerAddress is closed with TOO_MANY_CONNECTIONS; other addresses are not affected', async () => {
    const { client, manager } = setup({ limits: { maxConnectionsPerAddress: 2 } })
    const a = client('r1', { address: '10.0.0.1' })
    client('r2', { address: '10.0.0.1' })
    expect(client('r3', { address: '10.0.0.1' }).socket.closeCode).toBe(CloseCodes.TOO_MANY_CONNECTIONS.code)
    expect(client('r1', { address: '10.0.0.2' }).socket.closeCode).toBeNull()
    a.disconnect()
    await settle()
    expect(client('r3', { address: '10.0.0.1' }).socket.closeCode).toBeNull()
    await settle()
    expect(manager.stats().connections).toBe(3)
  })
})
