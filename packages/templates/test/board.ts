/** Hand-built boards for report tests: a template on a page plus notes/arrows placed like tldraw would. */
import { readFileSync } from 'node:fs'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getTemplate, plainToRichText, templateToRecords, type TemplateDefinition } from '../src'

export const demo = JSON.parse(readFileSync(new URL('../fixtures/demo-cop.json', import.meta.url), 'utf8')) as {
  participants: { name: string; perspective: string }[]
  sessions: { number: number; date: string; template: string; notes: Record<string, { by?: string; anonymous?: boolean; text: string }[]>; matches?: [string, string][] }[]
}

/** Fixture keys are the Dutch headings; map them to zone ids ("A / B" = sub-zone B of A). */
export function zoneIdForHeading(t: TemplateDefinition, key: string): string {
  const [outer, inner] = key.split(' / ')
  const top = t.zones.find((z) => z.label.nl === outer && !z.parentZoneId)
  if (!top) throw new Error(`no zone ${outer}`)
  if (!inner) return top.id
  const sub = t.zones.find((z) => z.parentZoneId === top.id && z.label.nl === inner)
  if (!sub) throw new Error(`no zone ${key}`)
  return sub.id
}

let n = 0
export function note(x: number, y: number, text: string, meta: Record<string, unknown> = {}, parentId = 'page:p', id = `shape:note${n++}`): TLShape {
  return {
    id, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a1', parentId, isLocked: false, opacity: 1, meta,
    props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: null, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: plainToRichText(text), scale: 1, textLastEditedBy: null },
  } as unknown as TLShape
}

export function arrow(id: string, x: number, y: number, end: { x: number; y: number }, parentId = 'page:p'): TLShape {
  return {
    id, typeName: 'shape', type: 'arrow', x, y, rotation: 0, index: 'a2', parentId, isLocked: false, opacity: 1, meta: {},
    props: { kind: 'arc', labelColor: 'black', color: 'black', fill: 'none', dash: 'draw', size: 'm', arrowheadStart: 'none', arrowheadEnd: 'arrow', font: 'draw', start: { x: 0, y: 0 }, end, bend: 0, richText: plainToRichText(''), labelPosition: 0.5, scale: 1, elbowMidPoint: 0.5 },
  } as unknown as TLShape
}

export function binding(id: string, arrowId: string, toId: string, terminal: 'start' | 'end'): TLRecord {
  return { id, typeName: 'binding', type: 'arrow', fromId: arrowId, toId, meta: {}, props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' } } as unknown as TLRecord
}

export function page(id = 'page:p'): TLRecord {
  return { id, typeName: 'page', name: 'Sessie', index: 'a1', meta: {} } as unknown as TLRecord
}

/** A demo session laid out on a board: notes placed in a grid inside their zone (page coords). */
export function demoBoard(sessionNumber: number, pageId = 'page:p') {
  const s = demo.sessions.find((x) => x.number === sessionNumber)!
  const t = getTemplate(s.template)!
  const records: TLRecord[] = [page(pageId), ...templateToRecords(t, { pageId, titleBlock: { copName: 'CoP Warmtetransitie', sessionNumber: s.number, date: s.date } })]
  const perspective = new Map(demo.participants.map((p) => [p.name, p.perspective]))
  const byText = new Map<string, TLShape>()
  for (const [key, notes] of Object.entries(s.notes)) {
    const zone = t.zones.find((z) => z.id === zoneIdForHeading(t, key))!
    notes.forEach((nt, i) => {
      const x = zone.rect.x + 20 + (i % 2) * 210
      const y = zone.rect.y + 110 + Math.floor(i / 2) * 40
      const meta: Record<string, unknown> = nt.anonymous ? { anonymous: true, author: 'Geheim' } : { author: nt.by, perspective: perspective.get(nt.by!) }
      const shape = note(x, y, nt.text, meta, pageId)
      records.push(shape)
      byText.set(nt.text, shape)
    })
  }
  return { t, s, records, byText }
}
