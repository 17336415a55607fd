import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toRichText } from 'tldraw'
import {
  bindStoreToDoc,
  fragmentToRichText,
  getRecordsMap,
  getTextFragment,
  readRecords,
  richTextToFragment,
  sameRichText,
  syncScheduler,
  TEXT_KEY,
  writeRecords,
  writeRichTextToFragment,
} from '../src/index.js'
import { Net, newStore, note, seed, textOf } from './helpers.js'

const EDITOR = { editor: 'tiptap' } // stands for y-prosemirror's ySyncPluginKey origin

function pair() {
  const net = new Net()
  const a = newStore(), b = newStore()
  seed(a)
  const docA = net.add(), docB = net.add()
  const ua = bindStoreToDoc(a, docA, { scheduler: syncScheduler, mirrorDelayMs: 5 })
  const ub = bindStoreToDoc(b, docB, { scheduler: syncScheduler, mirrorDelayMs: 5 })
  return { net, a, b, docA, docB, ua, ub }
}
const frag = (doc: Y.Doc, id: string) => getTextFragment(getRecordsMap(doc).get(`shape:${id}`))!
/** What the editor binding does per keystroke: one character into the paragraph's text. */
function typeChar(doc: Y.Doc, id: string, index: number, ch: string) {
  doc.transact(() => {
    const p = frag(doc, id).get(0) as Y.XmlElement
    let t = p.get(0) as Y.XmlText | undefined
    if (!t) p.insert(0, [(t = new Y.XmlText())])
    t.insert(index, ch)
  }, EDITOR)
}
/** A typist whose caret follows their own typing (as an editor's does), wherever others type. */
function typist(doc: Y.Doc, id: string, at: number) {
  const text = () => ((frag(doc, id).get(0) as Y.XmlElement).get(0) as Y.XmlText)
  let caret = Y.createRelativePositionFromTypeIndex(text(), at, -1)
  return (ch: string) => {
    const i = Y.createAbsolutePositionFromRelativePosition(caret, doc)!.index
    typeChar(doc, id, i, ch)
    caret = Y.createRelativePositionFromTypeIndex(text(), i + 1, -1)
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('note text as a Y.XmlFragment (README rules 7–10)', () => {
  it('rule 7: a text shape is stored with a fragment in its record map, in the y-prosemirror layout', () => {
    const { docA, a } = pair()
    a.put([note('n1', 0, 0, 'Plan')])
    const f = frag(docA, 'n1')
    expect(f).toBeInstanceOf(Y.XmlFragment)
    expect(f.toString()).toBe('<paragraph>Plan</paragraph>')
    expect(sameRichText(fragmentToRichText(f), toRichText('Plan'))).toBe(true)
    // not a tldraw field: readers never see the key
    expect(Object.keys(readRecords(docA).find((r) => r.id === 'shape:n1')!)).not.toContain(TEXT_KEY)
  })

  it('rule 7: marks and attributes round-trip', () => {
    const rt = { type: 'doc', content: [{ type: 'paragraph', attrs: { dir: 'auto' }, content: [{ type: 'text', text: 'vet', marks: [{ type: 'bold' }] }, { type: 'text', text: ' en gewoon' }] }, { type: 'paragraph' }] }
    const d = new Y.Doc()
    d.getMap('x').set('f', richTextToFragment(rt))
    const back = fragmentToRichText(d.getMap('x').get('f') as Y.XmlFragment)
    expect(sameRichText(back, rt)).toBe(true)
  })

  it('rule 10: concurrent typing into one note keeps both words, identical everywhere', () => {
    for (const interleave of [0, 3, 7]) {
      const { net, a, b, docA, docB } = pair()
      a.put([note('n1', 0, 0, 'Plan')])
      const wordA = ' zonnepanelen', wordB = ' warmtenet'
      // A starts, B starts `interleave` keystrokes later; updates cross in flight
      let ia = 0, ib = 0
      const typeA = typist(docA, 'n1', 4), typeB = typist(docB, 'n1', 4)
      for (let step = 0; ia < wordA.length || ib < wordB.length; step++) {
        net.connected = false
        if (ia < wordA.length) typeA(wordA[ia++]!)
        if (step >= interleave && ib < wordB.length) typeB(wordB[ib++]!)
        net.reconnect()
      }
      const ta = textOf(a.get('shape:n1' as any)), tb = textOf(b.get('shape:n1' as any))
      expect(ta).toBe(tb)
      expect(ta).toContain('zonnepanelen')
      expect(ta).toContain('warmtenet')
      expect(ta.length).toBe(4 + wordA.length + wordB.length)
      // the server reads the same text from the doc
      expect(textOf(readRecords(docA).find((r) => r.id === 'shape:n1'))).toBe(ta)
      expect(textOf(readRecords(docB).find((r) => r.id === 'shape:n1'))).toBe(ta)
    }
  })

  it('rule 10: undo of one\'s own typing only (UndoManager tracking the editor origin)', () => {
    const { a, b, docA, docB } = pair()
    a.put([note('n1', 0, 0, 'Plan')])
    const undoA = new Y.UndoManager(frag(docA, 'n1'), { trackedOrigins: new Set([EDITOR]), captureTimeout: 0 })
    for (const [i, ch] of [...' zon'].entries()) typeChar(docA, 'n1', 4 + i, ch)
    for (const [i, ch] of [...' warm'].entries()) typeChar(docB, 'n1', 8 + i, ch)
    expect(textOf(b.get('shape:n1' as any))).toBe('Plan zon warm')
    while (undoA.canUndo()) undoA.undo()
    expect(textOf(a.get('shape:n1' as any))).toBe('Plan warm')
    expect(textOf(b.get('shape:n1' as any))).toBe('Plan warm')
    void docB
  })

  it('rule 8: the fragment wins over a mirror that lost a race; typing writes the mirror debounced, not per keystroke', async () => {
    const { a, docA, docB } = pair()
    a.put([note('n1', 0, 0, 'Plan')])
    const mirrorWrites: number[] = []
    getRecordsMap(docB).observeDeep((evs) => {
      for (const e of evs) if (e.target instanceof Y.Map && (e as Y.YMapEvent<unknown>).keysChanged.has('richText')) mirrorWrites.push(1)
    })
    for (const [i, ch] of [...' groen'].entries()) {
      typeChar(docA, 'n1', 4 + i, ch)
      // the editor (tldraw) writes the store's text after each keystroke, as a user change
      a.update('shape:n1' as any, (r: any) => ({ ...r, props: { ...r.props, richText: fragmentToRichText(frag(docA, 'n1')) } }))
    }
    expect(mirrorWrites.length).toBe(0)
    await sleep(30)
    expect(mirrorWrites.length).toBe(1)
    expect(textOf({ props: (getRecordsMap(docB).get('shape:n1') as Y.Map<any>).get('props').toJSON() })).toBe('Plan groen')
    // a stale mirror written by someone else does not change what anyone reads
    ;(getRecordsMap(docB).get('shape:n1') as Y.Map<any>).get('props').set('richText', toRichText('oud'))
    expect(textOf(a.get('shape:n1' as any))).toBe('Plan groen')
    expect(textOf(readRecords(docA)[2] ?? readRecords(docA).find((r) => r.id === 'shape:n1'))).toBe('Plan groen')
  })

  it('rule 9: a whole-value text write (template, paste, restore) lands in the fragment as a minimal edit', () => {
    const { a, b, docA } = pair()
    a.put([note('n1', 0, 0, 'Plan zon')])
    // B's typing is in flight while the server rewrites the text of the same paragraph
    typeChar(docA, 'n1', 8, '!')
    writeRecords(docA, [{ ...(a.get('shape:n1' as any) as any), props: { ...(a.get('shape:n1' as any) as any).props, richText: toRichText('Het plan zon!') } }])
    expect(textOf(b.get('shape:n1' as any))).toBe('Het plan zon!')
    const d = new Y.Doc()
    d.getMap('m').set('f', richTextToFragment(toRichText('abc def')))
    const f = d.getMap('m').get('f') as Y.XmlFragment
    const text = (f.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const before = text
    writeRichTextToFragment(f, toRichText('abc XX def'))
    expect((f.get(0) as Y.XmlElement).get(0)).toBe(before) // same Y.XmlText: a character-level edit
    expect(text.toString()).toBe('abc XX def')
  })

  it('rule 9: the editor\'s live text object is never replaced by a remote update', () => {
    const net = new Net()
    const a = newStore(), b = newStore()
    seed(a)
    const docA = net.add(), docB = net.add()
    bindStoreToDoc(a, docA, { scheduler: syncScheduler })
    bindStoreToDoc(b, docB, { scheduler: syncScheduler, isTextLive: (id) => id === 'shape:n1' })
    a.put([note('n1', 0, 0, 'Plan')])
    const live = (b.get('shape:n1' as any) as any).props.richText
    typeChar(docA, 'n1', 4, '!')
    expect((b.get('shape:n1' as any) as any).props.richText).toBe(live)
  })

  it('rule 9: a board from before fragments gets one when its text is first edited', () => {
    const doc = new Y.Doc()
    const s = newStore()
    seed(s)
    const bnd = bindStoreToDoc(s, doc, { scheduler: syncScheduler })
    s.put([note('old', 0, 0, 'van vroeger')])
    ;(getRecordsMap(doc).get('shape:old') as Y.Map<unknown>).delete(TEXT_KEY)
    expect(getTextFragment(getRecordsMap(doc).get('shape:old'))).toBeNull()
    const f = bnd.textFragment('shape:old')!
    expect(f.toString()).toBe('<paragraph>van vroeger</paragraph>')
    expect(bnd.textFragment('shape:old')).toBe(f)
  })
})
