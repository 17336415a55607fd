/**
 * REST API of issue 6 against a real server on port 0 and real storage (SQLite; PostgreSQL when
 * DATABASE_URL is set). Lifecycle, snapshots with all parts, autosave, restore, compare, links,
 * and the role matrix of every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deleteRecords, readRecords } from '@copboard/board'
import { ApiErrors } from '../src/plugins/api/errors'
import { AccessResolver, hashToken, mintToken, redactUrl } from '../src/auth'
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

describe('error codes and tokens', () => {
  it('runs on the backend DATABASE_URL asks for', () => {
    expect(h.storage.backend).toBe(process.env.DATABASE_URL ? 'postgres' : 'sqlite')
  })
  it('error codes are unique, documented and carry a 4xx/5xx status', () => {
    const reasons = Object.values(ApiErrors).map((e) => e.reason)
    expect(new Set(reasons).size).toBe(reasons.length)
    for (const [code, e] of Object.entries(ApiErrors)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/)
      expect(e.status).toBeGreaterThanOrEqual(400)
      expect(e.status).toBeLessThan(600)
      expect(e.reason.length).toBeGreaterThan(5)
    }
  })
  it('tokens have 256 bits, are stored as SHA-256 and never logged', () => {
    const a = mintToken()
    const b = mintToken()
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.secret).not.toBe(b.secret)
    expect(a.hash).toBe(hashToken(a.secret))
    expect(a.hash).not.toContain(a.secret)
    expect(redactUrl(`/sync/room?token=${a.secret}&x=1`)).toBe('/sync/room?token=[redacted]&x=1')
  })
})

describe('failed-auth log throttle', () => {
  it('logs at most one line per source per minute for bad tokens, then again after the window', async () => {
    const lines: object[] = []
    let now = 1_000_000
    const r = new AccessResolver(h.storage, { logger: { warn: (o) => lines.push(o) }, maxFailures: 1000, now: () => now })
    for (let i = 0; i < 20; i++) await r.resolve('q'.repeat(43), '10.0.0.1').catch(() => undefined)
    await r.resolve('q'.repeat(43), '10.0.0.2').catch(() => undefined)
    expect(lines).toEqual([{ source: '10.0.0.1', code: 'TOKEN_INVALID' }, { source: '10.0.0.2', code: 'TOKEN_INVALID' }])
    now += 60_000
    await r.resolve('q'.repeat(43), '10.0.0.1').catch(() => undefined)
    expect(lines).toHaveLength(3)
    expect(JSON.stringify(lines)).not.toContain('qqqq')
  })
})

describe('CoPs and /me', () => {
  it('POST /cops creates the CoP, its first planned session and three links', async () => {
    const c = await createCop(h)
    expect(c.cop).toMatchObject({ name: 'CoP Warmtetransitie', theme: 'Samenwerking', coHost: 'Provincie' })
    expect(c.session).toMatchObject({ number: 1, state: 'planned', copId: c.cop.id })
    expect(c.links.facilitator).toMatch(new RegExp(`/cop/${c.cop.id}#t=`))
    expect(c.links.participant).toMatch(new RegExp(`/cop/${c.cop.id}#t=`))
    expect(c.links.viewer).toMatch(new RegExp(`/cop/${c.cop.id}#t=`))
    expect(new Set([c.facilitator, c.participant, c.viewer]).size).toBe(3)
    // the secret is not stored, only its hash
    expect(await h.storage.findTokenByHash(hashToken(c.facilitator))).toMatchObject({ role: 'facilitator', copId: c.cop.id })
  })
  it('POST /cops validates its body', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(500) }, { name: 'x', date: 'gisteren' }]) {
      const r = await api(h, 'POST', '/cops', null, body)
      expect(r.status).toBe(400)
      expect(r.data.error).toBe('VALIDATION_FAILED')
      expect(typeof r.data.message).toBe('string')
    }
  })
  it('GET /me tells the role; no / bad token is 401', async () => {
    const c = await createCop(h)
    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const r = await api(h, 'GET', '/me', c[role])
      expect(r.status).toBe(200)
      expect(r.data).toMatchObject({ role, cop: { id: c.cop.id }, sessions: [{ id: c.session.id }] })
    }
    const withRoom = await api(h, 'GET', `/me?room=${c.session.room}`, c.participant)
    expect(withRoom.data).toMatchObject({ session: { id: c.session.id }, boardRole: 'participant' })
    expect((await api(h, 'GET', '/me')).data.error).toBe('TOKEN_MISSING')
    const bad = await api(h, 'GET', '/me', 'x'.repeat(43))
    expect([bad.status, bad.data.error]).toEqual([401, 'TOKEN_INVALID'])
    expect((await api(h, 'GET', '/me?room=nosuchroom', c.viewer)).data.error).toBe('ROOM_NOT_FOUND')
  })
  it('GET /config gives the tldraw licence key without a token', async () => {
    expect((await api(h, 'GET', '/config')).data).toEqual({ tldrawLicenseKey: 'test-key', demo: false })
  })
  it('unknown /api routes answer a JSON 404', async () => {
    const r = await api(h, 'GET', '/nope')
    expect([r.status, r.data.error]).toEqual([404, 'NOT_FOUND'])
  })
})

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

describe('links and revocation', () => {
  it('facilitator creates, lists and revokes links; a revoked token is refused', async () => {
    const c = await createCop(h)
    const made = await api(h, 'POST', `/cops/${c.cop.id}/links`, c.facilitator, { role: 'viewer', label: 'Raadsleden' })
    expect(made.status).toBe(201)
    expect(made.data.link).toMatch(new RegExp(`/cop/${c.cop.id}#t=[A-Za-z0-9_-]{43}$`))
    expect(made.data.boardLink).toMatch(new RegExp(`/b/${c.session.room}#t=`))
    const secret = made.data.secret
    expect((await api(h, 'GET', '/me', secret)).data.role).toBe('viewer')
    const list = await api(h, 'GET', `/cops/${c.cop.id}/links`, c.facilitator)
    expect(list.data.links.map((l: any) => l.label)).toEqual(expect.arrayContaining(['Procesbegeleider', 'Deelnemers', 'Meekijkers', 'Raadsleden']))
    expect(JSON.stringify(list.data)).not.toContain(secret)
    const del = await api(h, 'DELETE', `/cops/${c.cop.id}/links/${made.data.token.id}`, c.facilitator)
    expect(del.data).toEqual({ revoked: true, tokenId: made.data.token.id })
    const after = await api(h, 'GET', '/me', secret)
    expect([after.status, after.data.error]).toEqual([401, 'TOKEN_REVOKED'])
    const own = (await api(h, 'GET', '/me', c.facilitator)).data.tokenId
    expect((await api(h, 'DELETE', `/cops/${c.cop.id}/links/${own}`, c.facilitator)).data.error).toBe('CANNOT_REVOKE_OWN_TOKEN')
    expect((await api(h, 'DELETE', `/cops/${c.cop.id}/links/nosuchtoken`, c.facilitator)).data.error).toBe('TOKEN_NOT_FOUND')
    expect((await api(h, 'POST', `/cops/${c.cop.id}/links`, c.facilitator, { role: 'facilitator', label: 'x' })).data.error).toBe('VALIDATION_FAILED')
  })
})

describe('role checks on every route', () => {
  it('facilitator-only routes refuse participant and viewer; read routes accept all three roles; no token is 401', async () => {
    const c = await createCop(h)
    const cid = c.cop.id
    const sid = c.session.id
    await api(h, 'POST', `/cops/${cid}/sessions/${sid}/start`, c.facilitator)
    const snap = (await api(h, 'POST', `/cops/${cid}/sessions/${sid}/end`, c.facilitator)).data.snapshot
    const tok = (await api(h, 'GET', `/cops/${cid}/links`, c.facilitator)).data.links.find((l: any) => l.role === 'viewer').id
    const facilitatorOnly: [string, string, unknown?][] = [
      ['POST', `/cops/${cid}/sessions`, { title: 't', date: '2026-01-01', start: { kind: 'empty' } }],
      ['POST', `/cops/${cid}/sessions/${sid}/start`],
      ['POST', `/cops/${cid}/sessions/${sid}/end`],
      ['POST', `/cops/${cid}/snapshots/${snap.id}/restore`, {}],
      ['POST', `/cops/${cid}/links`, { role: 'participant', label: 'x' }],
      ['GET', `/cops/${cid}/links`],
      ['DELETE', `/cops/${cid}/links/${tok}`],
    ]
    const readable: [string, string][] = [
      ['GET', '/me'],
      ['GET', `/cops/${cid}`],
      ['GET', `/cops/${cid}/sessions/${sid}`],
      ['GET', `/cops/${cid}/snapshots`],
      ['GET', `/cops/${cid}/snapshots/${snap.id}`],
      ['GET', `/cops/${cid}/snapshots/${snap.id}/report.md`],
      ['GET', `/cops/${cid}/compare?a=${snap.id}&b=${snap.id}`],
    ]
    for (const [m, p, body] of facilitatorOnly) {
      for (const role of ['participant', 'viewer'] as const) {
        const r = await api(h, m, p, c[role], body)
        expect([m, p, role, r.status, r.data.error]).toEqual([m, p, role, 403, 'FACILITATOR_ONLY'])
      }
      const none = await api(h, m, p, null, body)
      expect([m, p, none.status]).toEqual([m, p, 401])
    }
    for (const [m, p] of readable) {
      for (const role of ['facilitator', 'participant', 'viewer'] as const) expect([p, role, (await api(h, m, p, c[role])).status]).toEqual([p, role, 200])
      expect([p, (await api(h, m, p, null)).status]).toEqual([p, 401])
    }
  })

  it('a token of CoP A opens nothing of CoP B', async () => {
    const A = await createCop(h, 'CoP A')
    const B = await createCop(h, 'CoP B')
    await api(h, 'POST', `/cops/${B.cop.id}/sessions/${B.session.id}/start`, B.facilitator)
    const snapB = (await api(h, 'POST', `/cops/${B.cop.id}/sessions/${B.session.id}/end`, B.facilitator)).data.snapshot
    const routes: [string, string, unknown?][] = [
      ['GET', `/cops/${B.cop.id}`],
      ['GET', `/cops/${B.cop.id}/sessions/${B.session.id}`],
      ['POST', `/cops/${B.cop.id}/sessions`, { title: 't', date: '2026-01-01', start: { kind: 'empty' } }],
      ['POST', `/cops/${B.cop.id}/sessions/${B.session.id}/start`],
      ['GET', `/cops/${B.cop.id}/snapshots`],
      ['GET', `/cops/${B.cop.id}/snapshots/${snapB.id}`],
      ['GET', `/cops/${B.cop.id}/snapshots/${snapB.id}/state.bin`],
      ['GET', `/cops/${B.cop.id}/compare?a=${snapB.id}&b=${snapB.id}`],
      ['POST', `/cops/${B.cop.id}/snapshots/${snapB.id}/restore`, {}],
      ['GET', `/cops/${B.cop.id}/links`],
      ['POST', `/cops/${B.cop.id}/links`, { role: 'viewer', label: 'x' }],
    ]
    for (const [m, p, body] of routes) {
      const r = await api(h, m, p, A.facilitator, body)
      expect([p, r.status, r.data.error]).toEqual([p, 403, 'OTHER_COP'])
    }
    // B's ids under A's own CoP path are not found
    expect((await api(h, 'GET', `/cops/${A.cop.id}/snapshots/${snapB.id}`, A.facilitator)).data.error).toBe('SNAPSHOT_NOT_FOUND')
    expect((await api(h, 'GET', `/cops/${A.cop.id}/sessions/${B.session.id}`, A.facilitator)).data.error).toBe('SESSION_NOT_FOUND')
    expect((await api(h, 'POST', `/cops/${A.cop.id}/sessions`, A.facilitator, { title: 't', date: '2026-01-01', start: { kind: 'snapshot', snapshotId: snapB.id } })).data.error).toBe('SNAPSHOT_NOT_FOUND')
    expect((await api(h, 'GET', `/me?room=${B.session.room}`, A.viewer)).data.error).toBe('OTHER_COP')
  })
})

describe('rate limits', () => {
  it('failed auth from one source is limited (429) and POST /cops is rate-limited', async () => {
    const h2 = await startApi({ maxAuthFailures: 3, createCopMax: 2 })
    try {
      for (let i = 0; i < 3; i++) expect((await api(h2, 'GET', '/me', 'y'.repeat(43))).status).toBe(401)
      const r = await api(h2, 'GET', '/me', 'y'.repeat(43))
      expect([r.status, r.data.error]).toEqual([429, 'TOO_MANY_AUTH_FAILURES'])
      expect((await api(h2, 'POST', '/cops', null, { name: 'a' })).status).toBe(201)
      expect((await api(h2, 'POST', '/cops', null, { name: 'b' })).status).toBe(201)
      const limited = await api(h2, 'POST', '/cops', null, { name: 'c' })
      expect([limited.status, limited.data.error]).toEqual([429, 'RATE_LIMITED'])
    } finally {
      await h2.close()
    }
  })
})
