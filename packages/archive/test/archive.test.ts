import { describe, expect, it } from 'vitest'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { LifecycleError, RENDER_LIMITS, carryOverCandidates, planCarryOver, canTransition, compareRecords, contentPages, mainPageId, planTransition, renderBoardSvg, renderSvg } from '../src/index'

const rt = (text: string) => ({ type: 'doc', content: text.split('\n').map((l) => ({ type: 'paragraph', content: [{ type: 'text', text: l }] })) })
const page = { id: 'page:p', typeName: 'page', name: 'Page', index: 'a1', meta: {} } as TLRecord
function shape(id: string, type: string, x: number, y: number, props: Record<string, unknown>, meta: Record<string, unknown> = {}, parentId = 'page:p', index = 'a1'): TLRecord {
  return { id: `shape:${id}`, typeName: 'shape', type, x, y, rotation: 0, parentId, index, isLocked: false, opacity: 1, props, meta } as unknown as TLRecord
}
const zone = (id: string, x: number, y: number, w: number, h: number, label: string) =>
  shape(id, 'frame', x, y, { w, h, name: label }, { copboard: { templateId: 'comedy', version: 1, zoneId: id, scaffold: true, part: 'zone' } })
const note = (id: string, x: number, y: number, text: string, meta: Record<string, unknown> = {}, parentId?: string) =>
  shape(id, 'note', x, y, { color: 'yellow', size: 'm', richText: rt(text), growY: 0, scale: 1 }, meta, parentId, 'a2')

describe('lifecycle', () => {
  it('planned -> live -> ended, nothing else', () => {
    expect(planTransition('planned', 'start')).toEqual({ from: 'planned', to: 'live' })
    expect(planTransition('live', 'end')).toEqual({ from: 'live', to: 'ended' })
    expect(() => planTransition('live', 'start')).toThrow(LifecycleError)
    expect(() => planTransition('planned', 'end')).toThrow(/cannot end a session that is planned/)
    expect(() => planTransition('ended', 'start')).toThrow(LifecycleError)
    expect(canTransition('ended', 'end')).toBe(false)
    try {
      planTransition('ended', 'end')
    } catch (e) {
      expect((e as LifecycleError).status).toBe(409)
      expect((e as LifecycleError).code).toBe('SESSION_STATE_CONFLICT')
    }
  })
})

describe('compare', () => {
  const base = [page, zone('a', 0, 0, 500, 500, 'Zone A'), zone('b', 600, 0, 500, 500, 'Zone B')]
  it('lists added, removed and changed notes per zone', () => {
    const A = [...base, note('keep', 10, 10, 'same'), note('gone', 10, 250, 'weg'), note('edit', 650, 10, 'oud'), note('move', 10, 100, 'verhuist')]
    const B = [...base, note('keep', 10, 10, 'same'), note('edit', 650, 10, 'nieuw'), note('move', 700, 250, 'verhuist'), note('new', 700, 100, 'erbij', { author: 'Cor', perspective: 'initiatief' })]
    const c = compareRecords(A, B)
    expect(c.totals).toEqual({ added: 1, removed: 1, changed: 2, unchanged: 1, notesA: 4, notesB: 4 })
    const za = c.zones.find((z) => z.zoneId === 'a')!
    const zb = c.zones.find((z) => z.zoneId === 'b')!
    expect(za.label).toBe('Zone A')
    expect(za.removed.map((n) => n.text)).toEqual(['weg'])
    expect(zb.added.map((n) => [n.text, n.author, n.perspective])).toEqual([['erbij', 'Cor', 'initiatief']])
    expect(zb.changed.map((ch) => [ch.id, ch.fields])).toEqual([
      ['shape:edit', ['text']],
      ['shape:move', ['zone']],
    ])
    expect(c.zones.map((z) => z.zoneId)).toEqual(['a', 'b'])
  })
  it('identical snapshots compare empty; anonymous authors stay hidden', () => {
    const A = [...base, note('x', 10, 10, 'anon', { author: 'Anna', anonymous: true })]
    expect(compareRecords(A, A).zones).toEqual([])
    expect(compareRecords([page], A).zones[0].added[0].author).toBe(null)
  })
  it('takes a custom zone assignment', () => {
    const A = [page, note('x', 0, 0, 'x')]
    const c = compareRecords([page], A, { assign: () => ({ zones: [{ id: 'z', label: 'Custom' }], noteZone: new Map([['shape:x', 'z']]) }) })
    expect(c.zones[0]).toMatchObject({ zoneId: 'z', label: 'Custom' })
  })
})

describe('svg render', () => {
  it('draws frames, notes, geo, text and arrows with escaped text', () => {
    const records = [
      page,
      zone('a', 0, 0, 500, 400, 'Akte 1 — Vooroordelen'),
      note('n', 50, 60, 'Bewoners & <gemeente>', {}, 'shape:a'),
      shape('g', 'geo', 600, 0, { geo: 'ellipse', w: 100, h: 80, color: 'blue', fill: 'solid', richText: rt('rond') }),
      shape('t', 'text', 0, 450, { richText: rt('Titel'), size: 'l', autoSize: true, w: 10, scale: 1 }),
      shape('ar', 'arrow', 0, 0, { start: { x: 0, y: 0 }, end: { x: 100, y: 100 }, color: 'red', richText: rt('') }),
      { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 'shape:ar', toId: 'shape:g', props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 } }, meta: {} } as unknown as TLRecord,
    ]
    const svg = renderSvg(records)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg).toContain('Akte 1 — Vooroordelen')
    expect(svg).toContain('Bewoners &amp;')
    expect(svg).toContain('&lt;gemeente&gt;')
    expect(svg).toContain('<ellipse')
    expect(svg).toContain('Titel')
    expect(svg).toContain('x2="650"') // arrow bound to the ellipse centre
    expect(svg).toMatch(/<\/svg>$/)
  })
  it('renders an empty board', () => {
    expect(renderSvg([page])).toContain('viewBox')
  })
})

describe('svg render: pages', () => {
  it('renders the page with the most shapes by default', () => {
    const p2 = { id: 'page:t', typeName: 'page', name: 'Komedie', index: 'a2', meta: {} } as TLRecord
    const svg = renderSvg([page, p2, note('a', 0, 0, 'op pagina 1'), note('b', 0, 0, 'op pagina 2', {}, 'page:t'), note('c', 300, 0, 'ook 2', {}, 'page:t')])
    expect(svg).toContain('op pagina 2')
    expect(svg).not.toContain('op pagina 1')
  })
})

describe('svg render: limits and pages (SPEC A1–A3)', () => {
  it('A3: a line with 150,000 points renders without overflowing the stack, sampled', () => {
    const points: Record<string, { id: string; index: string; x: number; y: number }> = {}
    for (let i = 0; i < 150_000; i++) points[`p${i}`] = { id: `p${i}`, index: `a${String(i).padStart(6, '0')}`, x: i % 700, y: (i * 7) % 500 }
    const svg = renderSvg([page, shape('l', 'line', 0, 0, { points, color: 'black', dash: 'draw', size: 'm', spline: 'line', scale: 1 })])
    const poly = svg.match(/<polyline points="([^"]*)"/)![1]
    expect(poly.split(' ').length).toBe(RENDER_LIMITS.maxPointsPerStroke)
    expect(svg.length).toBeLessThan(200_000)
  }, 60_000)
  it('A3: 20,000 frames nested 50 deep draw with balanced groups; shapes past the limit are left out', () => {
    const recs: TLRecord[] = [page]
    for (let i = 0; i < 20_000; i++) recs.push(shape(`f${i}`, 'frame', 1, 1, { w: 100, h: 100, name: '' }, {}, i % 50 === 0 ? 'page:p' : `shape:f${i - 1}`))
    const svg = renderSvg(recs)
    expect((svg.match(/<g /g) ?? []).length).toBe(RENDER_LIMITS.maxShapes)
    expect((svg.match(/<g /g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length)
  })
  it('A2: the main page is the one with the most written notes, not the most shapes', () => {
    const p2 = { id: 'page:t', typeName: 'page', name: 'Komedie', index: 'a2', meta: {} } as TLRecord
    const scaffold = Array.from({ length: 30 }, (_, i) => zone(`z${i}`, i * 10, 0, 5, 5, 'z')).map((r) => ({ ...r, parentId: 'page:t' }) as TLRecord)
    const recs = [page, p2, ...scaffold, note('a', 0, 0, 'echt geschreven'), note('b', 300, 0, 'nog een')]
    expect(mainPageId(recs)).toBe('page:p')
    expect(contentPages(recs).map((p) => [p.pageId, p.notes])).toEqual([['page:p', 2], ['page:t', 0]])
    expect(renderSvg(recs)).toContain('echt geschreven')
  })
  it('A1: the board export holds every page with content, under its name, in page order', () => {
    const p2 = { id: 'page:t', typeName: 'page', name: 'Komedie', index: 'a2', meta: {} } as TLRecord
    const p3 = { id: 'page:e', typeName: 'page', name: 'Leeg', index: 'a3', meta: {} } as TLRecord
    const svg = renderBoardSvg([page, p2, p3, note('a', 0, 0, 'eerste pagina'), note('b', 0, 0, 'tweede pagina', {}, 'page:t')])
    expect(svg.indexOf('eerste pagina')).toBeGreaterThan(0)
    expect(svg.indexOf('tweede pagina')).toBeGreaterThan(svg.indexOf('eerste pagina'))
    expect(svg).toContain('>Komedie</text>')
    expect(svg).not.toContain('Leeg')
  })
})

describe('carry-over (SPEC A6–A7)', () => {
  const lzone = (templateId: string, zoneId: string, x: number, y: number, w: number, h: number, pageId = 'page:p') =>
    shape(`${templateId}-${zoneId}`, 'geo', x, y, { w, h, geo: 'rectangle' }, { copboard: { templateId, version: 1, zoneId, scaffold: true, part: 'zone' } }, pageId)
  const source = [
    page,
    lzone('learning-questions', 'parking-lot', 0, 0, 600, 400),
    lzone('learning-questions', 'seek', 700, 0, 600, 400),
    lzone('lemniscaat', 'practice-next', 0, 500, 600, 400),
    note('park', 50, 150, 'Staatssteun uitzoeken', { author: 'Anna', perspective: 'gemeente' }),
    note('seek', 750, 150, 'Wat is een warmtenet?'),
    note('next', 50, 650, 'Bewonersavond plannen', { author: 'Bram' }),
    note('pre', 50, 250, 'voorbeeld', { prefilled: true }),
  ]
  it('A6: candidates carry their zone path; Parkeerplaats and Lemniscaat "Volgende stap" are picked by default', () => {
    const c = carryOverCandidates(source)
    expect(c.map((x) => [x.text, x.picked])).toEqual([
      ['Staatssteun uitzoeken', true],
      ['Bewonersavond plannen', true],
      ['Wat is een warmtenet?', false],
    ])
    expect(c[0].path).toEqual(['Parkeerplaats'])
  })
  it('A7: picked notes land in the zone with the same id on the new board, marked with their session; twice = once', () => {
    const target = [page, lzone('learning-questions', 'parking-lot', 2000, 1000, 600, 400)]
    const from = { sessionId: 's1', sessionNumber: 1, snapshotId: 'snap1' }
    const out = planCarryOver(target, source, ['shape:park', 'shape:next', 'shape:nope'], from) as unknown as TLShape[]
    expect(out).toHaveLength(2)
    const park = out.find((r) => (r.meta as { carriedFrom: { noteId: string } }).carriedFrom.noteId === 'shape:park')!
    expect(park.x).toBeGreaterThanOrEqual(2000)
    expect(park.y).toBeGreaterThanOrEqual(1000)
    expect(park.meta).toMatchObject({ author: 'Anna', carriedFrom: { sessionNumber: 1, snapshotId: 'snap1' } })
    expect(JSON.stringify(park.props)).toContain('uit sessie 1')
    // no "Volgende stap" zone on the new board: a column right of the content
    const next = out.find((r) => r !== park)!
    expect(next.x).toBeGreaterThan(2600)
    expect(planCarryOver([...target, ...(out as unknown as TLRecord[])], source, ['shape:park'], from)).toEqual([])
  })
})

describe('compare: full zone paths and the page (issue 11)', () => {
  it('labels every change with its full zone path and names the page of the changes', () => {
    const p2 = { id: 'page:t', typeName: 'page', name: 'Komedie', index: 'a2', meta: {} } as TLRecord
    const act = (id: string, x: number, w = 1000) => ({ ...zone(id, x, 0, w, 500, 'x'), parentId: 'page:t' }) as TLRecord
    const base = [page, p2, act('act1', 0), act('act1-gemeente', 0, 500), act('act2', 1200), act('act2-gemeente', 1200, 500)]
    const B = [...base, note('n', 100, 200, 'nieuw in akte 2', {}, 'page:t')].map((r) => (r.id === 'shape:n' ? ({ ...r, x: 1300 } as TLRecord) : r))
    const c = compareRecords(base, B)
    expect(c.zones.map((z) => z.label)).toEqual(['Akte 2 — Waarden › Gemeente'])
    expect(c.zones[0].added[0].pageId).toBe('page:t')
    expect(c.pageId).toBe('page:t')
  })
})
