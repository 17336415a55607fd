/** GET /api/time (board SPEC S2): the clock every board timer is measured against. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockOffset } from '@copboard/board'
import { startServer, type TestServer } from './sync-harness.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server?.dispose()
})

describe('GET /api/time', () => {
  it('S2 answers the server clock, uncached, and a client measures ~0 offset against it on one machine', async () => {
    const samples = []
    for (let i = 0; i < 3; i++) {
      const sentAt = Date.now()
      const res = await fetch(`http://127.0.0.1:${server.port}/api/time`)
      const receivedAt = Date.now()
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as { now: number }
      expect(body.now).toBeGreaterThanOrEqual(sentAt)
      expect(body.now).toBeLessThanOrEqual(receivedAt)
      samples.push({ sentAt, serverNow: body.now, receivedAt })
    }
    // same clock on both ends: the offset is bounded by half the fastest round trip
    const r = clockOffset(samples)!
    expect(Math.abs(r.offsetMs)).toBeLessThanOrEqual(Math.ceil(r.rttMs / 2) + 1)
  })
})
