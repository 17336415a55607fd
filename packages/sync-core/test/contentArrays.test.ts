/** contentArrays.ts: exact-size value arrays hold the same document (memory, no SPEC rule changes). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ContentArrays } from '../src/contentArrays.js'

function board(notes: number, clientID = 7): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const records = doc.getMap<Y.Map<unknown>>('records')
  doc.transact(() => {
    for (let i = 0; i < notes; i++) {
      const m = new Y.Map<unknown>()
      m.set('x', i * 10)
      m.set('text', `idee ${i}`)
      m.set('meta', { author: `p${i % 3}` })
      records.set(`shape:${i}`, m)
    }
  })
  doc.getArray<number>('order').insert(0, [1, 2, 3, 4, 5])
  return Y.encodeStateAsUpdate(doc)
}

const valueArrays = (doc: Y.Doc) => {
  const arrays: unknown[][] = []
  for (const structs of doc.store.clients.values())
    for (const s of structs) if (s instanceof Y.Item && s.content instanceof Y.ContentAny) arrays.push(s.content.arr)
  return arrays
}

describe('ContentArrays', () => {
  it('replaces every value array once, and later only those of new structs', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, board(20))
    const arrays = new ContentArrays(doc)
    const before = valueArrays(doc)
    // 3 fields per note, and the order array's one run
    expect(arrays.compact()).toBe(20 * 3 + 1)
    const after = valueArrays(doc)
    expect(after.every((a, i) => a !== before[i] && a.length === before[i].length && a.every((v, j) => v === before[i][j]))).toBe(true)
    expect(arrays.compact()).toBe(0)
    doc.getMap<Y.Map<unknown>>('records').get('shape:3')!.set('x', 999)
    Y.applyUpdate(doc, board(2, 8))
    expect(arrays.compact()).toBe(1 + 2 * 3 + 1)
  })

  it('leaves the document as it was: same state, same content, and it keeps changing and syncing', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, board(30))
    const state = Y.encodeStateAsUpdate(doc)
    const json = doc.toJSON()
    new ContentArrays(doc).compact()
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state)
    expect(doc.toJSON()).toEqual(json)
    // splitting and merging a compacted run, and overwriting compacted values
    const order = doc.getArray<number>('order')
    order.insert(2, [9])
    order.delete(0, 1)
    doc.getMap<Y.Map<unknown>>('records').get('shape:0')!.set('text', 'nieuw')
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    expect(peer.getArray('order').toArray()).toEqual([2, 9, 3, 4, 5])
    expect((peer.getMap('records').get('shape:0') as Y.Map<unknown>).get('text')).toBe('nieuw')
    expect(peer.toJSON()).toEqual(doc.toJSON())
  })

  it('compacts from a macrotask once enough bytes were written, and not after destroy', async () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, board(5))
    const arrays = new ContentArrays(doc)
    const first = valueArrays(doc)[0]
    arrays.written(100)
    await new Promise((r) => setImmediate(r))
    expect(valueArrays(doc)[0]).toBe(first)
    arrays.written(16 * 1024)
    await new Promise((r) => setImmediate(r))
    expect(valueArrays(doc)[0]).not.toBe(first)
    Y.applyUpdate(doc, board(5, 9))
    const second = valueArrays(doc).at(-1)
    arrays.schedule()
    arrays.destroy()
    await new Promise((r) => setImmediate(r))
    expect(valueArrays(doc).at(-1)).toBe(second)
  })
})
