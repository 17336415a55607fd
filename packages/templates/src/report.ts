import type { TLRecord } from '@tldraw/tlschema'
import type { Lang, Report } from './types'
export interface BuildReportOptions { lang?: Lang }
export function buildReport(_records: TLRecord[], _o: BuildReportOptions = {}): Report { throw new Error('not yet') }
export function reportToMarkdown(_r: Report, _lang?: Lang): string { throw new Error('not yet') }
export function reportToCsv(_r: Report): string { throw new Error('not yet') }
