import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import { RoomManager, type AwarenessFilter } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage } from './memoryStorage.js'
import { TestClient, settle } from './client.js'

describe('§4.7 awareness filter', () => {
  it('§4.7 the filter rewrites what others receive; unchanged states pass as they are; it sees the doc and the connection info', async () => {
    const seen: unknown[] = []
    const filter: AwarenessFilter = (room, doc, state, info) => {
      seen.push(info)
      if (!(doc instanceof Y.Doc) || room !== 'r') throw new Error('wrong room/doc')
      return state.secret ? { ...state, secret: null } : state
    }
    const manager = new RoomManager({ storage: new MemoryStorage(), filterAwareness: filter, roomIdleMs: 50 })
    const a = new TestClient(manager, 'r', { name: 'a', info: { participantId: 'pa' } })
    const b = new TestClient(manager, 'r', { name: 'b' })
    await settle()
    a.awareness.setLocalStateField('secret', { x: 1 })
    await settle()
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a', secret: null })
    expect(a.awareness.getStates().get(b.doc.clientID)).toEqual({ name: 'b' })
    expect(seen).toContainEqual({ participantId: 'pa' })
    // a late joiner gets the filtered state from the room too
    const c = new TestClient(manager, 'r', { name: 'c' })
    await settle()
    expect(c.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a', secret: null })
    await manager.close()
  })

  it('§4.7 a filter that throws drops the update (nothing leaks), logs, and keeps the connection', async () => {
    const logger = new CapturingLogger()
    const manager = new RoomManager({ storage: new MemoryStorage(), logger, roomIdleMs: 50, filterAwareness: (_r, _d, s) => { if (s.boom) throw new Error('bug'); return s } })
    const a = new TestClient(manager, 'r', { name: 'a' })
    const b = new TestClient(manager, 'r', { name: 'b' })
    await settle()
    a.awareness.setLocalStateField('boom', 'leak')
    await settle()
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
    expect(a.conn.state).toBe('live')
    expect(JSON.stringify(logger.lines)).toContain('awareness filter failed')
    await manager.close()
  })

  it('§4.5 §4.7 an update that changes nothing (the stock client sending back what it received) is not filtered again', async () => {
    let calls = 0
    const manager = new RoomManager({ storage: new MemoryStorage(), roomIdleMs: 50, filterAwareness: (_r, _d, s) => (calls++, s) })
    const a = new TestClient(manager, 'r', { name: 'a' })
    const b = new TestClient(manager, 'r', { name: 'b' })
    await settle()
    const before = calls
    // b sends a's state back with the clock the room already has (y-websocket's provider does this)
    const echo = encoding.createEncoder()
    encoding.writeVarUint(echo, 1)
    encoding.writeVarUint8Array(echo, awarenessProtocol.encodeAwarenessUpdate(b.awareness, [a.doc.clientID, b.doc.clientID]))
    b.sendRaw(encoding.toUint8Array(echo))
    await settle()
    expect(calls).toBe(before)
    expect(b.conn.state).toBe('live')
    a.awareness.setLocalStateField('name', 'a2')
    await settle()
    expect(calls).toBe(before + 1)
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a2' })
    await manager.close()
  })
})
