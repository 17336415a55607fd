/** Board policy SPEC §4 anonymous zones; shared harness: fixture.ts. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRecord, attempt, boardDoc, comedy, facilitator, note, noteAtZone, pageId, participant, policyRoom, rec, zoneShape, refusedWith, ok } from './fixture.js'
import type { TLRecord } from '@tldraw/tlschema'
import { getRecordsMap } from '@copboard/board'

describe('§4 anonymous zones', () => {
  const doc = boardDoc()
  const inAct1 = noteAtZone('act1-gemeente')
  const inAct2 = noteAtZone('act2-gemeente')

  it('§4.1 a note with an author in an anonymous zone is refused; without author it is fine', () => {
    expect(attempt(doc, participant, (d) => addRecord(d, note('a', inAct1.x, inAct1.y, { author: 'Fatima', perspective: 'gemeente' })))).toEqual(refusedWith('anonymous-author'))
    expect(attempt(doc, participant, (d) => addRecord(d, note('a', inAct1.x, inAct1.y, { anonymous: true })))).toEqual(ok)
    expect(attempt(doc, participant, (d) => addRecord(d, note('a', inAct2.x, inAct2.y, { author: 'Fatima', perspective: 'gemeente' })))).toEqual(ok)
  })

  it('§4.1 moving an authored note into act 1 is refused; moving it in without its author is fine', () => {
    const d0 = boardDoc()
    addRecord(d0, note('m', inAct2.x, inAct2.y, { author: 'Fatima', perspective: 'gemeente' }))
    expect(attempt(d0, participant, (d) => rec(d, 'shape:m').set('x', inAct1.x))).toEqual(refusedWith('anonymous-author'))
    expect(
      attempt(d0, participant, (d) =>
        d.transact(() => {
          rec(d, 'shape:m').set('x', inAct1.x)
          const meta = rec(d, 'shape:m').get('meta') as Y.Map<unknown>
          meta.delete('author')
          meta.delete('perspective')
        }),
      ),
    ).toEqual(ok)
  })

  it('§4.1 tldraw\'s textLastEditedBy counts as an author field, and the facilitator is bound too', () => {
    const n = note('t', inAct1.x, inAct1.y) as any
    n.props = { ...n.props, textLastEditedBy: 'user:123' }
    expect(attempt(doc, participant, (d) => addRecord(d, n))).toEqual(refusedWith('anonymous-author'))
    expect(attempt(doc, facilitator, (d) => addRecord(d, note('f', inAct1.x, inAct1.y, { author: 'Facilitator' })))).toEqual(refusedWith('anonymous-author'))
  })

  it('§4.1 a note inside the act 1 frame (child of the frame, local coordinates) is found in the zone', () => {
    const frame = comedy.zones.find((z) => z.id === 'act1')!
    const local = { x: inAct1.x - frame.rect.x, y: inAct1.y - frame.rect.y }
    expect(attempt(doc, participant, (d) => addRecord(d, note('c', local.x, local.y, { author: 'Fatima' }, zoneShape('act1').id)))).toEqual(refusedWith('anonymous-author'))
  })

  it('§4.2 zones follow the facilitator moving the anonymous act (zone cache invalidated)', () => {
    const { room, check } = policyRoom()
    // the facilitator moves act 1 onto act 2's place; a new authored note there is now refused
    const a2 = comedy.zones.find((z) => z.id === 'act2')!
    expect(check(() => rec(room, zoneShape('act1').id).set('y', a2.rect.y) && rec(room, zoneShape('act1').id).set('x', a2.rect.x), facilitator)).toEqual(ok)
    expect(check(() => addRecord(room, note('y', inAct2.x, inAct2.y, { author: 'A' })))).toEqual(refusedWith('anonymous-author'))
  })
})

describe('§4.3 moving a zone or a container re-checks what it then covers', () => {
  const inAct1 = noteAtZone('act1-gemeente')
  const inAct2 = noteAtZone('act2-gemeente')
  const a1 = comedy.zones.find((z) => z.id === 'act1')!
  const a2 = comedy.zones.find((z) => z.id === 'act2')!
  const frameNote = (id: string, at: { x: number; y: number }, zoneId: string, meta: Record<string, unknown>) => {
    const f = comedy.zones.find((z) => z.id === zoneId)!
    return note(id, at.x - f.rect.x, at.y - f.rect.y, meta, zoneShape(zoneId).id)
  }
  const moveFrame = (zoneId: string, to: { x: number; y: number }) => (d: Y.Doc) => d.transact(() => rec(d, zoneShape(zoneId).id).set('x', to.x) && rec(d, zoneShape(zoneId).id).set('y', to.y))

  it('§4.3 the facilitator cannot move the anonymous act onto authored notes (they would show their authors in it)', () => {
    const d0 = boardDoc()
    addRecord(d0, note('x', inAct2.x, inAct2.y, { author: 'Anna', perspective: 'gemeente' }))
    expect(attempt(d0, facilitator, moveFrame('act1', a2.rect))).toEqual(refusedWith('anonymous-author'))
    // onto anonymous notes it is fine
    const d1 = boardDoc()
    addRecord(d1, note('x', inAct2.x, inAct2.y, { anonymous: true }))
    expect(attempt(d1, facilitator, moveFrame('act1', a2.rect))).toEqual(ok)
  })

  it('§4.3 moving a frame moves its children: act 1 with its anonymous notes goes anywhere; act 2 with authored notes may not land in act 1', () => {
    const d0 = boardDoc()
    addRecord(d0, frameNote('anon', inAct1, 'act1', { anonymous: true }))
    addRecord(d0, frameNote('named', inAct2, 'act2', { author: 'Bram', perspective: 'initiatief' }))
    // act 1 moved far away: its child note goes along and stays in it, without an author
    expect(attempt(d0, facilitator, moveFrame('act1', { x: a1.rect.x + 5000, y: a1.rect.y }))).toEqual(ok)
    // act 2's child note would now lie in act 1's half: refused
    expect(attempt(d0, facilitator, moveFrame('act2', a1.rect))).toEqual(refusedWith('anonymous-author'))
  })

  it('§4.3 a participant moving their own frame with an authored note into act 1 is refused; the same frame elsewhere is fine', () => {
    const d0 = boardDoc()
    const frame = { id: 'shape:myframe', typeName: 'shape', type: 'frame', x: inAct2.x - 50, y: inAct2.y - 50, rotation: 0, index: 'a6', parentId: pageId, isLocked: false, opacity: 1, meta: {}, props: { w: 400, h: 400, name: 'Mijn', color: 'black' } } as unknown as TLRecord
    addRecord(d0, frame)
    addRecord(d0, note('inside', 50, 50, { author: 'Cor', perspective: 'initiatief' }, 'shape:myframe'))
    const moveTo = (at: { x: number; y: number }) => (d: Y.Doc) => d.transact(() => rec(d, 'shape:myframe').set('x', at.x - 50) && rec(d, 'shape:myframe').set('y', at.y - 50))
    expect(attempt(d0, participant, moveTo(inAct1))).toEqual(refusedWith('anonymous-author'))
    expect(attempt(d0, participant, moveTo({ x: inAct2.x + 100, y: inAct2.y }))).toEqual(ok)
  })

  it('§4.3 an authored note already in an anonymous zone (an older board) does not block moving the zones', () => {
    const d0 = boardDoc()
    // written before the policy existed (no check): an author inside act 1
    addRecord(d0, note('old', inAct1.x, inAct1.y, { author: 'Dewi', perspective: 'gemeente' }))
    expect(attempt(d0, facilitator, moveFrame('act2', { x: a2.rect.x + 10, y: a2.rect.y }))).toEqual(ok)
  })

  it('§4.4 presence: a cursor or a selected shape in an anonymous zone is hidden from the others; elsewhere the presence is passed on as is', () => {
    const start = boardDoc()
    addRecord(start, note('in', inAct1.x, inAct1.y))
    addRecord(start, note('out', inAct2.x, inAct2.y))
    const { policy } = policyRoom(undefined, start)
    const presence = (cursor: { x: number; y: number }, selectedShapeIds: string[] = []) => ({
      currentPageId: pageId, cursor: { ...cursor, type: 'default', rotation: 0 }, selectedShapeIds, chatMessage: 'hoi', meta: {},
    })
    const outside = presence({ x: inAct2.x, y: inAct2.y }, ['shape:out'])
    expect(policy.presenceForOthers(outside)).toBe(outside)
    expect(policy.presenceForOthers(presence({ x: inAct1.x + 100, y: inAct1.y + 100 }))).toMatchObject({ cursor: null, selectedShapeIds: [], chatMessage: '', meta: { anonymous: true } })
    // pointing elsewhere while a note in act 1 is selected still names its writer
    expect(policy.presenceForOthers(presence({ x: inAct2.x, y: inAct2.y }, ['shape:in'])).cursor).toBeNull()
    // on another page the zones do not apply
    const elsewhere = { ...presence({ x: inAct1.x + 100, y: inAct1.y + 100 }), currentPageId: 'page:other' }
    expect(policy.presenceForOthers(elsewhere)).toBe(elsewhere)
  })

  it('§4.4 a zone shape that is not scaffold counts as a zone, as templates\' boardZones (and so the web client) reads it: a cursor in it is hidden', () => {
    const start = boardDoc()
    const act1 = zoneShape('act1') as any
    // a copy of act 1 far away, its meta the same but scaffold false
    addRecord(start, { ...act1, id: 'shape:copy', x: act1.x + 20_000, meta: { copboard: { ...act1.meta.copboard, scaffold: false } } } as TLRecord)
    const { policy } = policyRoom(undefined, start)
    const at = (x: number, y: number) => ({ currentPageId: pageId, cursor: { x, y, type: 'default', rotation: 0 }, selectedShapeIds: [], meta: {} })
    expect(policy.presenceForOthers(at(inAct1.x + 20_000, inAct1.y)).cursor).toBeNull()
  })

  it('§4.3 §4.4 zones move with a frame the template sits in (not scaffold, anyone may move it): cursors are hidden where act 1 lies now, and moving it onto named notes is refused', () => {
    const start = new Y.Doc()
    Y.applyUpdate(start, Y.encodeStateAsUpdate(boardDoc()))
    const records = getRecordsMap(start)
    start.transact(() => {
      addRecord(start, { id: 'shape:holder', typeName: 'shape', type: 'frame', x: 0, y: 0, rotation: 0, index: 'a0', parentId: pageId, isLocked: false, opacity: 1, meta: {}, props: { w: 50_000, h: 50_000, name: 'Sessie', color: 'black' } } as unknown as TLRecord)
      records.forEach((value, id) => {
        if (value instanceof Y.Map && value.get('parentId') === pageId && id !== 'shape:holder') value.set('parentId', 'shape:holder')
      })
    })
    addRecord(start, note('named', inAct1.x + 30_000, inAct1.y, { author: 'Bram', perspective: 'initiatief' }))
    const { room, policy, check } = policyRoom(undefined, start)
    const at = (x: number, y: number) => ({ currentPageId: pageId, cursor: { x, y, type: 'default', rotation: 0 }, selectedShapeIds: [], meta: {} })
    expect(policy.presenceForOthers(at(inAct1.x + 100, inAct1.y + 100)).cursor).toBeNull()
    // the frame (and act 1 with it) moves 10,000 to the right: the zone's old place is open, its new place hidden
    expect(check(() => rec(room, 'shape:holder').set('x', 10_000))).toEqual(ok)
    expect(policy.presenceForOthers(at(inAct1.x + 100, inAct1.y + 100)).cursor).not.toBeNull()
    expect(policy.presenceForOthers(at(inAct1.x + 10_100, inAct1.y + 100)).cursor).toBeNull()
    // moving it on, so that act 1 would cover Bram's named note, is refused
    expect(check(() => rec(room, 'shape:holder').set('x', 30_000))).toEqual(refusedWith('anonymous-author'))
  })
})
