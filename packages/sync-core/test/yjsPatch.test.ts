/**
 * patches/yjs@13.6.33.patch (memory, issue 12): Yjs decodes the values of every map entry and
 * array run (ContentAny) into an array of exactly their count. Unpatched it grows the array by
 * `push`, and V8 reserves 17 slots (152 bytes) where a board's one value needs 24: a quarter of a
 * loaded board's heap (a 200-note board: 2,585 KiB unpatched, 1,986 KiB patched).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** A board of `notes` records of 12 one-value fields each, as the web client writes them. */
function board(notes: number): Uint8Array {
  const doc = new Y.Doc()
  const records = doc.getMap<Y.Map<unknown>>('records')
  doc.transact(() => {
    for (let i = 0; i < notes; i++) {
      const m = new Y.Map<unknown>()
      for (const [k, v] of Object.entries({ id: `shape:${i}`, typeName: 'shape', type: 'note', x: i * 10, y: 5, rotation: 0, index: `a${i}`, parentId: 'page:page', isLocked: false, opacity: 1 }))
        m.set(k, v)
      m.set('props', { color: 'yellow', size: 'm', text: `idee ${i}` })
      m.set('meta', { author: `p${i % 3}` })
      records.set(`shape:${i}`, m)
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

const valueArrays = (doc: Y.Doc) => {
  const arrays: unknown[][] = []
  for (const structs of doc.store.clients.values())
    for (const s of structs) if (s instanceof Y.Item && s.content instanceof Y.ContentAny) arrays.push(s.content.arr)
  return arrays
}

describe('yjs patch: exact-size value arrays', () => {
  it('a decoded document holds its values as before', () => {
    const update = board(50)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    expect(valueArrays(doc)).toHaveLength(50 * 12)
    expect(valueArrays(doc).every((a) => a.length === 1 && a[0] !== undefined)).toBe(true)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(update)
  })

  it('a decoded 200-note board of one-value fields takes under 1,100 KiB of heap (931 patched, 1,229 unpatched on Node 20)', () => {
    const update = board(200)
    const docs: Y.Doc[] = []
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < 10; i++) {
      const d = new Y.Doc()
      Y.applyUpdate(d, update)
      docs.push(d)
    }
    gc()
    const perDocKiB = (process.memoryUsage().heapUsed - before) / docs.length / 1024
    expect(docs).toHaveLength(10)
    expect(perDocKiB).toBeLessThan(1100)
  })
})
