/**
 * The plain GET of a board's state (plugins/stateReads.ts, sync-core §1.7) is bounded like the
 * sockets: reads in flight per address, a deadline for a read that does not finish, and one log
 * line per interval for failures. (Its admission is the socket's: api-ws.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { Writable } from 'node:stream'
import type { RoomManager } from '@copboard/sync-core'
import { RoomOwnedElsewhereError } from '@copboard/sync-core'
import { MAX_STATE_READS_PER_ADDRESS, stateReads } from '../src/plugins/stateReads'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

/** A server whose rooms answer `joinerState` with `read(room)`; its warn lines go to `lines`. */
async function serve(read: (room: string) => Promise<Uint8Array>, deadlineMs?: number) {
  const lines: string[] = []
  const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) })
  const app = Fastify({ logger: { level: 'warn', stream } })
  apps.push(app)
  app.get('/sync/:room', stateReads({ joinerState: read } as unknown as RoomManager, app.log, { deadlineMs }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, lines }
}

describe('GET /sync/:room bounds (issue 12)', () => {
  it(`answers the state; more than ${MAX_STATE_READS_PER_ADDRESS} reads in flight from one address get 429 until one finishes`, async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const state = new Uint8Array([1, 2, 3])
    const { url } = await serve(async () => (await gate, state))
    const pending = Array.from({ length: MAX_STATE_READS_PER_ADDRESS }, () => fetch(`${url}/sync/r`))
    await new Promise((r) => setTimeout(r, 100))
    const over = await fetch(`${url}/sync/r`)
    expect(over.status).toBe(429)
    expect(((await over.json()) as { error: string }).error).toBe('RATE_LIMITED')
    release()
    for (const res of await Promise.all(pending)) {
      expect(res.status).toBe(200)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(state)
    }
    // the count went down with them
    expect((await fetch(`${url}/sync/r`)).status).toBe(200)
  })

  it('a read that does not finish within the deadline is cut off, and no longer counts', async () => {
    const { url } = await serve(() => new Promise<Uint8Array>(() => {}), 80)
    const cut = await Promise.allSettled(Array.from({ length: MAX_STATE_READS_PER_ADDRESS }, () => fetch(`${url}/sync/r`)))
    expect(cut.every((r) => r.status === 'rejected')).toBe(true)
    // all four were cut off: a fifth is not refused as over the limit (it is cut off as well)
    const fifth = await fetch(`${url}/sync/r`).then((r) => r.status, () => 'cut')
    expect(fifth).toBe('cut')
  })

  it('a room owned elsewhere is 409 ROOM_MOVED; failures are 503 with one log line per interval', async () => {
    let fail: Error = new RoomOwnedElsewhereError('r')
    const { url, lines } = await serve(async () => {
      throw fail
    })
    const moved = await fetch(`${url}/sync/r`)
    expect(moved.status).toBe(409)
    expect(((await moved.json()) as { error: string }).error).toBe('ROOM_MOVED')
    expect(lines).toEqual([])
    fail = new Error('storage down')
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${url}/sync/r`)
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: string }).error).toBe('BOARD_UNAVAILABLE')
    }
    expect(lines.filter((l) => l.includes('could not be read'))).toHaveLength(1)
  })
})
