/**
 * Document growth over a long simulated session: field-by-field nested Y.Maps (copboard's
 * layout) vs whole-record values (y-utility YKeyValue style, as in the public tldraw-yjs example,
 * and a plain Y.Map of whole values). Same edit stream for every layout.
 *
 *   pnpm --filter @copboard/board bench
 */
import * as Y from 'yjs'
import { toRichText, NoteShapeUtil } from 'tldraw'
import type { TLRecord } from '@tldraw/tlschema'
import { upsertRecord, diffFields, recordToY } from '../src/records.js'
import { fragmentToRichText, getTextFragment } from '../src/text.js'

const NOTES = Number(process.env.NOTES ?? 200)
const DRAGS = Number(process.env.DRAGS ?? 5000)
const EDITS = Number(process.env.EDITS ?? 1000)

/** Minimal YKeyValue (y-utility): Y.Array of {key,val}; set = push new entry, delete the old one. */
class YKeyValue {
  constructor(readonly arr: Y.Array<{ key: string; val: unknown }>) {}
  set(key: string, val: unknown) {
    const doc = this.arr.doc!
    doc.transact(() => {
      const items = this.arr.toArray()
      const i = items.findIndex((e) => e.key === key)
      if (i >= 0) this.arr.delete(i, 1)
      this.arr.push([{ key, val }])
    })
  }
}

interface Layout {
  name: string
  doc: Y.Doc
  apply(prev: TLRecord | null, next: TLRecord): void
  updateBytes: number
  updates: number
}

function layouts(): Layout[] {
  const mk = (name: string, apply: (doc: Y.Doc) => Layout['apply']): Layout => {
    const doc = new Y.Doc()
    const l: Layout = { name, doc, apply: apply(doc), updateBytes: 0, updates: 0 }
    doc.on('update', (u: Uint8Array) => {
      l.updateBytes += u.byteLength
      l.updates++
    })
    return l
  }
  return [
    mk('field-by-field (nested Y.Map)', (doc) => {
      const records = doc.getMap<Y.Map<unknown>>('records')
      return (prev, next) =>
        doc.transact(() => {
          if (!prev) records.set(next.id, recordToY(next))
          else upsertRecord(records, next, diffFields(prev, next))
        })
    }),
    mk('whole record (YKeyValue)', (doc) => {
      const kv = new YKeyValue(doc.getArray('records'))
      return (_prev, next) => kv.set(next.id, next)
    }),
    mk('whole record (Y.Map value)', (doc) => {
      const m = doc.getMap('records')
      return (_prev, next) => doc.transact(() => m.set(next.id, next as any))
    }),
  ]
}

function note(i: number): TLRecord {
  const props = NoteShapeUtil.prototype.getDefaultProps.call({} as any)
  return {
    id: `shape:note${i}`, typeName: 'shape', type: 'note', x: (i % 20) * 220, y: Math.floor(i / 20) * 220, rotation: 0,
    index: `a${i}`, parentId: 'page:page', isLocked: false, opacity: 1,
    meta: { author: `Deelnemer ${i % 7}`, perspective: ['gemeente', 'initiatief', 'overig'][i % 3] },
    props: { ...props, color: 'blue', richText: toRichText(`Idee ${i}`) },
  } as unknown as TLRecord
}

let seed = 42
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)

const ls = layouts()
const state = new Map<string, TLRecord>()
const step = (next: TLRecord) => {
  const prev = state.get(next.id) ?? null
  state.set(next.id, next)
  for (const l of ls) l.apply(prev, next)
}
const t0 = performance.now()
for (let i = 0; i < NOTES; i++) step(note(i))
// drags: each frame-coalesced flush moves one note a little (a drag of ~25 frames = 200 drags' worth)
for (let d = 0; d < DRAGS; d++) {
  const r = state.get(`shape:note${Math.floor(rnd() * NOTES)}`)! as any
  step({ ...r, x: Math.round(r.x + rnd() * 40 - 20), y: Math.round(r.y + rnd() * 40 - 20) })
}
for (let e = 0; e < EDITS; e++) {
  const r = state.get(`shape:note${Math.floor(rnd() * NOTES)}`)! as any
  step({ ...r, props: { ...r.props, richText: toRichText(`Idee ${e}: ${'tekst '.repeat(1 + Math.floor(rnd() * 8))}`) } })
}
const ms = performance.now() - t0

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`
console.log(`session: ${NOTES} notes, ${DRAGS} drag flushes, ${EDITS} text edits (${ms.toFixed(0)} ms for all layouts)`)
console.log('layout'.padEnd(32), 'doc state'.padStart(12), 'sum of updates'.padStart(16), 'updates'.padStart(8))
for (const l of ls) {
  const state = Y.encodeStateAsUpdate(l.doc).byteLength
  console.log(l.name.padEnd(32), kb(state).padStart(12), kb(l.updateBytes).padStart(16), String(l.updates).padStart(8))
}
const fresh = JSON.stringify([...state.values()]).length
console.log(`plain JSON of the final records: ${kb(fresh)}`)

// --- typing: bytes per keystroke, whole-value props.richText (before) vs the text fragment ------
// One note, a 60-character sentence typed key by key into a note that already holds 200 chars.
// Fragment: one character into the Y.XmlText per key, plus the debounced mirror (rule 8: about
// once a second; at 5 keys/s that is one mirror write per 5 keys).
const SENTENCE = ' en daarom willen we de wijkaanpak samen met bewoners plannen.'.slice(0, 60)
const BASE = 'Plan: '.padEnd(200, 'x')
const MIRROR_EVERY = Number(process.env.MIRROR_EVERY ?? 5)
function typing(mode: 'whole' | 'fragment') {
  const doc = new Y.Doc()
  const records = doc.getMap<Y.Map<unknown>>('records')
  let rec = { ...(note(0) as any), props: { ...(note(0) as any).props, richText: toRichText(BASE) } } as TLRecord
  doc.transact(() => records.set(rec.id, recordToY(rec)))
  const before = Y.encodeStateAsUpdate(doc).byteLength
  let bytes = 0
  doc.on('update', (u: Uint8Array) => (bytes += u.byteLength))
  const frag = getTextFragment(records.get(rec.id))!
  for (let i = 1; i <= SENTENCE.length; i++) {
    const next = { ...(rec as any), props: { ...(rec as any).props, richText: toRichText(BASE + SENTENCE.slice(0, i)) } } as TLRecord
    if (mode === 'whole') doc.transact(() => upsertRecord(records, next, diffFields(rec, next)))
    else {
      doc.transact(() => (((frag.get(0) as Y.XmlElement).get(0)) as Y.XmlText).insert(BASE.length + i - 1, SENTENCE[i - 1]!))
      if (i % MIRROR_EVERY === 0 || i === SENTENCE.length)
        doc.transact(() => ((records.get(rec.id) as Y.Map<any>).get('props') as Y.Map<any>).set('richText', fragmentToRichText(frag) as any))
    }
    rec = next
  }
  const after = Y.encodeStateAsUpdate(doc).byteLength
  return { perKey: bytes / SENTENCE.length, growthPerKey: (after - before) / SENTENCE.length }
}
const whole = typing('whole')
const frag = typing('fragment')
console.log(`\ntyping ${SENTENCE.length} keys into a ${BASE.length}-char note (mirror every ${MIRROR_EVERY} keys):`)
console.log('layout'.padEnd(32), 'update bytes/key'.padStart(18), 'doc growth/key'.padStart(16))
console.log('whole props.richText (before)'.padEnd(32), whole.perKey.toFixed(1).padStart(18), whole.growthPerKey.toFixed(1).padStart(16))
console.log('Y.XmlFragment + mirror'.padEnd(32), frag.perKey.toFixed(1).padStart(18), frag.growthPerKey.toFixed(1).padStart(16))
process.exit(0) // tldraw leaves timers behind
