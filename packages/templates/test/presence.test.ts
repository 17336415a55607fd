import { describe, expect, it } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { anonymousPresence, boardZones, getTemplate, templateToRecords, toMap } from '../src'
import { note, page } from './board'

const comedy = getTemplate('comedy')!
const records: TLRecord[] = [page('page:p'), ...templateToRecords(comedy, { pageId: 'page:p', titleBlock: { copName: 'CoP', sessionNumber: 1, date: '2026-01-01' } })]
const act1 = comedy.zones.find((z) => z.anonymous)!
const open = comedy.zones.find((z) => !z.anonymous && !z.parentZoneId)!
const inAct1 = note(act1.rect.x + 200, act1.rect.y + 200, 'x', {}, 'page:p', 'shape:in')
const outside = note(open.rect.x + 200, open.rect.y + 200, 'y', {}, 'page:p', 'shape:out')
const map = toMap([...records, inAct1, outside])
const zones = boardZones([], map)
const presence = (cursor: { x: number; y: number }, selectedShapeIds: string[] = [], currentPageId = 'page:p') => ({
  userName: 'Anna', currentPageId, cursor: { ...cursor, type: 'default', rotation: 0 }, selectedShapeIds, brush: null, scribbles: [], chatMessage: 'hoi', meta: {},
})

describe('anonymous presence', () => {
  it('rule 19: a cursor in an anonymous zone is hidden with selection and chat', () => {
    const p = presence({ x: act1.rect.x + 10, y: act1.rect.y + 10 }, ['shape:out'])
    expect(anonymousPresence(p, zones, map)).toMatchObject({ cursor: null, selectedShapeIds: [], chatMessage: '', meta: { anonymous: true } })
  })
  it('rule 19: a selection of a note in an anonymous zone is hidden even when the cursor is elsewhere', () => {
    const p = presence({ x: open.rect.x + 10, y: open.rect.y + 10 }, ['shape:in'])
    expect(anonymousPresence(p, zones, map).cursor).toBeNull()
  })
  it('rule 19: elsewhere (or on another page) the presence is the same object', () => {
    const p = presence({ x: open.rect.x + 10, y: open.rect.y + 10 }, ['shape:out'])
    expect(anonymousPresence(p, zones, map)).toBe(p)
    const q = presence({ x: act1.rect.x + 10, y: act1.rect.y + 10 }, [], 'page:other')
    expect(anonymousPresence(q, zones, map)).toBe(q)
  })
})
