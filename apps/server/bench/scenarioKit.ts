/**
 * What every measure of issue 12 shares: the run's configuration, the server window (its CPU and
 * scheduler figures over a run) and who limited it, and a server started and stopped around a run.
 */
import { startServer, type RunningServer, type ServerKind } from './servers.js'
import type { GenCpu } from './loadgen.js'

export interface BenchConfig {
  quick: boolean
  seconds: number
  /** Delivery: the same load runs this long before each measured window (JIT and caches warm). */
  warmSeconds: number
  /** Delivery: the warm-up sends up to this many times the load's rate (bounded, `warmRate`). */
  warmSpeedup: number
  threads: number
  bundle: string
}

export const clock = () => performance.timeOrigin + performance.now()

/**
 * Who set the pace of a measured window. A thread is the limit when it was on a CPU nearly all
 * the time (busy ≥ 85 % of the wall clock): the generator when its busiest thread was, the server
 * when its main thread was. The machine is the limit when either of them was runnable but kept
 * waiting for a CPU ≥ 25 % of the time (other processes on the 2 cores): then nobody's figure is
 * its own. "none": nobody was saturated (latency is the server's own).
 */
export function whoLimits(gen: GenCpu, server: { busyPct: number; waitPct: number }): string {
  const limits: string[] = []
  if (gen.busiestPct >= 85) limits.push('generator')
  if (server.busyPct >= 85) limits.push('server')
  if (gen.waitPct >= 25 || server.waitPct >= 25) limits.push('machine')
  return limits.join('+') || 'none'
}

/** The server's main thread over a window, from its schedstat. */
export function serverWindow(server: RunningServer) {
  const s0 = server.schedMs()
  const t0 = performance.now()
  return () => {
    const s = server.schedMs()
    const wall = performance.now() - t0
    return { busyPct: ((s.run - s0.run) / wall) * 100, waitPct: ((s.wait - s0.wait) / wall) * 100 }
  }
}

/** The figures every window reports beside its own. */
export function limitFigures(g: GenCpu, srv: { busyPct: number; waitPct: number }) {
  const limit = whoLimits(g, srv)
  return {
    generatorCpuPct: g.pct,
    generatorBusiestThreadPct: g.busiestPct,
    generatorWaitPct: g.waitPct,
    serverBusyPct: srv.busyPct,
    serverWaitPct: srv.waitPct,
    limit,
    generatorLimited: limit.includes('generator'),
    machineLimited: limit.includes('machine'),
  }
}

export async function withServer<T>(kind: ServerKind, cfg: BenchConfig, rooms: number, env: Record<string, string>, fn: (s: RunningServer) => Promise<T>): Promise<T> {
  const s = await startServer(kind, cfg.bundle, { rooms, env })
  try {
    return await fn(s)
  } finally {
    await s.stop()
  }
}


/** The warm-up stays under these (the 2 cores are shared with the generator). */
export const WARM_MAX_DELIVERIES_PER_SEC = 40_000
export const WARM_MAX_EDITS_PER_SEC = 2_000

/**
 * Edits per second and writer during a delivery run's warm-up: up to `speedup` times the load's
 * own rate while its deliveries and edits stay under the caps above (1 x 30: 10x, 100 x 10: 2x,
 * 1 x 200: 2x).
 */
export function warmRate(load: { rooms: number; clientsPerRoom: number; writersPerRoom: number; rate: number }, speedup: number): number {
  const editsPerSec = load.rooms * load.writersPerRoom * load.rate
  const fits = Math.min(Math.floor(WARM_MAX_DELIVERIES_PER_SEC / (editsPerSec * (load.clientsPerRoom - 1))), Math.floor(WARM_MAX_EDITS_PER_SEC / editsPerSec))
  return load.rate * Math.max(1, Math.min(speedup, fits))
}
