import { describe, expect, it } from 'vitest'
import { createTLSchema } from '@tldraw/tlschema'
import type { TLShape } from '@tldraw/tlschema'
import { templates, getTemplate, templateToRecords, type TemplateDefinition, type Rect, agendaStepBounds } from '../src'

const schema = createTLSchema()

function inside(a: Rect, b: Rect) {
  return a.x >= b.x - 0.001 && a.y >= b.y - 0.001 && a.x + a.w <= b.x + b.w + 0.001 && a.y + a.h <= b.y + b.h + 0.001
}
function overlap(a: Rect, b: Rect) {
  return a.x < b.x + b.w - 0.001 && b.x < a.x + a.w - 0.001 && a.y < b.y + b.h - 0.001 && b.y < a.y + a.h - 0.001
}
function ancestors(t: TemplateDefinition, id: string): string[] {
  const out: string[] = []
  let z = t.zones.find((x) => x.id === id)
  while (z?.parentZoneId) {
    out.push(z.parentZoneId)
    z = t.zones.find((x) => x.id === z!.parentZoneId)
  }
  return out
}

/** R3: the stable zone ids. Changing this list is a breaking change: add, never rename. */
const ZONE_IDS: Record<string, string[]> = {
  'learning-questions': ['seek', 'offer', 'organise', 'ground-rules', 'parking-lot'],
  lemniscaat: [
    'practice', 'cop', 'policy',
    'visible', 'visible-now', 'visible-next', 'visible-who', 'visible-when',
    'policy-learning', 'policy-learning-now', 'policy-learning-next', 'policy-learning-who', 'policy-learning-when',
    'political', 'political-now', 'political-next', 'political-who', 'political-when',
  ],
  comedy: [
    'act1', 'act1-gemeente', 'act1-initiatieven', 'act2', 'act2-gemeente', 'act2-initiatieven',
    'act3', 'act3-gemeente', 'act3-initiatieven', 'act4', 'act4-gemeente', 'act4-initiatieven',
  ],
  opgroeiruimte: [
    'doen-kennen', 'doen-stappen', 'doen-borgen', 'doen-verhaal',
    'namens-wie', 'namens-wie-uitdaging', 'namens-wie-afspraken', 'namens-wie-doen',
    'rollen', 'rollen-uitdaging', 'rollen-afspraken', 'rollen-doen',
    'veerkrachtig', 'veerkrachtig-uitdaging', 'veerkrachtig-afspraken', 'veerkrachtig-doen',
    'financiering', 'financiering-uitdaging', 'financiering-afspraken', 'financiering-doen',
  ],
  accord: ['statement', 'principles', 'signatures'],
}

describe('R1 registry', () => {
  it('R1: five templates, unique ids, in gallery order, findable', () => {
    expect(templates.map((t) => t.id)).toEqual(['learning-questions', 'lemniscaat', 'comedy', 'opgroeiruimte', 'accord'])
    for (const t of templates) expect(getTemplate(t.id)).toBe(t)
    expect(getTemplate('nope')).toBeUndefined()
  })
})

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  it('R2: zones do not overlap except declared nesting; nested zones lie inside their parent', () => {
    for (const z of t.zones) {
      if (z.parentZoneId) {
        const p = t.zones.find((x) => x.id === z.parentZoneId)
        expect(p, `${z.id} parent`).toBeDefined()
        expect(inside(z.rect, p!.rect), `${z.id} inside ${p!.id}`).toBe(true)
      }
      expect(overlap(z.rect, t.titleBlock), `${z.id} vs title`).toBe(false)
      expect(overlap(z.rect, t.agendaBlock), `${z.id} vs agenda`).toBe(false)
    }
    for (let i = 0; i < t.zones.length; i++)
      for (let j = i + 1; j < t.zones.length; j++) {
        const a = t.zones[i]
        const b = t.zones[j]
        const nested = ancestors(t, a.id).includes(b.id) || ancestors(t, b.id).includes(a.id)
        if (!nested) expect(overlap(a.rect, b.rect), `${a.id} overlaps ${b.id}`).toBe(false)
      }
    expect(overlap(t.titleBlock, t.agendaBlock)).toBe(false)
  })

  it('R3: zone ids are stable (snapshot list) and unique', () => {
    expect(t.zones.map((z) => z.id)).toEqual(ZONE_IDS[t.id])
    expect(new Set(t.zones.map((z) => z.id)).size).toBe(t.zones.length)
  })

  it('R4: 16:9 layout 1920..3840 wide, everything inside, headings readable at fit zoom', () => {
    const { width, height } = t.layout
    expect(width * 9).toBe(height * 16)
    expect(width).toBeGreaterThanOrEqual(1920)
    expect(width).toBeLessThanOrEqual(3840)
    const L = { x: 0, y: 0, w: width, h: height }
    for (const z of t.zones) expect(inside(z.rect, L), z.id).toBe(true)
    expect(inside(t.titleBlock, L)).toBe(true)
    expect(inside(t.agendaBlock, L)).toBe(true)
    const zoom = Math.min(1920 / width, 1080 / height)
    expect(36 * zoom).toBeGreaterThanOrEqual(20)
    expect(24 * zoom).toBeGreaterThanOrEqual(14)
    for (const z of t.zones) {
      expect(z.rect.w, `${z.id} wide enough for a note`).toBeGreaterThanOrEqual(220)
      expect(z.rect.h, `${z.id} tall enough for a note`).toBeGreaterThanOrEqual(220)
    }
  })

  it('R5: every text exists in nl and en, non-empty', () => {
    const all = [t.title, t.description, ...t.zones.flatMap((z) => [z.label, z.prompt]), ...t.agenda.map((a) => a.title), ...(t.prefilled ?? []).map((p) => p.text)]
    for (const l of all) {
      expect(l.nl.trim().length).toBeGreaterThan(0)
      expect(l.en.trim().length).toBeGreaterThan(0)
    }
  })

  it('R7: agenda steps have a timebox, reference zones, and frame every top-level zone', () => {
    const ids = new Set(t.zones.map((z) => z.id))
    for (const a of t.agenda) {
      expect(a.minutes).toBeGreaterThan(0)
      expect(a.zoneIds.length).toBeGreaterThan(0)
      for (const z of a.zoneIds) expect(ids.has(z), z).toBe(true)
      expect(agendaStepBounds(t, a.id)).toBeDefined()
    }
    const framed = new Set(t.agenda.flatMap((a) => a.zoneIds))
    for (const z of t.zones.filter((z) => !z.parentZoneId)) expect(framed.has(z.id), z.id).toBe(true)
    expect(new Set(t.agenda.map((a) => a.id)).size).toBe(t.agenda.length)
  })

  it('R6: records pass tldraw schema validation, unique ids, locked scaffold with meta', () => {
    for (const lang of ['nl', 'en'] as const) {
      const records = templateToRecords(t, { pageId: 'page:test', lang, titleBlock: { copName: 'CoP "Warmte", Zwolle', sessionNumber: 2, date: '2026-10-12' } })
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
      for (const r of records) {
        expect(() => schema.types[r.typeName as 'shape'].validate(r as TLShape), r.id).not.toThrow()
        const s = r as TLShape
        const m = (s.meta as { copboard: { templateId: string; version: number; scaffold: boolean; zoneId: string | null; part: string } }).copboard
        expect(m.templateId).toBe(t.id)
        expect(m.version).toBe(t.version)
        if (m.part === 'prefilled') {
          expect(s.type).toBe('note')
          expect(s.isLocked).toBe(false)
          expect(m.scaffold).toBe(false)
        } else {
          expect(s.isLocked, s.id).toBe(true)
          expect(m.scaffold).toBe(true)
        }
        const parent = records.find((x) => x.id === s.parentId)
        expect(s.parentId === 'page:test' || parent !== undefined).toBe(true)
      }
      for (const z of t.zones) {
        const areas = records.filter((r) => (r as TLShape).meta.copboard && ((r as TLShape).meta.copboard as { zoneId: string; part: string }).zoneId === z.id && ((r as TLShape).meta.copboard as { part: string }).part === 'zone')
        expect(areas.length, z.id).toBe(1)
      }
    }
  })

  it('R6: deterministic per page, shifted by origin, no id collision between pages', () => {
    const a = templateToRecords(t, { pageId: 'page:a' })
    const a2 = templateToRecords(t, { pageId: 'page:a' })
    expect(a2).toEqual(a)
    const b = templateToRecords(t, { pageId: 'page:b', origin: { x: 1000, y: -500 } })
    const ids = new Set(a.map((r) => r.id))
    for (const r of b) expect(ids.has(r.id)).toBe(false)
    const topA = a.filter((r) => (r as TLShape).parentId === 'page:a') as TLShape[]
    const topB = b.filter((r) => (r as TLShape).parentId === 'page:b') as TLShape[]
    expect(topB.length).toBe(topA.length)
    topA.forEach((s, i) => {
      expect(topB[i].x - s.x).toBeCloseTo(1000)
      expect(topB[i].y - s.y).toBeCloseTo(-500)
    })
  })
})

describe('R6 specifics', () => {
  it('R6: lemniscaat has a figure-eight line and the four Beleidsleren themes as unlocked notes', () => {
    const records = templateToRecords(getTemplate('lemniscaat')!, { pageId: 'page:x' }) as TLShape[]
    expect(records.some((r) => r.type === 'line' && r.isLocked)).toBe(true)
    const notes = records.filter((r) => r.type === 'note')
    expect(notes).toHaveLength(4)
    expect(notes.every((n) => !n.isLocked && (n.meta.copboard as { zoneId: string }).zoneId === 'policy-learning')).toBe(true)
  })
  it('R6: comedy acts are frames; their halves are children of the frame', () => {
    const records = templateToRecords(getTemplate('comedy')!, { pageId: 'page:x' }) as TLShape[]
    const frames = records.filter((r) => r.type === 'frame')
    expect(frames).toHaveLength(4)
    const half = records.find((r) => (r.meta.copboard as { zoneId: string; part: string }).zoneId === 'act2-gemeente' && (r.meta.copboard as { part: string }).part === 'zone')!
    expect(half.parentId).toBe(frames[1].id)
  })
  it('R6: title block shows CoP name, session number and date in the chosen language', () => {
    const t = getTemplate('accord')!
    const texts = (lang: 'nl' | 'en') =>
      JSON.stringify(templateToRecords(t, { pageId: 'page:x', lang, titleBlock: { copName: 'CoP Warmte', sessionNumber: 3, date: '2026-11-09' } }))
    expect(texts('nl')).toContain('CoP Warmte · Sessie 3 · 9 november 2026')
    expect(texts('en')).toContain('CoP Warmte · Session 3 · 9 November 2026')
    expect(texts('en')).toContain('Core statement')
  })
})
