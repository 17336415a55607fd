import { afterEach, describe, expect, it } from 'vitest'
import { RoomManager, type AwarenessSeen } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage } from './memoryStorage.js'
import { TestClient, settle } from './client.js'

const managers: RoomManager[] = []
const clients: TestClient[] = []

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

function setup(opts: Partial<ConstructorParameters<typeof RoomManager>[0]> = {}) {
  const calls: { room: string; seen: AwarenessSeen }[] = []
  const logger = new CapturingLogger()
  const manager = new RoomManager({
    storage: new MemoryStorage(),
    logger,
    roomIdleMs: 60_000,
    // long interval: the tests flush explicitly unless they test the timer
    awarenessSeenIntervalMs: 60_000,
    onAwarenessSeen: (room, seen) => void calls.push({ room, seen }),
    ...opts,
  })
  managers.push(manager)
  const client = (room: string, o: ConstructorParameters<typeof TestClient>[2] = {}) => {
    const c = new TestClient(manager, room, o)
    clients.push(c)
    return c
  }
  return { manager, client, calls, logger }
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5))
}

describe('§4.4 awareness-seen hook', () => {
  it('§4.4 changes are coalesced into one call per room with the latest state, readOnly and info', async () => {
    const { manager, client, calls } = setup()
    const a = client('r1', { name: 'Anna', info: { role: 'participant' } })
    const v = client('r1', { name: 'Vera', readOnly: true, info: { role: 'viewer' } })
    client('r2', { name: 'Other' })
    await settle()
    for (let i = 0; i < 20; i++) a.awareness.setLocalState({ name: 'Anna', cursor: i })
    await settle()
    expect(calls).toHaveLength(0) // nothing inside message handling
    manager.flushAwarenessSeen('r1')
    expect(calls).toHaveLength(1)
    const { room, seen } = calls[0]
    expect(room).toBe('r1')
    const byId = new Map(seen.states.map((s) => [s.clientId, s]))
    expect(byId.get(a.doc.clientID)).toMatchObject({ state: { name: 'Anna', cursor: 19 }, readOnly: false, info: { role: 'participant' } })
    expect(byId.get(v.doc.clientID)).toMatchObject({ state: { name: 'Vera' }, readOnly: true, info: { role: 'viewer' } })
    expect(seen.states).toHaveLength(2)
    expect(seen.removed).toEqual([])
    // nothing pending: no call
    manager.flushAwarenessSeen('r1')
    expect(calls).toHaveLength(1)
  })

  it('§4.4 a client that joined and left within one interval is still reported, with its removal', async () => {
    const { manager, client, calls } = setup()
    client('r1') // keeps the room open
    const b = client('r1', { name: 'Bob' })
    await settle()
    b.disconnect()
    await settle()
    manager.flushAwarenessSeen('r1')
    expect(calls).toHaveLength(1)
    expect(calls[0].seen.states.map((s) => s.state)).toEqual([{ name: 'Bob' }])
    expect(calls[0].seen.removed).toEqual([b.doc.clientID])
  })

  it('§4.4 the timer hands the batch over without a flush; flushed before onRoomIdle', async () => {
    const order: string[] = []
    const { client, calls } = setup({
      awarenessSeenIntervalMs: 20,
      onAwarenessSeen: (room, seen) => {
        order.push(`seen:${seen.states.length}:${seen.removed.length}`)
        calls.push({ room, seen })
      },
      onRoomIdle: () => void order.push('idle'),
    })
    const a = client('r1', { name: 'Anna' })
    await until(() => calls.length === 1)
    expect(calls[0].seen.states[0].state).toEqual({ name: 'Anna' })
    a.awareness.setLocalState({ name: 'Anna', perspective: 'gemeente' })
    a.disconnect()
    await until(() => order.includes('idle'))
    // the change and the removal reached the hook before the idle hook ran
    expect(order).toEqual(['seen:1:0', 'seen:1:1', 'idle'])
  })

  it('§4.4 a throwing or rejecting hook is logged and the room carries on', async () => {
    let n = 0
    const { manager, client, logger } = setup({
      onAwarenessSeen: () => {
        if (n++ % 2 === 0) throw new Error('boom')
        return Promise.reject(new Error('later boom'))
      },
    })
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    manager.flushAwarenessSeen('r1')
    a.awareness.setLocalState({ name: 'a2' })
    await settle()
    manager.flushAwarenessSeen('r1')
    await settle()
    expect(n).toBe(2)
    const errors = logger.lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(1) // at most one line per 10 s
    expect(errors[0].msg).toMatch(/onAwarenessSeen/)
    a.doc.getText('t').insert(0, 'still syncing')
    await settle()
    expect(b.text()).toBe('still syncing')
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a2' })
  })

  it('§4.4 pending states are flushed when the room unloads and on close()', async () => {
    const { manager, client, calls } = setup({ roomIdleMs: 10, onRoomIdle: undefined })
    const a = client('r1', { name: 'Anna' })
    await settle()
    a.disconnect()
    await until(() => !manager.roomNames().includes('r1'))
    expect(calls.map((c) => c.seen.states.map((s) => s.state))).toEqual([[{ name: 'Anna' }]])
    client('r2', { name: 'Zoe' })
    await settle()
    await manager.close()
    expect(calls.at(-1)?.room).toBe('r2')
    expect(calls.at(-1)?.seen.states.map((s) => s.state)).toEqual([{ name: 'Zoe' }])
  })

  it('§4.4 without the hook the awareness is not watched', async () => {
    const manager = new RoomManager({ storage: new MemoryStorage() })
    managers.push(manager)
    const c = new TestClient(manager, 'r1', { name: 'x' })
    clients.push(c)
    await settle()
    const room = (manager as unknown as { rooms: Map<string, { awareness: { _observers: Map<string, Set<unknown>> } }> }).rooms.get('r1')!
    // the one 'change' listener is the fan-out's (§4.6: it tells renewals from content changes)
    expect(room.awareness._observers.get('change')?.size ?? 0).toBe(1)
  })
})
