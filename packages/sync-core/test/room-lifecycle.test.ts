/** RoomManager (SPEC.md): §9 room lifecycle, §10 shutdown. Shared setup in roomHarness.ts. */
import { afterEach, describe, expect, it } from 'vitest'
import { RoomManager } from '../src/index.js'
import { clients, closeRooms, setup } from './roomHarness.js'
import { gate } from './memoryStorage.js'
import { settle } from './client.js'

afterEach(closeRooms)

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
    storage.compactRoom = async (room, compose) => {
      await g.promise
      return compact(room, compose)
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
