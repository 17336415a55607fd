/**
 * The ONE storage contract suite, run against every backend (sqlite.test.ts, postgres.test.ts).
 * Test names carry the SPEC.md rule they check, e.g. "[1.3]".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { hashSecret, newSecret, postgresMigrations, sqliteMigrations, type SnapshotParts, type Storage } from '../src/index'

export interface ContractBackend {
  /** Opens a (new connection to the) same database each call; runs migrations. */
  open(): Promise<Storage>
  /** Drops everything the backend created (temp dir, schema). */
  destroy(): Promise<void>
}

let roomCounter = 0
const uniqueRoom = (label: string) => `room-${label}-${process.pid}-${Date.now().toString(36)}-${roomCounter++}`

/** A Y.Doc with a map, an array and a text, and the list of updates it emitted. */
function makeEdits(n: number, clientID = 1): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const map = doc.getMap('m')
  const arr = doc.getArray<number>('a')
  const text = doc.getText('t')
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) map.set(`k${i % 17}`, i)
    else if (i % 3 === 1) arr.push([i])
    else text.insert(Math.min(text.length, i % 5), `x${i}`)
  }
  return { doc, updates }
}

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

function expectSameDoc(a: Y.Doc, b: Y.Doc): void {
  expect(b.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON())
  expect(b.getArray('a').toJSON()).toEqual(a.getArray('a').toJSON())
  expect(b.getText('t').toString()).toEqual(a.getText('t').toString())
  expect(Buffer.from(Y.encodeStateVector(b)).equals(Buffer.from(Y.encodeStateVector(a)))).toBe(true)
  expect(b.store.pendingStructs).toBeNull()
}

const bytes = (...xs: number[]) => new Uint8Array(xs)

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

export function runStorageContract(name: string, makeBackend: () => Promise<ContractBackend>): void {
  describe(`storage contract: ${name}`, () => {
    let backend: ContractBackend
    let s: Storage

    beforeAll(async () => {
      backend = await makeBackend()
      s = await backend.open()
    })
    afterAll(async () => {
      await s?.close()
      await backend?.destroy()
    })

    // ------------------------------------------------------------ 1. update log

    it('[1.1] loadRoom of an unknown room is []', async () => {
      expect(await s.loadRoom(uniqueRoom('none'))).toEqual([])
      expect(await s.countUpdates(uniqueRoom('none'))).toBe(0)
    })

    it('[1.1][1.2] appended updates load back byte-exact, oldest first, per room', async () => {
      const a = uniqueRoom('a')
      const b = uniqueRoom('b')
      await s.appendUpdates(a, [bytes(1), bytes(2, 0, 255)])
      await s.appendUpdates(b, [bytes(9)])
      await s.appendUpdates(a, [bytes(3)])
      await s.appendUpdates(a, [])
      const loaded = await s.loadRoom(a)
      expect(loaded.map((u) => Array.from(u))).toEqual([[1], [2, 0, 255], [3]])
      expect(loaded[0]).toBeInstanceOf(Uint8Array)
      expect((await s.loadRoom(b)).map((u) => Array.from(u))).toEqual([[9]])
    })

    it('[1.4] countUpdates counts log entries', async () => {
      const r = uniqueRoom('count')
      await s.appendUpdates(r, [bytes(1), bytes(2), bytes(3)])
      await s.appendUpdates(r, [bytes(4)])
      expect(await s.countUpdates(r)).toBe(4)
    })

    it('[1.3] compactRoom replaces the log by one update giving the same document', async () => {
      const r = uniqueRoom('compact')
      const { doc, updates } = makeEdits(120)
      for (let i = 0; i < updates.length; i += 7) await s.appendUpdates(r, updates.slice(i, i + 7))
      expect(await s.countUpdates(r)).toBe(updates.length)
      const res = await s.compactRoom(r)
      expect(res.updatesBefore).toBe(updates.length)
      expect(res.bytesAfter).toBeGreaterThan(0)
      expect(await s.countUpdates(r)).toBe(1)
      const loaded = await s.loadRoom(r)
      expect(loaded[0]!.byteLength).toBe(res.bytesAfter)
      expectSameDoc(doc, docFrom(loaded))
      // compacting again (one entry) changes nothing
      expect((await s.compactRoom(r)).updatesBefore).toBe(1)
      expect(await s.countUpdates(r)).toBe(1)
    })

    it('[1.3] appends after a compaction load after the merged update', async () => {
      const r = uniqueRoom('order')
      const { updates } = makeEdits(10)
      await s.appendUpdates(r, updates)
      await s.compactRoom(r)
      await s.appendUpdates(r, [bytes(42)])
      const loaded = await s.loadRoom(r)
      expect(loaded.length).toBe(2)
      expect(Array.from(loaded[1]!)).toEqual([42])
    })

    it('[1.3] compaction while appends continue loses no update', async () => {
      const r = uniqueRoom('concurrent')
      const { doc, updates } = makeEdits(300, 7)
      // three writers append interleaved slices concurrently, a compactor runs in a loop beside them
      const writers = [0, 1, 2].map(async (w) => {
        for (let i = w * 2; i < updates.length; i += 6) {
          await s.appendUpdates(r, updates.slice(i, i + 2))
        }
      })
      let done = false
      let compactions = 0
      const compactor = (async () => {
        while (!done) {
          await s.compactRoom(r)
          compactions++
          await new Promise((res) => setImmediate(res))
        }
      })()
      await Promise.all(writers)
      done = true
      await compactor
      expect(compactions).toBeGreaterThan(0)
      expectSameDoc(doc, docFrom(await s.loadRoom(r)))
      await s.compactRoom(r)
      expect(await s.countUpdates(r)).toBe(1)
      expectSameDoc(doc, docFrom(await s.loadRoom(r)))
    })

    it('[1.3] two compactions of the same room at once keep the document', async () => {
      const r = uniqueRoom('double')
      const { doc, updates } = makeEdits(60, 3)
      await s.appendUpdates(r, updates)
      const other = await backend.open()
      try {
        await Promise.all([s.compactRoom(r), other.compactRoom(r), s.appendUpdates(r, [])])
      } finally {
        await other.close()
      }
      expectSameDoc(doc, docFrom(await s.loadRoom(r)))
    })

    it('[1.5] deleteRoom and listRooms', async () => {
      const r = uniqueRoom('del')
      await s.appendUpdates(r, [bytes(1), bytes(2)])
      expect(await s.listRooms()).toContain(r)
      expect(await s.deleteRoom(r)).toBe(2)
      expect(await s.loadRoom(r)).toEqual([])
      expect(await s.listRooms()).not.toContain(r)
    })

    it('[1.2] data survives close and reopen', async () => {
      const r = uniqueRoom('reopen')
      const first = await backend.open()
      const cop = await first.createCop({ name: 'Reopen', theme: 't', coHost: 'c' })
      await first.appendUpdates(r, [bytes(5), bytes(6)])
      await first.close()
      const second = await backend.open()
      try {
        expect((await second.loadRoom(r)).map((u) => Array.from(u))).toEqual([[5], [6]])
        expect(await second.getCop(cop.id)).toEqual(cop)
      } finally {
        await second.close()
      }
    })

    // ------------------------------------------------------------ 2. migrations

    it('[2.1] schema is at the newest migration; both backends list the same migrations', async () => {
      expect(sqliteMigrations.map((m) => m.id)).toEqual(sqliteMigrations.map((_, i) => i + 1))
      expect(postgresMigrations.map((m) => [m.id, m.name])).toEqual(sqliteMigrations.map((m) => [m.id, m.name]))
      expect(await s.schemaVersion()).toBe(sqliteMigrations.length)
    })

    it('[2.2] migrate() is idempotent, also from two connections at once', async () => {
      const other = await backend.open()
      try {
        await Promise.all([s.migrate(), other.migrate(), s.migrate()])
        await s.migrate()
        expect(await s.schemaVersion()).toBe(sqliteMigrations.length)
        expect(await other.schemaVersion()).toBe(sqliteMigrations.length)
      } finally {
        await other.close()
      }
    })

    // ------------------------------------------------------------ 3. model

    it('[3.1] createCop / getCop', async () => {
      const cop = await s.createCop({ name: 'Energie & Wijk', theme: 'warmtenet', coHost: 'Gemeente Utrecht' })
      expect(cop.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(new Date(cop.createdAt).toISOString()).toBe(cop.createdAt)
      expect(await s.getCop(cop.id)).toEqual(cop)
      expect(await s.getCop('nope')).toBeNull()
    })

    it('[3.2] sessions are numbered 1, 2, 3 per CoP with a random room', async () => {
      const cop = await s.createCop({ name: 'A', theme: '', coHost: '' })
      const s1 = await s.createSession({ copId: cop.id, title: 'Kick-off', date: '2026-01-10', start: { kind: 'empty' } })
      const s2 = await s.createSession({ copId: cop.id, title: 'Twee', date: '2026-02-10', start: { kind: 'template', templateId: 'comedy' } })
      const s3 = await s.createSession({ copId: cop.id, title: 'Drie', date: '2026-03-10', start: { kind: 'snapshot', snapshotId: 'x' } })
      expect([s1.number, s2.number, s3.number]).toEqual([1, 2, 3])
      expect(s1).toMatchObject({ state: 'planned', startedAt: null, endedAt: null, copId: cop.id, title: 'Kick-off', date: '2026-01-10' })
      for (const x of [s1, s2, s3]) expect(x.room).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(new Set([s1.room, s2.room, s3.room]).size).toBe(3)
      expect(await s.getSession(s2.id)).toEqual(s2)
      expect(await s.getSessionByRoom(s3.room)).toEqual(s3)
      expect(await s.getSessionByRoom('unknown-room')).toBeNull()
      expect(await s.getSession('nope')).toBeNull()
      expect(await s.listSessions(cop.id)).toEqual([s1, s2, s3])
    })

    it('[3.2] concurrent createSession calls get distinct consecutive numbers', async () => {
      const cop = await s.createCop({ name: 'Race', theme: '', coHost: '' })
      const other = await backend.open()
      try {
        const made = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 ? other : s).createSession({ copId: cop.id, title: `S${i}`, date: '2026-05-01', start: { kind: 'empty' } }),
          ),
        )
        expect(made.map((m) => m.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
      } finally {
        await other.close()
      }
    })

    it('[3.2] createSession of an unknown CoP fails with COP_NOT_FOUND', async () => {
      await expect(s.createSession({ copId: 'nope', title: 'x', date: '2026-01-01', start: { kind: 'empty' } })).rejects.toMatchObject({
        code: 'COP_NOT_FOUND',
      })
    })

    it('[3.3] transitionSession is a compare-and-set and stamps startedAt / endedAt', async () => {
      const cop = await s.createCop({ name: 'CAS', theme: '', coHost: '' })
      const ses = await s.createSession({ copId: cop.id, title: 'x', date: '2026-01-01', start: { kind: 'empty' } })
      expect(await s.transitionSession(ses.id, 'live', 'ended', '2026-01-01T10:00:00.000Z')).toBeNull()
      const live = await s.transitionSession(ses.id, 'planned', 'live', '2026-01-01T09:00:00.000Z')
      expect(live).toMatchObject({ state: 'live', startedAt: '2026-01-01T09:00:00.000Z', endedAt: null })
      // two racing transitions from the same state: exactly one wins
      const [a, b] = await Promise.all([
        s.transitionSession(ses.id, 'live', 'ended', '2026-01-01T11:00:00.000Z'),
        s.transitionSession(ses.id, 'live', 'ended', '2026-01-01T11:00:01.000Z'),
      ])
      expect([a, b].filter(Boolean).length).toBe(1)
      const ended = await s.getSession(ses.id)
      expect(ended).toMatchObject({ state: 'ended', startedAt: '2026-01-01T09:00:00.000Z' })
      expect(ended!.endedAt).toBe((a ?? b)!.endedAt)
      expect(await s.transitionSession('nope', 'planned', 'live', '2026-01-01T09:00:00.000Z')).toBeNull()
    })

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
  })
}
