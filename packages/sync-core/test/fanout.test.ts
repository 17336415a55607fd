import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
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
  it('§1.6 joiners that have nothing share one encoded full state; an update replaces it', async () => {
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

describe('§4.6 batched awareness fan-out', () => {
  it('§4.6 forty joiners in one turn: each sees every other state in a few frames, not one frame per joiner', async () => {
    const { client } = setup()
    const first = client('r1', { name: 'first' })
    await settle()
    const before = first.socket.sent.length
    const crowd = Array.from({ length: 40 }, (_, i) => client('r1', { name: `p${i}` }))
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
