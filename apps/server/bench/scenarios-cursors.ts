/**
 * A CoP board as people use it: besides the edits of the CoP load (1 × 30, 5 writers × 10/s), ten
 * participants move their mouse over the board, each announcing a tldraw presence 20 times a second
 * (copboard's web client sends one per animation frame while the pointer moves), and every client
 * sends each awareness change it receives back, as the stock y-websocket provider does. Cursors are
 * the most visible live part of a whiteboard; they are most of its messages too. Reported, not a
 * goal of issue 12: cursor and edit latency, and the server's CPU for all of it.
 */
import { LoadGen, percentile, type ClientPlan } from './loadgen.js'
import { serverWindow, limitFigures, withServer, type BenchConfig } from './scenarioKit.js'
import { sleep, type ServerKind } from './servers.js'

export const CURSOR_LOAD = { clients: 30, writers: 5, rate: 10, cursors: 10, cursorHz: 20 }

export async function cursors(kind: ServerKind, cfg: BenchConfig) {
  return withServer(kind, cfg, 1, {}, async (server) => {
    const { clients, writers, rate, cursors: movers, cursorHz } = CURSOR_LOAD
    const period = 1000 / rate
    const cursorMs = 1000 / cursorHz
    // the same load warms every server first (unmeasured), as the delivery runs do
    const windowSeconds = cfg.warmSeconds + cfg.seconds
    const moves = Math.ceil(Math.max(rate, cursorHz) * windowSeconds) + 5
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, writers, moves, movers)
    try {
      const room = server.rooms[0]
      const plans: ClientPlan[] = Array.from({ length: clients }, (_, i) => ({
        ...room,
        writer: i < writers ? { index: i, phaseMs: (i * period) / writers, moves } : undefined,
        cursor: i >= writers && i < writers + movers ? { index: i - writers, everyMs: cursorMs, phaseMs: ((i - writers) * cursorMs) / movers } : undefined,
        watchCursors: true,
        echoAwareness: true,
      }))
      const conn = await gen.connect(plans)
      if (conn.failed) throw new Error(`${conn.failed} clients failed to connect: ${conn.errors.join('; ')}`)
      await sleep(500)
      if (cfg.warmSeconds > 0) {
        gen.start(period, cfg.warmSeconds)
        await sleep(cfg.warmSeconds * 1000)
        gen.stop()
        await gen.drain(clients - 1)
      }
      const cpu0 = server.cpuMs()
      const t0 = performance.now()
      const srv = serverWindow(server)
      gen.start(period, cfg.seconds, cfg.warmSeconds > 0)
      await sleep(cfg.seconds * 1000)
      gen.stop()
      // the window ends with the last delivery (the quiet wait after it is idle time)
      const lastDelivery = await gen.drain(clients - 1)
      const elapsed = lastDelivery - t0
      const cpu = server.cpuMs() - cpu0
      const g = await gen.cpu()
      const sched = srv()
      const r = await gen.report()
      return {
        cursorP50: percentile(r.cursorLatencies, 50),
        cursorP99: percentile(r.cursorLatencies, 99),
        // every move reaches the 29 others (a server may skip a move overtaken by the next one)
        cursorDeliveredOfSent: r.cursorLatencies.length / Math.max(1, r.cursorMovesSent * (clients - 1)),
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        deliveredOfSent: r.latencies.length / Math.max(1, r.sent * (clients - 1)),
        serverCpuPct: (cpu / elapsed) * 100,
        awarenessFramesPerClientPerSec: r.awarenessIn / clients / cfg.seconds,
        writesSent: r.sent,
        writesPlanned: r.planned,
        dropped: r.dropped,
        ...limitFigures(g, sched),
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}
