/**
 * cluster/metrics.ts: the storage appends' and the sync transport's figures (issue 12: summed
 * beside an edit's way to the clients, handed to prom-client every METRICS_HANDOVER_MS or when
 * the metrics are read).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RoomStorage } from '@copboard/sync-core'
import { Metrics, METRICS_HANDOVER_MS } from '../src/cluster/metrics.js'
import { SyncTransport } from '../src/plugins/syncSocket.js'

const updates = [new Uint8Array(10), new Uint8Array(5)]
const metricLine = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(name))

function storageAppending(result: () => Promise<void>): { storage: RoomStorage; calls: number } {
  const s = { calls: 0, storage: null as unknown as RoomStorage }
  s.storage = { appendUpdates: () => (s.calls++, result()) } as unknown as RoomStorage
  return s
}

describe('append metrics', () => {
  it('the caller awaits the storage\'s own promise (no step of the metrics in its chain)', async () => {
    const metrics = new Metrics('t', () => null)
    const appended = Promise.resolve()
    const timed = metrics.timedStorage(storageAppending(() => appended).storage)
    expect(timed.appendUpdates('r', updates)).toBe(appended)
  })

  afterEach(() => vi.useRealTimers())

  it('an append is counted (updates, bytes, its time) when the metrics are read, even in the same turn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const metrics = new Metrics('t', () => null)
    const s = storageAppending(() => Promise.resolve())
    const timed = metrics.timedStorage(s.storage)
    await timed.appendUpdates('r', updates)
    await timed.appendUpdates('r', updates.slice(0, 1))
    // read before the next turn: the collect hooks hand over what is pending
    const text = await metrics.registry.metrics()
    expect(s.calls).toBe(2)
    expect(metricLine(text, 'copboard_updates_appended_total')).toMatch(/ 3$/)
    expect(metricLine(text, 'copboard_update_bytes_appended_total')).toMatch(/ 25$/)
    expect(metricLine(text, 'copboard_storage_append_seconds_count{instance_id="t",via="storage"}')).toMatch(/ 2$/)
    // nothing is counted twice by the timed hand-over
    vi.advanceTimersByTime(METRICS_HANDOVER_MS)
    const later = await metrics.registry.metrics()
    expect(metricLine(later, 'copboard_updates_appended_total')).toMatch(/ 3$/)
    expect(metricLine(later, 'copboard_storage_append_seconds_count{instance_id="t",via="storage"}')).toMatch(/ 2$/)
  })

  it('a failed append reaches its caller and is counted as a failure, not as stored updates', async () => {
    const metrics = new Metrics('t', () => null)
    const timed = metrics.timedStorage(storageAppending(() => Promise.reject(new Error('disk full'))).storage)
    await expect(timed.appendUpdates('r', updates)).rejects.toThrow('disk full')
    await new Promise((r) => setImmediate(r))
    const text = await metrics.registry.metrics()
    expect(metricLine(text, 'copboard_storage_append_failures_total{via="storage"')).toMatch(/ 1$/)
    expect(metricLine(text, 'copboard_updates_appended_total')).toMatch(/ 0$/)
    expect(metricLine(text, 'copboard_storage_append_seconds_count{instance_id="t",via="storage"}')).toMatch(/ 1$/)
  })
})

describe('traffic metrics (plugins/syncSocket.ts)', () => {
  afterEach(() => vi.useRealTimers())

  it('counts reach prom-client every METRICS_HANDOVER_MS without a read, one timer at a time (also for appends)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] }) // (prom-client's event-loop lag reads with a real setImmediate)
    const metrics = new Metrics('t', () => null)
    const frames = vi.spyOn(metrics.frames, 'inc')
    const appended = vi.spyOn(metrics.updatesAppended, 'inc')
    const transport = new SyncTransport(metrics)
    const timed = metrics.timedStorage(storageAppending(() => Promise.resolve()).storage)
    await timed.appendUpdates('r', updates)
    transport.countOut(3)
    await metrics.registry.metrics() // a read hands over, and leaves the pending timers as they are
    expect(vi.getTimerCount()).toBe(2)
    transport.countOut(4)
    await timed.appendUpdates('r', updates)
    expect(vi.getTimerCount()).toBe(2) // no second timer while one is pending
    frames.mockClear()
    appended.mockClear()
    vi.advanceTimersByTime(METRICS_HANDOVER_MS)
    expect(frames).toHaveBeenCalledWith({ direction: 'out' }, 1)
    expect(appended).toHaveBeenCalledWith(2)
    expect(vi.getTimerCount()).toBe(0)
    transport.close()
  })

  it('frames and bytes are counted when the metrics are read, handed over once, and no more after close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] })
    const metrics = new Metrics('t', () => null)
    const transport = new SyncTransport(metrics)
    transport.countIn(7)
    transport.countOut(3)
    transport.countOut(4)
    const frames = (text: string, dir: string) => metricLine(text, `copboard_sync_frames_total{direction="${dir}"`)
    const bytes = (text: string, dir: string) => metricLine(text, `copboard_sync_bytes_total{direction="${dir}"`)
    // read at once (no timer ran): what is pending is handed over by the read
    const text = await metrics.registry.metrics()
    expect(frames(text, 'in')).toMatch(/ 1$/)
    expect(frames(text, 'out')).toMatch(/ 2$/)
    expect(bytes(text, 'out')).toMatch(/ 7$/)
    // the scheduled hand-over finds nothing left to add
    vi.advanceTimersByTime(METRICS_HANDOVER_MS)
    transport.countOut(5)
    vi.advanceTimersByTime(METRICS_HANDOVER_MS)
    const later = await metrics.registry.metrics()
    expect(frames(later, 'out')).toMatch(/ 3$/)
    expect(bytes(later, 'out')).toMatch(/ 12$/)
    transport.countIn(1)
    transport.close() // hands over what it has, then the metrics stop asking it
    transport.countIn(100)
    vi.advanceTimersByTime(METRICS_HANDOVER_MS)
    const closed = await metrics.registry.metrics()
    expect(frames(closed, 'in')).toMatch(/ 2$/)
    expect(bytes(closed, 'in')).toMatch(/ 8$/)
  })

  it('a broadcast frames its payload once per turn; the next turn frames it anew', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] })
    const transport = new SyncTransport(undefined)
    const data = new Uint8Array([1, 2, 3])
    const first = transport.framed(data)
    expect(transport.framed(data)).toBe(first)
    expect([...first]).toEqual([0x82, 3, 1, 2, 3])
    vi.runOnlyPendingTimers() // the turn ends: the cache lets go of the payload
    data[0] = 9 // a reused buffer is framed with its new bytes
    expect([...transport.framed(data)]).toEqual([0x82, 3, 9, 2, 3])
  })
})
