/**
 * Micro-benchmark of the two admission designs (SPEC.md §8), on a comedy board with 1,000 notes:
 *   (a) inspect-before-apply: decode the update, resolve every struct's record through the room's
 *       store (and the update itself), then apply — only *which* records; an after-view would
 *       need Yjs' own integration (conflict resolution) re-done;
 *   (b) apply-then-check(-then-revert): apply in one transaction, run the full board policy on the
 *       after-view; on refusal revert inside the same transaction (sync-core admitUpdate).
 * Reference: plain Y.applyUpdate (what the server did before the policy).
 *   pnpm --filter @copboard/policy bench
 */
import * as Y from 'yjs'
import { admitUpdate } from '@copboard/sync-core'
import { getRecordsMap, recordToY } from '@copboard/board'
import { createBoardPolicy, type PolicyContext } from '../src/index.js'
import { boardDoc, heading, note, participant } from '../test/fixture.js'

const N = Number(process.env.BENCH_N ?? 2000)

function roomWithNotes(): Y.Doc {
  const doc = boardDoc()
  doc.transact(() => {
    for (let i = 0; i < 1000; i++) getRecordsMap(doc).set(`shape:n${i}`, recordToY(note(`n${i}`, 3000 + (i % 40) * 220, 2000 + Math.floor(i / 40) * 220, { author: `P${i}`, perspective: 'gemeente' })) as Y.Map<unknown>)
  })
  return doc
}

/** N updates of one client against `base`: each one edit (sequential, like a drag). */
function updates(base: Y.Doc, edit: (d: Y.Doc, i: number) => void): Uint8Array[] {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base))
  const out: Uint8Array[] = []
  client.on('update', (u: Uint8Array) => out.push(u))
  for (let i = 0; i < N; i++) edit(client, i)
  return out
}

/** (a) which records an update touches, without applying it. */
function classify(doc: Y.Doc, update: Uint8Array): Set<string> {
  const { structs } = Y.decodeUpdate(update)
  const inUpdate = new Map<number, Y.Item[]>()
  for (const s of structs) if (s instanceof Y.Item) (inUpdate.get(s.id.client) ?? inUpdate.set(s.id.client, []).get(s.id.client)!).push(s)
  const find = (id: Y.ID): Y.Item | null => {
    for (const it of inUpdate.get(id.client) ?? []) if (id.clock >= it.id.clock && id.clock < it.id.clock + it.length) return it
    try {
      const s = Y.getItem(doc.store, id)
      return s instanceof Y.Item ? s : null
    } catch {
      return null
    }
  }
  const records = new Set<string>()
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue
    let item: Y.Item | null = s
    for (let guard = 0; item && guard < 64; guard++) {
      let parent: unknown = item.parent
      let sub = item.parentSub
      if (parent === null) {
        const o = item.origin ?? item.rightOrigin
        const n = o ? find(o) : null
        parent = n?.parent ?? null
        sub = n?.parentSub ?? null
      }
      if (typeof parent === 'string') {
        if (parent === 'records' && sub) records.add(sub)
        break
      }
      if (parent instanceof Y.ID) item = find(parent)
      else if (parent instanceof Y.AbstractType) {
        let t = parent as Y.AbstractType<any>
        let key = sub
        while (t._item) {
          key = t._item.parentSub ?? key
          t = t._item.parent as Y.AbstractType<any>
        }
        if (t === doc.getMap('records') && key) records.add(key)
        break
      } else break
    }
  }
  return records
}

/** Best of 5 runs (the machine is shared; the first runs warm the JIT), each on a fresh copy of the room. */
function measure(name: string, base: Y.Doc, ups: Uint8Array[], make: () => (doc: Y.Doc, u: Uint8Array) => void): number {
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
    doc.on('update', () => {}) // like the room: an update listener exists
    const run = make()
    const t0 = process.hrtime.bigint()
    for (const u of ups) run(doc, u)
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / ups.length)
  }
  console.log(`${name.padEnd(58)} ${best.toFixed(1).padStart(7)} µs/update`)
  return best
}

const base = roomWithNotes()
const drag = updates(base, (d, i) => d.transact(() => (getRecordsMap(d).get('shape:n5') as Y.Map<unknown>).set('x', 3000 + (i % 100))))
const create = updates(base, (d, i) => getRecordsMap(d).set(`shape:new${i}`, recordToY(note(`new${i}`, 100 + i, 1400, { author: 'Fatima', perspective: 'gemeente' })) as Y.Map<unknown>))
const attack = updates(base, (d, i) => (getRecordsMap(d).get(heading.id) as Y.Map<unknown>).set('x', i))

const policy = createBoardPolicy()
const ctx: PolicyContext = participant
const revertClient = 123456789
const judged = (doc: Y.Doc) => {
  const room = policy.forRoom(doc)
  return (d: Y.Doc, u: Uint8Array) => void admitUpdate(d, u, 'conn', (tr) => room.check(ctx, tr) as never, revertClient)
}

console.log(`board: comedy + 1,000 authored notes; ${N} updates per case; node ${process.version}`)
for (const [label, ups] of [['drag one note (x)', drag], ['create one note', create], ['participant moves a scaffold shape (refused)', attack]] as const) {
  console.log(`-- ${label}`)
  measure('reference: decode + Y.applyUpdate', base, ups, () => (d, u) => {
    Y.decodeUpdate(u)
    Y.applyUpdate(d, u, 'conn')
  })
  measure('(a) decode + classify records + Y.applyUpdate', base, ups, () => (d, u) => {
    classify(d, u)
    Y.applyUpdate(d, u, 'conn')
  })
  measure('    mechanism only: decode + admitUpdate without a policy', base, ups, () => (d, u) => {
    Y.decodeUpdate(u)
    admitUpdate(d, u, 'conn', null, revertClient)
  })
  measure('(b) decode + apply/check/revert, full board policy', base, ups, () => {
    let runner: ((d: Y.Doc, u: Uint8Array) => void) | null = null
    return (d, u) => {
      runner ??= judged(d)
      Y.decodeUpdate(u)
      runner(d, u)
    }
  })
}
