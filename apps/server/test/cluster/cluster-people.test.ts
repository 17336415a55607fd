/**
 * cluster/SPEC.md C9 (people): a session ended through the instance that does not own its room
 * lists everyone the owner saw, also those who joined after the last autosave. The real thing:
 * HAProxy + 2 production instances (infra/local-cluster.sh) + PostgreSQL + a redis-server of
 * this test's own, all on loopback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LocalCluster, PrivateRedis, apiCall, client, freePort, newBoard, synced, waitFor, type Client } from './harness'

let redis: PrivateRedis
let cluster: LocalCluster
const clients: Client[] = []

beforeAll(async () => {
  redis = new PrivateRedis(await freePort())
  await redis.start()
  cluster = new LocalCluster({ REDIS_URL: `redis://127.0.0.1:${redis.port}`, ROOM_IDLE_MS: '5000', LOG_LEVEL: 'info' })
  await cluster.start()
}, 150_000)

afterEach(() => {
  for (const c of clients.splice(0)) c.provider.destroy()
})

afterAll(async () => {
  await cluster?.stop()
  await redis?.stop()
}, 90_000)

/** Someone on the board under `name` (their awareness announces it, as the web client does). */
function join(room: string, token: string, name: string): Client {
  const c = client(cluster.wsUrl, room, token)
  c.provider.awareness.setLocalStateField('user', { name, perspective: 'gemeente' })
  clients.push(c)
  return c
}

/** The names `c` sees in the room's awareness (so the server has received them). */
const namesSeenBy = (c: Client) => [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name).filter(Boolean)

async function snapshotsOf(b: { copId: string; facilitator: string }): Promise<{ id: string; kind: string; sessionId: string; meta: { participants: { name: string }[] } }[]> {
  const r = await apiCall(cluster.info.proxyUrl, 'GET', `/cops/${b.copId}/snapshots`, b.facilitator)
  if (r.status !== 200) throw new Error(`GET snapshots: ${r.status} ${JSON.stringify(r.data)}`)
  return r.data.snapshots
}

describe('C9 people of a session ended through a non-owner', () => {
  it.each(['owner', 'other instance'])(
    'C9 A11 started through the %s, ended through the instance that does not own the room: the final snapshot lists the people who joined after the last autosave too',
    async (startVia) => {
      const b = await newBoard(cluster.info.proxyUrl)
      // the facilitator (no name announced) opens the planned board: now the room has an owner
      const facilitator = client(cluster.wsUrl, b.room, b.facilitator)
      clients.push(facilitator)
      await synced(facilitator)
      const owner = await cluster.ownerInstance(b.room)
      const other = cluster.otherThan(owner.id)
      const start = await apiCall((startVia === 'owner' ? owner : other).url, 'POST', `/cops/${b.copId}/sessions/${b.sessionId}/start`, b.facilitator)
      expect(start.status).toBe(200)
      const annelies = join(b.room, b.participant, 'Annelies')
      await synced(annelies)
      annelies.doc.getArray<string>('items').push(['eerste idee'])
      await waitFor('Annelies announced', () => namesSeenBy(facilitator).includes('Annelies'))
      // everyone leaves: the owner autosaves the board with her (archive A12). Polled every 500 ms:
      // at 100 ms a slow autosave on a loaded machine made up to 300 GETs per test, and both tests
      // share the API limit of 600 a minute per address (all 127.0.0.1, counted in Redis)
      annelies.provider.destroy()
      facilitator.provider.destroy()
      const autosave = await waitFor('autosave with Annelies', async () => (await snapshotsOf(b)).find((s) => s.sessionId === b.sessionId && s.kind === 'autosave' && s.meta.participants.some((p) => p.name === 'Annelies')), 30_000, 500)
      expect(autosave.meta.participants.map((p) => p.name)).toEqual(['Annelies'])
      // then two more join on the same owner; it sees them (each sees the other's awareness); no autosave follows
      const bram = join(b.room, b.participant, 'Bram')
      const chidi = join(b.room, b.participant, 'Chidi')
      await Promise.all([synced(bram), synced(chidi)])
      await waitFor('awareness relayed by the owner', () => namesSeenBy(bram).includes('Chidi') && namesSeenBy(chidi).includes('Bram'))
      expect(await cluster.ownerOf(b.room)).toBe(`copboard:${owner.id}`)
      // C9: the end waits (at most 15 s) for the owner to hand the room over
      const end = await apiCall(other.url, 'POST', `/cops/${b.copId}/sessions/${b.sessionId}/end`, b.facilitator, {}, 60_000)
      expect(end.status).toBe(200)
      const final = (await snapshotsOf(b)).find((s) => s.id === end.data.snapshot.id)!
      expect(final.kind).toBe('final')
      expect(final.meta.participants.map((p) => p.name).sort()).toEqual(['Annelies', 'Bram', 'Chidi'])
    },
    120_000,
  )
})
