/**
 * Prometheus metrics of one instance (prom-client, one registry per app so tests can run several
 * apps in one process). Served by plugins/metrics.ts at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { RoomEvent, RoomManager, RoomOwnership, RoomStorage } from '@copboard/sync-core'

/**
 * PERF (issue 12): figures summed in plain numbers on the hot path reach prom-client this often
 * (and whenever the metrics are read), not once per event-loop turn: at 100 x 10 every edit came
 * in its own turn, and prom-client's label hashing ran cold for each (5 % of the server's CPU).
 */
export const METRICS_HANDOVER_MS = 1000

/**
 * How figures summed on the hot path reach prom-client: METRICS_HANDOVER_MS after the first one
 * summed (one timer pending at a time, unref'd), or at once by `now` (a read of the metrics, a
 * close), which leaves a pending timer as it is.
 */
export class TimedHandover {
  private scheduled = false
  constructor(private readonly handOver: () => void) {}
  /** Something was summed. */
  soon(): void {
    if (this.scheduled) return
    this.scheduled = true
    setTimeout(this.onTimer, METRICS_HANDOVER_MS).unref()
  }
  readonly now = (): void => this.handOver()
  private readonly onTimer = (): void => {
    this.scheduled = false
    this.handOver()
  }
}

/** How often the event-loop lag is sampled (copboard_nodejs_eventloop_lag_*). */
const EVENT_LOOP_SAMPLE_MS = 1000

export class Metrics {
  readonly registry = new Registry()
  readonly frames: Counter<'direction'>
  readonly bytes: Counter<'direction'>
  readonly updatesAppended: Counter
  readonly updateBytesAppended: Counter
  readonly appendSeconds: Histogram<'via'>
  private readonly appendSecondsVia: Record<'storage' | 'lease', { observe(seconds: number): void }>
  readonly appendFailures: Counter<'via'>
  readonly leaseChanges: Counter<'change'>
  readonly rejected: Counter<'reason'>
  readonly roomEvents: Counter<'event'>
  readonly clusterEvents: Counter<'direction'>

  constructor(instanceId: string, rooms: () => RoomManager | null) {
    this.registry.setDefaultLabels({ instance_id: instanceId })
    // PERF: the event-loop lag histogram samples once a second, not every 10 ms (prom-client's
    // default): its timer alone cost 7 ms of CPU per second on an idle server (issue 12)
    collectDefaultMetrics({ register: this.registry, prefix: 'copboard_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS })
    const r = [this.registry]
    new Gauge({
      name: 'copboard_rooms_loaded',
      help: 'Rooms in memory on this instance',
      registers: r,
      collect() {
        this.set(rooms()?.stats().rooms ?? 0)
      },
    })
    new Gauge({
      name: 'copboard_rooms_owned',
      help: 'Loaded rooms whose ownership lease this instance holds (0 without leases)',
      registers: r,
      collect() {
        this.set(rooms()?.stats().ownedRooms ?? 0)
      },
    })
    new Gauge({
      name: 'copboard_connections',
      help: 'Open sync connections',
      registers: r,
      collect() {
        this.set(rooms()?.stats().connections ?? 0)
      },
    })
    new Gauge({
      name: 'copboard_queued_bytes',
      help: 'Accepted edits not yet persisted (sync-core §7.3)',
      registers: r,
      collect() {
        this.set(rooms()?.stats().queuedBytes ?? 0)
      },
    })
    // the sync transport's counts are summed between handovers too (plugins/syncSocket.ts)
    const collectTraffic = () => {
      for (const hand of this.trafficHandovers) hand()
    }
    this.frames = new Counter({ name: 'copboard_sync_frames_total', help: 'WebSocket frames received (in) and sent (out)', labelNames: ['direction'], registers: r, collect: collectTraffic })
    this.bytes = new Counter({ name: 'copboard_sync_bytes_total', help: 'WebSocket payload bytes received (in) and sent (out)', labelNames: ['direction'], registers: r, collect: collectTraffic })
    // the append figures are summed between handovers (timeAppend): a read takes what is not handed over yet
    const collect = () => this.flushAppends()
    this.updatesAppended = new Counter({ name: 'copboard_updates_appended_total', help: 'Document updates appended to the durable log', registers: r, collect })
    this.updateBytesAppended = new Counter({ name: 'copboard_update_bytes_appended_total', help: 'Bytes of document updates appended to the durable log', registers: r, collect })
    this.appendSeconds = new Histogram({
      name: 'copboard_storage_append_seconds',
      help: 'Latency of one storage append (a group-committed batch), by path (lease or storage)',
      labelNames: ['via'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
      collect,
    })
    this.appendSecondsVia = { storage: this.appendSeconds.labels({ via: 'storage' }), lease: this.appendSeconds.labels({ via: 'lease' }) }
    this.appendFailures = new Counter({ name: 'copboard_storage_append_failures_total', help: 'Failed storage appends (edits refused with 4500, never dropped silently)', labelNames: ['via'], registers: r })
    this.leaseChanges = new Counter({ name: 'copboard_lease_changes_total', help: 'Room lease changes: acquired, released, lost, refused (owned elsewhere)', labelNames: ['change'], registers: r })
    this.rejected = new Counter({
      name: 'copboard_rejected_total',
      help: 'Connections closed by the server or transport, and updates dropped, by reason (close code name; READ_ONLY_UPDATE, POLICY_REFUSED_UPDATE: counted when the connection closes)',
      labelNames: ['reason'],
      registers: r,
    })
    this.roomEvents = new Counter({ name: 'copboard_room_events_total', help: 'Room lifecycle: loaded, unloaded (idle), evicted (lease lost), moved (owned elsewhere)', labelNames: ['event'], registers: r })
    this.clusterEvents = new Counter({ name: 'copboard_cluster_events_total', help: 'Cross-instance events published (out) and handled (in)', labelNames: ['direction'], registers: r })
  }

  /** Called before the traffic counters are read: hands over counts summed since the last handover. */
  private readonly trafficHandovers = new Set<() => void>()
  onTrafficRead(handover: () => void): () => void {
    this.trafficHandovers.add(handover)
    return () => this.trafficHandovers.delete(handover)
  }

  onRoomEvent = (e: RoomEvent): void => {
    this.roomEvents.inc({ event: e.type })
  }

  /** The room storage with append latency and volume measured. */
  timedStorage<S extends RoomStorage>(storage: S): S {
    const appendUpdates = storage.appendUpdates.bind(storage)
    const wrapped = Object.create(storage) as S
    wrapped.appendUpdates = (room, updates) => this.timeAppend('storage', updates, () => appendUpdates(room, updates))
    return wrapped
  }

  /** Leases whose appends are measured like storage appends. */
  timedOwnership(ownership: RoomOwnership): RoomOwnership {
    return {
      acquire: async (room) => {
        const lease = await ownership.acquire(room)
        if (!lease) return null
        return {
          appendUpdates: (updates) => this.timeAppend('lease', updates, () => lease.appendUpdates(updates)),
          release: () => lease.release(),
          onLost: (cb) => lease.onLost(cb),
        }
      },
    }
  }

  /** Append figures not yet in the counters and the histogram (handed over every METRICS_HANDOVER_MS, or when read). */
  private readonly pendingAppendSeconds: Record<'storage' | 'lease', number[]> = { storage: [], lease: [] }
  private pendingUpdates = 0
  private pendingUpdateBytes = 0
  private readonly appendHandover = new TimedHandover(() => this.flushAppends())

  /**
   * PERF (issue 12): an append is on every edit's way to the clients (persist, then broadcast).
   * The caller gets the storage's own promise, and the figures are taken on a side branch that
   * only reads the clock and sums numbers; prom-client's work (label checks, bucket search, three
   * metrics) waits for the next hand-over (METRICS_HANDOVER_MS), after the broadcast. Before,
   * the wrapper's `then` sat in the chain. 1 x 30 (bench, medians of 300 edits, 6 each): from enqueue to broadcast 122-151 us
   * before, 97-118 now, 96-111 with no metrics at all.
   */
  private timeAppend(via: 'storage' | 'lease', updates: Uint8Array[], run: () => Promise<void>): Promise<void> {
    const t0 = performance.now()
    const appended = run()
    appended.then(
      () => this.appendDone(via, t0, updates),
      () => {
        this.appendDone(via, t0, null)
        this.appendFailures.inc({ via })
      },
    )
    return appended
  }

  /** `updates`: those stored (null: the append failed). */
  private appendDone(via: 'storage' | 'lease', t0: number, updates: Uint8Array[] | null): void {
    this.pendingAppendSeconds[via].push((performance.now() - t0) / 1000)
    if (updates) {
      this.pendingUpdates += updates.length
      for (const u of updates) this.pendingUpdateBytes += u.byteLength
    }
    this.appendHandover.soon()
  }

  /** Hands the append figures to prom-client (`appendHandover`, and a read of the metrics: their `collect`). */
  private readonly flushAppends = (): void => {
    for (const via of ['storage', 'lease'] as const) {
      const pending = this.pendingAppendSeconds[via]
      if (pending.length === 0) continue
      for (const seconds of pending) this.appendSecondsVia[via].observe(seconds)
      pending.length = 0
    }
    if (this.pendingUpdates > 0) this.updatesAppended.inc(this.pendingUpdates)
    if (this.pendingUpdateBytes > 0) this.updateBytesAppended.inc(this.pendingUpdateBytes)
    this.pendingUpdates = this.pendingUpdateBytes = 0
  }
}
