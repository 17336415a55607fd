/**
 * Repeatable measure of the server's own work per delivery (issue 12), without the network: a
 * RoomManager as app.ts builds it (real SQLite storage behind the metrics wrapper, the board
 * policy, the awareness filter) driven in-process by fake sockets. Writers send the load
 * generator's pre-encoded "move a note" frames (bench/wire.ts); each write is awaited until every
 * other client of its room got it, so every write is its own batch (the 1 × 30 pattern).
 *
 * Not part of the tests. Run it under callgrind (instructions are repeatable on a loaded machine):
 *   node bench/hotpath-build.mjs && valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p \
 *     node dist/hotpath.js 1x30 400
 * and subtract a run with fewer moves to remove start-up: (I(m2) - I(m1)) / (deliveries2 - deliveries1).
 * Env HOTPATH_SCHEMA=1 stamps the board schema into meta first (a board the web client opened);
 * HOTPATH_PRESENCE=1 has every client announce a tldraw presence first (as the web client does:
 * the awareness filter then holds the board's zones while the edits run).
 *
 * Figures (1x30, callgrind, instructions of the 150 -> 300 moves difference, 750 writes / 21,750
 * deliveries): before issue-12 work 75.1k per delivery (2.18M per write); with the policy fast path
 * on unstamped boards and §5.6 forwarding 71.7k (2.08M per write).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStorage } from '@copboard/storage'
import { RoomManager, type SyncConnection, type SyncSocket } from '@copboard/sync-core'
import { boardSchema } from '@copboard/policy'
import { writeDocSchema } from "@copboard/board"
import { boardRules } from '../src/policy.js'
import { Metrics } from '../src/cluster/metrics.js'
import { awarenessFrame, syncStep1Empty, syncStep2Empty, writerFrames } from './wire.js'

const shapes: Record<string, { rooms: number; clients: number; writers: number }> = {
  '1x30': { rooms: 1, clients: 30, writers: 5 },
  '100x10': { rooms: 100, clients: 10, writers: 1 },
  '1x200': { rooms: 1, clients: 200, writers: 20 },
}
const shapeName = process.argv[2] ?? '1x30'
const shape = shapes[shapeName]
const movesPerWriter = Number(process.argv[3] ?? 100)
/** Writes handed in before awaiting their delivery (1: every write its own batch). */
const perTurn = Number(process.env.HOTPATH_PER_TURN ?? 1)

let delivered = 0
let deliveredBytes = 0

class FakeSocket implements SyncSocket {
  open = true
  bufferedAmount = 0
  isOpen(): boolean {
    return this.open
  }
  send(data: Uint8Array): void {
    delivered++
    deliveredBytes += data.byteLength
  }
  close(): void {
    this.open = false
  }
  cork(): void {}
  uncork(): void {}
  pause(): void {}
  resume(): void {}
}

/**
 * HOTPATH_ALLOC_PROF=<file>: V8's sampling heap profile of the moves, including objects the GC
 * already collected (what the young generation churns through), for Chrome DevTools or a script.
 */
async function startAllocationSampling(): Promise<() => Promise<unknown>> {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))))
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  return async () => (await post('HeapProfiler.stopSampling')).profile
}

const turn = () => new Promise<void>((r) => setImmediate(r))
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 10_000) throw new Error('deliveries never arrived')
    await turn()
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'copboard-hotpath-'))
  const storage = await openStorage({ dataDir })
  const metrics = new Metrics('hotpath', () => rooms)
  // ablations (to attribute the cost): HOTPATH_NO_POLICY=1, HOTPATH_NO_STORAGE=1 (appends resolve at once)
  const appendOff = process.env.HOTPATH_NO_STORAGE === '1'
  const timed = metrics.timedStorage(storage)
  const board = boardRules()
  const rooms: RoomManager = new RoomManager({
    storage: appendOff ? Object.assign(Object.create(timed), { appendUpdates: async () => {} }) : timed,
    policy: process.env.HOTPATH_NO_POLICY === '1' ? undefined : board.policy,
    filterAwareness: process.env.HOTPATH_NO_POLICY === '1' ? undefined : board.filterAwareness,
    limits: { maxConnectionsPerAddress: 0, maxConnectionsPerRoom: 1000 },
  })
  const names = Array.from({ length: shape.rooms }, (_, i) => `hotpath-${i}`)
  if (process.env.HOTPATH_SCHEMA === '1') {
    for (const name of names) await rooms.transact(name, (doc) => writeDocSchema(doc, boardSchema()))
  }
  const writers: { conn: SyncConnection; moves: Uint8Array[] }[] = []
  for (const [r, name] of names.entries()) {
    for (let c = 0; c < shape.clients; c++) {
      const conn = rooms.connect(new FakeSocket(), name, { info: { role: 'participant', participantId: null, address: '127.0.0.1' }, address: '127.0.0.1' })
      conn.receive(syncStep1Empty('y-websocket', name))
      conn.receive(syncStep2Empty('y-websocket', name))
      if (process.env.HOTPATH_PRESENCE === '1') {
        const presence = { currentPageId: 'page:page', cursor: { x: 10 * c, y: 20, type: 'default', rotation: 0 }, selectedShapeIds: [], meta: {} }
        conn.receive(awarenessFrame('y-websocket', name, 10_000 + r * shape.clients + c, 1, { presence }))
      }
      if (c < shape.writers) {
        const w = writerFrames('y-websocket', name, r * shape.writers + c, movesPerWriter)
        conn.receive(w.setup)
        writers.push({ conn, moves: w.moves })
      }
    }
  }
  // every room loaded, every setup persisted and broadcast
  for (const name of names) await rooms.encodeState(name)
  for (let i = 0; i < 10; i++) await turn()
  delivered = 0
  // writers take turns, room after room (as the load generator's phases spread them)
  const order: { conn: SyncConnection; frame: Uint8Array }[] = []
  for (let k = 0; k < movesPerWriter; k++) for (const w of writers) order.push({ conn: w.conn, frame: w.moves[k] })
  const allocProfile = process.env.HOTPATH_ALLOC_PROF ? await startAllocationSampling() : null
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < order.length; i += perTurn) {
    const batch = order.slice(i, i + perTurn)
    for (const { conn, frame } of batch) conn.receive(frame)
    const expected = delivered + batch.length * (shape.clients - 1)
    await until(() => delivered >= expected)
  }
  const cpu = process.cpuUsage(cpu0)
  const ms = performance.now() - t0
  if (allocProfile) writeFileSync(process.env.HOTPATH_ALLOC_PROF!, JSON.stringify(await allocProfile()))
  const expected = order.length * (shape.clients - 1)
  if (delivered !== expected) throw new Error(`delivered ${delivered} of ${expected}`)
  console.log(
    JSON.stringify({
      shape: shapeName,
      writes: order.length,
      deliveries: delivered,
      bytes: deliveredBytes,
      ms: Math.round(ms),
      cpuUsPerDelivery: +(((cpu.user + cpu.system) / delivered)).toFixed(2),
    }),
  )
  await rooms.close()
  await storage.close()
  rmSync(dataDir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
