/**
 * Several instances, one service (issue 13), on the real engines: HAProxy + 2 production
 * instances (infra/local-cluster.sh) + PostgreSQL + Redis, all on loopback. Rules: sync-core
 * SPEC §13, storage SPEC §6, apps/server/src/cluster/SPEC.md C1–C6.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import {
  CuttableRelay, DIRECT_PG, LocalCluster, PrivateRedis, apiCall, client, freePort, health, newBoard, probe, sleep, synced, waitFor, type Client,
} from './harness'

const relay = new CuttableRelay()
let redis: PrivateRedis
let cluster: LocalCluster
const clients: Client[] = []

function open(room: string, token: string): Client {
  const c = client(cluster.wsUrl, room, token)
  clients.push(c)
  return c
}

const ownerOf = (room: string) => cluster.ownerOf(room)
const ownerInstance = (room: string) => cluster.ownerInstance(room)

async function logOf(room: string): Promise<Uint8Array[]> {
  const db = new pg.Client({ connectionString: DIRECT_PG, options: `-c search_path=${cluster.info.schema}` })
  await db.connect()
  try {
    const r = await db.query<{ data: Buffer }>('SELECT data FROM updates WHERE room = $1 ORDER BY seq', [room])
    return r.rows.map((x) => new Uint8Array(x.data))
  } finally {
    await db.end()
  }
}

/** No struct is stored twice: the (client, clock) ranges of all log entries are disjoint. */
function overlappingStructs(log: Uint8Array[]): number {
  const seen = new Map<number, [number, number][]>()
  let overlaps = 0
  for (const u of log) {
    for (const s of Y.decodeUpdate(u).structs) {
      if (s.constructor.name === 'Skip') continue
      const ranges = seen.get(s.id.client) ?? []
      const [a, b] = [s.id.clock, s.id.clock + s.length]
      if (ranges.some(([x, y]) => a < y && x < b)) overlaps++
      ranges.push([a, b])
      seen.set(s.id.client, ranges)
    }
  }
  return overlaps
}

function docOfLog(log: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of log) Y.applyUpdate(doc, u)
  return doc
}

beforeAll(async () => {
  await relay.start()
  redis = new PrivateRedis(await freePort())
  await redis.start()
  cluster = new LocalCluster({
    DATABASE_URL: `postgres://postgres@127.0.0.1:${relay.port}/test`,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    ROOM_IDLE_MS: '5000',
    LOG_LEVEL: 'info',
  })
  await cluster.start()
}, 150_000)

// a failed test must not leave its clients connected to the next one
afterEach(() => {
  for (const c of clients.splice(0)) c.provider.destroy()
})

afterAll(async () => {
  relay.restore()
  await cluster?.stop()
  await redis?.stop()
  await relay.stop()
}, 90_000)

describe('cluster: 2 instances behind HAProxy', () => {
  it('C1 every client of a room reaches one owner through the proxy; concurrent edits converge', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const cs = [0, 1, 2, 3].map(() => open(b.room, b.participant))
    await Promise.all(cs.map((c) => synced(c)))
    cs.forEach((c, i) => c.doc.getText('t').insert(0, `client${i} `))
    await waitFor('convergence', () => cs.every((c) => c.text() === cs[0].text() && [0, 1, 2, 3].every((i) => c.text().includes(`client${i} `))))
    const owner = await ownerInstance(b.room)
    const other = cluster.info.instances.find((i) => i.id !== owner.id)!
    const [ho, hx] = await Promise.all([health(owner.url), health(other.url)])
    expect(ho.connections).toBe(4)
    expect(hx.connections).toBe(0)
    expect(ho.status).toBe('ok')
    expect(ho.postgres).toBe('ok')
    expect(ho.redis).toBe('ok')
    // the metrics of the owner count the room, its connections and the appends
    const metrics = await (await fetch(`${owner.url}/metrics`)).text()
    expect(metrics).toMatch(/^copboard_rooms_owned\{instance_id="[ab]"\} [1-9]/m)
    expect(metrics).toMatch(/^copboard_connections\{instance_id="[ab]"\} 4$/m)
    expect(metrics).toMatch(/^copboard_updates_appended_total\{instance_id="[ab]"\} [1-9]/m)
    expect(metrics).toMatch(/^copboard_storage_append_seconds_count\{[^}]*via="lease"[^}]*\} [1-9]/m)
    expect(metrics).toMatch(/^copboard_lease_changes_total\{change="acquired"[^}]*\} [1-9]/m)
    expect((await fetch(`${cluster.info.proxyUrl}/metrics`)).status).toBe(404)
    for (const c of cs) c.provider.destroy()
  }, 60_000)

  it('§13.1 §13.2 C2 two instances asked for one room at once: exactly one owns it, the other sends its client on (4510); the log has every edit once', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const [a, bb] = cluster.info.instances
    const url = (i: { port: number }) => `ws://127.0.0.1:${i.port}/sync/${b.room}?token=${b.participant}`
    const probes = await Promise.all([probe(url(a)), probe(url(bb))])
    // each instance either served the room or sent its client on; never anything else
    for (const p of probes) expect([4510, 'served']).toContain(p.code)
    expect(probes.some((p) => p.code === 'served')).toBe(true)
    // the invariant: never two served copies at once. An instance may serve the room and later
    // give it up (handed over after C2's 3 s, or a lost lease: then its client is sent on with
    // 4510/4500 before another instance can take the lease), so on a slow machine both probes
    // can have been served, one after the other; at most one may still be served, by the holder
    const live = () => probes.filter((p) => p.code === 'served' && p.closedWith === null)
    await waitFor('at most one served copy', () => live().length <= 1, 10_000)
    for (const p of probes) if (p.code === 'served' && p.closedWith !== null) expect([4510, 4500]).toContain(p.closedWith)
    // the holder is read first: a copy still served after it was read was served by the holder
    // (an instance closes its clients before it releases the lease; the close may reach us late)
    const instanceOf = (p: (typeof probes)[number]) => `copboard:${p === probes[0] ? a.id : bb.id}`
    await waitFor('the served copy is the lease holder\'s', async () => {
      const holder = await ownerOf(b.room)
      return live().every((p) => instanceOf(p) === holder)
    }, 10_000)
    const [pa, pb] = probes
    // clients through the proxy: wherever it routes the room, they end up together on one owner
    // (a non-owner sends them on and asks the owner to hand the room over: ownership follows routing)
    const cs = [0, 1].map(() => open(b.room, b.participant))
    await Promise.all(cs.map((c) => synced(c, 30_000)))
    for (let n = 0; n < 20; n++) {
      cs.forEach((c, i) => c.doc.getArray<string>('items').push([`c${i}-${n}`]))
      await sleep(10)
    }
    await waitFor('convergence', () => cs.every((c) => c.doc.getArray('items').length === 40), 30_000)
    const owner = await ownerOf(b.room)
    const served = await Promise.all(cluster.info.instances.map((i) => health(i.url)))
    expect(served.filter((h) => h.connections > 0).map((h) => `copboard:${h.instance}`)).toEqual([owner])
    pa.ws.close()
    pb.ws.close()
    const log = await waitFor('log complete', async () => {
      const l = await logOf(b.room)
      return docOfLog(l).getArray('items').length === 40 ? l : null
    })
    expect(overlappingStructs(log)).toBe(0)
    const items = docOfLog(log).getArray<string>('items').toArray()
    expect(new Set(items).size).toBe(40)
    for (const c of cs) c.provider.destroy()
  }, 90_000)

  it('C3 revoking a link on one instance closes its sockets on the other', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const c = open(b.room, b.participant)
    await synced(c)
    const owner = await ownerInstance(b.room)
    const other = cluster.info.instances.find((i) => i.id !== owner.id)!
    const links = await apiCall(other.url, 'GET', `/cops/${b.copId}/links`, b.facilitator)
    const participantLink = (links.data.links as { id: string; role: string }[]).find((l) => l.role === 'participant')!
    const closesBefore = c.closes.length
    const r = await apiCall(other.url, 'DELETE', `/cops/${b.copId}/links/${participantLink.id}`, b.facilitator)
    expect(r.status).toBe(200)
    await waitFor('socket on the owner closed', () => c.closes.length > closesBefore, 10_000)
    expect(c.closes[closesBefore]).toBe(1000)
    // the revoked token does not get back in
    await sleep(1500)
    expect(c.provider.wsconnected).toBe(false)
    c.provider.destroy()
  }, 60_000)

  it('C9 a session ended through the instance that does not own its room: the final snapshot has every edit the room stored and participants saw, even when the owner hears of the end late', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    expect((await apiCall(cluster.info.proxyUrl, 'POST', `/cops/${b.copId}/sessions/${b.sessionId}/start`, b.facilitator)).status).toBe(200)
    const writer = open(b.room, b.participant)
    const peer = open(b.room, b.participant)
    await Promise.all([synced(writer), synced(peer)])
    const owner = await ownerInstance(b.room)
    const other = cluster.info.instances.find((i) => i.id !== owner.id)!
    // a participant keeps writing right up to (and past) the end
    let n = 0
    let writing = true
    const loop = (async () => {
      while (writing) {
        writer.doc.getArray<string>('items').push([`n${n++}`])
        await sleep(5)
      }
    })()
    await waitFor('edits flowing', () => peer.doc.getArray('items').length >= 20, 30_000)
    // the end's disconnect event is slow to reach the owner (here: Redis away for a moment), which
    // meanwhile keeps storing and broadcasting the writer's edits, as it must (C4)
    await redis.stop()
    for (const i of cluster.info.instances) await waitFor(`${i.id} degraded`, async () => (await health(i.url)).redis === 'unreachable')
    const ending = fetch(`${other.url}/api/cops/${b.copId}/sessions/${b.sessionId}/end`, { method: 'POST', headers: { authorization: `Bearer ${b.facilitator}`, 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(60_000) })
      .then(async (r) => ({ status: r.status, data: (await r.json()) as any }))
    const seenBefore = peer.doc.getArray('items').length
    await waitFor('the peer sees edits after the end was asked', () => peer.doc.getArray('items').length > seenBefore + 20, 30_000)
    await redis.start()
    const end = await ending
    writing = false
    await loop
    expect(end.status).toBe(200)
    const snapshotId = end.data.snapshot.id as string
    const res = await fetch(`${other.url}/api/cops/${b.copId}/snapshots/${snapshotId}/state.bin`, { headers: { authorization: `Bearer ${b.facilitator}` } })
    expect(res.status).toBe(200)
    const snap = new Y.Doc()
    Y.applyUpdate(snap, new Uint8Array(await res.arrayBuffer()))
    const inSnapshot = new Set(snap.getArray<string>('items').toArray())
    // what the room stored (persist, then broadcast: everything any participant saw) once it settled
    await sleep(2000)
    const stored = docOfLog(await logOf(b.room)).getArray<string>('items').toArray()
    const missing = stored.filter((x) => !inSnapshot.has(x))
    expect(missing, `${missing.length} of ${stored.length} stored edits missing from the final snapshot`).toEqual([])
    expect(peer.doc.getArray<string>('items').toArray().filter((x) => !inSnapshot.has(x))).toEqual([])
  }, 90_000)

  it('C4 Redis stopped: rooms keep working, /healthz says degraded, then recovers and events flow again', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const [c1, c2] = [open(b.room, b.participant), open(b.room, b.participant)]
    await Promise.all([synced(c1), synced(c2)])
    await redis.stop()
    try {
      for (const i of cluster.info.instances) {
        await waitFor(`${i.id} degraded`, async () => {
          const h = await health(i.url)
          return h.status === 'degraded' && h.redis === 'unreachable' && h.ok
        })
      }
      c1.doc.getText('t').insert(0, 'zonder redis')
      await waitFor('edit relayed without Redis', () => c2.text() === 'zonder redis')
      const late = open(b.room, b.participant)
      await synced(late)
      expect(late.text()).toBe('zonder redis')
      late.provider.destroy()
    } finally {
      await redis.start()
    }
    for (const i of cluster.info.instances) await waitFor(`${i.id} healthy again`, async () => (await health(i.url)).status === 'ok', 20_000)
    // cross-instance events work again: a revocation on the non-owner closes the owner's sockets
    await sleep(1000)
    const owner = await ownerInstance(b.room)
    const other = cluster.info.instances.find((i) => i.id !== owner.id)!
    const links = await apiCall(other.url, 'GET', `/cops/${b.copId}/links`, b.facilitator)
    const p = (links.data.links as { id: string; role: string }[]).find((l) => l.role === 'participant')!
    const before = c1.closes.length
    await apiCall(other.url, 'DELETE', `/cops/${b.copId}/links/${p.id}`, b.facilitator)
    await waitFor('owner closed the sockets', () => c1.closes.length > before, 10_000)
    c1.provider.destroy()
    c2.provider.destroy()
  }, 90_000)

  it('C5 §13.3 PostgreSQL unreachable: writers get 4500, nothing acknowledged is lost, nothing doubled after it is back', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const w = open(b.room, b.participant)
    const o = open(b.room, b.participant)
    await Promise.all([synced(w), synced(o)])
    let n = 0
    let writing = true
    const writer = (async () => {
      while (writing) {
        w.doc.getArray<string>('items').push([`e${n++}`])
        await sleep(20)
      }
    })()
    await waitFor('edits flowing', () => o.doc.getArray('items').length >= 10)
    relay.cut()
    // what the observer had seen was broadcast, so it was durable: it must survive
    const seenByObserver = o.doc.getArray<string>('items').toArray()
    await waitFor('writer closed with 4500 STORAGE_UNAVAILABLE', () => w.closes.includes(4500), 20_000)
    await sleep(1000)
    writing = false
    await writer
    relay.restore()
    await Promise.all([synced(w, 40_000), synced(o, 40_000)])
    await waitFor('everything arrived', () => o.doc.getArray('items').length === n, 30_000)
    const log = await logOf(b.room)
    const stored = docOfLog(log).getArray<string>('items').toArray()
    for (const item of seenByObserver) expect(stored).toContain(item)
    expect(stored).toHaveLength(n)
    expect(new Set(stored).size).toBe(n)
    w.provider.destroy()
    o.provider.destroy()
  }, 120_000)

  it('C6 SIGKILL of the owner under load: every client reconnects through the proxy to the survivor, which has every update any client saw, nothing doubled', async () => {
    const b = await newBoard(cluster.info.proxyUrl)
    const cs = [0, 1, 2, 3].map(() => open(b.room, b.participant))
    await Promise.all(cs.map((c) => synced(c)))
    const owner = await ownerInstance(b.room)
    const survivor = cluster.info.instances.find((i) => i.id !== owner.id)!
    const pushed: string[] = []
    let writing = true
    const writers = cs.map(async (c, i) => {
      for (let k = 0; writing; k++) {
        const item = `c${i}-${k}`
        c.doc.getArray<string>('items').push([item])
        pushed.push(item)
        await sleep(25)
      }
    })
    await sleep(800)
    // every update any client has seen from the server (others' items in its doc)
    const seen = new Set<string>()
    cs.forEach((c, i) => c.doc.getArray<string>('items').toArray().forEach((x) => !x.startsWith(`c${i}-`) && seen.add(x)))
    process.kill(owner.pid, 'SIGKILL')
    await sleep(1000)
    writing = false
    await Promise.all(writers)
    await waitFor('survivor owns the room', async () => (await ownerOf(b.room)) === `copboard:${survivor.id}`, 30_000)
    await Promise.all(cs.map((c) => synced(c, 30_000)))
    // a fresh client's first sync holds every update any client had seen
    const fresh = open(b.room, b.participant)
    await synced(fresh)
    const first = new Set(fresh.doc.getArray<string>('items').toArray())
    for (const x of seen) expect(first.has(x), x).toBe(true)
    await waitFor('all converged', () => [...cs, fresh].every((c) => c.doc.getArray('items').length === pushed.length), 30_000)
    const items = fresh.doc.getArray<string>('items').toArray()
    expect(new Set(items).size).toBe(pushed.length)
    expect((await health(survivor.url)).connections).toBe(5)
    // the durable log holds each item once (a struct may be stored twice when a reconnecting
    // client's sync step 2 races its own queued update: Yjs applies it once, compaction folds it)
    const stored = docOfLog(await logOf(b.room)).getArray<string>('items').toArray()
    expect(stored).toHaveLength(pushed.length)
    expect(new Set(stored).size).toBe(pushed.length)
  }, 120_000)
})
