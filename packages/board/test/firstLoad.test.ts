import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc, getRecordsMap, syncScheduler, writeRecords, type Scheduler } from '../src/index.js'
import { splitFirstLoad } from '../src/firstLoad.js'
import { newStore, seed, note } from './helpers.js'

/** A scheduler that runs only when the test says so. */
function manual() {
  const queue: (() => void)[] = []
  const scheduler: Scheduler = (f) => void queue.push(f)
  return { scheduler, run: () => queue.splice(0).forEach((f) => f()), get size() { return queue.length } }
}

/** A board doc with `near` notes in the first view and `far` notes far away. */
function boardDoc(near: number, far: number) {
  const src = newStore()
  seed(src)
  for (let i = 0; i < near; i++) src.put([note(`near${i}`, i, 0)])
  for (let i = 0; i < far; i++) src.put([note(`far${i}`, 10_000 + i, 0)])
  const doc = new Y.Doc()
  writeRecords(doc, src.allRecords().filter((r) => r.typeName !== 'instance' && r.typeName !== 'camera' && r.typeName !== 'instance_page_state' && r.typeName !== 'pointer'))
  return doc
}
const isFar = (f: { typeName: unknown; x: unknown }) => f.typeName === 'shape' && typeof f.x === 'number' && f.x >= 10_000
const shapeCount = (s: ReturnType<typeof newStore>) => s.query.records('shape').get().length

describe('first load of a big board (issue 12)', () => {
  it('puts the records of the first view in the store at once and the rest in chunks after `after`', async () => {
    const doc = boardDoc(10, 600)
    const store = newStore()
    const sched = manual()
    let release!: () => void
    const after = new Promise<void>((r) => (release = r))
    let done = 0
    bindStoreToDoc(store, doc, { scheduler: syncScheduler, remoteScheduler: sched.scheduler, later: { when: isFar, chunk: 250, after, onDone: () => done++ } })
    expect(shapeCount(store)).toBe(10)
    expect(store.get('page:page' as any)).toBeTruthy()
    await Promise.resolve()
    expect(sched.size).toBe(0) // nothing before `after`
    release()
    await after
    await Promise.resolve()
    sched.run()
    expect(shapeCount(store)).toBe(260)
    sched.run()
    sched.run()
    expect(shapeCount(store)).toBe(610)
    expect(done).toBe(1)
  })

  it('loads a small board at once', () => {
    const doc = boardDoc(5, 20)
    const store = newStore()
    let done = 0
    bindStoreToDoc(store, doc, { scheduler: syncScheduler, later: { when: isFar, onDone: () => done++ } })
    expect(shapeCount(store)).toBe(25)
    expect(done).toBe(0)
  })

  it('a big remote batch (the server\'s state after the binding started on an empty doc) waits the same way', async () => {
    const store = newStore()
    const doc = new Y.Doc()
    const sched = manual()
    let done = 0
    bindStoreToDoc(store, doc, { scheduler: syncScheduler, remoteScheduler: sched.scheduler, later: { when: isFar, chunk: 400, onDone: () => done++ } })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(boardDoc(10, 600)))
    sched.run()
    expect(shapeCount(store)).toBe(10)
    await Promise.resolve()
    sched.run()
    expect(shapeCount(store)).toBe(410)
    sched.run()
    expect(shapeCount(store)).toBe(610)
    expect(done).toBe(1)
  })

  it('a waiting record that changed or went meanwhile is loaded as the doc holds it then', async () => {
    const doc = boardDoc(0, 600)
    const store = newStore()
    const sched = manual()
    bindStoreToDoc(store, doc, { scheduler: syncScheduler, remoteScheduler: sched.scheduler, later: { when: isFar, chunk: 1000 } })
    const records = getRecordsMap(doc)
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc))
    getRecordsMap(remote).delete('shape:far1')
    ;(getRecordsMap(remote).get('shape:far2') as Y.Map<unknown>).set('y', 77)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote))
    expect(records.has('shape:far1')).toBe(false)
    await Promise.resolve()
    sched.run() // the remote change and the waiting chunk
    sched.run()
    expect(store.get('shape:far1' as any)).toBeUndefined()
    expect((store.get('shape:far2' as any) as any).y).toBe(77)
    expect(shapeCount(store)).toBe(599)
  })

  it('never lets a record wait that another record points to (a parent, a binding end)', () => {
    const records = new Y.Doc().getMap<any>('records')
    for (let i = 0; i < 600; i++) records.set(`shape:n${i}`, { id: `shape:n${i}`, typeName: 'shape', type: 'note', parentId: 'page:p', x: 10_000, y: 0 })
    records.set('shape:child', { id: 'shape:child', typeName: 'shape', type: 'geo', parentId: 'shape:n1', x: 10_000, y: 0 })
    records.set('binding:b', { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 'shape:arrow', toId: 'shape:n2' })
    const { now, later } = splitFirstLoad(records, records.keys(), { when: (f) => f.typeName === 'shape' && f.x === 10_000 })
    expect(now.sort()).toEqual(['binding:b', 'shape:n1', 'shape:n2'])
    expect(later).toHaveLength(599)
  })
})
