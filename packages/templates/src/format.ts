/** Text on a template's scaffold: dates, the title block's line, and a line-count estimate. */
import type { Lang, TitleBlockInfo } from './types'

const MONTHS: Record<Lang, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}

export function formatDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return date
  const month = MONTHS[lang][Number(m[2]) - 1]
  if (!month) return date
  return `${Number(m[3])} ${month} ${m[1]}`
}

export function titleLine(info: TitleBlockInfo | undefined, lang: Lang): string {
  const session = lang === 'nl' ? 'Sessie' : 'Session'
  if (!info) return lang === 'nl' ? 'CoP-naam · Sessie – · datum' : 'CoP name · Session – · date'
  return `${info.copName} · ${session} ${info.sessionNumber} · ${formatDate(info.date, lang)}`
}

/** Rough line count for a text at a font size in a width (sans, average glyph ≈ 0.55em). */
export function estimateLines(s: string, w: number, fontSize: number): number {
  const perLine = Math.max(1, Math.floor(w / (fontSize * 0.5)))
  let lines = 0
  for (const para of s.split('\n')) {
    let line = 0
    let count = 1
    for (const word of para.split(' ')) {
      const len = word.length + (line ? 1 : 0)
      if (line + len > perLine && line > 0) {
        count++
        line = word.length
      } else line += len
    }
    lines += count
  }
  return lines
}
