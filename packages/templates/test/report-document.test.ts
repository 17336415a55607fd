/** The report as a document to send: nesting, empty zones, header, votes/accord, guards (R12–R15). */
import { describe, expect, it } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { buildReport, csvField, getTemplate, reportOutline, reportToCsv, reportToMarkdown, templateToRecords, type ReportHeader } from '../src'
import { demoBoard, note, page } from './board'

const header: ReportHeader = {
  cop: 'Warmtetransitie Zwolle',
  coHost: 'Gemeente Zwolle',
  sessionNumber: 2,
  sessionTitle: 'De Komedie',
  date: '2026-10-12',
  startedAt: '2026-10-12T18:00:00.000Z',
  endedAt: '2026-10-12T19:25:00.000Z',
  durationMs: 85 * 60_000,
  people: [
    { name: 'Fenna', perspective: null, role: 'facilitator' },
    { name: 'Anna', perspective: 'gemeente', role: 'participant' },
    { name: 'Bram', perspective: 'initiatief', role: 'participant' },
    { name: 'Cor', perspective: 'gemeente' },
    { name: 'Vera', perspective: null, role: 'viewer' },
  ],
}

describe('R13 zones nested as on the board', () => {
  it('R13: comedy halves sit under their act, each with its full path; empty zones summarised once', () => {
    const t = getTemplate('comedy')!
    const records: TLRecord[] = [page(), ...templateToRecords(t, { pageId: 'page:p' })]
    const g1 = t.zones.find((z) => z.id === 'act1-gemeente')!.rect
    const i2 = t.zones.find((z) => z.id === 'act2-initiatieven')!.rect
    records.push(note(g1.x + 20, g1.y + 40, 'Initiatieven zijn hobbyclubs'), note(i2.x + 20, i2.y + 40, 'Draagvlak in de wijk', { author: 'Bram', perspective: 'initiatief' }))
    const report = buildReport(records)
    const z = report.sections[0].zones.find((x) => x.zoneId === 'act1-gemeente')!
    expect(z.path).toEqual(['Akte 1 — Vooroordelen', 'Gemeente'])
    expect(z.parentZoneId).toBe('act1')
    const o = reportOutline(report.sections[0])
    expect(o.zones.map((x) => [x.zone.zoneId, x.children.map((c) => c.zone.zoneId)])).toEqual([
      ['act1', ['act1-gemeente']],
      ['act2', ['act2-initiatieven']],
    ])
    expect(o.empty).toEqual(['Akte 1 — Vooroordelen › Initiatieven', 'Akte 2 — Waarden › Gemeente', 'Akte 3 — Opgaven', 'Akte 4 — Bestendigen'])
    const md = reportToMarkdown(report, 'nl')
    expect(md).toContain('### Akte 1 — Vooroordelen (anoniem)\n\n#### Gemeente\n\n- Initiatieven zijn hobbyclubs')
    expect(md).toContain('### Akte 2 — Waarden\n\n#### Initiatieven\n\n- Draagvlak in de wijk — Bram, initiatief')
    expect(md).not.toContain('geen notities')
    expect(md.match(/^#{3,4} Gemeente$/gm)).toHaveLength(1)
    expect(md).toContain('_Zonder notities: Akte 1 — Vooroordelen › Initiatieven; Akte 2 — Waarden › Gemeente; Akte 3 — Opgaven; Akte 4 — Bestendigen_')
    const csv = reportToCsv(report)
    expect(csv).toContain('Akte 1 — Vooroordelen › Gemeente')
  })
  it('R13: templates in the order they were used (page order), a template without notes summarised', () => {
    const lq = getTemplate('learning-questions')!
    const acc = getTemplate('accord')!
    const records: TLRecord[] = [
      { ...page('page:z'), index: 'a1' } as TLRecord,
      { ...page('page:a'), index: 'a2' } as TLRecord,
      ...templateToRecords(lq, { pageId: 'page:z' }),
      ...templateToRecords(acc, { pageId: 'page:a' }),
    ]
    const seek = lq.zones.find((z) => z.id === 'seek')!.rect
    records.push(note(seek.x + 20, seek.y + 120, 'Wat is staatssteun?', {}, 'page:z'))
    const report = buildReport(records)
    expect(report.sections.map((s) => s.templateId)).toEqual(['learning-questions', 'accord'])
    const md = reportToMarkdown(report, 'nl')
    expect(md).not.toContain('## Akkoord')
    expect(md).toMatch(/_Ook gebruikt, zonder notities: .+_/)
    // the accord's statement zone is shown as the statement, never as a second "Kernstatement" heading
    expect(md.match(/Kernstatement/g) ?? []).toHaveLength(0)
  })
})

describe('R14 header', () => {
  it('R14: CoP, session, date, duration, facilitator and participants by perspective', () => {
    const { records } = demoBoard(2)
    const md = reportToMarkdown(buildReport(records, { header }), 'nl')
    const head = md.slice(0, md.indexOf('## '))
    expect(head).toContain('# Sessieverslag — Warmtetransitie Zwolle')
    expect(head).toContain('**Sessie 2: De Komedie**')
    expect(head).toContain('Datum: 12 oktober 2026 · Duur: 1 u 25 min')
    expect(head).toContain('Procesbegeleiding: Fenna')
    expect(head).toContain('Mede-organisator: Gemeente Zwolle')
    expect(head).toContain('Deelnemers (3):')
    expect(head).toContain('- Gemeente (2): Anna, Cor')
    expect(head).toContain('- Initiatief (1): Bram')
    expect(head).toContain('Meekijkers: Vera')
    const en = reportToMarkdown(buildReport(records, { header, lang: 'en' }), 'en')
    expect(en).toContain('Date: 12 October 2026 · Duration: 1 h 25 min')
  })
})

describe('R15 votes and accord from the session state', () => {
  it('R15: dots are tallied per note, most first; endorsements of an older version are marked; absence is tolerated', () => {
    const { records, byText } = demoBoard(1)
    const [a, b] = [...byText.values()]
    const session = {
      votes: { v1: { title: 'Waar beginnen we?', dots: { p1: [a.id, b.id], p2: [b.id], p3: [] } }, broken: 'x' },
      akkoord: { versions: [{ text: 'Eerste versie' }, { text: 'Wij doen het samen' }], endorsements: { p1: { version: 1, name: 'Anna', at: 1 }, p2: { version: 0, name: 'Bram', at: 2 }, bad: 5 } },
    }
    const r = buildReport(records, { session })
    expect(r.votes).toEqual([{ id: 'v1', title: 'Waar beginnen we?', voters: 2, results: [{ shapeId: b.id, text: expect.any(String), dots: 2 }, { shapeId: a.id, text: expect.any(String), dots: 1 }] }])
    expect(r.accord).toEqual({ statement: 'Wij doen het samen', version: 1, endorsements: [{ name: 'Anna', version: 1, current: true }, { name: 'Bram', version: 0, current: false }] })
    const md = reportToMarkdown(r, 'nl')
    expect(md).toContain('### Waar beginnen we? (2 stemmers)')
    expect(md).toMatch(/^1\\\. .+ — 2 stippen$/m)
    expect(md).toContain('> Wij doen het samen')
    expect(md).toContain('- Bram _(eerdere versie)_')
    expect(reportToCsv(r)).toContain('vote,,,,Waar beginnen we?')
    for (const s of [undefined, null, 5, 'x', { votes: 3, akkoord: [] }, { votes: { v: { dots: 'x' } } }]) {
      const rr = buildReport(records, { session: s })
      expect(rr.votes).toBeUndefined()
      expect(rr.accord).toBeUndefined()
    }
  })
})

describe('R12 guards (issue 9 §4)', () => {
  it('R12: CSV guards = + - @ tab and CR', () => {
    for (const v of ['=1+1', '+1', "-2+3+cmd|' /C calc'!A0", '@SUM(1)', '\tx', '\rx']) expect(csvField(v).replace(/^"/, '').startsWith("'")).toBe(true)
    expect(csvField('gewoon')).toBe('gewoon')
    expect(csvField('2-3')).toBe('2-3')
  })
  it('R12: note text cannot create Markdown structure (lists, numbered items, headings, quotes, rules)', () => {
    const { records, t } = demoBoard(1)
    const seek = t.zones.find((z) => z.id === 'seek')!.rect
    records.push(note(seek.x + 10, seek.y + 500, 'a\n- x\n1. y\n# kop\n> citaat\n---\n+ plus\n=== \n2) twee'))
    const md = reportToMarkdown(buildReport(records), 'nl')
    const line = md.split('\n').findIndex((l) => l.startsWith('- a'))
    const item = md.split('\n').slice(line, line + 9)
    expect(item).toEqual(['- a  ', '  \\- x  ', '  1\\. y  ', '  \\# kop  ', '  \\> citaat  ', '  \\---  ', '  \\+ plus  ', '  \\===  ', '  2\\) twee'.trimEnd() + item[8].slice('  2\\) twee'.length)])
    expect(md).not.toContain('\\!')
    const bang = buildReport([...records, note(seek.x + 10, seek.y + 560, 'Doen!')])
    expect(reportToMarkdown(bang, 'nl')).toContain('- Doen!')
  })
})
