import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { insertedCount, skipEncodingOfBigUpdates } from './cacheWrites'

const REMOTE = Symbol('remote')

/** A doc with `n` entries as an update from elsewhere. */
function remoteUpdate(n: number): Uint8Array {
  const other = new Y.Doc()
  other.transact(() => {
    const m = other.getMap('records')
    for (let i = 0; i < n; i++) m.set(`k${i}`, i)
  })
  return Y.encodeStateAsUpdate(other)
}

function setUp() {
  const doc = new Y.Doc()
  const seen: unknown[] = []
  const cache = (_u: Uint8Array, origin: unknown) => seen.push(origin)
  doc.on('update', cache)
  let skipped = 0
  const off = skipEncodingOfBigUpdates(doc, {
    listeners: () => [cache],
    skip: (tr) => tr.origin === REMOTE && insertedCount(tr) >= 100,
    onSkipped: () => skipped++,
  })
  return { doc, seen, cache, skipped: () => skipped, off }
}

describe('big remote updates are not encoded for the cache listeners (issue 12)', () => {
  it('counts the items a transaction added', () => {
    const doc = new Y.Doc()
    let n = -1
    doc.on('afterTransaction', (tr: Y.Transaction) => (n = insertedCount(tr)))
    Y.applyUpdate(doc, remoteUpdate(150))
    expect(n).toBe(150)
  })

  it('skips a big remote update, tells so, and listens again afterwards', () => {
    const s = setUp()
    Y.applyUpdate(s.doc, remoteUpdate(150), REMOTE)
    expect(s.seen).toEqual([])
    expect(s.skipped()).toBe(1)
    expect(s.doc.getMap('records').size).toBe(150)
    s.doc.getMap('records').set('mine', 1)
    expect(s.seen).toEqual([null])
  })

  it('keeps small remote updates and big local ones', () => {
    const s = setUp()
    Y.applyUpdate(s.doc, remoteUpdate(10), REMOTE)
    Y.applyUpdate(s.doc, remoteUpdate(150), 'local')
    expect(s.seen).toEqual([REMOTE, 'local'])
    expect(s.skipped()).toBe(0)
  })

  it('a change made while observing the skipped update still reaches the listeners', () => {
    const s = setUp()
    s.doc.getMap('records').observe((e) => {
      if (e.transaction.origin === REMOTE) s.doc.transact(() => s.doc.getMap('meta').set('seen', true), 'reaction')
    })
    Y.applyUpdate(s.doc, remoteUpdate(150), REMOTE)
    expect(s.seen).toEqual(['reaction'])
  })

  it('removal restores the listeners', () => {
    const s = setUp()
    s.off()
    Y.applyUpdate(s.doc, remoteUpdate(150), REMOTE)
    expect(s.seen).toEqual([REMOTE])
  })
})
