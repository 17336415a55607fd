import { describe, expect, it } from 'vitest'
import { placeLabels, type Box, type LabelRequest } from './compareLayout'

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const req = (id: string, x: number, y: number): LabelRequest => ({ id, box: { x, y, w: 200, h: 200 }, size: { w: 90, h: 24 }, gap: 6 })

describe('compare labels (COMPARE_MARK)', () => {
  it('a lone mark gets its label above its top-left corner', () => {
    const at = placeLabels([req('a', 100, 100)], { marks: [], texts: [] }).get('a')!
    expect(at).toEqual({ x: 94, y: 70, w: 90, h: 24 })
  })

  it('a removed note lying over new notes: no label covers another label or the new notes', () => {
    const added = [req('n1', 0, 60), req('n2', 200, 60), req('n3', 400, 60)]
    const ghost = req('gone', 20, 30) // the removed note's place, now under the new ones
    const requests = [...added, ghost]
    const marks = requests.map((r) => ({ id: r.id, ...r.box }))
    const labels = placeLabels(requests, { marks, texts: [] })
    const all = [...labels.values()]
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i], all[j]), `labels ${i} and ${j}`).toBe(false)
    for (const a of added) expect(overlaps(labels.get('gone')!, a.box), `removed label over ${a.id}`).toBe(false)
  })

  it('a label avoids a zone text when another spot is free', () => {
    const text = { x: 80, y: 60, w: 130, h: 40 } // the lane description right above the note
    const at = placeLabels([req('a', 100, 100)], { marks: [], texts: [text] }).get('a')!
    expect(overlaps(at, text)).toBe(false)
  })
})
