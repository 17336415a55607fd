/**
 * The traffic measures of issue 12, one function each: CPU per delivery and latency, late join,
 * connect storm, 500 in one room. Each starts its own server process and load generator and
 * returns plain figures (the report turns them into the table); memory ones: scenarios-memory.ts.
 */
import WebSocket from 'ws'
import { LoadGen, percentile, type ClientPlan } from './loadgen.js'
import { procThreadCpuMs, sleep, threadCpuDelta, type RunningServer, type ServerKind } from './servers.js'
import { boardUpdate, syncStep1Empty, syncStep2Empty, authFrame, updateFrame } from './wire.js'
import { clock, limitFigures, serverWindow, warmRate, withServer, type BenchConfig } from './scenarioKit.js'

// ------------------------------------------------------------ CPU per delivery and latency

export interface Load {
  name: string
  rooms: number
  clientsPerRoom: number
  writersPerRoom: number
  rate: number
}
export const LOADS: Load[] = [
  { name: '1 × 30 (5 writers × 10/s)', rooms: 1, clientsPerRoom: 30, writersPerRoom: 5, rate: 10 },
  { name: '100 × 10 (1 writer × 10/s per room)', rooms: 100, clientsPerRoom: 10, writersPerRoom: 1, rate: 10 },
  { name: '1 × 200 (20 writers × 5/s)', rooms: 1, clientsPerRoom: 200, writersPerRoom: 20, rate: 5 },
]

export async function delivery(kind: ServerKind, load: Load, cfg: BenchConfig) {
  return withServer(kind, cfg, load.rooms, {}, async (server) => {
    const period = 1000 / load.rate
    const warmPerSec = warmRate(load, cfg.warmSpeedup)
    const warmMoves = Math.ceil(warmPerSec * cfg.warmSeconds)
    const moves = warmMoves + Math.ceil(load.rate * cfg.seconds) + 5
    const writers = load.rooms * load.writersPerRoom
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, writers, moves)
    try {
      const plans: ClientPlan[] = []
      let w = 0
      for (const room of server.rooms) {
        for (let c = 0; c < load.clientsPerRoom; c++) {
          const writer = c < load.writersPerRoom ? { index: w, phaseMs: (w * period) / writers, moves } : undefined
          if (writer) w++
          plans.push({ ...room, writer })
        }
      }
      const conn = await gen.connect(plans)
      if (conn.failed) throw new Error(`${conn.failed} clients failed to connect: ${conn.errors.join('; ')}`)
      await sleep(500)
      // steady state, as a server that has run for a while: the same load first warms the JIT and
      // the caches of every server alike (unmeasured; its late deliveries are not counted). 12 s,
      // not 4: V8's memory reducer runs three full collections ~8 s after a process starts (and
      // then only after a regular full collection, minutes apart at these loads); with 4 s they
      // fell into the window and cost copboard, whose heap is the largest, ~20 % more CPU per
      // delivery than in its steady state (1 x 30, 2026-11-30: 48.3 vs 39.7 us; with 20 s of
      // warm-up the same server with the reducer off measured 38.8 vs 39.7). Faster than the load
      // itself (`warmRate`): at 50 edits/s V8 was still compiling the edit path (Yjs' integrate,
      // transact, the policy) 30 s into a run, and its helper threads' compiling was a third of
      // copboard's CPU in the window (1 x 30, 2026-11-30: 540 of 1,450 ms; with a 10x warm-up 10)
      if (warmMoves > 0) {
        gen.start(1000 / warmPerSec, cfg.warmSeconds)
        await sleep(cfg.warmSeconds * 1000)
        gen.stop()
        await gen.drain(load.clientsPerRoom - 1)
      }
      const cpu0 = server.cpuMs()
      const threads0 = process.env.BENCH_CPU_SPLIT ? procThreadCpuMs(server.pid) : null
      const t0 = performance.now()
      const srv = serverWindow(server)
      gen.start(period, cfg.seconds, warmMoves > 0)
      await sleep(cfg.seconds * 1000)
      gen.stop()
      await gen.drain(load.clientsPerRoom - 1) // a loaded machine's backlog still counts
      const elapsed = performance.now() - t0
      const cpu = server.cpuMs() - cpu0
      if (threads0) console.log(kind, load.name, 'server CPU ms by thread:', threadCpuDelta(threads0, procThreadCpuMs(server.pid)))
      const g = await gen.cpu()
      const sched = srv()
      const r = await gen.report()
      if (process.env.BENCH_LAT_HIST) console.log(kind, [10, 25, 50, 75, 90, 95, 97, 98, 99, 99.5, 99.9, 100].map((q) => `p${q} ${percentile(r.latencies, q).toFixed(2)}`).join(' '))
      const expected = writers * load.rate * (load.clientsPerRoom - 1)
      const deliveriesPerSec = r.latencies.length / cfg.seconds
      // every write sent reaches every other client of its room (nothing may be lost)
      const complete = r.latencies.length / Math.max(1, r.sent * (load.clientsPerRoom - 1))
      return {
        cpuUsPerDelivery: (cpu * 1000) / Math.max(1, r.latencies.length),
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        deliveriesPerSec,
        expectedPerSec: expected,
        serverCpuPct: (cpu / elapsed) * 100,
        writesSent: r.sent,
        writesPlanned: r.planned,
        // sends on an absolute schedule: how late they went out (a saturated or starved generator)
        sendLagMeanMs: r.lagMeanMs,
        sendLagMaxMs: r.lagMaxMs,
        deliveredOfSent: complete,
        ...limitFigures(g, sched),
        rssMiB: server.rssMiB(),
        dropped: r.dropped,
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}

// ------------------------------------------------------------ late join

/** 800 valid tldraw notes of 25 fields each (the board policy refuses invalid records): 20,000 Y.Map entries. */
export const LATE_JOIN_NOTES = 800

/** One raw client: open, greet, time until the server's step 2 (the whole board) arrived. */
function joinOnce(server: RunningServer, room: { url: string; doc: string }): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = clock()
    const ws = new WebSocket(room.url, { perMessageDeflate: false })
    const hp = server.dialect === 'hocuspocus'
    ws.on('open', () => {
      if (hp) ws.send(authFrame(room.doc, 'bench'))
      ws.send(syncStep1Empty(server.dialect, room.doc))
    })
    ws.on('message', (buf: Buffer) => {
      let pos = 0
      if (hp) pos = 1 + buf[0] // document names here are < 128 bytes
      if ((buf[pos] === 0 || buf[pos] === 4) && buf[pos + 1] === 0) ws.send(syncStep2Empty(server.dialect, room.doc))
      if ((buf[pos] === 0 || buf[pos] === 4) && buf[pos + 1] === 1) {
        resolve({ ms: clock() - t0, bytes: buf.length })
        ws.terminate()
      }
    })
    ws.on('error', reject)
  })
}

export async function lateJoin(kind: ServerKind, cfg: BenchConfig) {
  return withServer(kind, cfg, 1, {}, async (server) => {
    const gen = new LoadGen(server.dialect, server.relay, 1, 0, 0)
    try {
      const room = server.rooms[0]
      // a participant who stays (keeps the room loaded), having written the board
      const board = boardUpdate(LATE_JOIN_NOTES)
      const conn = await gen.connect([{ ...room, setup: updateFrame(server.dialect, room.doc, board) }])
      if (conn.failed) throw new Error(conn.errors.join('; '))
      let bytes = 0
      // wait until the server holds the whole board (a joiner gets it in full)
      for (let i = 0; ; i++) {
        const j = await joinOnce(server, room)
        bytes = j.bytes
        if (bytes > 0.9 * board.length || i > 50) break
        await sleep(100)
      }
      const joins = cfg.quick ? 5 : 15
      const times: number[] = []
      const cpu0 = server.cpuMs()
      // the joiners are `ws` clients in this (the coordinator's) thread: its CPU is the generator's
      const gen0 = process.cpuUsage()
      for (let i = 0; i < joins; i++) times.push((await joinOnce(server, room)).ms)
      const genCpu = process.cpuUsage(gen0)
      const cpu = server.cpuMs() - cpu0
      times.sort((a, b) => a - b)
      return {
        medianMs: percentile(times, 50),
        firstMs: times[0],
        joins,
        stateKiB: bytes / 1024,
        serverCpuMsPerJoin: cpu / joins,
        generatorCpuMsPerJoin: (genCpu.user + genCpu.system) / 1000 / joins,
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}

// ------------------------------------------------------------ connect storm

export async function storm(kind: ServerKind, cfg: BenchConfig, n = 500) {
  return withServer(kind, cfg, 1, {}, async (server) => {
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, 0, 0)
    try {
      const room = server.rooms[0]
      const plans: ClientPlan[] = Array.from({ length: n }, (_, i) => ({
        ...room,
        awareness: { clientID: 1 + i, renewMs: 0, renewPhaseMs: 0, renewals: 0 },
        expectAwareness: n - 1,
        echoAwareness: true,
      }))
      await gen.ready()
      const cpu0 = server.cpuMs()
      await gen.markCpu()
      const srv = serverWindow(server)
      const t0 = clock()
      const conn = await gen.connect(plans, Infinity)
      const a = await gen.awareness(60_000)
      const g = await gen.cpu()
      const sched = srv()
      const cpu = server.cpuMs() - cpu0
      const complete = a.awarenessDoneAt.filter((x) => x > 0).length
      return {
        allSyncedMs: Math.max(...a.syncedAt) - t0,
        allAwarenessMs: complete === n ? Math.max(...a.awarenessDoneAt) - t0 : NaN,
        failed: conn.failed,
        incompleteAwareness: n - complete,
        serverCpuMs: cpu,
        // awareness frames each client received (and, being a stock client, sent back)
        awarenessFramesPerClient: a.awarenessIn / n,
        generatorCpuMs: g.ms,
        ...limitFigures(g, sched),
        rssMiB: server.rssMiB(),
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}

// ------------------------------------------------------------ 500 participants in one room

export async function crowd(kind: ServerKind, cfg: BenchConfig, n = 500, writers = 20) {
  return withServer(kind, cfg, 1, {}, async (server) => {
    const seconds = cfg.quick ? 8 : 20
    const rate = 5
    const period = 1000 / rate
    const moves = rate * seconds + 5
    const renewMs = 15_000 // y-protocols' renewal period
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, writers, moves)
    try {
      const room = server.rooms[0]
      const plans: ClientPlan[] = Array.from({ length: n }, (_, i) => ({
        ...room,
        writer: i < writers ? { index: i, phaseMs: (i * period) / writers, moves } : undefined,
        awareness: { clientID: 1 + i, renewMs, renewPhaseMs: (i * renewMs) / n, renewals: Math.ceil(seconds / 15) + 1 },
        echoAwareness: true,
      }))
      const c0 = clock()
      const conn = await gen.connect(plans)
      const connectMs = clock() - c0
      await sleep(500)
      let rssMax = server.rssMiB()
      const sampler = setInterval(() => (rssMax = Math.max(rssMax, server.rssMiB())), 250)
      const cpu0 = server.cpuMs()
      const t0 = performance.now()
      const srv = serverWindow(server)
      gen.start(period, seconds)
      await sleep(seconds * 1000)
      gen.stop()
      await gen.drain(n - 1, 1000, 30_000)
      clearInterval(sampler)
      const cpu = server.cpuMs() - cpu0
      const g = await gen.cpu()
      const sched = srv()
      const r = await gen.report()
      return {
        failedConnects: conn.failed,
        dropped: r.dropped,
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        deliveriesPerSec: r.latencies.length / seconds,
        expectedPerSec: writers * rate * (n - 1),
        connectMs,
        rssMaxMiB: rssMax,
        serverCpuPct: (cpu / (performance.now() - t0)) * 100,
        writesSent: r.sent,
        writesPlanned: r.planned,
        sendLagMeanMs: r.lagMeanMs,
        sendLagMaxMs: r.lagMaxMs,
        awarenessFramesPerClientPerSec: r.awarenessIn / n / seconds,
        // what the full planned load would take, from the CPU each took per delivery made here:
        // above 100 % that one cannot keep up even on an idle machine (it is the bottleneck)
        serverCoreNeededPct: (sched.busyPct * writers * rate * (n - 1)) / Math.max(1, r.latencies.length / seconds),
        generatorThreadNeededPct: (g.busiestPct * writers * rate * (n - 1)) / Math.max(1, r.latencies.length / seconds),
        ...limitFigures(g, sched),
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}
