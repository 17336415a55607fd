/** Storage contract, 3.4-3.8: tokens, snapshots, per-CoP isolation, lifecycle. */
import { beforeAll, expect, it } from 'vitest'
import { hashSecret, newSecret, type SnapshotParts, type Storage } from '../../src/index'
import * as Y from 'yjs'
import { docFrom, expectSameDoc, makeEdits, type ContractBackend, type ContractContext } from './support'

function sampleParts(seed: number): SnapshotParts {
  // every byte value, plus zeros at the edges: binary must round-trip exactly
  const bin = new Uint8Array(256 * 3 + seed)
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 7 + seed) & 0xff
  bin[0] = 0
  bin[bin.length - 1] = 0
  return {
    yjsState: bin,
    tldr: JSON.stringify({ tldrawFileFormatVersion: 1, records: [{ id: 'shape:a', text: 'Zoë “quotes” ✓' }] }),
    svg: `<svg xmlns="http://www.w3.org/2000/svg"><text>é ${seed}</text></svg>`,
    png: bin.slice().reverse(),
    thumbnailPng: bin.slice(0, 100),
    reportJson: JSON.stringify({ zones: [{ id: 'z1', notes: ['één', 'twee'] }] }),
    reportMarkdown: '# Verslag\n\n- één\n- twee\n',
    reportCsv: 'zone,note\r\nz1,"een, twee"\r\n',
  }
}

export function recordsContract(ctx: ContractContext): void {
  let s: Storage
  let backend: ContractBackend
  beforeAll(() => void ({ s, backend } = ctx))

  it('[3.4] tokens: stored by hash, found by hash, revoked once', async () => {
    const cop = await s.createCop({ name: 'Tok', theme: '', coHost: '' })
    const secret = newSecret()
    expect(secret.length).toBeGreaterThanOrEqual(43)
    const t = await s.createToken({ copId: cop.id, role: 'participant', label: 'deelnemers', secretHash: hashSecret(secret) })
    expect(t).toMatchObject({ copId: cop.id, role: 'participant', label: 'deelnemers', revokedAt: null })
    expect(t).not.toHaveProperty('secretHash')
    expect(await s.findTokenByHash(hashSecret(secret))).toEqual(t)
    expect(await s.findTokenByHash(secret)).toBeNull()
    expect(await s.findTokenByHash(hashSecret('other'))).toBeNull()
    expect(await s.revokeToken(cop.id, t.id, '2026-02-01T00:00:00.000Z')).toBe(true)
    expect((await s.findTokenByHash(hashSecret(secret)))!.revokedAt).toBe('2026-02-01T00:00:00.000Z')
    // revoking again keeps the first revocation time
    expect(await s.revokeToken(cop.id, t.id, '2026-03-01T00:00:00.000Z')).toBe(true)
    expect((await s.listTokens(cop.id))[0]!.revokedAt).toBe('2026-02-01T00:00:00.000Z')
    expect(await s.revokeToken(cop.id, 'nope', '2026-03-01T00:00:00.000Z')).toBe(false)
    await expect(s.createToken({ copId: 'nope', role: 'viewer', label: '', secretHash: hashSecret(newSecret()) })).rejects.toMatchObject({
      code: 'COP_NOT_FOUND',
    })
  })

  it('[3.8] completeSnapshotRender fills in images and meta, never the board parts', async () => {
    const cop = await s.createCop({ name: 'Render', theme: '', coHost: '' })
    const ses = await s.createSession({ copId: cop.id, title: 'x', date: '2026-01-01', start: { kind: 'empty' } })
    const parts = { ...sampleParts(5), png: null, thumbnailPng: null, svg: '' }
    const snap = await s.createSnapshot({ copId: cop.id, sessionId: ses.id, kind: 'final', meta: { render: 'failed' } }, parts)
    const png = new Uint8Array([1, 2, 3])
    expect(await s.completeSnapshotRender(snap.id, { svg: '<svg/>', png, thumbnailPng: png }, { render: 'server' })).toBe(true)
    expect(await s.completeSnapshotRender('nope', { svg: '', png: null, thumbnailPng: null }, {})).toBe(false)
    expect((await s.getSnapshot(snap.id))!.meta).toEqual({ render: 'server' })
    expect(await s.getSnapshotPart(snap.id, 'svg')).toBe('<svg/>')
    expect([...(await s.getSnapshotPart(snap.id, 'thumbnailPng'))!]).toEqual([1, 2, 3])
    expect(Buffer.from((await s.getSnapshotPart(snap.id, 'yjsState'))!).equals(Buffer.from(parts.yjsState))).toBe(true)
    expect(await s.getSnapshotPart(snap.id, 'reportCsv')).toBe(parts.reportCsv)
  })

  it('[3.5] snapshot parts round-trip exactly; listSnapshots and getSnapshot carry no parts', async () => {
    const cop = await s.createCop({ name: 'Snap', theme: '', coHost: '' })
    const ses = await s.createSession({ copId: cop.id, title: 'x', date: '2026-01-01', start: { kind: 'empty' } })
    const parts = sampleParts(3)
    const meta = { participants: ['An', 'Bo'], durationMs: 5400000, noteCount: 12, nested: { ok: true } }
    const snap = await s.createSnapshot({ copId: cop.id, sessionId: ses.id, kind: 'final', meta }, parts)
    const auto = await s.createSnapshot(
      { copId: cop.id, sessionId: ses.id, kind: 'autosave', meta: {} },
      { ...sampleParts(4), png: null, thumbnailPng: null },
    )
    expect(snap).toMatchObject({ copId: cop.id, sessionId: ses.id, kind: 'final', meta })
    expect(await s.getSnapshot(snap.id)).toEqual(snap)
    expect(await s.getSnapshot('nope')).toBeNull()
    const listed = await s.listSnapshots(cop.id)
    expect(listed).toEqual([snap, auto])
    for (const m of listed) expect(Object.keys(m).sort()).toEqual(['copId', 'createdAt', 'id', 'kind', 'meta', 'sessionId'])

    for (const k of Object.keys(parts) as (keyof SnapshotParts)[]) {
      const v = await s.getSnapshotPart(snap.id, k)
      if (parts[k] instanceof Uint8Array) {
        expect(v).toBeInstanceOf(Uint8Array)
        expect(Buffer.from(v as Uint8Array).equals(Buffer.from(parts[k] as Uint8Array))).toBe(true)
      } else {
        expect(v).toBe(parts[k])
      }
    }
    expect(await s.getSnapshotPart(auto.id, 'png')).toBeNull()
    expect(await s.getSnapshotPart(auto.id, 'thumbnailPng')).toBeNull()
    expect(await s.getSnapshotPart('nope', 'svg')).toBeNull()
    const all = await s.getSnapshotParts(snap.id)
    expect(all).not.toBeNull()
    expect(Buffer.from(all!.yjsState).equals(Buffer.from(parts.yjsState))).toBe(true)
    expect(Buffer.from(all!.png!).equals(Buffer.from(parts.png!))).toBe(true)
    expect(all!.reportCsv).toBe(parts.reportCsv)
    expect(await s.getSnapshotParts('nope')).toBeNull()
    // a real Yjs state survives as a snapshot part
    const { doc } = makeEdits(30)
    const ystate = Y.encodeStateAsUpdate(doc)
    const ysnap = await s.createSnapshot({ copId: cop.id, sessionId: ses.id, kind: 'autosave', meta: {} }, { ...parts, yjsState: ystate })
    expectSameDoc(doc, docFrom([(await s.getSnapshotPart(ysnap.id, 'yjsState'))!]))
  })

  it('[3.5] a snapshot of an unknown session fails with SESSION_NOT_FOUND', async () => {
    const cop = await s.createCop({ name: 'Snap2', theme: '', coHost: '' })
    await expect(
      s.createSnapshot({ copId: cop.id, sessionId: 'nope', kind: 'final', meta: {} }, sampleParts(1)),
    ).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' })
  })

  it('[3.5] snapshots are immutable: the storage has no way to change one', () => {
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(s))
    expect(methods.filter((m) => /snapshot/i.test(m) && /update|set|delete|replace/i.test(m))).toEqual([])
  })

  it('[3.6] one CoP never sees another CoP’s sessions, tokens or snapshots', async () => {
    const a = await s.createCop({ name: 'A', theme: '', coHost: '' })
    const b = await s.createCop({ name: 'B', theme: '', coHost: '' })
    const sa = await s.createSession({ copId: a.id, title: 'a1', date: '2026-01-01', start: { kind: 'empty' } })
    const sb = await s.createSession({ copId: b.id, title: 'b1', date: '2026-01-01', start: { kind: 'empty' } })
    expect(sb.number).toBe(1) // numbering is per CoP
    const ta = await s.createToken({ copId: a.id, role: 'facilitator', label: '', secretHash: hashSecret(newSecret()) })
    const tb = await s.createToken({ copId: b.id, role: 'facilitator', label: '', secretHash: hashSecret(newSecret()) })
    const pa = await s.createSnapshot({ copId: a.id, sessionId: sa.id, kind: 'final', meta: {} }, sampleParts(1))
    const pb = await s.createSnapshot({ copId: b.id, sessionId: sb.id, kind: 'final', meta: {} }, sampleParts(2))
    expect((await s.listSessions(a.id)).map((x) => x.id)).toEqual([sa.id])
    expect((await s.listSessions(b.id)).map((x) => x.id)).toEqual([sb.id])
    expect((await s.listTokens(a.id)).map((x) => x.id)).toEqual([ta.id])
    expect((await s.listTokens(b.id)).map((x) => x.id)).toEqual([tb.id])
    expect((await s.listSnapshots(a.id)).map((x) => x.id)).toEqual([pa.id])
    expect((await s.listSnapshots(b.id)).map((x) => x.id)).toEqual([pb.id])
    // B cannot revoke A's token
    expect(await s.revokeToken(b.id, ta.id, '2026-01-02T00:00:00.000Z')).toBe(false)
    expect((await s.listTokens(a.id))[0]!.revokedAt).toBeNull()
    // a snapshot cannot claim A's session for B
    await expect(
      s.createSnapshot({ copId: b.id, sessionId: sa.id, kind: 'final', meta: {} }, sampleParts(3)),
    ).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' })
    expect(await s.listSessions('nope')).toEqual([])
    expect(await s.listTokens('nope')).toEqual([])
    expect(await s.listSnapshots('nope')).toEqual([])
  })

  it('[3.7] ping resolves; a closed storage rejects with CLOSED', async () => {
    await s.ping()
    const other = await backend.open()
    await other.close()
    await other.close() // idempotent
    await expect(other.loadRoom('x')).rejects.toMatchObject({ code: 'CLOSED' })
  })
}
