import { describe, expect, it } from 'vitest'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { boardZones, getTemplate, isAnonymousAt, planReveal, templateToRecords } from '../src'
import { arrow, binding, note, page } from './board'

const comedy = getTemplate('comedy')!
const board: TLRecord[] = [page('page:p'), ...templateToRecords(comedy, { pageId: 'page:p', titleBlock: { copName: 'CoP', sessionNumber: 1, date: '2026-01-01' } })]
const act1 = comedy.zones.find((z) => z.anonymous)!
const open = comedy.zones.find((z) => !z.anonymous && !z.parentZoneId && z.id !== act1.id)!
let n = 0
const newId = (t: 'shape' | 'binding') => `${t}:new${n++}`
const priv = (x: number, y: number, text: string, parentId = 'page:p', id?: string) =>
  note(x, y, text, { private: true, author: 'Fatima', perspective: 'gemeente' }, parentId, id)

describe('reveal', () => {
  it('rule 17: a point inside an anonymous zone is anonymous, elsewhere not', () => {
    const zones = boardZones(board)
    expect(isAnonymousAt(zones, { x: act1.rect.x + act1.rect.w / 2, y: act1.rect.y + act1.rect.h / 2 }, 'page:p')).toBe(true)
    expect(isAnonymousAt(zones, { x: open.rect.x + open.rect.w / 2, y: open.rect.y + open.rect.h / 2 }, 'page:p')).toBe(false)
    expect(isAnonymousAt(zones, { x: act1.rect.x + 50, y: act1.rect.y + 150 }, 'page:other')).toBe(false)
  })

  it('rule 18: private notes get fresh ids, lose meta.private, and lose their author in an anonymous zone', () => {
    const a = priv(act1.rect.x + act1.rect.w / 2 - 100, act1.rect.y + act1.rect.h / 2 - 100, 'vooroordeel')
    const b = priv(open.rect.x + 40, open.rect.y + 160, 'open idee')
    const plan = planReveal(board, [a, b], newId)
    expect(plan.moved.sort()).toEqual([a.id, b.id].sort())
    expect(plan.anonymized).toBe(1)
    const [pa, pb] = plan.put as TLShape[]
    expect(pa.id).not.toBe(a.id)
    expect(pa.meta).toEqual({ anonymous: true })
    expect((pa.props as { color: string; textLastEditedBy: unknown }).color).toBe('yellow')
    expect(pb.meta).toEqual({ author: 'Fatima', perspective: 'gemeente' })
  })

  it('rule 18: bindings and parents are remapped; shapes without a page on the board stay in the draft', () => {
    const a = priv(10, 10, 'a', 'page:p', 'shape:a')
    const arr = { ...arrow('shape:arr', 0, 0, { x: 100, y: 0 }), meta: { private: true } } as TLShape
    const child = priv(5, 5, 'child', 'shape:a', 'shape:child')
    const gone = priv(0, 0, 'weg', 'page:deleted', 'shape:gone')
    const b1 = binding('binding:1', 'shape:arr', 'shape:a', 'end')
    const b2 = binding('binding:2', 'shape:arr', 'shape:gone', 'start')
    const plan = planReveal(board, [a, arr, child, gone, b1, b2], newId)
    expect(plan.moved).not.toContain('shape:gone')
    expect(plan.moved).not.toContain('binding:2')
    const byOld = new Map(plan.moved.map((id, i) => [id, plan.put[i]]))
    expect((byOld.get('shape:child') as TLShape).parentId).toBe(byOld.get('shape:a')!.id)
    const nb = byOld.get('binding:1') as unknown as { fromId: string; toId: string }
    expect([nb.fromId, nb.toId]).toEqual([byOld.get('shape:arr')!.id, byOld.get('shape:a')!.id])
  })
})
