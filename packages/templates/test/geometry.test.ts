/** Page geometry, zone membership and rich text of plain records (moved here from packages/archive). */
import { describe, expect, it } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { boardZones, buildReport, isZoneShape, pageBounds, reportToMarkdown, richTextToPlain, shapeText, toMap, zoneAssignment, zoneTreeIds } from '../src'

const rt = (text: string) => ({ type: 'doc', content: text.split('\n').map((l) => ({ type: 'paragraph', content: [{ type: 'text', text: l }] })) })
const page = { id: 'page:p', typeName: 'page', name: 'Page', index: 'a1', meta: {} } as TLRecord
function shape(id: string, type: string, x: number, y: number, props: Record<string, unknown>, meta: Record<string, unknown> = {}, parentId = 'page:p', index = 'a1'): TLRecord {
  return { id: `shape:${id}`, typeName: 'shape', type, x, y, rotation: 0, parentId, index, isLocked: false, opacity: 1, props, meta } as unknown as TLRecord
}
const zone = (id: string, x: number, y: number, w: number, h: number, label: string, templateId = 'comedy') =>
  shape(id, 'frame', x, y, { w, h, name: label }, { copboard: { templateId, version: 1, zoneId: id, scaffold: true, part: 'zone' } })
const note = (id: string, x: number, y: number, text: string, meta: Record<string, unknown> = {}, parentId?: string) =>
  shape(id, 'note', x, y, { color: 'yellow', size: 'm', richText: rt(text), growY: 0, scale: 1 }, meta, parentId, 'a2')

describe('rich text', () => {
  it('flattens paragraphs', () => {
    expect(richTextToPlain(rt('a\nb'))).toBe('a\nb')
    expect(richTextToPlain('plain')).toBe('plain')
    expect(richTextToPlain(undefined)).toBe('')
  })
  it('puts blocks (list items, quotes, lists after paragraphs) on their own lines; hard breaks are newlines', () => {
    const p = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
    const doc = {
      type: 'doc',
      content: [
        { type: 'heading', content: [{ type: 'text', text: 'Kop' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [p('een'), p('uitleg')] }, { type: 'listItem', content: [p('twee')] }] },
        { type: 'blockquote', content: [p('citaat'), p('vervolg')] },
        { type: 'paragraph', content: [{ type: 'text', text: 'regel' }, { type: 'hardBreak' }, { type: 'text', text: 'breuk' }] },
      ],
    }
    expect(richTextToPlain(doc)).toBe('Kop\neen\nuitleg\ntwee\ncitaat\nvervolg\nregel\nbreuk')
  })
  it('reads the text of any shape: rich text, legacy text, frame name', () => {
    expect(shapeText({ props: { richText: rt('x') } })).toBe('x')
    expect(shapeText({ props: { text: 'oud' } })).toBe('oud')
    expect(shapeText({ props: { name: 'Frame' } })).toBe('Frame')
    expect(shapeText({})).toBe('')
  })
})

describe('zones', () => {
  it('assigns notes by parent zone and by the smallest zone holding the centre', () => {
    const records = [
      page,
      zone('act1', 0, 0, 1000, 500, 'Akte 1'),
      zone('act1-gemeente', 0, 0, 500, 500, 'Gemeente'),
      zone('act1-initiatieven', 500, 0, 500, 500, 'Initiatieven'),
      note('n1', 100, 100, 'links'),
      note('n2', 600, 100, 'rechts'),
      note('n3', 2000, 2000, 'buiten'),
      note('n4', 650, 50, 'child of act1 frame, right half', {}, 'shape:act1'),
    ]
    const { noteZone } = zoneAssignment(records)
    expect(noteZone.get('shape:n1')).toBe('act1-gemeente')
    expect(noteZone.get('shape:n2')).toBe('act1-initiatieven')
    expect(noteZone.get('shape:n3')).toBe(null)
    expect(noteZone.get('shape:n4')).toBe('act1-initiatieven')
  })
  it('labels zones from the template definition, else the scaffold shape; template order first', () => {
    const records = [page, zone('act1-initiatieven', 500, 0, 500, 500, 'x'), zone('act1', 0, 0, 1000, 500, 'x'), zone('eigen', 0, 600, 100, 100, 'Eigen zone', 'mine')]
    expect(zoneAssignment(records, 'nl').zones).toEqual([
      { id: 'act1', label: 'Akte 1 — Vooroordelen' },
      { id: 'act1-initiatieven', label: 'Initiatieven' },
      { id: 'eigen', label: 'Eigen zone' },
    ])
  })
  it('page bounds of an arrow are the bounds of its points (also pointing up-left)', () => {
    const ar = shape('ar', 'arrow', 100, 100, { start: { x: 0, y: 0 }, end: { x: -50, y: -20 } })
    expect(pageBounds(toMap([page, ar]), ar as never)).toEqual({ x: 50, y: 80, w: 50, h: 20 })
  })
})

describe('report of a board without a template', () => {
  it('lists every note as unzoned', () => {
    const report = buildReport([page, note('a', 0, 0, 'Eerste notitie', { author: 'Anna' }), note('b', 0, 300, 'Tweede')])
    expect(report.sections).toEqual([])
    expect(report.unzoned.map((n) => [n.text, n.author])).toEqual([
      ['Eerste notitie', 'Anna'],
      ['Tweede', null],
    ])
    expect(reportToMarkdown(report, 'nl')).toContain('## Buiten de zones')
  })
})

describe('what zones hang from', () => {
  it('zone shapes (scaffold or not) and their ancestors up to the page; notes, headings and other frames are not in it', () => {
    const holder = shape('holder', 'frame', 100, 100, { w: 5000, h: 5000, name: 'Sessie' })
    const z1 = zone('act1', 10, 10, 400, 300, 'Akte 1', 'comedy')
    const inHolder = { ...z1, parentId: 'shape:holder' } as TLRecord
    const loose = shape('loose', 'frame', 0, 0, { w: 10, h: 10, name: 'x' }, { copboard: { templateId: 'comedy', version: 1, zoneId: 'act2', scaffold: false, part: 'zone' } })
    const heading = shape('h', 'text', 0, 0, {}, { copboard: { templateId: 'comedy', version: 1, zoneId: 'act1', scaffold: true, part: 'heading' } })
    const noZoneId = shape('nz', 'frame', 0, 0, { w: 10, h: 10, name: 'x' }, { copboard: { templateId: 'comedy', version: 1, scaffold: true, part: 'zone' } })
    const other = shape('other', 'frame', 0, 0, { w: 10, h: 10, name: 'x' })
    const map = toMap([page, holder, inHolder, loose, heading, noZoneId, other, note('n', 50, 50, 'hoi', {}, 'shape:act1')])
    expect(isZoneShape(loose)).toBe(true)
    expect(isZoneShape(heading)).toBe(false)
    expect(isZoneShape(noZoneId)).toBe(false)
    expect([...zoneTreeIds(map)].sort()).toEqual(['page:p', 'shape:act1', 'shape:holder', 'shape:loose'])
    // the zone inside the frame lies where the frame puts it
    expect(boardZones([], map).find((z) => z.zoneId === 'act1')!.bounds).toMatchObject({ x: 110, y: 110 })
  })
})
