import { describe, expect, it } from 'vitest'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { assignNotesToZones, buildReport, getTemplate, reportToCsv, reportToMarkdown, templateToRecords, statementHash, zoneOfPoint, boardZones } from '../src'
import { arrow, binding, demo, demoBoard, note, page, zoneIdForHeading } from './board'

/** Minimal RFC 4180 parser for checking well-formedness. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < s.length) {
    const c = s[i]
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), (i += 2)
      else if (c === '"') (quoted = false), i++
      else (field += c), i++
    } else if (c === '"') {
      if (field !== '') throw new Error('quote inside unquoted field')
      quoted = true
      i++
    } else if (c === ',') row.push(field), (field = ''), i++
    else if (c === '\r' && s[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2)
    else if (c === '\n' || c === '\r') throw new Error('bare newline outside quotes')
    else (field += c), i++
  }
  if (quoted) throw new Error('unterminated quote')
  if (field !== '' || row.length) throw new Error('last row not terminated by CRLF')
  return rows
}

describe('R8 geometric zone membership', () => {
  it('R8: demo sessions: every fixture note lands in its zone, in template order', () => {
    for (const s of demo.sessions) {
      const { t, records } = demoBoard(s.number)
      const report = buildReport(records, { lang: 'nl' })
      expect(report.sections).toHaveLength(1)
      const sec = report.sections[0]
      expect(sec.templateId).toBe(s.template)
      expect(sec.zones.map((z) => z.zoneId)).toEqual(t.zones.map((z) => z.id))
      for (const [key, notes] of Object.entries(s.notes)) {
        const zid = zoneIdForHeading(t, key)
        const got = sec.zones.find((z) => z.zoneId === zid)!.notes.filter((n) => !n.prefilled).map((n) => n.text)
        expect(got.sort(), key).toEqual(notes.map((n) => n.text).sort())
      }
      expect(report.unzoned).toEqual([])
    }
  })

  it('R8: a moved note is read back in the zone where it now is; outside all zones = unzoned', () => {
    const { records, byText } = demoBoard(1)
    const t = getTemplate('learning-questions')!
    const moved = byText.get('Wat hier gedeeld wordt, blijft hier')!
    const parking = t.zones.find((z) => z.id === 'parking-lot')!.rect
    const next = records.map((r) => (r.id === moved.id ? { ...moved, x: parking.x + 300, y: parking.y + 100 } : r)) as TLRecord[]
    const a = assignNotesToZones(next).find((x) => x.note.id === moved.id)!
    expect(a.zone?.zoneId).toBe('parking-lot')
    const away = next.map((r) => (r.id === moved.id ? { ...moved, x: -5000, y: 0 } : r)) as TLRecord[]
    const report = buildReport(away)
    expect(report.unzoned.map((n) => n.text)).toEqual(['Wat hier gedeeld wordt, blijft hier'])
  })

  it('R8: a note parented to a frame (comedy act) is placed through the frame transform, innermost zone wins', () => {
    const t = getTemplate('comedy')!
    const records: TLRecord[] = [page(), ...templateToRecords(t, { pageId: 'page:p' })]
    const frame = (records as TLShape[]).find((r) => r.type === 'frame' && (r.meta.copboard as { zoneId: string }).zoneId === 'act3')!
    const half = t.zones.find((z) => z.id === 'act3-initiatieven')!.rect
    const act = t.zones.find((z) => z.id === 'act3')!.rect
    // local coordinates inside the frame
    records.push(note(half.x - act.x + 40, half.y - act.y + 60, 'in frame', { author: 'Dewi', perspective: 'initiatief' }, frame.id, 'shape:child'))
    // a note in the act's heading band (inside act3, outside both halves)
    records.push(note(act.x + act.w / 2 - 100, act.y + 5, 'on heading', { author: 'Eva' }, 'page:p', 'shape:head'))
    const as = assignNotesToZones(records)
    expect(as.find((a) => a.note.id === 'shape:child')!.zone!.zoneId).toBe('act3-initiatieven')
    expect(as.find((a) => a.note.id === 'shape:head')!.zone!.zoneId).toBe('act3')
    // rotated frame: centre still computed in page coordinates
    const rotated = records.map((r) => (r.id === frame.id ? { ...frame, rotation: Math.PI } : r)) as TLRecord[]
    const zones = boardZones(rotated)
    const child = assignNotesToZones(rotated).find((a) => a.note.id === 'shape:child')!
    expect(zoneOfPoint(zones, child.center, 'page:p')?.zoneId).toBe(child.zone?.zoneId ?? undefined)
    expect(child.center.x).toBeLessThan(act.x) // rotated by 180° about the frame origin
  })

  it('R8: two templates on two pages are reported separately', () => {
    const a = demoBoard(1, 'page:a').records
    const b = demoBoard(2, 'page:b').records
    const r = buildReport([...a, ...b])
    expect(r.sections.map((s) => s.templateId)).toEqual(['learning-questions', 'comedy'])
  })
})

describe('R9 anonymity', () => {
  it('R9: comedy act 1 authors are absent from JSON, Markdown and CSV; act 2 authors present', () => {
    const { records } = demoBoard(2)
    // a named note posted in act 1 is still anonymous there
    const t = getTemplate('comedy')!
    const r1 = t.zones.find((z) => z.id === 'act1-gemeente')!.rect
    records.push(note(r1.x + 20, r1.y + 200, 'Ambtenaren denken alleen in regels', { author: 'Zwijgzame Zeger', perspective: 'initiatief' }))
    const report = buildReport(records)
    const act1 = report.sections[0].zones.filter((z) => z.zoneId.startsWith('act1'))
    expect(act1.every((z) => z.anonymous)).toBe(true)
    expect(act1.flatMap((z) => z.notes).length).toBe(5)
    expect(act1.flatMap((z) => z.notes).every((n) => n.author === null)).toBe(true)
    for (const out of [JSON.stringify(report), reportToMarkdown(report, 'nl'), reportToMarkdown(report, 'en'), reportToCsv(report)]) {
      expect(out).not.toContain('Zwijgzame Zeger')
      expect(out).not.toContain('Geheim')
    }
    expect(reportToMarkdown(report, 'nl')).toContain('Bram')
    expect(reportToMarkdown(report, 'nl')).toContain('Akte 1 — Vooroordelen (anoniem)')
  })
  it('R9: a note flagged meta.anonymous anywhere hides its author', () => {
    const { records, t } = demoBoard(1)
    const seek = t.zones.find((z) => z.id === 'seek')!.rect
    records.push(note(seek.x + 10, seek.y + 400, 'stille vraag', { author: 'Verborgen Vera', anonymous: true }))
    const report = buildReport(records)
    expect(JSON.stringify(report) + reportToCsv(report) + reportToMarkdown(report, 'nl')).not.toContain('Verborgen Vera')
  })
})

describe('R10 cross-pollination matches', () => {
  it('R10: bound arrows (either direction) and a free-ended arrow give de-duplicated (question, offer) pairs', () => {
    const { records, byText, s } = demoBoard(1)
    const [qText, oText] = s.matches![0]
    const q = byText.get(qText)!
    const o = byText.get(oText)!
    records.push(arrow('shape:arr1', 0, 0, { x: 10, y: 10 }), binding('binding:1s', 'shape:arr1', q.id, 'start'), binding('binding:1e', 'shape:arr1', o.id, 'end'))
    // drawn the other way round: same pair, counted once
    records.push(arrow('shape:arr2', 0, 0, { x: 10, y: 10 }), binding('binding:2s', 'shape:arr2', o.id, 'start'), binding('binding:2e', 'shape:arr2', q.id, 'end'))
    // unbound arrow from Anna's question centre to Anna's offer centre
    const q2 = byText.get('Hoe verhoud je je als gemeente tot een lokale energiecoöperatie?')!
    const o2 = byText.get('Van plan van aanpak naar intentie- en samenwerkingsovereenkomst')!
    records.push(arrow('shape:arr3', q2.x + 100, q2.y + 100, { x: o2.x - q2.x, y: o2.y - q2.y + 20 }))
    // arrow between two questions is not a match
    const q3 = byText.get('Wat betekent staatssteun voor een subsidie aan ons initiatief?')!
    records.push(arrow('shape:arr4', 0, 0, { x: 1, y: 1 }), binding('binding:4s', 'shape:arr4', q.id, 'start'), binding('binding:4e', 'shape:arr4', q3.id, 'end'))
    const report = buildReport(records)
    const pairs = report.sections[0].matches.map((m) => [m.question.text, m.offer.text])
    expect(pairs).toHaveLength(2)
    expect(pairs).toContainEqual([qText, oText])
    expect(pairs).toContainEqual([q2 && 'Hoe verhoud je je als gemeente tot een lokale energiecoöperatie?', 'Van plan van aanpak naar intentie- en samenwerkingsovereenkomst'])
    const md = reportToMarkdown(report, 'nl')
    expect(md).toContain('### Kruisbestuiving')
    expect(md).toContain(`→ Ervaring met een gezamenlijke haalbaarheidsstudie voor een buurtwarmtenet`)
    expect(parseCsv(reportToCsv(report)).filter((r) => r[0] === 'match')).toHaveLength(2)
  })
})

describe('R11 accord endorsements', () => {
  it('R11: each participant endorses once; earlier-version signatures are marked', () => {
    const t = getTemplate('accord')!
    const records: TLRecord[] = [page(), ...templateToRecords(t, { pageId: 'page:p' })]
    const st = (records as TLShape[]).find((r) => (r.meta?.copboard as { part?: string } | undefined)?.part === 'statement')!
    const text = 'Wij werken samen aan een eerlijke warmtetransitie.'
    const idx = records.indexOf(st)
    records[idx] = { ...st, props: { ...(st.props as object), richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } } } as TLShape
    const sig = t.zones.find((z) => z.id === 'signatures')!.rect
    const sign = (name: string, hash: string, i: number) => note(sig.x + 20 + i * 5, sig.y + 150 + i * 5, name, { author: name, perspective: 'gemeente', copboard: { signature: { statementHash: hash } } })
    records.push(sign('Anna', statementHash(text), 0), sign('Bram', 'deadbeef', 1), sign('Anna', statementHash(text), 2))
    const report = buildReport(records)
    const e = report.sections[0].statement!
    expect(e.text).toBe(text)
    expect(e.endorsements.map((x) => [x.name, x.current])).toEqual([['Anna', true], ['Bram', false]])
    const md = reportToMarkdown(report, 'en')
    expect(md).toContain('> Wij werken samen aan een eerlijke warmtetransitie.')
    expect(md).toContain('- Bram — municipality _(earlier version)_')
  })
})

describe('R12 output formats', () => {
  const nasty = 'Prijs "vast", of niet?\nTweede regel, met komma\r\n# geen kop [link](http://x) <b>'
  function board() {
    const { records, t } = demoBoard(1)
    const seek = t.zones.find((z) => z.id === 'seek')!.rect
    records.push(note(seek.x + 10, seek.y + 500, nasty, { author: 'Anna, "A."', perspective: 'gemeente' }))
    records.push(note(seek.x + 10, seek.y + 520, '=SUM(A1:A9)', { author: '@bob' }))
    return buildReport(records)
  }
  it('R12: CSV is RFC 4180: CRLF rows, equal column count, quotes/commas/newlines round-trip, formulas neutralised', () => {
    const csv = reportToCsv(board())
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['kind', 'template', 'page', 'zone_id', 'zone', 'note_id', 'text', 'author', 'perspective', 'related_text'])
    for (const r of rows) expect(r.length).toBe(10)
    const row = rows.find((r) => r[6].startsWith('Prijs'))!
    expect(row[6]).toBe(nasty)
    expect(row[7]).toBe('Anna, "A."')
    expect(row[3]).toBe('seek')
    const f = rows.find((r) => r[6].includes('SUM'))!
    expect(f[6]).toBe("'=SUM(A1:A9)")
    expect(f[7]).toBe("'@bob")
  })
  it('R12: Markdown: one bullet per note, text escaped, multi-line text stays in its bullet', () => {
    const report = board()
    const md = reportToMarkdown(report, 'nl')
    const lines = md.split('\n')
    // headings are only ours: report title, section, zones (+ matches none here)
    const headings = lines.filter((l) => /^#{1,6} /.test(l))
    expect(headings).toEqual(['# Sessieverslag', '## Leervragen-bord', '### Wij zoeken kennis over…', '### Wij bieden kennis over…', '### Hoe organiseren we deze CoP?', '### Spelregels', '### Parkeerplaats'])
    const bullets = lines.filter((l) => l.startsWith('- '))
    const noteCount = report.sections[0].zones.reduce((s, z) => s + z.notes.length, 0)
    expect(bullets).toHaveLength(noteCount)
    expect(md).toContain('- Prijs "vast", of niet?  \n  Tweede regel, met komma  \n  \\# geen kop \\[link\\](http://x) \\<b\\> — Anna, "A.", gemeente')
    expect(md).not.toMatch(/\r/)
  })
  it('R12: English Markdown uses English labels', () => {
    const md = reportToMarkdown(buildReport(demoBoard(3).records, { lang: 'en' }), 'en')
    expect(md).toContain('# Session report')
    expect(md).toContain('## Lemniscate tracks')
    expect(md).toContain('### Now')
    expect(md).toContain('_(example)_')
  })
})
