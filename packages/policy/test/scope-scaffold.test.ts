/** Board policy SPEC §1 scope and §2 template scaffold; shared harness: fixture.ts. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, recordToY } from '@copboard/board'
import { plainToRichText } from '@copboard/templates'
import { contextFromInfo, COLLAB_TEXT_KEY } from '../src/index.js'
import { addRecord, attempt, boardDoc, facilitator, heading, note, pageId, participant, policyRoom, rec, zoneShape, refusedWith, ok } from './fixture.js'
import type { TLRecord } from '@tldraw/tlschema'

describe('§1 scope', () => {
  it('§1.1 a change deep inside a record (collaborative text) is attributed to that record', () => {
    const doc = boardDoc()
    doc.transact(() => rec(doc, heading.id).set(COLLAB_TEXT_KEY, new Y.XmlFragment()))
    const v = attempt(doc, participant, (d) => {
      const frag = rec(d, heading.id).get(COLLAB_TEXT_KEY) as Y.XmlFragment
      const p = new Y.XmlElement('paragraph')
      frag.insert(0, [p])
      p.insert(0, [new Y.XmlText('mine now')])
    })
    expect(v).toEqual(refusedWith('scaffold-locked'))
  })

  it('§1.2 one refused change refuses the whole update', () => {
    const doc = boardDoc()
    const v = attempt(doc, participant, (d) => {
      addRecord(d, note('fine', 100, 100))
      rec(d, heading.id).set('x', 1)
    })
    expect(v).toEqual(refusedWith('scaffold-locked'))
  })

  it('§1.3 a viewer changes nothing', () => {
    expect(attempt(boardDoc(), { role: 'viewer', participantId: null }, (d) => addRecord(d, note('n', 0, 0)))).toEqual(refusedWith('read-only'))
    expect(contextFromInfo({ role: 'admin' })).toEqual({ role: 'viewer', participantId: null })
    expect(contextFromInfo({ role: 'participant', participantId: 'short' })).toEqual({ role: 'participant', participantId: null })
  })

  it('§1.4 other root types are not governed by the board policy', () => {
    expect(attempt(boardDoc(), participant, (d) => d.getText('scratch').insert(0, 'x'))).toEqual(ok)
  })
})

describe('§2 template scaffold', () => {
  const doc = boardDoc()
  const cases: [string, (d: Y.Doc) => void][] = [
    ['move', (d) => rec(d, heading.id).set('x', 999)],
    ['unlock', (d) => rec(d, heading.id).set('isLocked', false)],
    ['retitle', (d) => (rec(d, heading.id).get('props') as Y.Map<unknown>).set('richText', plainToRichText('Weg met de gemeente'))],
    ['delete', (d) => getRecordsMap(d).delete(heading.id)],
    ['un-flag', (d) => (rec(d, heading.id).get('meta') as Y.Map<any>).set('copboard', { ...(heading.meta as any).copboard, scaffold: false })],
    ['replace its meta map', (d) => rec(d, heading.id).set('meta', new Y.Map())],
    ['replace the whole record', (d) => getRecordsMap(d).set(heading.id, recordToY({ ...heading, x: 5 } as TLRecord) as Y.Map<unknown>)],
    ['move the act 1 frame', (d) => rec(d, zoneShape('act1').id).set('y', -500)],
  ]
  for (const [what, edit] of cases) {
    it(`§2.1 a participant cannot ${what} a scaffold shape; the facilitator can`, () => {
      expect(attempt(doc, participant, edit)).toEqual(refusedWith('scaffold-locked'))
      expect(attempt(doc, facilitator, edit)).toEqual(ok)
    })
  }

  it('§2.2 a participant cannot create a shape flagged as scaffold (a pasted copy must be un-flagged)', () => {
    const flagged = note('copy', 10, 10, { copboard: { templateId: 'comedy', version: 1, zoneId: null, scaffold: true, part: 'decoration' } })
    expect(attempt(doc, participant, (d) => addRecord(d, flagged))).toEqual(refusedWith('scaffold-locked'))
    expect(attempt(doc, facilitator, (d) => addRecord(d, flagged))).toEqual(ok)
    expect(attempt(doc, participant, (d) => addRecord(d, note('plain', 10, 10)))).toEqual(ok)
  })

  it('§2.2 a participant cannot create a zone shape, scaffold or not, nor turn a note into one or redefine a zone; the facilitator can; an existing non-scaffold zone may be moved', () => {
    const act1 = zoneShape('act1') as any
    const zoneCopy = { ...act1, id: 'shape:zonecopy', x: act1.x + 20_000, meta: { copboard: { ...act1.meta.copboard, scaffold: false } } } as TLRecord
    expect(attempt(doc, participant, (d) => addRecord(d, zoneCopy))).toEqual(refusedWith('scaffold-locked'))
    expect(attempt(doc, facilitator, (d) => addRecord(d, zoneCopy))).toEqual(ok)
    const d0 = boardDoc()
    addRecord(d0, note('mine', 10, 10))
    expect(attempt(d0, participant, (d) => (rec(d, 'shape:mine').get('meta') as Y.Map<unknown>).set('copboard', { ...act1.meta.copboard, scaffold: false }))).toEqual(refusedWith('scaffold-locked'))
    const d1 = boardDoc()
    addRecord(d1, zoneCopy)
    expect(attempt(d1, participant, (d) => rec(d, 'shape:zonecopy').set('x', act1.x + 30_000))).toEqual(ok)
    // nor redefine one (which zone it is); the facilitator can
    const redefine = (d: Y.Doc) => (rec(d, 'shape:zonecopy').get('meta') as Y.Map<unknown>).set('copboard', { ...act1.meta.copboard, scaffold: false, zoneId: 'act2' })
    expect(attempt(d1, participant, redefine)).toEqual(refusedWith('scaffold-locked'))
    expect(attempt(d1, facilitator, redefine)).toEqual(ok)
  })

  it('§2.3 a participant cannot delete a page that holds scaffold shapes', () => {
    expect(attempt(doc, participant, (d) => getRecordsMap(d).delete(pageId))).toEqual(refusedWith('scaffold-locked'))
    expect(attempt(doc, facilitator, (d) => getRecordsMap(d).delete(pageId))).toEqual(ok)
  })

  it('§2.4 participants keep full use of their own notes next to the scaffold', () => {
    const d0 = boardDoc()
    addRecord(d0, note('mine', 100, 100, { author: 'Fatima', perspective: 'gemeente' }))
    expect(attempt(d0, participant, (d) => rec(d, 'shape:mine').set('x', 300))).toEqual(ok)
    expect(attempt(d0, participant, (d) => getRecordsMap(d).delete('shape:mine'))).toEqual(ok)
  })

  it('§2.5 the scaffold index follows server-side changes (a template launched after the room loaded)', () => {
    const { room, check } = policyRoom()
    const extra = { ...heading, id: 'shape:later', meta: heading.meta } as TLRecord
    // first check builds the index, then a local (server) transaction adds a scaffold shape
    expect(check(() => rec(room, heading.id))).toEqual(ok)
    room.transact(() => addRecord(room, extra))
    expect(check(() => rec(room, 'shape:later').set('x', 1))).toEqual(refusedWith('scaffold-locked'))
  })
})
