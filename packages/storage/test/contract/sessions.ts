/** Storage contract, 3.1-3.3: CoPs and sessions. */
import { beforeAll, expect, it } from 'vitest'
import type { Storage } from '../../src/index'
import type { ContractBackend, ContractContext } from './support'

export function sessionsContract(ctx: ContractContext): void {
  let s: Storage
  let backend: ContractBackend
  beforeAll(() => void ({ s, backend } = ctx))

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
}
