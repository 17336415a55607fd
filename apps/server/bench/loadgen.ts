/**
 * The load generator: worker threads (bench/loadgen-worker.mjs) in this process holding raw
 * WebSocket clients (bench/rawws.mjs). Its CPU is this process's CPU over the measured window (the
 * coordinator idles then); each thread also reports its own time on CPU and its time waiting for
 * one (Linux schedstat), which says whether the generator or the machine was the limit.
 */
import { Worker } from 'node:worker_threads'
import { CURSOR_CLIENT_BASE, MOVE_CLOCK_STRIDE, WRITER_CLIENT_BASE, awarenessFrame, authFrame, cursorState, syncStep1Empty, syncStep2Empty, writerFrames, type Dialect } from './wire.js'

export interface ClientPlan {
  url: string
  doc: string
  /** hocuspocus needs a token message (any string: no auth extension). */
  writer?: { index: number; phaseMs: number; moves: number }
  /** Awareness: initial state, renewed every renewMs (0 = never). */
  awareness?: { clientID: number; renewMs: number; renewPhaseMs: number; renewals: number }
  /**
   * A cursor mover (cursor i of `LoadGen`'s maxCursors): its awareness client id is
   * CURSOR_CLIENT_BASE + index and every renewal moves its tldraw presence cursor (replaces `awareness`).
   */
  cursor?: { index: number; everyMs: number; phaseMs: number }
  /** Measure the latency of the cursors' moves this client receives. */
  watchCursors?: boolean
  /** Storm: wait until this many distinct awareness client ids were seen. */
  expectAwareness?: number
  /** Sent right after connecting (e.g. a board to load). */
  setup?: Uint8Array
  /** Send every awareness frame received back, as the stock y-websocket provider does. */
  echoAwareness?: boolean
}

/** The generator's threads over a window: CPU of the whole process, and per thread its busy and run-queue share. */
export interface GenCpu {
  /** Process CPU (all threads), ms and % of one core. */
  ms: number
  pct: number
  /** Busiest thread: time on CPU / wall, % (≈ 100: that thread was saturated). */
  busiestPct: number
  /** Event-loop utilisation of the busiest loop, % (time not waiting for I/O). */
  eluPct: number
  /** Worst thread: time runnable but waiting for a CPU / wall, % (high: the machine starved it). */
  waitPct: number
}

interface Reply {
  t: string
  [k: string]: unknown
}

interface ThreadCpu {
  wallMs: number
  runMs: number
  waitMs: number
  elu: number
}

export class LoadGen {
  private readonly workers: Worker[]
  private readonly queues: ((m: Reply) => void)[][]
  readonly sendTimes: Float64Array
  readonly firstClocks: Float64Array
  /** Cursor i's move k was sent at cursorSendTimes[i * maxSeq + k]. */
  readonly cursorSendTimes: Float64Array
  private cpu0 = process.cpuUsage()
  private t0 = performance.now()

  constructor(
    readonly dialect: Dialect,
    readonly relay: boolean,
    threads: number,
    readonly maxWriters: number,
    readonly maxSeq: number,
    readonly maxCursors = 0,
  ) {
    this.sendTimes = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxWriters * maxSeq)))
    this.cursorSendTimes = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxCursors * maxSeq)))
    this.firstClocks = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxWriters)))
    this.workers = []
    this.queues = []
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./loadgen-worker.mjs', import.meta.url), {
        workerData: {
          dialect,
          sendTimes: this.sendTimes,
          firstClocks: this.firstClocks,
          cursorSendTimes: this.cursorSendTimes,
          maxCursors,
          cursorBase: CURSOR_CLIENT_BASE,
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
        echoAwareness: p.echoAwareness ?? false,
        watchCursors: p.watchCursors ?? false,
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
      if (p.cursor) {
        // move k (from 0) is the frame after the first, at clock k + 2
        const id = CURSOR_CLIENT_BASE + p.cursor.index
        spec.ownId = id
        spec.awareness = Array.from({ length: this.maxSeq + 1 }, (_, k) => awarenessFrame(this.dialect, p.doc, id, k + 1, cursorState(id, k)))
        spec.renewMs = p.cursor.everyMs
        spec.renewPhaseMs = p.cursor.phaseMs
        spec.cursorIndex = p.cursor.index
      }
      per[i % this.workers.length].push(spec)
    }
    const replies = await Promise.all(per.map((clients, i) => this.ask(i, { t: 'connect', clients, batch })))
    return {
      failed: replies.reduce((a, r) => a + (r.failed as number), 0),
      errors: replies.flatMap((r) => r.errors as string[]),
    }
  }

  /**
   * Starts the measured window (generator CPU counted from here): writes every `period` ms for
   * `seconds`; `resume`: each writer from its first move not sent yet (after a warm-up).
   */
  start(period: number, seconds: number, resume = false): void {
    this.sendTimes.fill(0)
    this.cursorSendTimes.fill(0)
    this.cpu0 = process.cpuUsage()
    this.t0 = performance.now()
    for (const w of this.workers) w.postMessage({ t: 'start', period, seconds, resume })
  }

  stop(): void {
    for (const w of this.workers) w.postMessage({ t: 'stop' })
  }

  /** Generator CPU since start() or markCpu(). */
  async cpu(): Promise<GenCpu> {
    const u = process.cpuUsage(this.cpu0)
    const ms = (u.user + u.system) / 1000
    const wall = performance.now() - this.t0
    const threads = (await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'cpu' })))) as unknown as ThreadCpu[]
    return {
      ms,
      pct: (ms / wall) * 100,
      busiestPct: Math.max(...threads.map((t) => (t.runMs / t.wallMs) * 100)),
      eluPct: Math.max(...threads.map((t) => t.elu * 100)),
      waitPct: Math.max(...threads.map((t) => (t.waitMs / t.wallMs) * 100)),
    }
  }

  /**
   * After stop(): waits until every sent write (and cursor move) reached its `receivers` others, or
   * until deliveries stopped arriving for `quietMs` (at most `maxMs`), so a loaded machine's
   * backlog is counted. Resolves to when the last delivery was seen (performance.now()): a server
   * that coalesces cursor moves (never delivering some) ends in the quiet wait, which is no part
   * of its run.
   */
  async drain(receivers: number, quietMs = 1000, maxMs = 20_000): Promise<number> {
    const t0 = performance.now()
    let last = -1
    let lastChange = t0
    for (;;) {
      const replies = await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'count' })))
      const delivered = replies.reduce((a, r) => a + (r.delivered as number), 0)
      const sent = replies.reduce((a, r) => a + (r.sent as number) + (r.cursorsSent as number), 0)
      const now = performance.now()
      if (delivered >= sent * receivers) return now
      if (delivered !== last) [last, lastChange] = [delivered, now]
      else if (now - lastChange > quietMs) return lastChange
      if (now - t0 > maxMs) return now
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async markCpu(): Promise<void> {
    await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'mark' })))
    this.cpu0 = process.cpuUsage()
    this.t0 = performance.now()
  }

  /**
   * `sent` of `planned` writes (a writer whose socket closed sends no more), and how late the sends
   * were against their schedule (a saturated or starved generator falls behind).
   */
  async report(): Promise<{ latencies: number[]; cursorLatencies: number[]; cursorMovesSent: number; dropped: number; sent: number; planned: number; lagMeanMs: number; lagMaxMs: number; framesIn: number; awarenessIn: number; errors: string[] }> {
    const replies = await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'report' })))
    const latencies: number[] = []
    for (const r of replies) for (const x of r.latencies as Float64Array) latencies.push(x)
    latencies.sort((a, b) => a - b)
    const cursorLatencies: number[] = []
    for (const r of replies) for (const x of r.cursorLatencies as Float64Array) cursorLatencies.push(x)
    cursorLatencies.sort((a, b) => a - b)
    return {
      latencies,
      cursorLatencies,
      cursorMovesSent: replies.reduce((a, r) => a + (r.cursorMovesSent as number), 0),
      dropped: replies.reduce((a, r) => a + (r.dropped as number), 0),
      sent: replies.reduce((a, r) => a + (r.sent as number), 0),
      planned: replies.reduce((a, r) => a + (r.planned as number), 0),
      framesIn: replies.reduce((a, r) => a + (r.framesIn as number), 0),
      awarenessIn: replies.reduce((a, r) => a + (r.awarenessIn as number), 0),
      lagMeanMs: replies.reduce((a, r) => a + (r.lagMeanMs as number), 0) / replies.length,
      lagMaxMs: Math.max(...replies.map((r) => r.lagMaxMs as number)),
      errors: replies.flatMap((r) => r.errors as string[]),
    }
  }

  /** Storm: per client, when it was synced and when it had seen every awareness state. */
  async awareness(timeoutMs: number): Promise<{ syncedAt: number[]; awarenessDoneAt: number[]; framesIn: number; awarenessIn: number }> {
    const replies = await Promise.all(this.workers.map((_, i) => this.ask(i, { t: 'waitAwareness', timeoutMs })))
    return {
      syncedAt: replies.flatMap((r) => r.syncedAt as number[]),
      awarenessDoneAt: replies.flatMap((r) => r.awarenessDoneAt as number[]),
      framesIn: replies.reduce((a, r) => a + (r.framesIn as number), 0),
      awarenessIn: replies.reduce((a, r) => a + (r.awarenessIn as number), 0),
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
