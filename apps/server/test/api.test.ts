/**
 * REST API of issue 6 against a real server on port 0 and real storage (SQLite; PostgreSQL when
 * DATABASE_URL is set): error codes and tokens, CoPs and /me, links, and the role matrix of every
 * route. Sessions (lifecycle, snapshots, autosave, restore, compare): api-sessions.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrors } from '../src/plugins/api/errors'
import { AccessResolver, hashToken, mintToken, redactUrl } from '../src/auth'
import { api, createCop, startApi, type ApiHarness } from './api-harness'

let h: ApiHarness
beforeAll(async () => {
  h = await startApi()
})
afterAll(async () => {
  await h?.close()
})

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
