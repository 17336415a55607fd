/**
 * REST API of issue 6, sessions: lifecycle, snapshots with all parts, autosave, restore and
 * compare, against a real server on port 0 and real storage (SQLite; PostgreSQL when
 * DATABASE_URL is set). Split from api.test.ts (tests unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deleteRecords, readRecords } from '@copboard/board'
import { addNote, api, createCop, editRoom, noteRecord, startApi, type ApiHarness } from './api-harness'

let h: ApiHarness
beforeAll(async () => {
  h = await startApi()
})
afterAll(async () => {
  await h?.close()
})

async function stateRecords(bin: Uint8Array) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, bin)
  return readRecords(doc) as any[]
}

describe('session lifecycle and snapshots', () => {
  it('planned -> live -> ended; invalid transitions are 409; end stores a snapshot with all parts', async () => {
    const c = await createCop(h)
    const sid = c.session.id
    const base = `/cops/${c.cop.id}/sessions/${sid}`
    expect((await api(h, 'POST', `${base}/end`, c.facilitator)).data.error).toBe('SESSION_STATE_CONFLICT')
    const started = await api(h, 'POST', `${base}/start`, c.facilitator)
    expect(started.status).toBe(200)
    expect(started.data.session).toMatchObject({ state: 'live' })
    expect(started.data.session.startedAt).toBeTruthy()
    const again = await api(h, 'POST', `${base}/start`, c.facilitator)
    expect([again.status, again.data.error]).toEqual([409, 'SESSION_STATE_CONFLICT'])

    await addNote(h.storage, c.session.room, noteRecord('n1', 100, 100, 'Eerste notitie', 'Anna', 'gemeente'), noteRecord('n2', 400, 100, 'Tweede', 'Cor'))
    const ended = await api(h, 'POST', `${base}/end`, c.facilitator, {})
    expect(ended.status).toBe(200)
    expect(ended.data.session).toMatchObject({ state: 'ended' })
    const snap = ended.data.snapshot
    expect(snap).toMatchObject({ kind: 'final', sessionId: sid, copId: c.cop.id })
    // nobody was seen on the board (notes written straight into storage): the authors only
    expect(snap.meta).toMatchObject({ noteCount: 2, participants: [], authorsOnly: ['Anna', 'Cor'], sessionNumber: 1 })
    expect(snap.meta.durationMs).toBeGreaterThanOrEqual(0)
    expect((await api(h, 'POST', `${base}/end`, c.facilitator)).status).toBe(409)
    expect((await api(h, 'POST', `${base}/start`, c.facilitator)).status).toBe(409)

    const list = await api(h, 'GET', `/cops/${c.cop.id}/snapshots`, c.viewer)
    expect(list.data.snapshots.map((s: any) => s.id)).toEqual([snap.id])
    expect(JSON.stringify(list.data)).not.toContain('yjsState')

    const files: Record<string, [string, string]> = {
      'state.bin': ['application/octet-stream', 'attachment'],
      'board.tldr': ['application/json', 'attachment'],
      'board.svg': ['image/svg+xml', 'inline'],
      'board.png': ['image/png', 'inline'],
      'thumbnail.png': ['image/png', 'inline'],
      'report.md': ['text/markdown', 'attachment'],
      'report.csv': ['text/csv', 'attachment'],
      'report.json': ['application/json', 'attachment'],
    }
    const got: Record<string, any> = {}
    for (const [file, [type, disp]] of Object.entries(files)) {
      const r = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/${file}`, c.viewer)
      expect(r.status, file).toBe(200)
      expect(r.headers.get('content-type'), file).toContain(type)
      expect(r.headers.get('content-disposition'), file).toMatch(new RegExp(`^${disp}; filename=".+${file.replace('.', '\\.')}"$`))
      got[file] = r.data
    }
    expect((await stateRecords(got['state.bin'])).filter((r) => r.type === 'note')).toHaveLength(2)
    expect(got['board.tldr']).toMatchObject({ tldrawFileFormatVersion: 1 })
    expect(got['board.tldr'].records.some((r: any) => r.id === 'shape:n1')).toBe(true)
    expect(got['board.svg']).toContain('Eerste notitie')
    for (const png of [got['board.png'], got['thumbnail.png']]) expect([...png.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47])
    expect(got['report.md']).toContain('Eerste notitie')
    expect(got['report.csv']).toContain('Tweede')
    const dl = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}/board.png?download=1`, c.viewer)
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment/)
    const one = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${snap.id}`, c.participant)
    expect(one.data.snapshot.id).toBe(snap.id)
  })

  it('end accepts the browser render (PNG + SVG) and rejects a non-PNG', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    const bad = await api(h, 'POST', `${base}/end`, c.facilitator, { png: Buffer.from('not a png').toString('base64') })
    expect([bad.status, bad.data.error]).toEqual([400, 'BAD_SNAPSHOT_UPLOAD'])
    const { svgToPng } = await import('../src/plugins/api/raster')
    const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#4465e9"/></svg>', 1200)
    const r = await api(h, 'POST', `${base}/end`, c.facilitator, { png: Buffer.from(png).toString('base64'), svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>client</text></svg>' })
    expect(r.status).toBe(200)
    expect(r.data.snapshot.meta.renders).toMatchObject({ png: 'client', svg: 'client' })
    const full = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${r.data.snapshot.id}/board.png`, c.viewer)
    expect(Buffer.from(full.data).equals(Buffer.from(png))).toBe(true)
    const thumb = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${r.data.snapshot.id}/thumbnail.png`, c.viewer)
    expect(new DataView(thumb.data.buffer).getUint32(16)).toBe(480)
    const svg = await api(h, 'GET', `/cops/${c.cop.id}/snapshots/${r.data.snapshot.id}/board.svg`, c.viewer)
    expect(svg.data).toContain('client')
    expect(svg.headers.get('content-security-policy')).toContain("default-src 'none'")
  })

  it('a session can start from a template: the scaffold is in its room', async () => {
    const c = await createCop(h)
    const r = await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'De Komedie', date: '2026-10-12', start: { kind: 'template', templateId: 'comedy' } })
    expect(r.status).toBe(201)
    expect(r.data.session).toMatchObject({ number: 2, state: 'planned', start: { kind: 'template', templateId: 'comedy' } })
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.mergeUpdates(await h.storage.loadRoom(r.data.session.room)))
    const recs = readRecords(doc) as any[]
    expect(recs.some((x) => x.meta?.copboard?.zoneId === 'act1-gemeente')).toBe(true)
    expect(recs.some((x) => x.id === 'page:page')).toBe(true)
    const bad = await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'x', date: '2026-10-12', start: { kind: 'template', templateId: 'nope' } })
    expect([bad.status, bad.data.error]).toEqual([400, 'TEMPLATE_UNKNOWN'])
    const bad2 = await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'x', date: '2026-10-12', start: { kind: 'magic' } })
    expect(bad2.data.error).toBe('VALIDATION_FAILED')
  })

  it('autosaves a live session when it changed (timer, last disconnect), not when unchanged', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    await addNote(h.storage, c.session.room, noteRecord('a1', 10, 10, 'autosave me'))
    const first = await h.archive.autosave(c.session.room)
    expect(first).toMatchObject({ kind: 'autosave', sessionId: c.session.id })
    expect(await h.archive.autosave(c.session.room)).toBe(null) // unchanged
    await addNote(h.storage, c.session.room, noteRecord('a2', 300, 10, 'second'))
    const idle = await h.archive.onRoomIdle(c.session.room)
    expect(idle?.meta).toMatchObject({ noteCount: 2 })
    const list = (await api(h, 'GET', `/cops/${c.cop.id}/snapshots`, c.viewer)).data.snapshots
    expect(list.map((s: any) => s.kind)).toEqual(['autosave', 'autosave'])
    await api(h, 'POST', `${base}/end`, c.facilitator)
    expect(await h.archive.autosave(c.session.room)).toBe(null) // ended: no more autosaves
  })

  it('people seen on the board are autosaved even on an unchanged board and survive a restart', async () => {
    const c = await createCop(h)
    const base = `/cops/${c.cop.id}/sessions/${c.session.id}`
    const room = c.session.room
    const seen = (at: number, states: { clientId: number; user: unknown; readOnly?: boolean; role?: string }[], removed: number[] = []) => ({
      at,
      states: states.map((x) => ({ clientId: x.clientId, state: { user: x.user, presence: { cursor: { x: 1, y: 2 } } }, readOnly: x.readOnly ?? false, info: x.role ? { role: x.role } : undefined })),
      removed,
      dropped: 0,
    })
    const t0 = Date.parse('2026-05-01T10:00:00Z')
    // on the planned board before the start: Piet stays, Kees leaves before the start
    h.archive.onAwarenessSeen(room, seen(t0, [{ clientId: 1, user: { name: 'Piet', perspective: 'overig' }, role: 'facilitator' }, { clientId: 2, user: { name: 'Kees' } }]))
    h.archive.onAwarenessSeen(room, seen(t0 + 1000, [], [2]))
    await api(h, 'POST', `${base}/start`, c.facilitator)
    const long = 'x'.repeat(500)
    h.archive.onAwarenessSeen(
      room,
      seen(Date.now(), [
        { clientId: 3, user: { name: 'Vera', perspective: 'initiatief', role: 'facilitator' }, readOnly: true },
        { clientId: 4, user: { name: long } },
        { clientId: 5, user: { name: c.viewer } }, // token-shaped: never recorded
        { clientId: 6, user: { color: '#fff' } }, // no name
      ]),
    )
    const auto = await h.archive.autosave(room)
    expect((auto?.meta.participants as any[]).map((x: any) => [x.name, x.perspective, x.role ?? null])).toEqual([
      ['Piet', 'overig', 'facilitator'],
      ['Vera', 'initiatief', 'viewer'],
      ['x'.repeat(60), null, null],
    ])
    expect(auto?.meta.noteCount).toBe(0)
    expect(JSON.stringify(auto?.meta)).not.toContain(c.viewer)
    expect(await h.archive.autosave(room)).toBe(null) // nothing new
    // a restart: a fresh service on the same storage, nobody reconnects, the facilitator ends
    const { ArchiveService } = await import('../src/plugins/api/index')
    const restarted = new ArchiveService({ storage: h.storage, autosaveMs: 0 })
    const { snapshot } = await restarted.transition(c.cop.id, c.session.id, 'end')
    restarted.close()
    expect((snapshot?.meta.participants as any[]).map((x: any) => x.name)).toEqual(['Piet', 'Vera', 'x'.repeat(60)])
  })

  it('the autosave timer runs every AUTOSAVE period for live sessions', async () => {
    const h2 = await startApi({ autosaveMs: 50 })
    try {
      const c = await createCop(h2)
      await api(h2, 'POST', `/cops/${c.cop.id}/sessions/${c.session.id}/start`, c.facilitator)
      await addNote(h2.storage, c.session.room, noteRecord('t1', 10, 10, 'timer'))
      let snaps: any[] = []
      for (let i = 0; i < 200 && snaps.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 25))
        snaps = await h2.storage.listSnapshots(c.cop.id)
      }
      expect(snaps[0]).toMatchObject({ kind: 'autosave' })
    } finally {
      await h2.close()
    }
  })

  it('restore creates a new session that starts from the snapshot; compare lists changes per zone', async () => {
    const c = await createCop(h)
    const s2 = (await api(h, 'POST', `/cops/${c.cop.id}/sessions`, c.facilitator, { title: 'Komedie', date: '2026-10-12', start: { kind: 'template', templateId: 'comedy' } })).data.session
    const base = `/cops/${c.cop.id}/sessions/${s2.id}`
    await api(h, 'POST', `${base}/start`, c.facilitator)
    // act 1 / gemeente: page x 20..572, y 360..879; act 2 / initiatieven: x 1788..2340
    await addNote(h.storage, s2.room, noteRecord('p1', 100, 400, 'Initiatieven zijn niet professioneel', 'Anna', 'gemeente'), noteRecord('p2', 1850, 400, 'Lokale energie', 'Cor'))
    const snapA = (await api(h, 'POST', `${base}/end`, c.facilitator)).data.snapshot

    const restored = await api(h, 'POST', `/cops/${c.cop.id}/snapshots/${snapA.id}/restore`, c.facilitator, { title: 'Vervolg' })
    expect(restored.status).toBe(201)
    const s3 = restored.data.session
    expect(s3).toMatchObject({ state: 'planned', title: 'Vervolg', start: { kind: 'snapshot', snapshotId: snapA.id } })
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.mergeUpdates(await h.storage.loadRoom(s3.room)))
    expect((readRecords(doc) as any[]).filter((r) => r.type === 'note').map((r) => r.id).sort()).toEqual(['shape:p1', 'shape:p2'])

    await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s3.id}/start`, c.facilitator)
    await editRoom(h.storage, s3.room, (d) => deleteRecords(d, ['shape:p2']))
    await addNote(h.storage, s3.room, noteRecord('p1', 100, 400, 'Initiatieven zijn wel professioneel', 'Anna', 'gemeente'), noteRecord('p3', 1850, 1100, 'Het Zwolse Akkoord', 'Dewi'))
    const snapB = (await api(h, 'POST', `/cops/${c.cop.id}/sessions/${s3.id}/end`, c.facilitator)).data.snapshot

    const cmp = await api(h, 'GET', `/cops/${c.cop.id}/compare?a=${snapA.id}&b=${snapB.id}`, c.participant)
    expect(cmp.status).toBe(200)
    expect(cmp.data.totals).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 0 })
    const byZone = Object.fromEntries(cmp.data.zones.map((z: any) => [z.zoneId, z]))
    expect(byZone['act1-gemeente'].changed[0]).toMatchObject({ id: 'shape:p1', fields: ['text'] })
    expect(byZone['act2-initiatieven'].removed[0].text).toBe('Lokale energie')
    expect(byZone['act4-initiatieven'].added[0]).toMatchObject({ text: 'Het Zwolse Akkoord', author: 'Dewi' })
    expect(byZone['act1-gemeente'].label).toBe('Akte 1 — Vooroordelen › Gemeente') // issue 11: the full zone path
    expect((await api(h, 'GET', `/cops/${c.cop.id}/compare?a=${snapA.id}`, c.participant)).data.error).toBe('VALIDATION_FAILED')
  })
})
