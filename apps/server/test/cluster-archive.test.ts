/**
 * cluster/SPEC.md C7 without the cluster: the archive of the instance that owns a room, when the
 * session's start and end requests reach other instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { RoomsApi } from '../src/plugins/api/service'
import { createCop, startApi, type ApiHarness } from './api-harness'

const owned = new Set<string>()
/** The owner's view of its rooms (what cluster/index.ts hands the archive when leases are on). */
const rooms: RoomsApi = {
  encodeState: async () => Y.encodeStateAsUpdate(new Y.Doc()),
  transact: async () => {
    throw new Error('not used')
  },
  disconnectRoom: () => 0,
  ownsRoom: (room) => owned.has(room),
  ownedRooms: () => [...owned],
}

let h: ApiHarness
beforeAll(async () => {
  h = await startApi({ rooms })
})
afterAll(async () => h?.close())

const seen = (at: number, name: string) => ({
  at,
  states: [{ clientId: 7, state: { user: { name, perspective: 'gemeente' } }, readOnly: false, info: { role: 'participant' } }],
  removed: [],
  dropped: 0,
})

describe('C7 autosave and people on the owner', () => {
  it('C7 a session started through another instance is tracked and autosaved by its room\'s owner, with the people already on the board', async () => {
    const cop = await createCop(h)
    const room = cop.session.room as string
    owned.add(room)
    h.archive.onAwarenessSeen(room, seen(Date.now(), 'Annelies') as never)
    // the start request reached another instance: only the database knows
    await h.storage.transitionSession(cop.session.id, 'planned', 'live', new Date().toISOString())
    expect(await h.archive.trackStartedElsewhere()).toEqual([room])
    expect(await h.archive.trackStartedElsewhere()).toEqual([])
    const snap = await h.archive.autosave(room)
    expect(snap).not.toBeNull()
    expect((snap!.meta.participants as { name: string }[]).map((p) => p.name)).toEqual(['Annelies'])
  }, 30_000)

  it('C7 rooms this instance does not own are neither tracked nor autosaved here', async () => {
    const cop = await createCop(h)
    const room = cop.session.room as string
    await h.storage.transitionSession(cop.session.id, 'planned', 'live', new Date().toISOString())
    expect(await h.archive.trackStartedElsewhere()).not.toContain(room)
    // tracked while owned, then handed over to another instance: that one saves it, not this one
    owned.add(room)
    expect(await h.archive.trackStartedElsewhere()).toEqual([room])
    owned.delete(room)
    const before = (await h.storage.listSnapshots(cop.cop.id)).length
    await h.archive.autosaveAll()
    expect((await h.storage.listSnapshots(cop.cop.id)).length).toBe(before)
  }, 30_000)
})
