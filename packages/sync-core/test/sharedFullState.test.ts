import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_BASE_AGE_MS, MAX_TAIL_SHARE, MAX_TAIL_UPDATES, SharedFullState } from '../src/sharedFullState.js'
import { decodeClientMessage } from '../src/protocol.js'
import { defaultLimits } from '../src/limits.js'

/** A doc whose every update reaches the shared state, as the room wires it (§1.6). */
function room() {
  const doc = new Y.Doc()
  const shared = new SharedFullState(doc)
  doc.on('update', (u: Uint8Array) => shared.changed(u))
  return { doc, shared }
}
/** What a joiner without a cache ends up with after applying every frame it was sent. */
function join(shared: SharedFullState): { doc: Y.Doc; frames: Uint8Array[] } {
  const frames = shared.joinerFrames()
  const doc = new Y.Doc()
  for (const f of frames) {
    const msg = decodeClientMessage(f, defaultLimits)
    if (msg.type !== 'sync-step2' && msg.type !== 'sync-update') throw new Error(`unexpected ${msg.type}`)
    Y.applyUpdate(doc, msg.update)
  }
  return { doc, frames }
}
/** Both docs hold the same state (byte equality of their encodings; toEqual on big arrays is slow). */
const same = (a: Y.Doc, b: Y.Doc) => {
  if (!Buffer.from(Y.encodeStateAsUpdate(a)).equals(Buffer.from(Y.encodeStateAsUpdate(b)))) {
    expect({ t: a.getText('t').toString(), m: a.getMap('m').toJSON() }).toEqual({ t: b.getText('t').toString(), m: b.getMap('m').toJSON() })
    expect.fail('the docs differ')
  }
}

describe('§1.6 the shared full state and its tail', () => {
  it('§1.6 an update after the base is sent as one tail frame; the base is not encoded again', () => {
    const { doc, shared } = room()
    doc.getText('t').insert(0, 'x'.repeat(4000))
    const first = join(shared)
    expect(first.frames).toHaveLength(1)
    doc.getText('t').insert(0, 'a')
    doc.getText('t').delete(10, 5)
    doc.getMap('m').set('k', 1)
    const second = join(shared)
    expect(second.frames).toHaveLength(2)
    expect(second.frames[1]).toBe(first.frames[0]) // the same bytes: no encoding of the whole document
    same(second.doc, doc)
    // a joiner right after gets the very same tail frame (merged once)
    expect(join(shared).frames[0]).toBe(second.frames[0])
  })

  it('§1.2 the tail goes first: when the step 2 (y-websocket\'s "synced") is applied, the joiner has everything', () => {
    const { doc, shared } = room()
    doc.getText('t').insert(0, 'x'.repeat(4000))
    shared.joinerFrames()
    doc.getMap('m').set('k', 'recent')
    const frames = shared.joinerFrames()
    const joiner = new Y.Doc()
    const updates = frames.map((f) => decodeClientMessage(f, defaultLimits))
    expect(updates.map((m) => m.type)).toEqual(['sync-update', 'sync-step2'])
    for (const m of updates) Y.applyUpdate(joiner, (m as { update: Uint8Array }).update)
    expect(joiner.getMap('m').get('k')).toBe('recent')
    expect(joiner.store.pendingStructs).toBeNull()
    same(joiner, doc)
  })

  it('§1.6 §1.7 a base older than MAX_BASE_AGE_MS is dropped at the next update', () => {
    let now = 1_000_000
    const doc = new Y.Doc()
    const shared = new SharedFullState(doc, () => now)
    doc.on('update', (u: Uint8Array) => shared.changed(u))
    doc.getText('t').insert(0, 'x'.repeat(4000))
    const base = shared.joinerFrames()[0]
    now += MAX_BASE_AGE_MS
    doc.getMap('m').set('k', 1)
    expect(shared.joinerFrames()[1]).toBe(base)
    now += 1
    doc.getMap('m').set('k', 2)
    const next = join(shared)
    expect(next.frames).toHaveLength(1)
    expect(next.frames[0]).not.toBe(base)
    same(next.doc, doc)
  })

  it(`§1.6 a tail beyond ${MAX_TAIL_SHARE * 100} % of the base is dropped: the next joiner gets a new base and no tail`, () => {
    const { doc, shared } = room()
    doc.getText('t').insert(0, 'x'.repeat(4000))
    const base = join(shared).frames[0]
    doc.getText('t').insert(0, 'y'.repeat(1500))
    const next = join(shared)
    expect(next.frames).toHaveLength(1)
    expect(next.frames[0]).not.toBe(base)
    same(next.doc, doc)
  })

  it(`§1.6 a tail of more than ${MAX_TAIL_UPDATES} updates is dropped`, () => {
    const { doc, shared } = room()
    doc.getText('t').insert(0, 'x'.repeat(200_000))
    const base = join(shared).frames[0]
    for (let i = 0; i < MAX_TAIL_UPDATES; i++) doc.getMap('m').set('k', i)
    expect(join(shared).frames[1]).toBe(base)
    doc.getMap('m').set('k', -1)
    const next = join(shared)
    expect(next.frames).toHaveLength(1)
    expect(next.frames[0]).not.toBe(base)
    same(next.doc, doc)
  })

  it('§1.6 the tail holds its own copies: a reused caller buffer does not change it', () => {
    const doc = new Y.Doc()
    const shared = new SharedFullState(doc)
    doc.getText('t').insert(0, 'x'.repeat(4000))
    shared.joinerFrames()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    other.getMap('m').set('k', 'v')
    const update = Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc))
    const buffer = new Uint8Array(update)
    Y.applyUpdate(doc, buffer)
    shared.changed(buffer)
    buffer.fill(0)
    same(join(shared).doc, doc)
  })

  it('§1.6 any sequence of edits and joins: every joiner ends with exactly the document (150 seeded runs)', { timeout: 60_000 }, () => {
    // mulberry32: a small seeded generator, so a failure replays
    let seed = 12345
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return (((t ^ (t >>> 14)) >>> 0) % n)
    }
    let joinsWithTail = 0
    for (let run = 0; run < 150; run++) {
      const { doc, shared } = room()
      const peer = new Y.Doc()
      doc.getText('t').insert(0, 'start '.repeat(100 + rnd(1000)))
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
      for (let step = 0; step < 60; step++) {
        const r = rnd(12)
        const t = peer.getText('t')
        if (r < 4) t.insert(rnd(t.length + 1), 'abc'.slice(0, 1 + rnd(3)))
        else if (r < 6 && t.length > 0) t.delete(rnd(t.length), 1 + rnd(Math.min(5, t.length)))
        else if (r < 8) peer.getMap('m').set(`k${rnd(5)}`, rnd(100))
        else if (r < 9) peer.getMap('m').delete(`k${rnd(5)}`)
        else {
          const j = join(shared)
          if (j.frames.length > 1) joinsWithTail++
          same(j.doc, doc)
          continue
        }
        // the peer's edit reaches the room as an update (as a client's would)
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)))
      }
      same(join(shared).doc, doc)
    }
    // the runs exercised tails, not only fresh encodings
    expect(joinsWithTail).toBeGreaterThan(500)
  })

  it('§1.7 the base as one update lacks the tail; drop lets everything go', () => {
    const { doc, shared } = room()
    doc.getText('t').insert(0, 'x'.repeat(4000))
    const base = shared.baseUpdate()
    doc.getMap('m').set('k', 1)
    const read = new Y.Doc()
    Y.applyUpdate(read, shared.baseUpdate())
    expect(read.getText('t').length).toBe(4000)
    expect(read.getMap('m').has('k')).toBe(false)
    expect(shared.baseUpdate()).toEqual(base)
    shared.drop()
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, shared.baseUpdate())
    same(fresh, doc)
  })
})
