/**
 * The report parts of a snapshot, from packages/templates' report builder (template zones in
 * template order; notes outside every zone, also on boards without a template, are `unzoned`).
 */
import type { TLRecord } from '@tldraw/tlschema'
import { buildReport, reportToCsv, reportToMarkdown, type Report } from '@copboard/templates'

export interface ReportParts {
  reportJson: string
  reportMarkdown: string
  reportCsv: string
}

/** A failing report never costs the snapshot: the error is logged and an empty report stored. */
export function buildReportParts(records: TLRecord[], lang: 'nl' | 'en', log?: (err: unknown) => void): ReportParts {
  let report: Report
  try {
    report = buildReport(records, { lang })
  } catch (err) {
    log?.(err)
    report = { lang, sections: [], unzoned: [] }
  }
  return { reportJson: JSON.stringify(report, null, 2), reportMarkdown: reportToMarkdown(report, lang), reportCsv: reportToCsv(report) }
}
