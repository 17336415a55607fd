import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { toRichText } from 'tldraw'
import { bindStoreToDoc, syncScheduler, writeRecords, getRecordsMap, writeDocSchema, readRecords, type Scheduler } from '../src/index.js'
import { Net, newStore, seed, note, docShapes, textOf } from './helpers.js'

function pair(opts: { scheduler?: Scheduler } = {}) {
  const net = new Net()
  const a = newStore(), b = newStore()
  seed(a)
  const docA = net.add(), docB = net.add()
  const ua = bindStoreToDoc(a, docA, { scheduler: opts.scheduler ?? syncScheduler })
  const ub = bindStoreToDoc(b, docB, { scheduler: opts.scheduler ?? syncScheduler })
  return { net, a, b, docA, docB, ua, ub }
}

describe('bindStoreToDoc', () => {
  it('loads the first client\'s document records and syncs creates both ways', () => {
    const { a, b } = pair()
    expect(b.get('page:page' as any)).toBeTruthy()
    a.put([note('n1', 10, 10, 'hallo')])
    expect(textOf(b.get('shape:n1' as any))).toBe('hallo')
    b.put([note('n2', 50, 50)])
    expect(a.get('shape:n2' as any)).toBeTruthy()
  })

  it('never syncs session, camera, instance or presence records', () => {
    const { a, docA } = pair()
    a.put([{ id: 'camera:page:page', typeName: 'camera', x: 1, y: 2, z: 1, meta: {} } as any])
    expect(readRecords(docA).some((r) => r.typeName === 'camera')).toBe(false)
  })

  it('converges under concurrent create/move/delete of the same shapes', () => {
    const { net, a, b } = pair()
    a.put([note('n1', 0, 0), note('n2', 0, 0)])
    net.connected = false
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 100 }))
    b.remove(['shape:n1' as any])
    b.update('shape:n2' as any, (r: any) => ({ ...r, y: 300 }))
    a.remove(['shape:n2' as any])
    a.put([note('n3', 1, 1)])
    b.put([note('n3', 2, 2)]) // same id created concurrently
    net.reconnect()
    expect(docShapes(a)).toEqual(docShapes(b))
    expect(a.get('shape:n1' as any)).toBeUndefined()
    expect(a.get('shape:n2' as any)).toBeUndefined()
    expect(a.get('shape:n3' as any)).toBeTruthy()
  })

  it('keeps both a concurrent move and a text edit of one note', () => {
    const { net, a, b } = pair()
    a.put([note('n1', 0, 0, 'oud')])
    net.connected = false
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 400, y: 250 }))
    b.update('shape:n1' as any, (r: any) => ({ ...r, props: { ...r.props, richText: toRichText('nieuw') } }))
    net.reconnect()
    for (const s of [a, b]) {
      const r: any = s.get('shape:n1' as any)
      expect([r.x, r.y, textOf(r)]).toEqual([400, 250, 'nieuw'])
    }
  })

  it('keeps a concurrent meta edit and colour change (props/meta merged per key)', () => {
    const { net, a, b } = pair()
    a.put([note('n1')])
    net.connected = false
    a.update('shape:n1' as any, (r: any) => ({ ...r, props: { ...r.props, color: 'blue' } }))
    b.update('shape:n1' as any, (r: any) => ({ ...r, meta: { ...r.meta, author: 'Bea' }, props: { ...r.props, size: 'l' } }))
    net.reconnect()
    for (const s of [a, b]) {
      const r: any = s.get('shape:n1' as any)
      expect([r.props.color, r.props.size, r.meta.author]).toEqual(['blue', 'l', 'Bea'])
    }
  })

  it('a third client joining late gets everything', () => {
    const { net, a, b } = pair()
    a.put([note('n1', 1, 1, 'een')])
    b.put([note('n2', 2, 2, 'twee')])
    a.remove(['shape:n1' as any])
    const c = newStore()
    const docC = net.add()
    bindStoreToDoc(c, docC, { scheduler: syncScheduler })
    expect(docShapes(c)).toEqual(docShapes(a))
    expect(textOf(c.get('shape:n2' as any))).toBe('twee')
  })

  it('skips invalid or foreign records from a peer without breaking the store', () => {
    const { a, b, docA } = pair()
    const onRejected = vi.fn()
    const c = newStore()
    const docC = new Y.Doc()
    Y.applyUpdate(docC, Y.encodeStateAsUpdate(docA))
    bindStoreToDoc(c, docC, { scheduler: syncScheduler, onRejected })
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(docC))
    const bad = { ...(note('bad') as any), x: 'banana' }
    const instance = { id: 'instance:instance', typeName: 'instance' } as any
    writeRecords(peer, [bad, instance, note('good', 5, 5)])
    getRecordsMap(peer).set('shape:junk', 42 as any)
    Y.applyUpdate(docC, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(docC)))
    expect(c.get('shape:bad' as any)).toBeUndefined()
    expect(c.get('shape:good' as any)).toBeTruthy()
    expect(onRejected.mock.calls.map((x) => x[0]).sort()).toEqual(['instance:instance', 'shape:bad', 'shape:junk'])
    c.put([note('after', 1, 1)]) // store still usable
    expect(readRecords(docC).some((r) => r.id === 'shape:after')).toBe(true)
    void a; void b
  })

  it('has no echo: a remote change is not written back, local writes use the origin', () => {
    const { a, docA, docB, ub } = pair()
    const originsB: unknown[] = []
    docB.on('update', (_u: Uint8Array, o: unknown) => originsB.push(o))
    let updatesA = 0
    docA.on('update', () => updatesA++)
    a.put([note('n1')])
    expect(updatesA).toBe(1) // A's own write, nothing echoed back from B
    expect(originsB).toEqual(['net'])
    expect(ub.origin).toBeTruthy()
  })

  it('remote changes are not user changes (so undo history ignores them)', () => {
    const { a, b } = pair()
    const userChanges: string[] = []
    b.listen((e) => userChanges.push(...Object.keys(e.changes.added)), { source: 'user', scope: 'document' })
    a.put([note('n1')])
    expect(b.get('shape:n1' as any)).toBeTruthy()
    expect(userChanges).toEqual([])
  })

  it('coalesces a drag into one transaction per scheduled flush', () => {
    const flushes: (() => void)[] = []
    const { a, b, docA } = pair({ scheduler: (f) => flushes.push(f) })
    a.put([note('n1')])
    flushes.splice(0).forEach((f) => f())
    let updates = 0
    docA.on('update', () => updates++)
    for (let i = 0; i < 60; i++) a.update('shape:n1' as any, (r: any) => ({ ...r, x: i, y: i * 2 }))
    expect(flushes.length).toBe(1)
    flushes.splice(0).forEach((f) => f())
    expect(updates).toBe(1)
    expect((b.get('shape:n1' as any) as any).x).toBe(59)
  })

  it('a pending local edit survives a remote edit of another field arriving before the flush', () => {
    const flushes: (() => void)[] = []
    const run = () => flushes.splice(0).forEach((f) => f())
    const { a, b } = pair({ scheduler: (f) => flushes.push(f) })
    a.put([note('n1', 0, 0, 'x')])
    run()
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 77 })) // pending in A
    b.update('shape:n1' as any, (r: any) => ({ ...r, props: { ...r.props, richText: toRichText('y') } }))
    run() // B flushes (A's pending is still queued ... order does not matter)
    const ra: any = a.get('shape:n1' as any)
    expect([ra.x, textOf(ra)]).toEqual([77, 'y'])
    run()
    const rb: any = b.get('shape:n1' as any)
    expect([rb.x, textOf(rb)]).toEqual([77, 'y'])
  })

  it('a client that does not know the doc\'s schema goes read-only and writes nothing', () => {
    const doc = new Y.Doc()
    const s = newStore()
    const ser = s.schema.serialize()
    writeDocSchema(doc, { ...ser, sequences: { ...ser.sequences, 'com.tldraw.shape': 999 } } as any)
    writeRecords(doc, [note('n1')])
    const statuses: string[] = []
    const bnd = bindStoreToDoc(s, doc, { scheduler: syncScheduler, onSchemaStatus: (x) => statuses.push(x) })
    expect(bnd.readonly).toBe(true)
    expect(statuses).toEqual(['newer'])
    const before = Y.encodeStateVector(doc)
    s.put([note('n2')])
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('batches remote changes: one store transaction per scheduled apply, read from the doc as it is then (rule 13)', () => {
    const net = new Net()
    const a = newStore(), b = newStore()
    seed(a)
    const docA = net.add(), docB = net.add()
    bindStoreToDoc(a, docA, { scheduler: syncScheduler })
    const applies: (() => void)[] = []
    const ub = bindStoreToDoc(b, docB, { scheduler: syncScheduler, remoteScheduler: (f) => applies.push(f) })
    a.put([note('n1'), note('n2')])
    applies.splice(0).forEach((f) => f())
    let commits = 0
    b.listen(() => commits++, { source: 'remote', scope: 'document' })
    for (let i = 1; i <= 30; i++) {
      a.update('shape:n1' as any, (r: any) => ({ ...r, x: i }))
      a.update('shape:n2' as any, (r: any) => ({ ...r, y: i }))
    }
    a.remove(['shape:n2' as any])
    expect(applies.length).toBe(1) // one apply scheduled for 61 updates
    expect((b.get('shape:n1' as any) as any).x).toBe(0) // nothing applied before it runs
    applies.splice(0).forEach((f) => f())
    expect(commits).toBe(1)
    expect((b.get('shape:n1' as any) as any).x).toBe(30)
    expect(b.get('shape:n2' as any)).toBeUndefined()
    // unbound: a scheduled apply does nothing
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 99 }))
    ub()
    applies.splice(0).forEach((f) => f())
    expect((b.get('shape:n1' as any) as any).x).toBe(30)
  })

  it('unbind stops syncing', () => {
    const { a, b, ua } = pair()
    ua()
    a.put([note('n9')])
    expect(b.get('shape:n9' as any)).toBeUndefined()
  })
})

describe('older boards', () => {
  it('a board stamped by an older client is migrated up and re-stamped', async () => {
    const { checkDocSchema } = await import('../src/index.js')
    const s = newStore()
    const ser = s.schema.serialize()
    const seq = 'com.tldraw.shape.note'
    const current = (ser.sequences as Record<string, number>)[seq]
    expect(current).toBeGreaterThan(1)
    const doc = new Y.Doc()
    writeDocSchema(doc, { ...ser, sequences: { ...ser.sequences, [seq]: current - 1 } } as any)
    const old: any = note('old', 3, 4, 'van vroeger')
    writeRecords(doc, [old])
    expect(checkDocSchema(doc, s.schema)).toBe('older')
    const statuses: string[] = []
    bindStoreToDoc(s, doc, { scheduler: syncScheduler, onSchemaStatus: (x) => statuses.push(x) })
    expect(statuses).toEqual(['same'])
    expect(checkDocSchema(doc, s.schema)).toBe('same')
    expect(textOf(s.get('shape:old' as any))).toBe('van vroeger')
  })
})
