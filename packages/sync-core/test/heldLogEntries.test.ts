/** §8.2 What a compaction may replace by the room's document state (src/heldLogEntries.ts). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HeldLogEntries, MAX_HELD_DIGESTS } from '../src/heldLogEntries.js'

function edits(n: number) {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${i}`, i)
  return { doc, updates }
}

describe('§8.2 held log entries', () => {
  it('§8.2 only entries the document is not known to hold are applied; the state then holds every entry read', () => {
    const { doc, updates } = edits(3)
    const other = edits(1).updates[0]!
    const held = new HeldLogEntries()
    for (const u of updates) held.add(u)
    const applied: Uint8Array[] = []
    const state = held.compose(doc, [...updates, other], (e) => (applied.push(e), Y.applyUpdate(doc, e)))
    expect(applied).toEqual([other])
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, state)
    expect(fresh.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('§8.2 after a committed compaction its state and later appends are held; an entry not read is forgotten', () => {
    const { doc, updates } = edits(4)
    const held = new HeldLogEntries()
    held.add(updates[0]!)
    held.add(updates[1]!) // appended after the compaction read the log, before it composed
    const state = held.compose(doc, [updates[0]!], () => { throw new Error('nothing foreign') })
    held.add(updates[2]!) // appended after it composed
    held.committed()
    const applied: Uint8Array[] = []
    held.compose(doc, [state, updates[1]!, updates[2]!], (e) => applied.push(e))
    expect(applied).toEqual([updates[1]])
  })

  it('§8.2 a failed compaction changes nothing that is held', () => {
    const { doc, updates } = edits(2)
    const held = new HeldLogEntries()
    for (const u of updates) held.add(u)
    const state = held.compose(doc, updates, () => { throw new Error('nothing foreign') })
    held.failed()
    const applied: Uint8Array[] = []
    held.compose(doc, [...updates, state], (e) => applied.push(e))
    expect(applied).toEqual([state])
  })
  it('§8.2 a room whose compactions keep failing does not keep a digest per append for ever', () => {
    const { doc, updates } = edits(1)
    const held = new HeldLogEntries()
    held.add(updates[0]!)
    for (let i = 0; i < MAX_HELD_DIGESTS; i++) held.add(new Uint8Array([i & 255, (i >> 8) & 255, i >> 16]))
    const applied: Uint8Array[] = []
    held.compose(doc, [updates[0]!], (e) => applied.push(e))
    // forgotten, so applied again (a no-op for the document): never wrongly vouched for
    expect(applied).toEqual([updates[0]])
  })

  it('§8.2 what is held is the entry as added: a buffer changed or reused afterwards vouches for nothing', () => {
    const { doc, updates } = edits(3)
    const held = new HeldLogEntries()
    const reused = new Uint8Array(updates[0]!)
    held.add(reused)
    reused.set(updates[1]!.subarray(0, reused.length)) // the caller's buffer now holds other bytes
    const big = new Uint8Array(8 * 1024).fill(7) // digested at once, not copied
    held.add(big)
    const empty = new Uint8Array(0) // (no Yjs update is empty; held all the same)
    held.add(empty)
    const applied: Uint8Array[] = []
    held.compose(doc, [updates[0]!, reused, big, empty], (e) => applied.push(e))
    expect(applied).toEqual([reused])
  })

  it('§8.2 many small entries, past any batch: each is held once, none lost between batches', () => {
    const held = new HeldLogEntries()
    const entries = Array.from({ length: 5000 }, (_, i) => new Uint8Array(40 + (i % 90)).fill(i % 251).map((b, k) => (k === 0 ? i & 255 : k === 1 ? i >> 8 : b)))
    for (const e of entries) held.add(e)
    const applied: Uint8Array[] = []
    const foreign = new Uint8Array([1, 2, 3, 4])
    held.compose(new Y.Doc(), [...entries, foreign], (e) => applied.push(e))
    expect(applied).toEqual([foreign])
  })
})
