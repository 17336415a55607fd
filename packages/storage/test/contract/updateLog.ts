/** Storage contract, 1: the update log (RoomStorage). */
import { beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Storage } from '../../src/index'
import { bytes, docFrom, expectSameDoc, makeEdits, uniqueRoom, type ContractBackend, type ContractContext } from './support'

export function updateLogContract(ctx: ContractContext): void {
  let s: Storage
  let backend: ContractBackend
  beforeAll(() => void ({ s, backend } = ctx))

  it('[1.1] loadRoom of an unknown room is []', async () => {
    expect(await s.loadRoom(uniqueRoom('none'))).toEqual([])
    expect(await s.countUpdates(uniqueRoom('none'))).toBe(0)
  })

  it('[1.1][1.2] appended updates load back byte-exact, oldest first, per room', async () => {
    const a = uniqueRoom('a')
    const b = uniqueRoom('b')
    await s.appendUpdates(a, [bytes(1), bytes(2, 0, 255)])
    await s.appendUpdates(b, [bytes(9)])
    await s.appendUpdates(a, [bytes(3)])
    await s.appendUpdates(a, [])
    const loaded = await s.loadRoom(a)
    expect(loaded.map((u) => Array.from(u))).toEqual([[1], [2, 0, 255], [3]])
    expect(loaded[0]).toBeInstanceOf(Uint8Array)
    expect((await s.loadRoom(b)).map((u) => Array.from(u))).toEqual([[9]])
  })

  it('[1.4] countUpdates counts log entries', async () => {
    const r = uniqueRoom('count')
    await s.appendUpdates(r, [bytes(1), bytes(2), bytes(3)])
    await s.appendUpdates(r, [bytes(4)])
    expect(await s.countUpdates(r)).toBe(4)
  })

  it('[1.3] compactRoom replaces the log by one update giving the same document', async () => {
    const r = uniqueRoom('compact')
    const { doc, updates } = makeEdits(120)
    for (let i = 0; i < updates.length; i += 7) await s.appendUpdates(r, updates.slice(i, i + 7))
    expect(await s.countUpdates(r)).toBe(updates.length)
    const res = await s.compactRoom(r)
    expect(res.updatesBefore).toBe(updates.length)
    expect(res.bytesAfter).toBeGreaterThan(0)
    expect(await s.countUpdates(r)).toBe(1)
    const loaded = await s.loadRoom(r)
    expect(loaded[0]!.byteLength).toBe(res.bytesAfter)
    expectSameDoc(doc, docFrom(loaded))
    // compacting again (one entry) changes nothing
    expect((await s.compactRoom(r)).updatesBefore).toBe(1)
    expect(await s.countUpdates(r)).toBe(1)
  })

  it('[1.3] appends after a compaction load after the merged update', async () => {
    const r = uniqueRoom('order')
    const { updates } = makeEdits(10)
    await s.appendUpdates(r, updates)
    await s.compactRoom(r)
    await s.appendUpdates(r, [bytes(42)])
    const loaded = await s.loadRoom(r)
    expect(loaded.length).toBe(2)
    expect(Array.from(loaded[1]!)).toEqual([42])
  })

  it('[1.3] compaction while appends continue loses no update', async () => {
    const r = uniqueRoom('concurrent')
    const { doc, updates } = makeEdits(300, 7)
    // three writers append interleaved slices concurrently, a compactor runs in a loop beside them
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = w * 2; i < updates.length; i += 6) {
        await s.appendUpdates(r, updates.slice(i, i + 2))
      }
    })
    let done = false
    let compactions = 0
    const compactor = (async () => {
      while (!done) {
        await s.compactRoom(r)
        compactions++
        await new Promise((res) => setImmediate(res))
      }
    })()
    await Promise.all(writers)
    done = true
    await compactor
    expect(compactions).toBeGreaterThan(0)
    expectSameDoc(doc, docFrom(await s.loadRoom(r)))
    await s.compactRoom(r)
    expect(await s.countUpdates(r)).toBe(1)
    expectSameDoc(doc, docFrom(await s.loadRoom(r)))
  })

  it('[1.3] compactRoom stores the caller\'s composed update in place of the entries it read; later appends stay after it', async () => {
    const r = uniqueRoom('compose')
    const { doc, updates } = makeEdits(40)
    await s.appendUpdates(r, updates.slice(0, 30))
    const state = Y.encodeStateAsUpdate(doc)
    let seen: number[] = []
    const res = await s.compactRoom(r, async (entries) => {
      seen = entries.map((e) => e.byteLength)
      // appended after the read: must stay behind the composed update
      await s.appendUpdates(r, [bytes(42)])
      return state
    })
    expect(seen).toEqual(updates.slice(0, 30).map((u) => u.byteLength))
    expect(res).toEqual({ updatesBefore: 30, bytesAfter: state.byteLength })
    const loaded = await s.loadRoom(r)
    expect(loaded.map((u) => Array.from(u))).toEqual([Array.from(state), [42]])
  })

  it('[1.3] two compactions of the same room at once keep the document', async () => {
    const r = uniqueRoom('double')
    const { doc, updates } = makeEdits(60, 3)
    await s.appendUpdates(r, updates)
    const other = await backend.open()
    try {
      await Promise.all([s.compactRoom(r), other.compactRoom(r), s.appendUpdates(r, [])])
    } finally {
      await other.close()
    }
    expectSameDoc(doc, docFrom(await s.loadRoom(r)))
  })

  it('[1.5] deleteRoom and listRooms', async () => {
    const r = uniqueRoom('del')
    await s.appendUpdates(r, [bytes(1), bytes(2)])
    expect(await s.listRooms()).toContain(r)
    expect(await s.deleteRoom(r)).toBe(2)
    expect(await s.loadRoom(r)).toEqual([])
    expect(await s.listRooms()).not.toContain(r)
  })

  it('[1.2] data survives close and reopen', async () => {
    const r = uniqueRoom('reopen')
    const first = await backend.open()
    const cop = await first.createCop({ name: 'Reopen', theme: 't', coHost: 'c' })
    await first.appendUpdates(r, [bytes(5), bytes(6)])
    await first.close()
    const second = await backend.open()
    try {
      expect((await second.loadRoom(r)).map((u) => Array.from(u))).toEqual([[5], [6]])
      expect(await second.getCop(cop.id)).toEqual(cop)
    } finally {
      await second.close()
    }
  })
}
