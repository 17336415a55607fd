/**
 * A CoP series that holds together (issue 11): one CoP link that resolves to the live session,
 * carry-over of picked notes into the next session, and the report as a document (header,
 * nesting, no empty sections).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '@copboard/board'
import { getTemplate } from '@copboard/templates'
import { addNote, api, createCop, noteRecord, startApi, tokenOf, type ApiHarness } from './api-harness'

let h: ApiHarness
beforeAll(async () => {
  h = await startApi()
})
afterAll(async () => h?.close())
// the machine is shared: first renders load the rasteriser, generous timeouts (never timings as assertions)
const SLOW = 120_000

async function roomRecords(room: string) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.mergeUpdates(await h.storage.loadRoom(room)))
  return readRecords(doc) as any[]
}

/** A note placed in a template zone of a board seeded by POST …/sessions (template on page:page). */
function inZone(templateId: string, zoneId: string, id: string, text: string, dx = 0, author = 'Anna', perspective = 'gemeente') {
  const r = getTemplate(templateId)!.zones.find((z) => z.id === zoneId)!.rect
  return noteRecord(id, r.x + 20 + dx, r.y + Math.min(160, r.h / 2), text, author, perspective)
}

describe('one CoP link (issue 11)', () => {
  it('the links handed out are CoP links; GET …/current sends participants to the live board, else to the CoP page with the next session', async () => {
    const c = await createCop(h)
    for (const role of ['facilitator', 'participant', 'viewer'] as const) expect(c.links[role]).toMatch(new RegExp(`/cop/${c.cop.id}#t=`))
    const cur = (token: string) => api(h, 'GET', `/cops/${c.cop.id}/current`, token).then((r) => r.data)
    // between sessions: the CoP page, with the next planned session
    expect(await cur(c.participant)).toMatchObject({ role: 'participant', go: 'cop', room: null, live: null, next: { id: c.session.id } })
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${c.session.id}/start`, c.facilitator)
    expect(await cur(c.participant)).toMatchObject({ go: 'board', room: c.session.room, live: { id: c.session.id } })
    expect(await cur(c.viewer)).toMatchObject({ go: 'board', room: c.session.room })
    // the facilitator runs the series from the CoP page; it knows the live session
    expect(await cur(c.facilitator)).toMatchObject({ go: 'cop', live: { id: c.session.id } })
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${c.session.id}/end`, c.facilitator, {})
    const s2 = (await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'Tweede', date: '2026-12-01', start: { kind: 'empty' } })).data.session
    expect(await cur(c.participant)).toMatchObject({ go: 'cop', live: null, next: { id: s2.id, date: '2026-12-01' } })
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s2.id}/start`, c.facilitator)
    // the same link now leads to session 2; session 1's board points there too
    expect(await cur(c.participant)).toMatchObject({ go: 'board', room: s2.room })
    const me = await api(h, 'GET', `/me?room=${c.session.room}`, c.participant)
    expect(me.data).toMatchObject({ boardRole: 'viewer', session: { state: 'ended' }, live: { id: s2.id, room: s2.room } })
    // another CoP's token resolves nothing here
    const other = await createCop(h, 'Andere CoP')
    expect((await api(h, 'GET', `/cops/${c.cop.id}/current`, other.participant)).status).toBe(403)
    expect((await api(h, 'GET', `/cops/${c.cop.id}/current`, null)).status).toBe(401)
  }, SLOW)
  it('a link made later is a CoP link too', async () => {
    const c = await createCop(h)
    const r = await api(h, 'POST', `/cops/${c.cop.id}/links`, c.facilitator, { role: 'participant', label: 'Wijkraad' })
    expect(r.data.link).toMatch(new RegExp(`/cop/${c.cop.id}#t=`))
    expect((await api(h, 'GET', `/cops/${c.cop.id}/current`, tokenOf(r.data.link))).data.role).toBe('participant')
  })
})

describe('carry-over (issue 11, archive A6–A7)', () => {
  it('picked notes (Parkeerplaats by default) land in the matching zone of the next session, marked with their session', async () => {
    const c = await createCop(h)
    const s1 = (await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'Leervragen', date: '2026-09-14', start: { kind: 'template', templateId: 'learning-questions' } })).data.session
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s1.id}/start`, c.facilitator)
    await addNote(h.storage, s1.room, inZone('learning-questions', 'parking-lot', 'park', 'Staatssteun uitzoeken'), inZone('learning-questions', 'seek', 'seek', 'Wat is een warmtenet?'))
    const snap = (await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s1.id}/end`, c.facilitator, {})).data.snapshot
    const cand = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/carry-over`, c.facilitator)
    expect(cand.data.candidates.map((x: any) => [x.text, x.picked, x.path])).toEqual(
      expect.arrayContaining([
        ['Staatssteun uitzoeken', true, ['Parkeerplaats']],
        ['Wat is een warmtenet?', false, ['Wij zoeken kennis over…']],
      ]),
    )
    expect((await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/carry-over`, c.participant)).status).toBe(403)

    const s2 = (await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'Vervolg', date: '2026-10-12', start: { kind: 'template', templateId: 'learning-questions' } })).data.session
    const picked = cand.data.candidates.filter((x: any) => x.picked).map((x: any) => x.id)
    const r = await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s2.id}/carry-over`, c.facilitator, { snapshotId: snap.id, noteIds: picked })
    expect(r.data).toEqual({ placed: 1 })
    // twice is once
    expect((await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s2.id}/carry-over`, c.facilitator, { snapshotId: snap.id, noteIds: picked })).data).toEqual({ placed: 0 })
    const recs = await roomRecords(s2.room)
    const carried = recs.filter((x) => x.meta?.carriedFrom)
    expect(carried).toHaveLength(1)
    expect(carried[0].meta.carriedFrom).toMatchObject({ sessionNumber: s1.number, snapshotId: snap.id })
    const pz = getTemplate('learning-questions')!.zones.find((z) => z.id === 'parking-lot')!.rect
    expect(carried[0].x).toBeGreaterThanOrEqual(pz.x)
    expect(carried[0].x).toBeLessThan(pz.x + pz.w)
    expect(carried[0].y).toBeGreaterThanOrEqual(pz.y)
    expect(carried[0].y).toBeLessThan(pz.y + pz.h)
    // the next session's report shows the note in its Parkeerplaats
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s2.id}/start`, c.facilitator)
    const snap2 = (await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s2.id}/end`, c.facilitator, {})).data.snapshot
    const md = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap2.id}/report.md`, c.viewer)).data as string
    expect(md).toMatch(/### Parkeerplaats\n\n- Staatssteun uitzoeken {2}\n {2}↩ uit sessie 2/)
    // an ended board takes nothing
    expect((await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s1.id}/carry-over`, c.facilitator, { snapshotId: snap.id, noteIds: picked })).status).toBe(409)
  }, SLOW)
})

describe('the report as a document (issue 11)', () => {
  it('header fields, zones nested under their act, no empty sections, templates in launch order', async () => {
    const c = await createCop(h, 'Warmtetransitie Zwolle')
    const s = (await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'De Komedie', date: '2026-10-12', start: { kind: 'template', templateId: 'comedy' } })).data.session
    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s.id}/start`, c.facilitator)
    await addNote(h.storage, s.room, inZone('comedy', 'act1-gemeente', 'g1', 'Initiatieven zijn amateurs'), inZone('comedy', 'act2-initiatieven', 'i2', 'Wij brengen draagvlak', 0, 'Bram', 'initiatief'))
    const snap = (await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s.id}/end`, c.facilitator, {})).data.snapshot
    const json = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/report.json`, c.viewer)).data
    expect(json.header).toMatchObject({ cop: 'Warmtetransitie Zwolle', coHost: 'Provincie', sessionNumber: s.number, sessionTitle: 'De Komedie', date: '2026-10-12' })
    expect(json.header.durationMs).toBeGreaterThanOrEqual(0)
    expect(json.sections[0].zones.find((z: any) => z.zoneId === 'act1-gemeente').path).toEqual(['Akte 1 — Vooroordelen', 'Gemeente'])
    const md = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/report.md`, c.viewer)).data as string
    expect(md.startsWith('# Sessieverslag — Warmtetransitie Zwolle\n')).toBe(true)
    expect(md).toContain(`**Sessie ${s.number}: De Komedie**`)
    expect(md).toContain('Datum: 12 oktober 2026')
    expect(md).toContain('### Akte 1 — Vooroordelen (anoniem)\n\n#### Gemeente\n\n- Initiatieven zijn amateurs')
    expect(md).not.toContain('geen notities')
    // every heading has something under it: no empty sections
    const lines = md.split('\n')
    lines.forEach((l, i) => {
      if (!/^#{2,6} /.test(l)) return
      const next = lines.slice(i + 1).find((x) => x.trim())
      expect(next, l).toBeDefined()
      const lvl = l.match(/^#+/)![0].length
      const nextLvl = next!.match(/^#+/)?.[0].length
      if (nextLvl !== undefined) expect(nextLvl, `${l} is empty`).toBeGreaterThan(lvl)
    })
    expect(md).toContain('_Zonder notities: Akte 1 — Vooroordelen › Initiatieven; Akte 2 — Waarden › Gemeente; Akte 3 — Opgaven; Akte 4 — Bestendigen_')
    const csv = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/report.csv`, c.viewer)).data as string
    expect(csv).toContain('Akte 2 — Waarden › Initiatieven')
  }, SLOW)
})
