/**
 * Session report (SPEC rules 8–11): notes per zone in template order, authors hidden in anonymous
 * zones, cross-pollination matches (arrows seek -> offer), accord endorsements. Markdown and CSV.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getTemplate } from './registry'
import { STATEMENT_PLACEHOLDER, statementHash } from './statement'
import { shapeText } from './richtext'
import { PERSPECTIVES, type Lang, type Perspective, type Report, type ReportEndorsement, type ReportHeader, type ReportMatch, type ReportNote, type ReportSection, type ReportZone, type TemplateDefinition } from './types'
import { readAccord, readVotes } from './report-session'
import { type BoardZone, type NoteAssignment, assignNotesToZones, boardZones, isShape, pageBounds, pageOf, pageTransform, rectContains, scaffoldMeta, toMap, toPage } from './zones'

export interface BuildReportOptions {
  lang?: Lang
  /** R14: the header (CoP, session, date, duration, people), from the archive. */
  header?: ReportHeader
  /** R15: the board's `session` map as plain JSON (Y.Map#toJSON), for votes and the accord. */
  session?: unknown
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
    const labelOf = (id: string) => def?.zones.find((z) => z.id === id)?.label[lang] ?? id
    const reportZones: ReportZone[] = zoneIds.map((zoneId) => {
      const zd = def?.zones.find((z) => z.id === zoneId)
      const anonymous = zd?.anonymous === true
      const notes = assignments.filter((a) => a.zone && a.zone.pageId === pageId && a.zone.templateId === templateId && a.zone.zoneId === zoneId).map((a) => toReportNote(a.note, anonymous))
      // R13: the path from the top-level zone (bounded: declared nesting is shallow)
      const path = [labelOf(zoneId)]
      for (let p = zd?.parentZoneId, i = 0; p && i < 10; p = def?.zones.find((z) => z.id === p)?.parentZoneId, i++) path.unshift(labelOf(p))
      const z: ReportZone = { zoneId, label: labelOf(zoneId), anonymous, notes, parentZoneId: zd?.parentZoneId ?? null, path }
      if (zd?.statement) z.role = 'statement'
      else if (zd?.signatures) z.role = 'signatures'
      return z
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
  // R13: templates in the order they were used: page order (each launch opens a page after the
  // last), then top to bottom on one page
  const pageIndex = (id: string) => String((map.get(id) as { index?: unknown } | undefined)?.index ?? '')
  const top = new Map<ReportSection, number>()
  for (const sec of sections) top.set(sec, Math.min(...zones.filter((z) => z.pageId === sec.pageId && z.templateId === sec.templateId).map((z) => z.bounds.y)))
  sections.sort((a, b) => (pageIndex(a.pageId) < pageIndex(b.pageId) ? -1 : pageIndex(a.pageId) > pageIndex(b.pageId) ? 1 : top.get(a)! - top.get(b)!))
  const report: Report = { lang, sections, unzoned }
  if (options.header) report.header = options.header
  if (options.session !== undefined) {
    const notesById = new Map(assignments.map((a) => [a.note.id as string, shapeText(a.note).trim()]))
    const votes = readVotes(options.session, notesById)
    if (votes.length) report.votes = votes
    const accord = readAccord(options.session)
    if (accord) report.accord = accord
  }
  return report
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
  if (text === STATEMENT_PLACEHOLDER.nl || text === STATEMENT_PLACEHOLDER.en) text = ''
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
