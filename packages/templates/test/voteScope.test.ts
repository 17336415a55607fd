import { describe, expect, it } from 'vitest'
import { getTemplate, noteInVoteScope, notesInVoteScope, templateToRecords, toMap } from '../src'
import { note, page } from './board'

describe('R16 vote scope', () => {
  const t = getTemplate('accord')!
  const principles = t.zones.find((z) => z.id === 'principles')!
  const inside = note(principles.rect.x + 40, principles.rect.y + 120, 'binnen', {}, 'page:p', 'shape:in')
  const outside = note(principles.rect.x + principles.rect.w + 200, principles.rect.y + 120, 'buiten', {}, 'page:p', 'shape:out')
  const otherPage = note(principles.rect.x + 40, principles.rect.y + 120, 'elders', {}, 'page:q', 'shape:other')
  const map = toMap([page('page:p'), page('page:q'), ...templateToRecords(t, { pageId: 'page:p' }), inside, outside, otherPage] as never)
  const zone = { kind: 'zone', pageId: 'page:p', templateId: 'accord', zoneId: 'principles' } as const

  it('R16 a zone vote covers the notes whose centre is in the zone, on that page only', () => {
    expect(noteInVoteScope(map, zone, 'shape:in')).toBe(true)
    expect(noteInVoteScope(map, zone, 'shape:out')).toBe(false)
    expect(noteInVoteScope(map, zone, 'shape:other')).toBe(false)
    expect(notesInVoteScope(map, zone).map((s) => s.id)).toEqual(['shape:in'])
  })
  it('R16 a page vote covers every note on the page, never scaffold or unknown shapes', () => {
    const board = { kind: 'board', pageId: 'page:p' } as const
    expect(noteInVoteScope(map, board, 'shape:out')).toBe(true)
    expect(noteInVoteScope(map, board, 'shape:missing')).toBe(false)
    const scaffold = [...map.values()].find((r) => (r as any).meta?.copboard?.scaffold)!
    expect(noteInVoteScope(map, board, scaffold.id)).toBe(false)
    expect(notesInVoteScope(map, { ...zone, zoneId: 'nope' })).toEqual([])
  })
})
