/**
 * The report as a document (R12–R15): an outline of zones nested as on the board with empty zones
 * summarised, Markdown to mail, CSV (RFC 4180) for spreadsheets. The printable page in the web
 * app renders the same outline (`reportOutline`), so Markdown and print never disagree.
 */
import type { Lang, Perspective, Report, ReportHeader, ReportNote, ReportSection, ReportZone } from './types'
import { PERSPECTIVES } from './types'

export interface OutlineZone {
  zone: ReportZone
  children: OutlineZone[]
}

export interface SectionOutline {
  section: ReportSection
  /** zones with notes (themselves or below), nested by parentZoneId; statement/signature zones left out */
  zones: OutlineZone[]
  /** labels of the zones without notes, in template order (R13: summarised in one line) */
  empty: string[]
  /** nothing was written in this template (no notes, matches, statement or endorsements) */
  isEmpty: boolean
}

/** R13: the zones of a section nested as on the board, empty ones summarised. */
export function reportOutline(section: ReportSection): SectionOutline {
  const shown = section.zones.filter((z) => !z.role)
  const byParent = new Map<string | null, ReportZone[]>()
  for (const z of shown) {
    const parent = z.parentZoneId && shown.some((p) => p.zoneId === z.parentZoneId) ? z.parentZoneId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), z])
  }
  const empty: string[] = []
  // declared nesting is shallow (template data, not user data), so this recursion is bounded
  const build = (parent: string | null, depth: number): OutlineZone[] => {
    const out: OutlineZone[] = []
    for (const z of byParent.get(parent) ?? []) {
      const mark = empty.length
      const children = depth < 4 ? build(z.zoneId, depth + 1) : []
      if (z.notes.length || children.length) out.push({ zone: z, children })
      else {
        // a wholly empty zone is named once, not with each of its empty sub-zones
        empty.length = mark
        empty.push(z.path.join(' › '))
      }
    }
    return out
  }
  const zones = build(null, 0)
  const isEmpty = !zones.length && !section.matches.length && !section.statement?.text && !section.statement?.endorsements.length
  return { section, zones, empty, isEmpty }
}

const MD: Record<Lang, Record<string, string>> = {
  nl: {
    report: 'Sessieverslag', session: 'Sessie', anonymous: 'anoniem', matches: 'Kruisbestuiving', unzoned: 'Buiten de zones', statement: 'Kernstatement',
    endorsed: 'Onderschreven door', earlier: 'eerdere versie', example: 'voorbeeld', gemeente: 'gemeente', initiatief: 'initiatief', overig: 'overig',
    emptyZones: 'Zonder notities', emptySections: 'Ook gebruikt, zonder notities', date: 'Datum', duration: 'Duur', facilitator: 'Procesbegeleiding',
    participants: 'Deelnemers', viewers: 'Meekijkers', coHost: 'Mede-organisator', unknown: 'perspectief onbekend', votes: 'Stemmingen', dots: 'stippen',
    dot: 'stip', voters: 'stemmers', accord: 'Akkoord', noNotes: 'Er zijn in deze sessie geen notities geschreven.',
  },
  en: {
    report: 'Session report', session: 'Session', anonymous: 'anonymous', matches: 'Cross-pollination', unzoned: 'Outside the zones', statement: 'Core statement',
    endorsed: 'Endorsed by', earlier: 'earlier version', example: 'example', gemeente: 'municipality', initiatief: 'initiative', overig: 'other',
    emptyZones: 'No notes', emptySections: 'Also used, no notes', date: 'Date', duration: 'Duration', facilitator: 'Facilitation',
    participants: 'Participants', viewers: 'Viewers', coHost: 'Co-host', unknown: 'perspective unknown', votes: 'Votes', dots: 'dots',
    dot: 'dot', voters: 'voters', accord: 'Accord', noNotes: 'No notes were written in this session.',
  },
}
export type ReportLabels = (typeof MD)['nl']
export const reportLabels = (lang: Lang): ReportLabels => MD[lang]

/** R12: escapes Markdown inline syntax so note text never becomes markup (no `!`: harmless without `[`). */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>|~])/g, '\\$1')
}

/**
 * R12: one line of note text inside a bullet: inline syntax escaped, and what would start a block
 * at the beginning of a line (heading, list item, numbered item, quote, rule, setext underline,
 * table, code fence) is neutralised, so `a\n- x\n1. y` stays one bullet with three lines of text.
 */
export function escapeMarkdownLine(line: string): string {
  const l = escapeMarkdown(line.trim())
  return l
    .replace(/^([#>+=-])/, '\\$1')
    .replace(/^(\d{1,9})([.)])/, '$1\\$2')
}

function mdLines(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map(escapeMarkdownLine)
    .filter((l) => l.length > 0)
    .join('  \n  ')
}

/** "1 u 25 min" / "1 h 25 min" */
export function formatDuration(ms: number | null, lang: Lang): string | null {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return null
  const min = Math.round(ms / 60_000)
  const h = Math.floor(min / 60)
  const m = min % 60
  return h ? `${h} ${lang === 'nl' ? 'u' : 'h'}${m ? ` ${m} min` : ''}` : `${m} min`
}

export function formatReportDate(date: string, lang: Lang): string {
  const d = new Date(`${date}T12:00:00Z`)
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

/** R14: the people of the header grouped: facilitators, participants by perspective, viewers. */
export function groupPeople(header: ReportHeader): { facilitators: string[]; byPerspective: [Perspective | null, string[]][]; viewers: string[] } {
  const facilitators = header.people.filter((p) => p.role === 'facilitator').map((p) => p.name)
  const viewers = header.people.filter((p) => p.role === 'viewer').map((p) => p.name)
  const rest = header.people.filter((p) => p.role !== 'facilitator' && p.role !== 'viewer')
  const byPerspective: [Perspective | null, string[]][] = []
  for (const k of [...PERSPECTIVES, null] as (Perspective | null)[]) {
    const names = rest.filter((p) => p.perspective === k).map((p) => p.name)
    if (names.length) byPerspective.push([k, names])
  }
  return { facilitators, byPerspective, viewers }
}

export function reportToMarkdown(report: Report, lang: Lang = report.lang): string {
  const t = MD[lang]
  const h = report.header
  const out: string[] = [h ? `# ${t.report} — ${escapeMarkdown(h.cop)}` : `# ${t.report}`, '']
  if (h) {
    out.push(`**${t.session} ${h.sessionNumber}: ${escapeMarkdown(h.sessionTitle)}**`, '')
    const when = [`${t.date}: ${formatReportDate(h.date, lang)}`]
    const dur = formatDuration(h.durationMs, lang)
    if (dur) when.push(`${t.duration}: ${dur}`)
    out.push(when.join(' · ') + '  ')
    const g = groupPeople(h)
    if (g.facilitators.length) out.push(`${t.facilitator}: ${g.facilitators.map(escapeMarkdown).join(', ')}  `)
    if (h.coHost) out.push(`${t.coHost}: ${escapeMarkdown(h.coHost)}  `)
    const count = g.byPerspective.reduce((n, [, names]) => n + names.length, 0)
    if (count) {
      out.push(`${t.participants} (${count}):`, '')
      for (const [k, names] of g.byPerspective) out.push(`- ${k ? cap(t[k]) : cap(t.unknown)} (${names.length}): ${names.map(escapeMarkdown).join(', ')}`)
    }
    if (g.viewers.length) out.push('', `${t.viewers}: ${g.viewers.map(escapeMarkdown).join(', ')}`)
    out.push('')
  }
  const who = (n: ReportNote) => {
    if (n.prefilled) return ` _(${t.example})_`
    const bits = [n.author ? escapeMarkdown(n.author) : null, n.perspective ? t[n.perspective] : null].filter(Boolean)
    return bits.length ? ` — ${bits.join(', ')}` : ''
  }
  const emptySections: string[] = []
  let wroteAny = false
  for (const s of report.sections) {
    const o = reportOutline(s)
    if (o.isEmpty) {
      emptySections.push(escapeMarkdown(s.title))
      continue
    }
    wroteAny = true
    out.push(`## ${escapeMarkdown(s.title)}`, '')
    if (s.statement?.text) {
      out.push(`### ${t.statement}`, '')
      for (const l of s.statement.text.split(/\r\n|\r|\n/)) out.push(`> ${escapeMarkdownLine(l)}`)
      out.push('')
    }
    const zone = (oz: OutlineZone, level: number) => {
      const z = oz.zone
      out.push(`${'#'.repeat(Math.min(level, 6))} ${escapeMarkdown(z.label)}${z.anonymous && level === 3 ? ` (${t.anonymous})` : ''}`, '')
      for (const n of z.notes) out.push(`- ${mdLines(n.text) || '…'}${who(n)}`)
      if (z.notes.length) out.push('')
      for (const c of oz.children) zone(c, level + 1)
    }
    for (const oz of o.zones) zone(oz, 3)
    if (s.matches.length) {
      out.push(`### ${t.matches}`, '')
      for (const m of s.matches) out.push(`- ${mdLines(m.question.text)} → ${mdLines(m.offer.text)}`)
      out.push('')
    }
    if (s.statement?.endorsements.length) {
      out.push(`### ${t.endorsed}`, '')
      for (const e of s.statement.endorsements) out.push(`- ${escapeMarkdown(e.name)}${e.perspective ? ` — ${t[e.perspective]}` : ''}${e.current ? '' : ` _(${t.earlier})_`}`)
      out.push('')
    }
    if (o.empty.length) out.push(`_${t.emptyZones}: ${o.empty.map(escapeMarkdown).join('; ')}_`, '')
  }
  if (report.unzoned.length) {
    wroteAny = true
    out.push(`## ${t.unzoned}`, '')
    for (const n of report.unzoned) out.push(`- ${mdLines(n.text) || '…'}${who(n)}`)
    out.push('')
  }
  if (report.votes?.length) {
    out.push(`## ${t.votes}`, '')
    for (const v of report.votes) {
      out.push(`### ${escapeMarkdown(v.title || t.votes)} (${v.voters} ${t.voters})`, '')
      v.results.forEach((r, i) => out.push(`${i + 1}\\. ${mdLines(r.text) || '…'} — ${r.dots} ${r.dots === 1 ? t.dot : t.dots}`))
      out.push('')
    }
  }
  if (report.accord) {
    out.push(`## ${t.accord}`, '')
    for (const l of (report.accord.statement || '…').split(/\r\n|\r|\n/)) out.push(`> ${escapeMarkdownLine(l)}`)
    out.push('')
    if (report.accord.endorsements.length) {
      out.push(`${t.endorsed}:`, '')
      for (const e of report.accord.endorsements) out.push(`- ${escapeMarkdown(e.name)}${e.current ? '' : ` _(${t.earlier})_`}`)
      out.push('')
    }
  }
  if (emptySections.length) out.push(`_${t.emptySections}: ${emptySections.join('; ')}_`, '')
  if (!wroteAny && !report.votes?.length && !report.accord) out.push(`_${t.noNotes}_`, '')
  return out.join('\n')
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

// ---------------------------------------------------------------- CSV (RFC 4180)

/**
 * R12: quotes a CSV field when needed (comma, quote, CR, LF) and guards against spreadsheet
 * formula injection: a field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const CSV_HEADER = ['kind', 'template', 'page', 'zone_id', 'zone', 'note_id', 'text', 'author', 'perspective', 'related_text'] as const

export function reportToCsv(report: Report): string {
  const rows: (string | number | null)[][] = [[...CSV_HEADER]]
  for (const s of report.sections) {
    // R13: the zone column holds the full path (Akte 1 — Vooroordelen › Gemeente)
    for (const z of s.zones) for (const n of z.notes) rows.push([n.prefilled ? 'example' : 'note', s.templateId, s.pageId, z.zoneId, z.path.join(' › '), n.id, n.text, n.author, n.perspective, null])
    for (const m of s.matches) rows.push(['match', s.templateId, s.pageId, null, null, m.question.id, m.question.text, m.question.author, null, m.offer.text])
    if (s.statement) {
      rows.push(['statement', s.templateId, s.pageId, null, null, null, s.statement.text, null, null, s.statement.hash])
      for (const e of s.statement.endorsements) rows.push(['endorsement', s.templateId, s.pageId, null, null, null, e.name, e.name, e.perspective, e.statementHash])
    }
  }
  for (const n of report.unzoned) rows.push(['note', null, null, null, null, n.id, n.text, n.author, n.perspective, null])
  for (const v of report.votes ?? []) for (const r of v.results) rows.push(['vote', null, null, null, v.title, r.shapeId, r.text, null, null, r.dots])
  if (report.accord) {
    rows.push(['accord', null, null, null, null, null, report.accord.statement, null, null, report.accord.version])
    for (const e of report.accord.endorsements) rows.push(['accord_endorsement', null, null, null, null, null, e.name, e.name, null, e.version])
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
