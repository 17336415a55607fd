/**
 * The report parts of a snapshot, from packages/templates' report builder (template zones in
 * launch order, nested; notes outside every zone, also on boards without a template, are
 * `unzoned`), with the header (templates R14) and the session state's votes and accord (R15).
 */
import type * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { Cop, ParticipantMeta, Session } from '@copboard/storage'
import { PERSPECTIVES, buildReport, reportToCsv, reportToMarkdown, type Perspective, type Report, type ReportHeader } from '@copboard/templates'

export interface ReportParts {
  reportJson: string
  reportMarkdown: string
  reportCsv: string
}

/** The report header of a session from its CoP and the people seen on the board. */
export function reportHeader(cop: Cop | null, session: Session, people: ParticipantMeta[], durationMs: number | null): ReportHeader {
  const header: ReportHeader = {
    cop: cop?.name ?? '',
    sessionNumber: session.number,
    sessionTitle: session.title,
    date: session.date,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    durationMs,
    people: people.map((p) => ({
      name: p.name,
      perspective: (PERSPECTIVES as readonly string[]).includes(p.perspective ?? '') ? (p.perspective as Perspective) : null,
      ...(p.role ? { role: p.role } : {}),
    })),
  }
  if (cop?.coHost) header.coHost = cop.coHost
  return header
}

/** The board's `session` map as plain JSON (votes, akkoord …); undefined when the board has none. */
export function readSessionState(doc: Y.Doc): unknown {
  if (!doc.share.has('session')) return undefined
  try {
    return doc.getMap('session').toJSON()
  } catch {
    return undefined
  }
}

/** A failing report never costs the snapshot: the error is logged and an empty report stored. */
export function buildReportParts(records: TLRecord[], lang: 'nl' | 'en', extra: { header?: ReportHeader; session?: unknown } = {}, log?: (err: unknown) => void): ReportParts {
  let report: Report
  try {
    report = buildReport(records, { lang, ...extra })
  } catch (err) {
    log?.(err)
    report = { lang, sections: [], unzoned: [], ...(extra.header ? { header: extra.header } : {}) }
  }
  let markdown = ''
  let csv = ''
  try {
    markdown = reportToMarkdown(report, lang)
    csv = reportToCsv(report)
  } catch (err) {
    log?.(err)
  }
  return { reportJson: JSON.stringify(report, null, 2), reportMarkdown: markdown, reportCsv: csv }
}
