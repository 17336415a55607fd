/**
 * The zone report of a board (packages/templates), with a plain fallback when the board holds no
 * template or the report builder fails, so a snapshot is never lost over its report.
 */
import { assignZones, compareRecords, type AnyRecord, type ZoneAssignment } from '@copboard/archive'
import { assignNotesToZones, buildReport, getTemplate, reportToCsv, reportToMarkdown } from '@copboard/templates'

type Records = Parameters<typeof buildReport>[0]

export interface ReportParts {
  reportJson: string
  reportMarkdown: string
  reportCsv: string
}

export function buildReportParts(records: AnyRecord[], lang: 'nl' | 'en', title: string, log?: (err: unknown) => void): ReportParts {
  try {
    const report = buildReport(records as unknown as Records, { lang })
    // a board without a template: the plain report lists its notes
    if (!report.sections.length && records.some((r) => r.typeName === 'shape' && r.type === 'note')) return fallbackReport(records, title)
    return { reportJson: JSON.stringify(report, null, 2), reportMarkdown: reportToMarkdown(report, lang), reportCsv: reportToCsv(report) }
  } catch (err) {
    log?.(err)
    return fallbackReport(records, title)
  }
}

/** Notes per zone, from the generic zone assignment. */
function fallbackReport(records: AnyRecord[], title: string): ReportParts {
  const c = compareRecords([], records, { assign: zoneAssignment, outsideLabel: 'Overig' })
  const zones = c.zones.map((z) => ({ zoneId: z.zoneId, label: z.label, notes: z.added.map((n) => ({ id: n.id, text: n.text, author: n.author, perspective: n.perspective })) }))
  const md = [`# ${title}`, '', ...zones.flatMap((z) => [`## ${z.label}`, '', ...z.notes.map((n) => `- ${n.text.replace(/\n/g, ' ')}${n.author ? ` — ${n.author}` : ''}`), ''])].join('\n')
  const q = (s: string | null) => `"${(s ?? '').replace(/"/g, '""')}"`
  const csv = ['zone,label,text,author,perspective', ...zones.flatMap((z) => z.notes.map((n) => [q(z.zoneId), q(z.label), q(n.text), q(n.author), q(n.perspective)].join(',')))].join('\r\n')
  return { reportJson: JSON.stringify({ lang: 'nl', fallback: true, zones }, null, 2), reportMarkdown: md, reportCsv: csv }
}

/** Zone assignment of packages/templates (template zone ids and labels), the generic one when it fails. */
export function zoneAssignment(records: AnyRecord[], lang: 'nl' | 'en' = 'nl'): ZoneAssignment {
  try {
    const list = assignNotesToZones(records as unknown as Records)
    const noteZone = new Map<string, string | null>()
    const zones: { id: string; label: string }[] = []
    const seenTemplates = new Set<string>()
    for (const a of list) {
      noteZone.set(a.note.id, a.zone?.zoneId ?? null)
      if (a.zone && !seenTemplates.has(a.zone.templateId)) seenTemplates.add(a.zone.templateId)
    }
    for (const t of seenTemplates) for (const z of getTemplate(t)?.zones ?? []) zones.push({ id: z.id, label: z.label[lang] })
    if (!zones.length) return assignZones(records)
    return { zones, noteZone }
  } catch {
    return assignZones(records)
  }
}
