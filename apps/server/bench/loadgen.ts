/**
 * The load generator: worker threads (bench/loadgen-worker.mjs) in this process holding raw `ws`
 * clients. Its CPU is this process's CPU over the measured window (the coordinator idles then).
 */
import { Worker } from 'node:worker_threads'
import { MOVE_CLOCK_STRIDE, WRITER_CLIENT_BASE, awarenessFrame, authFrame, syncStep1Empty, syncStep2Empty, writerFrames, type Dialect } from './wire.js'

export interface ClientPlan {
  url: string
  doc: string
  /** hocuspocus needs a token message (any string: no auth extension). */
  writer?: { index: number; phaseMs: number; moves: number }
  /** Awareness: initial state, renewed every renewMs (0 = never). */
  awareness?: { clientID: number; renewMs: number; renewPhaseMs: number; renewals: number }
  /** Storm: wait until this many distinct awareness client ids were seen. */
  expectAwareness?: number
  /** Sent right after connecting (e.g. a board to load). */
  setup?: Uint8Array
}

interface Reply {
  t: string
  [k: string]: unknown
}

export class LoadGen {
  private readonly workers: Worker[]
  private readonly queues: ((m: Reply) => void)[][]
  readonly sendTimes: Float64Array
  readonly firstClocks: Float64Array
  private cpu0 = process.cpuUsage()
  private t0 = performance.now()

  constructor(
    readonly dialect: Dialect,
    readonly relay: boolean,
    threads: number,
    readonly maxWriters: number,
    readonly maxSeq: number,
  ) {
    this.sendTimes = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxWriters * maxSeq)))
    this.firstClocks = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxWriters)))
    this.workers = []
    this.queues = []
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./loadgen-worker.mjs', import.meta.url), {
        workerData: {
          dialect,
          sendTimes: this.sendTimes,
          firstClocks: this.firstClocks,
          maxSeq,
          writerBase: WRITER_CLIENT_BASE,
          stride: MOVE_CLOCK_STRIDE,
        },
        execArgv: [],
      })
      const q: ((m: Reply) => void)[] = []
      w.on('message', (m: Reply) => {
        if (m.t === 'error') throw new Error(`load generator: ${m.message}`)
        q.shift()?.(m)
      })
      w.on('error', (err) => {
        throw err
      })
      this.workers.push(w)
      this.queues.push(q)
    }
  }

  private ask(i: number, m: unknown, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return new Promise((resolve) => {
      this.queues[i].push(resolve)
      this.workers[i].postMessage(m, transfer)
    })
  }

  /** Resolves once every thread runs (its start-up is not part of a measure). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'ping' })))
  }

  /** Builds every client's frames here (not while measuring), spreads clients round robin. */
  async connect(plans: ClientPlan[], batch = 25): Promise<{ failed: number; errors: string[] }> {
    const per: unknown[][] = this.workers.map(() => [])
    for (const [i, p] of plans.entries()) {
      const spec: Record<string, unknown> = {
        url: p.url,
        step1: syncStep1Empty(this.dialect, p.doc),
        step2: syncStep2Empty(this.dialect, p.doc),
        relay: this.relay,
        setup: p.setup,
        expectAwareness: p.expectAwareness,
        ownId: p.awareness?.clientID,
      }
      if (this.dialect === 'hocuspocus') spec.auth = authFrame(p.doc, 'bench')
      if (p.writer) {
        const f = writerFrames(this.dialect, p.doc, p.writer.index, p.writer.moves)
        this.firstClocks[p.writer.index] = f.firstClock
        spec.setup = f.setup
        spec.writer = { index: p.writer.index, phaseMs: p.writer.phaseMs, moves: f.moves }
      }
      if (p.awareness) {
        const a = p.awareness
        const state = { user: { name: `Deelnemer ${a.clientID}`, color: '#1c7ed6', perspective: 'gemeente' }, cursor: { x: 10, y: 20 } }
        spec.awareness = Array.from({ length: a.renewals + 1 }, (_, k) => awarenessFrame(this.dialect, p.doc, a.clientID, k + 1, state))
        spec.renewMs = a.renewMs
        spec.renewPhaseMs = a.renewPhaseMs
      }
      per[i % this.workers.length].push(spec)
    }
    const replies = await Promise.all(per.map((clients, i) => this.ask(i, { t: 'connect', clients, batch })))
    return {
      failed: replies.reduce((a, r) => a + (r.failed as number), 0),
      errors: replies.flatMap((r) => r.errors as string[]),
    }
  }

  /** Starts the measured window (generator CPU counted from here). */
  start(period: number): void {
    this.sendTimes.fill(0)
    this.cpu0 = process.cpuUsage()
    this.t0 = performance.now()
    for (const w of this.workers) w.postMessage({ t: 'start', period })
  }

  stop(): void {
    for (const w of this.workers) w.postMessage({ t: 'stop' })
  }

  /** Generator CPU since start(), ms and % of one core. */
  cpu(): { ms: number; pct: number } {
    const u = process.cpuUsage(this.cpu0)
    const ms = (u.user + u.system) / 1000
    return { ms, pct: (ms / (performance.now() - this.t0)) * 100 }
  }

  markCpu(): void {
    this.cpu0 = process.cpuUsage()
    this.t0 = performance.now()
  }

  /** `sent`: writes actually sent (timers of a busy generator fire late, so fewer than planned). */
  async report(): Promise<{ latencies: number[]; dropped: number; sent: number; errors: string[] }> {
    const replies = await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'report' })))
    const latencies: number[] = []
    for (const r of replies) for (const x of r.latencies as Float64Array) latencies.push(x)
    latencies.sort((a, b) => a - b)
    return {
      latencies,
      dropped: replies.reduce((a, r) => a + (r.dropped as number), 0),
      sent: replies.reduce((a, r) => a + (r.sent as number), 0),
      errors: replies.flatMap((r) => r.errors as string[]),
    }
  }

  /** Storm: per client, when it was synced and when it had seen every awareness state. */
  async awareness(timeoutMs: number): Promise<{ syncedAt: number[]; awarenessDoneAt: number[] }> {
    const replies = await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'waitAwareness', timeoutMs })))
    return {
      syncedAt: replies.flatMap((r) => r.syncedAt as number[]),
      awarenessDoneAt: replies.flatMap((r) => r.awarenessDoneAt as number[]),
    }
  }

  async closeClients(): Promise<void> {
    await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'close' })))
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
