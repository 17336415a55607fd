/**
 * The anonymous-zone awareness filter (templates SPEC rule 19; src/policy.ts): it asks the room's
 * board policy, whose index computes a board's zones once and again only when a scaffold shape
 * changes or appears; the update policy of the same room shares that one cache.
 */
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { writeRecords } from '@copboard/board'
import { boardZones, getTemplate, templateToRecords } from '@copboard/templates'
import { boardRules } from '../src/policy.js'

// counts the zone computations (the cache's misses)
vi.mock('@copboard/templates', async (original) => {
  const m = await original<typeof import('@copboard/templates')>()
  return { ...m, boardZones: vi.fn(m.boardZones) }
})
const zoneComputations = () => vi.mocked(boardZones).mock.calls.length

const comedy = getTemplate('comedy')!
const act1 = comedy.zones.find((z) => z.anonymous)!

function launch(doc: Y.Doc, pageId: string, origin = { x: 0, y: 0 }): void {
  doc.transact(() =>
    writeRecords(doc, [
      { id: pageId, typeName: 'page', name: 'Komedie', index: 'a1', meta: {} } as never,
      ...(templateToRecords(comedy, { pageId, origin, titleBlock: { copName: 'CoP', sessionNumber: 1, date: '2026-01-01' } }) as never[]),
    ]),
  )
}

const rules = boardRules()

/** The cursor the others see of someone pointing at (x, y) on `pageId`. */
function seenCursor(doc: Y.Doc, pageId: string, x: number, y: number): unknown {
  const state = { presence: { currentPageId: pageId, cursor: { x, y, type: 'default', rotation: 0 }, selectedShapeIds: [], meta: {} } }
  return (rules.filterAwareness('room', doc, state, undefined) as typeof state).presence.cursor
}

describe('anonymous zones: the filter\'s zone cache', () => {
  it('notes written on the board keep the cached zones; a template launched later (new scaffold shapes) hides cursors in its anonymous zone at once', () => {
    const doc = new Y.Doc()
    launch(doc, 'page:one')
    const inAct1 = [act1.rect.x + 50, act1.rect.y + 50] as const
    expect(seenCursor(doc, 'page:one', ...inAct1)).toBeNull() // zones cached now
    expect(seenCursor(doc, 'page:two', ...inAct1)).not.toBeNull() // no template there yet
    // notes written and rewritten (their text too): no scaffold, so the zones are not computed again
    const computed = zoneComputations()
    for (const text of ['Meer groen', 'Meer groen in de wijk']) {
      const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
      doc.transact(() => writeRecords(doc, [{ id: 'shape:n1', typeName: 'shape', type: 'note', x: 0, y: 0, rotation: 0, index: 'b1', parentId: 'page:one', isLocked: false, opacity: 1, meta: { author: 'Anna' }, props: { richText } } as never]))
      expect(seenCursor(doc, 'page:one', ...inAct1)).toBeNull()
    }
    expect(zoneComputations()).toBe(computed)
    launch(doc, 'page:two')
    expect(seenCursor(doc, 'page:two', ...inAct1)).toBeNull()
    expect(zoneComputations()).toBe(computed + 1)
  })

  it('a moved anonymous zone hides cursors where it lies now, not where it was', () => {
    const doc = new Y.Doc()
    launch(doc, 'page:one')
    const inAct1 = [act1.rect.x + 50, act1.rect.y + 50] as const
    expect(seenCursor(doc, 'page:one', ...inAct1)).toBeNull()
    launch(doc, 'page:one', { x: 20_000, y: 0 }) // the same scaffold shapes, moved
    expect(seenCursor(doc, 'page:one', ...inAct1)).not.toBeNull()
    expect(seenCursor(doc, 'page:one', inAct1[0] + 20_000, inAct1[1])).toBeNull()
  })

  it('the awareness filter and the room\'s update policy share one board policy: the zones the filter computed judge the next edit', () => {
    const shared = boardRules()
    const doc = new Y.Doc()
    launch(doc, 'page:one')
    const state = { presence: { currentPageId: 'page:one', cursor: { x: act1.rect.x + 50, y: act1.rect.y + 50 }, selectedShapeIds: [] } }
    expect((shared.filterAwareness('room', doc, state, undefined) as typeof state).presence.cursor).toBeNull()
    const computed = zoneComputations()
    const room = shared.policy.forRoom('room', doc)
    const props = {
      color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle',
      growY: 0, url: '', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Meer groen' }] }] }, scale: 1, textLastEditedBy: null,
    }
    const signedNote = (id: string, x: number, y: number) =>
      ({ id, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: 'page:one', isLocked: false, opacity: 1, meta: { author: 'Anna' }, props }) as never
    const judge = (note: never) => {
      let verdict: unknown
      doc.transact((tr) => {
        writeRecords(doc, [note])
        verdict = room.check({ room: 'room', connectionId: 1, info: { role: 'participant', participantId: 'P'.repeat(22) } }, tr)
      })
      return verdict
    }
    // a signed note in act 1 is refused, one far away admitted: both against the filter's zones, computed once
    expect(judge(signedNote('shape:in', act1.rect.x + 20, act1.rect.y + 20))).toMatchObject({ ok: false, reason: 'anonymous-author' })
    expect(judge(signedNote('shape:out', 50_000, 50_000))).toEqual({ ok: true })
    expect(zoneComputations()).toBe(computed)
    room.destroy?.()
  })
})
