/**
 * The demo CoP "Warmtetransitie (voorbeeld)" (SPEC A9): the notes and matches of one fixture
 * session (packages/templates/fixtures/demo-cop.json) as board records on top of its template,
 * laid out in a tidy grid inside each zone. Pure: the server seeds and archives the sessions.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { getTemplate, plainToRichText, type TemplateDefinition } from '@copboard/templates'

export interface DemoFixture {
  cop: { name: string; theme: string; coHost: string }
  participants: { name: string; perspective: string }[]
  sessions: {
    number: number
    date: string
    title: string
    template: string
    notes: Record<string, { by?: string; anonymous?: boolean; text: string }[]>
    matches?: [string, string][]
  }[]
}

/** Fixture keys are the Dutch headings ("Akte 1 — Vooroordelen / Gemeente" = sub-zone of an act). */
export function demoZoneId(t: TemplateDefinition, key: string): string | null {
  const [outer, inner] = key.split(' / ')
  const top = t.zones.find((z) => z.label.nl === outer && !z.parentZoneId)
  if (!top) return null
  if (!inner) return top.id
  return t.zones.find((z) => z.parentZoneId === top.id && z.label.nl === inner)?.id ?? null
}

const COLORS: Record<string, string> = { gemeente: 'light-blue', initiatief: 'light-green', overig: 'yellow' }

/** Notes (and arrows for matches) of fixture session `number`, on `pageId` with the template at the origin. */
export function demoSessionRecords(fixture: DemoFixture, number: number, pageId = 'page:page'): TLRecord[] {
  const s = fixture.sessions.find((x) => x.number === number)
  const t = s && getTemplate(s.template)
  if (!s || !t) return []
  const perspective = new Map(fixture.participants.map((p) => [p.name, p.perspective]))
  const out: TLRecord[] = []
  const byText = new Map<string, { id: string; x: number; y: number; size: number }>()
  let n = 0
  for (const [key, notes] of Object.entries(s.notes)) {
    const zoneId = demoZoneId(t, key)
    const zone = zoneId ? t.zones.find((z) => z.id === zoneId) : undefined
    if (!zone) continue
    const head = Math.min(120, zone.rect.h * 0.35)
    const availH = zone.rect.h - head - 16
    const scale = Math.max(0.45, Math.min(0.8, availH / 200))
    const size = 200 * scale
    const cols = Math.max(1, Math.floor((zone.rect.w - 24) / (size + 12)))
    notes.forEach((nt, i) => {
      const id = `shape:demo-${number}-${n++}`
      const x = zone.rect.x + 16 + (i % cols) * (size + 12)
      const y = zone.rect.y + head + Math.floor(i / cols) * (size + 12)
      const p = nt.by ? perspective.get(nt.by) : undefined
      const anonymous = nt.anonymous === true || zone.anonymous === true
      out.push({
        id, typeName: 'shape', type: 'note', x, y, rotation: 0, index: `c${String(100 + n).padStart(3, '0')}`, parentId: pageId, isLocked: false, opacity: 1,
        props: { color: COLORS[p ?? ''] ?? 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: plainToRichText(nt.text), scale },
        meta: anonymous ? { anonymous: true } : { ...(nt.by ? { author: nt.by } : {}), ...(p ? { perspective: p } : {}) },
      } as unknown as TLRecord)
      byText.set(nt.text, { id, x, y, size })
    })
  }
  ;(s.matches ?? []).forEach(([q, o], i) => {
    const a = byText.get(q)
    const b = byText.get(o)
    if (!a || !b) return
    const id = `shape:demo-${number}-match-${i}`
    out.push({
      id, typeName: 'shape', type: 'arrow', x: a.x + a.size / 2, y: a.y + a.size / 2, rotation: 0, index: `c${String(900 + i).padStart(3, '0')}`, parentId: pageId, isLocked: false, opacity: 1, meta: {},
      props: { kind: 'arc', labelColor: 'black', color: 'violet', fill: 'none', dash: 'draw', size: 'm', arrowheadStart: 'none', arrowheadEnd: 'arrow', font: 'draw', start: { x: 0, y: 0 }, end: { x: b.x - a.x, y: b.y - a.y }, bend: 0, richText: plainToRichText(''), labelPosition: 0.5, scale: 1, elbowMidPoint: 0.5 },
    } as unknown as TLRecord)
    for (const [terminal, to] of [['start', a.id], ['end', b.id]] as const) {
      out.push({ id: `binding:demo-${number}-${i}-${terminal}`, typeName: 'binding', type: 'arrow', fromId: id, toId: to, meta: {}, props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' } } as unknown as TLRecord)
    }
  })
  return out
}
