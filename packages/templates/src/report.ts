/**
 * Session report (SPEC rules 8–11): notes per zone in template order, authors hidden in anonymous
 * zones, cross-pollination matches (arrows seek -> offer), accord endorsements. Markdown and CSV.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getTemplate } from './registry'
import { statementHash } from './records'
import { shapeText } from './richtext'
import { PERSPECTIVES, type Lang, type Perspective, type Report, type ReportEndorsement, type ReportMatch, type ReportNote, type ReportSection, type ReportZone, type TemplateDefinition } from './types'
import { type BoardZone, type NoteAssignment, assignNotesToZones, boardZones, isShape, pageBounds, pageOf, pageTransform, rectContains, scaffoldMeta, toMap, toPage } from './zones'

export interface BuildReportOptions {
  lang?: Lang
}

function noteMeta(s: TLShape) {
  const m = (s.meta ?? {}) as { author?: unknown; perspective?: unknown; anonymous?: unknown; prefilled?: unknown; copboard?: { signature?: { statementHash?: unknown } } }
  return {
    author: typeof m.author === 'string' && m.author.trim() ? m.author.trim() : null,
    perspective: PERSPECTIVES.includes(m.perspective as Perspective) ? (m.perspective as Perspective) : null,
    anonymous: m.anonymous === true,
    prefilled: m.prefilled === true,
    signatureHash: typeof m.copboard?.signature?.statementHash === 'string' ? m.copboard.signature.statementHash : null,
  }
}

function sectionKey(z: { pageId: string; templateId: string }) {
  return `${z.pageId}\u0000${z.templateId}`
}

/** Build the typed report from a board's records (all pages). */
export function buildReport(records: Iterable<TLRecord>, options: BuildReportOptions = {}): Report {
  const lang = options.lang ?? 'nl'
  const map = toMap(records)
  const zones = boardZones([], map)
  // every note, also on pages without a template: outside all zones = unzoned
  const assignments = assignNotesToZones([], map, zones)
  // reading order: top to bottom, then left to right
  assignments.sort((a, b) => a.center.y - b.center.y || a.center.x - b.center.x || (a.note.id < b.note.id ? -1 : 1))

  const groups = new Map<string, BoardZone[]>()
  for (const z of zones) {
    const k = sectionKey(z)
    const g = groups.get(k)
    if (g) g.push(z)
    else groups.set(k, [z])
  }

  const sections: ReportSection[] = []
  const unzoned: ReportNote[] = []
  for (const a of assignments) if (!a.zone) unzoned.push(toReportNote(a.note, false))

  for (const [, gz] of groups) {
    const { pageId, templateId, version } = gz[0]
    const def = getTemplate(templateId)
    const order = def ? def.zones.map((z) => z.id) : []
    const zoneIds = [...new Set(gz.map((z) => z.zoneId))].sort((a, b) => rank(order, a) - rank(order, b))
    const reportZones: ReportZone[] = zoneIds.map((zoneId) => {
      const zd = def?.zones.find((z) => z.id === zoneId)
      const anonymous = zd?.anonymous === true
      const notes = assignments.filter((a) => a.zone && a.zone.pageId === pageId && a.zone.templateId === templateId && a.zone.zoneId === zoneId).map((a) => toReportNote(a.note, anonymous))
      return { zoneId, label: zd ? zd.label[lang] : zoneId, anonymous, notes }
    })
    const section: ReportSection = {
      pageId,
      templateId,
      version,
      title: def ? def.title[lang] : templateId,
      zones: reportZones,
      matches: def?.matching ? findMatches(map, assignments, pageId, templateId, def) : [],
    }
    const statement = def ? readStatement(map, assignments, pageId, def) : undefined
    if (statement) section.statement = statement
    sections.push(section)
  }
  sections.sort((a, b) => (a.pageId < b.pageId ? -1 : a.pageId > b.pageId ? 1 : 0))
  return { lang, sections, unzoned }
}

function rank(order: string[], id: string) {
  const i = order.indexOf(id)
  return i === -1 ? order.length : i
}

function toReportNote(note: TLShape, zoneAnonymous: boolean): ReportNote {
  const m = noteMeta(note)
  const hidden = zoneAnonymous || m.anonymous
  const n: ReportNote = {
    id: note.id,
    text: shapeText(note).trim(),
    author: hidden ? null : m.author,
    perspective: m.perspective,
  }
  if (m.prefilled) n.prefilled = true
  return n
}

/** The note an arrow terminal points at: its binding target, else the note under the free end. */
function terminalNote(map: Map<string, TLRecord>, arrow: TLShape, terminal: 'start' | 'end', bindings: TLRecord[], notes: NoteAssignment[]): NoteAssignment | undefined {
  const b = bindings.find((r) => (r as { fromId?: string }).fromId === arrow.id && (r as { props?: { terminal?: string } }).props?.terminal === terminal) as { toId: string } | undefined
  if (b) return notes.find((n) => n.note.id === b.toId)
  const p = (arrow.props as { start?: { x: number; y: number }; end?: { x: number; y: number } })[terminal]
  if (!p) return undefined
  const pt = toPage(pageTransform(map, arrow), p)
  return notes.find((n) => rectContains(pageBounds(map, n.note), pt))
}

function findMatches(map: Map<string, TLRecord>, assignments: NoteAssignment[], pageId: string, templateId: string, def: TemplateDefinition): ReportMatch[] {
  const { fromZoneId, toZoneId } = def.matching!
  const bindings = [...map.values()].filter((r) => r.typeName === 'binding' && (r as { type?: string }).type === 'arrow')
  const notes = assignments.filter((a) => a.pageId === pageId && a.zone?.templateId === templateId)
  const seen = new Set<string>()
  const out: ReportMatch[] = []
  const arrows = [...map.values()].filter((r): r is TLShape => isShape(r) && r.type === 'arrow' && !scaffoldMeta(r)?.scaffold && pageOf(map, r) === pageId)
  arrows.sort((a, b) => (a.id < b.id ? -1 : 1))
  for (const arrow of arrows) {
    const a = terminalNote(map, arrow, 'start', bindings, notes)
    const b = terminalNote(map, arrow, 'end', bindings, notes)
    if (!a || !b || a === b) continue
    let q: NoteAssignment | undefined
    let o: NoteAssignment | undefined
    if (a.zone?.zoneId === fromZoneId && b.zone?.zoneId === toZoneId) [q, o] = [a, b]
    else if (b.zone?.zoneId === fromZoneId && a.zone?.zoneId === toZoneId) [q, o] = [b, a]
    if (!q || !o) continue
    const key = `${q.note.id}>${o.note.id}`
    if (seen.has(key)) continue
    seen.add(key)
    const qa = toReportNote(q.note, false)
    const oa = toReportNote(o.note, false)
    out.push({ question: { id: qa.id, text: qa.text, author: qa.author }, offer: { id: oa.id, text: oa.text, author: oa.author } })
  }
  return out
}

function readStatement(map: Map<string, TLRecord>, assignments: NoteAssignment[], pageId: string, def: TemplateDefinition): ReportSection['statement'] {
  const statementZone = def.zones.find((z) => z.statement)
  const signatureZone = def.zones.find((z) => z.signatures)
  if (!statementZone || !signatureZone) return undefined
  let text = ''
  for (const r of map.values()) {
    if (!isShape(r)) continue
    const m = scaffoldMeta(r)
    if (m?.templateId === def.id && m.part === 'statement' && pageOf(map, r) === pageId) text = shapeText(r).trim()
  }
  const hash = statementHash(text)
  const endorsements: ReportEndorsement[] = []
  const names = new Set<string>()
  for (const a of assignments) {
    if (a.pageId !== pageId || a.zone?.templateId !== def.id || a.zone.zoneId !== signatureZone.id) continue
    const m = noteMeta(a.note)
    const name = m.author ?? shapeText(a.note).trim()
    if (!name) continue
    const key = name.toLocaleLowerCase()
    if (names.has(key)) continue // each participant endorses once
    names.add(key)
    endorsements.push({ name, perspective: m.perspective, statementHash: m.signatureHash, current: m.signatureHash === null || m.signatureHash === hash })
  }
  return { text, hash, endorsements }
}

// ---------------------------------------------------------------- Markdown

const MD: Record<Lang, Record<string, string>> = {
  nl: { report: 'Sessieverslag', anonymous: 'anoniem', none: '_(geen notities)_', matches: 'Kruisbestuiving', unzoned: 'Buiten de zones', statement: 'Kernstatement', endorsed: 'Onderschreven door', earlier: 'eerdere versie', example: 'voorbeeld', gemeente: 'gemeente', initiatief: 'initiatief', overig: 'overig' },
  en: { report: 'Session report', anonymous: 'anonymous', none: '_(no notes)_', matches: 'Cross-pollination', unzoned: 'Outside the zones', statement: 'Core statement', endorsed: 'Endorsed by', earlier: 'earlier version', example: 'example', gemeente: 'municipality', initiatief: 'initiative', overig: 'other' },
}

/** Escape Markdown inline syntax so note text can never break the document structure. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|!~])/g, '\\$1')
}

/** Multi-line text as one list item: continuation lines indented (stays inside the bullet). */
function mdLines(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map((l) => escapeMarkdown(l.trim()))
    .filter((l) => l.length > 0)
    .join('  \n  ')
}

export function reportToMarkdown(report: Report, lang: Lang = report.lang): string {
  const t = MD[lang]
  const out: string[] = [`# ${t.report}`, '']
  const who = (author: string | null, perspective: Perspective | null) => {
    const bits = [author ? escapeMarkdown(author) : null, perspective ? t[perspective] : null].filter(Boolean)
    return bits.length ? ` — ${bits.join(', ')}` : ''
  }
  for (const s of report.sections) {
    out.push(`## ${escapeMarkdown(s.title)}`, '')
    if (s.statement) {
      out.push(`### ${t.statement}`, '')
      for (const l of (s.statement.text || '…').split(/\r\n|\r|\n/)) out.push(`> ${escapeMarkdown(l)}`)
      out.push('')
    }
    for (const z of s.zones) {
      out.push(`### ${escapeMarkdown(z.label)}${z.anonymous ? ` (${t.anonymous})` : ''}`, '')
      if (!z.notes.length) out.push(t.none)
      for (const n of z.notes) out.push(`- ${mdLines(n.text) || '…'}${n.prefilled ? ` _(${t.example})_` : who(n.author, n.perspective)}`)
      out.push('')
    }
    if (s.matches.length) {
      out.push(`### ${t.matches}`, '')
      for (const m of s.matches) out.push(`- ${mdLines(m.question.text)} → ${mdLines(m.offer.text)}`)
      out.push('')
    }
    if (s.statement) {
      out.push(`### ${t.endorsed}`, '')
      if (!s.statement.endorsements.length) out.push(t.none)
      for (const e of s.statement.endorsements) out.push(`- ${escapeMarkdown(e.name)}${e.perspective ? ` — ${t[e.perspective]}` : ''}${e.current ? '' : ` _(${t.earlier})_`}`)
      out.push('')
    }
  }
  if (report.unzoned.length) {
    out.push(`## ${t.unzoned}`, '')
    for (const n of report.unzoned) out.push(`- ${mdLines(n.text) || '…'}${who(n.author, n.perspective)}`)
    out.push('')
  }
  return out.join('\n')
}

// ---------------------------------------------------------------- CSV (RFC 4180)

/** Quote a CSV field when needed (comma, quote, CR, LF); guard against spreadsheet formula injection. */
export function csvField(v: string | number | boolean | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v)
  if (/^[=+@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const CSV_HEADER = ['kind', 'template', 'page', 'zone_id', 'zone', 'note_id', 'text', 'author', 'perspective', 'related_text'] as const

export function reportToCsv(report: Report): string {
  const rows: (string | null)[][] = [[...CSV_HEADER]]
  for (const s of report.sections) {
    for (const z of s.zones) for (const n of z.notes) rows.push([n.prefilled ? 'example' : 'note', s.templateId, s.pageId, z.zoneId, z.label, n.id, n.text, n.author, n.perspective, null])
    for (const m of s.matches) rows.push(['match', s.templateId, s.pageId, null, null, m.question.id, m.question.text, m.question.author, null, m.offer.text])
    if (s.statement) {
      rows.push(['statement', s.templateId, s.pageId, null, null, null, s.statement.text, null, null, s.statement.hash])
      for (const e of s.statement.endorsements) rows.push(['endorsement', s.templateId, s.pageId, null, null, null, e.name, e.name, e.perspective, e.statementHash])
    }
  }
  for (const n of report.unzoned) rows.push(['note', null, null, null, null, n.id, n.text, n.author, n.perspective, null])
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
