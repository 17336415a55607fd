/**
 * cluster/metrics.ts: the storage appends' figures (issue 12: taken beside an edit's way to the
 * clients, handed to prom-client on the next turn or when the metrics are read).
 */
import { describe, expect, it } from 'vitest'
import type { RoomStorage } from '@copboard/sync-core'
import { Metrics } from '../src/cluster/metrics.js'

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

  it('an append is counted (updates, bytes, its time) when the metrics are read, even in the same turn', async () => {
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
    // nothing is counted twice by the next turn's hand-over
    await new Promise((r) => setImmediate(r))
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
