import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes, RoomManager, type UpdatePolicy, type PolicyVerdict } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage } from './memoryStorage.js'
import { TestClient, settle } from './client.js'

/**
 * A small policy for the mechanism: the root map 'locked' is the facilitator's; a participant may
 * put anything into 'open' except a value containing "SECRET" (the privacy case: refused content
 * must never leave the room).
 */
const policy: UpdatePolicy = {
  forRoom: (_room, doc) => {
    // root types are typed before any update arrives (the board policy does the same)
    doc.getMap('locked')
    doc.getMap('open')
    return {
    check(ctx, tr): PolicyVerdict {
      for (const [type, keys] of tr.changed) {
        let root: Y.AbstractType<any> = type
        while (root._item) root = root._item.parent as Y.AbstractType<any>
        const name = [...tr.doc.share].find(([, t]) => t === root)?.[0]
        if (name === 'locked' && ctx.info?.role !== 'facilitator') return { ok: false, reason: 'scaffold-locked', detail: 'locked' }
        if (name === 'open') {
          for (const k of keys) {
            const v = k === null ? null : (type as unknown as Y.Map<unknown>).get(k)
            if (typeof v === 'string' && v.includes('SECRET')) return { ok: false, reason: 'anonymous-author', detail: k ?? '' }
          }
        }
      }
      return { ok: true }
    },
    }
  },
}

let managers: RoomManager[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

function setup(roomPolicy: UpdatePolicy = policy) {
  const storage = new MemoryStorage()
  const logger = new CapturingLogger()
  const manager = new RoomManager({ storage, logger, policy: roomPolicy, roomIdleMs: 50 })
  managers.push(manager)
  const client = (role: string) => {
    const c = new TestClient(manager, 'r1', { info: { role } })
    clients.push(c)
    return c
  }
  return { storage, logger, manager, client }
}

const bytesContain = (frames: Uint8Array[], needle: string) => frames.some((f) => Buffer.from(f).includes(needle))
const storedContains = (storage: MemoryStorage, needle: string) => (storage.logs.get('r1') ?? []).some((u) => Buffer.from(u).includes(needle))

describe('§12 admission of client updates', () => {
  it('§12.1 §12.3 a refused update is reverted: the sender is told, converges back, the other client never sees it', async () => {
    const { client, storage } = setup()
    const fac = client('facilitator')
    const part = client('participant')
    await settle()
    fac.doc.getMap('locked').set('title', 'Akte 1')
    await settle()
    expect(part.doc.getMap('locked').get('title')).toBe('Akte 1')
    const facFrames = fac.received.length
    part.doc.transact(() => {
      part.doc.getMap('locked').set('title', 'Mine now')
      part.doc.getMap('locked').delete('title')
      part.doc.getMap('locked').set('extra', 'x')
    })
    await settle()
    expect(part.readOnlyNotices).toEqual(['policy:scaffold-locked'])
    // the sender's document returned to the room's state
    expect(part.doc.getMap('locked').toJSON()).toEqual({ title: 'Akte 1' })
    expect(fac.doc.getMap('locked').toJSON()).toEqual({ title: 'Akte 1' })
    expect(bytesContain(fac.received.slice(facFrames), 'Mine now')).toBe(false)
    expect(storedContains(storage, 'Mine now')).toBe(false)
    expect(storage.docOf('r1').getMap('locked').toJSON()).toEqual({ title: 'Akte 1' })
  })

  it('§12.1 the sender keeps writing after a refusal (no clock gap): its next allowed edit reaches the others', async () => {
    const { client } = setup()
    const fac = client('facilitator')
    const part = client('participant')
    await settle()
    part.doc.getMap('locked').set('k', 'no')
    part.doc.getMap('open').set('a', 1)
    await settle()
    part.doc.getMap('open').set('b', 2)
    await settle()
    expect(fac.doc.getMap('open').toJSON()).toEqual({ a: 1, b: 2 })
    expect(fac.doc.getMap('locked').toJSON()).toEqual({})
    expect(part.doc.getMap('locked').toJSON()).toEqual({})
  })

  it('§12.2 refused content never reaches a peer or the log, not even as bytes of a deleted item', async () => {
    const { client, storage } = setup()
    const a = client('participant')
    const b = client('participant')
    await settle()
    const before = b.received.length
    a.doc.getMap('open').set('author', 'SECRET-NAME')
    await settle()
    expect(a.readOnlyNotices).toEqual(['policy:anonymous-author'])
    expect(a.doc.getMap('open').has('author')).toBe(false)
    expect(bytesContain(b.received.slice(before), 'SECRET')).toBe(false)
    expect(bytesContain(a.received, 'SECRET')).toBe(false)
    expect(storedContains(storage, 'SECRET')).toBe(false)
    // a late joiner's full sync does not carry it either
    const late = client('participant')
    await settle()
    expect(bytesContain(late.received, 'SECRET')).toBe(false)
  })

  it('§12.2 an update inserted and deleted within itself is stored without its content', async () => {
    const { client, storage } = setup()
    const a = client('participant')
    const b = client('participant')
    await settle()
    // one transaction inserts a text and deletes it again: Yjs garbage-collects the content
    const raw = new Y.Doc()
    Y.applyUpdate(raw, Y.encodeStateAsUpdate(a.doc))
    let update!: Uint8Array
    raw.on('update', (u: Uint8Array) => (update = u))
    raw.gc = false // a hostile client keeps the deleted content in what it sends
    raw.transact(() => {
      raw.getText('t').insert(0, 'hidden-words')
      raw.getText('t').delete(0, 12)
    })
    expect(Buffer.from(update).includes('hidden-words')).toBe(true)
    const before = b.received.length
    a.sendRaw(new Uint8Array([0, 2, ...varUint(update.length), ...update]))
    await settle()
    expect(bytesContain(b.received.slice(before), 'hidden-words')).toBe(false)
    expect(storedContains(storage, 'hidden-words')).toBe(false)
  })

  it('§12.2 an update that depends on content the room never saw is refused, nothing of it is kept', async () => {
    const { client, storage } = setup()
    const a = client('participant')
    const b = client('participant')
    await settle()
    const raw = new Y.Doc()
    raw.getText('t').insert(0, 'first')
    const sv = Y.encodeStateVector(raw)
    raw.getText('t').insert(5, ' SECRET second')
    const onlySecond = Y.encodeStateAsUpdate(raw, sv)
    a.sendRaw(new Uint8Array([0, 2, ...varUint(onlySecond.length), ...onlySecond]))
    await settle()
    expect(a.readOnlyNotices).toEqual(['policy:incomplete-update'])
    expect(bytesContain(b.received, 'SECRET')).toBe(false)
    expect(storedContains(storage, 'SECRET')).toBe(false)
  })

  it('§12.3 one log line per connection and reason, counted in refusedUpdates', async () => {
    const { client, logger } = setup()
    const part = client('participant')
    await settle()
    for (let i = 0; i < 5; i++) {
      part.doc.getMap('locked').set('k', i)
      await settle(3)
    }
    await settle()
    const lines = logger.lines.filter((l) => String(l.msg).includes('refused by the policy'))
    expect(lines).toHaveLength(1)
    expect(part.conn.refusedUpdates).toBe(5)
    expect(part.doc.getMap('locked').toJSON()).toEqual({})
  })

  it('§12.1 the facilitator is admitted as usual', async () => {
    const { client, storage } = setup()
    const fac = client('facilitator')
    const other = client('participant')
    await settle()
    fac.doc.getMap('locked').set('k', 'v')
    await settle()
    expect(fac.readOnlyNotices).toEqual([])
    expect(other.doc.getMap('locked').get('k')).toBe('v')
    expect(storage.docOf('r1').getMap('locked').get('k')).toBe('v')
  })
})

describe('§5.6 forwarding an admitted update as received', () => {
  /** An update of `edit` on top of what `from` holds, and its sync-update (or step 2) frame. */
  function edited(from: Y.Doc, edit: (d: Y.Doc) => void, subType = 2) {
    const raw = new Y.Doc({ gc: false }) // keeps deleted content in what it sends
    Y.applyUpdate(raw, Y.encodeStateAsUpdate(from))
    const sv = Y.encodeStateVector(raw)
    edit(raw)
    const update = Y.encodeStateAsUpdate(raw, sv)
    return { update, frame: new Uint8Array([0, subType, ...varUint(update.length), ...update]) }
  }
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))
  const state = (d: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(d))

  it('§5.6 §5.1 an admitted update reaches the others and the log byte for byte; every document ends byte-identical', async () => {
    const { client, storage } = setup()
    const a = client('participant')
    const b = client('participant')
    const c = client('facilitator')
    await settle()
    for (let i = 0; i < 5; i++) {
      const { update, frame } = edited(a.doc, (d) => {
        d.getMap('open').set('x', i)
        d.getMap('open').set('y', 2 * i)
      })
      Y.applyUpdate(a.doc, update, a) // the sender holds its own edit (not sent twice)
      const before = b.received.length
      a.sendRaw(frame)
      await settle()
      expect(b.received.slice(before).some((f) => same(f, frame))).toBe(true)
      expect(c.received.some((f) => same(f, frame))).toBe(true)
      expect(same(storage.logs.get('r1')!.at(-1)!, update)).toBe(true)
    }
    expect(state(b.doc).equals(state(a.doc))).toBe(true)
    expect(state(c.doc).equals(state(a.doc))).toBe(true)
    expect(state(storage.docOf('r1')).equals(state(a.doc))).toBe(true)
    const late = client('participant')
    await settle()
    expect(state(late.doc).equals(state(a.doc))).toBe(true)
  })

  it('§5.1 §5.6 §12.3 an update whose transaction an observer breaks is still stored and broadcast (forwarded, step 2, refused); the room goes on', async () => {
    // an observer (e.g. the anonymous-awareness zones) that throws once per edit below
    let breakNext = false
    const throwing: UpdatePolicy = {
      forRoom: (room, doc) => {
        doc.getMap('open').observe(() => {
          if (breakNext) {
            breakNext = false
            throw new Error('observer broke')
          }
        })
        return policy.forRoom(room, doc)
      },
    }
    const { client, storage, logger } = setup(throwing)
    const b = client('participant')
    await settle()
    for (const [key, value, subType] of [['forwarded', 'f', 2], ['step 2', 's', 1], ['refused', 'SECRET', 2]] as const) {
      const a = client('participant')
      await settle()
      const { update, frame } = edited(a.doc, (d) => d.getMap('open').set(key, value), subType)
      breakNext = true
      a.sendRaw(frame)
      await settle()
      expect(breakNext).toBe(false)
      expect(a.socket.closeCode).toBe(CloseCodes.INTERNAL_ERROR.code)
      if (value === 'SECRET') {
        // refused as without the observer: the sender is told, nobody gets the content
        expect(bytesContain(a.received, 'policy:anonymous-author')).toBe(true)
        expect(bytesContain(b.received, 'SECRET')).toBe(false)
        expect(storedContains(storage, 'SECRET')).toBe(false)
        expect(b.doc.getMap('open').get(key)).toBeUndefined()
        continue
      }
      expect(b.doc.getMap('open').get(key)).toBe(value)
      expect(storage.docOf('r1').getMap('open').get(key)).toBe(value)
      if (subType === 2) expect(same(storage.logs.get('r1')!.at(-1)!, update)).toBe(true)
    }
    expect(logger.lines.filter((l) => l.msg === 'sync: unexpected error handling a message')).toHaveLength(3)
    // the room goes on: the next edit reaches the others and the log, a late client gets it all
    b.doc.getMap('open').set('after', 'yes')
    await settle()
    expect(storage.docOf('r1').getMap('open').get('after')).toBe('yes')
    const late = client('participant')
    await settle()
    expect(late.doc.getMap('open').get('after')).toBe('yes')
    expect(state(late.doc).equals(state(storage.docOf('r1')))).toBe(true)
  })

  it('§5.6 §12.1 a refused update, a sync step 2 and an update deleting what it inserted are not forwarded; all still converge', async () => {
    const { client, storage } = setup()
    const a = client('participant')
    const b = client('participant')
    await settle()
    const sent: Uint8Array[] = []
    const refused = edited(a.doc, (d) => d.getMap('open').set('k', 'SECRET'))
    const step2 = edited(a.doc, (d) => d.getMap('open').set('s', 'via step 2'), 1)
    const churn = edited(a.doc, (d) => {
      d.getMap('open').set('t', 'gone')
      d.getMap('open').delete('t')
    })
    for (const e of [refused, step2, churn]) {
      sent.push(e.frame)
      a.sendRaw(e.frame)
      await settle()
    }
    for (const f of sent) expect(b.received.some((r) => same(r, f))).toBe(false)
    expect(Buffer.from(churn.update).includes('gone')).toBe(true)
    expect(bytesContain(b.received, 'gone')).toBe(false)
    expect(storedContains(storage, 'gone')).toBe(false)
    expect(b.doc.getMap('open').get('k')).toBeUndefined()
    expect(b.doc.getMap('open').get('s')).toBe('via step 2')
    expect(state(storage.docOf('r1')).equals(state(b.doc))).toBe(true)
  })
})

function varUint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f))
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}
