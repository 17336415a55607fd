/**
 * sync-core §7.3 against the real server: a stalled storage (appendUpdates held, as with a slow
 * PostgreSQL) must not let a room's write queue grow with every incoming frame. The room pauses
 * its ws sockets, TCP backpressure reaches the sender, and once the storage answers again every
 * edit is persisted and arrives at the other clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeSyncUpdate } from '@copboard/sync-core'
import { provider, rawClient, startServer, synced, waitFor, type TestServer } from './sync-harness.js'

const MiB = 1024 * 1024
const LIMIT = 1 * MiB
const FRAME = 256 * 1024
const FRAMES = 160 // 40 MiB: more than the limit, the kernel's socket buffers and the queue together

let server: TestServer
/** Appends wait for this while it is set (the storage stalls, as a slow PostgreSQL would). */
let stall: Promise<void> | null = null
/** Lets the held appends go; also called by afterAll so a failed assertion cannot hang the shutdown. */
let release: () => void = () => {}
beforeAll(async () => {
  // the writer sends 40 MiB at once: over the per-connection byte budget (4 MiB/s, 32 MiB burst),
  // whose close (4429, tested elsewhere) would drop its last frames once the room reads fast again
  server = await startServer({ maxQueuedBytes: LIMIT, bytesPerSecond: 256 * MiB, byteBurst: 256 * MiB }, { beforeAppend: async () => void (await stall) })
})
afterAll(async () => {
  release()
  await server?.dispose()
})

describe('§7.3 bounded write queue (real server, stalled storage)', () => {
  it('§7.3 the queue stays bounded while storage stalls, the sender is backpressured, and every edit arrives once storage answers', async () => {
    const room = 'backpressure'
    const observer = provider(server.syncUrl, room)
    await synced(observer)

    // hold every append until released (then the storage's own implementation runs)
    stall = new Promise<void>((r) => (release = r))

    const writer = await rawClient(`${server.syncUrl}/${room}`)
    const doc = new Y.Doc()
    const frames: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => frames.push(encodeSyncUpdate(u)))
    const map = doc.getMap('blobs')
    for (let i = 0; i < FRAMES; i++) {
      const blob = new Uint8Array(FRAME).fill(i % 251)
      map.set(`b${i}`, blob)
      writer.send(frames[i])
    }
    expect(frames).toHaveLength(FRAMES)

    let peak = 0
    const sample = setInterval(() => (peak = Math.max(peak, server.app.rooms.stats().queuedBytes)), 1)
    try {
      // the room paused both writers (the raw client and the observer's provider) ...
      await waitFor(() => server.app.rooms.stats().pausedConnections === 2, 'sockets paused')
      // ... and TCP pushed back to the sender: what it sent is stuck in its own buffer
      await waitFor(() => writer.bufferedAmount > 0, 'backpressure at the sender')
      const heldAtSender = writer.bufferedAmount
      expect(heldAtSender).toBeGreaterThan(LIMIT)
    } finally {
      clearInterval(sample)
    }
    const stalled = server.app.rooms.stats()
    peak = Math.max(peak, stalled.queuedBytes)
    // bounded by the limit plus what ws had already received when it was paused (≤ 2 frames)
    expect(stalled.queuedBytes).toBeGreaterThan(LIMIT)
    expect(peak).toBeLessThanOrEqual(LIMIT + 2 * (FRAME + 64 * 1024))
    expect(observer.doc.getMap('blobs').size).toBe(0) // nothing broadcast before it is durable (§5.1)
    expect(server.logs.filter((l) => String(l.msg).includes('write queue full'))).toHaveLength(1)

    release()
    await waitFor(() => observer.doc.getMap('blobs').size === FRAMES, 'every edit at the observer', 60_000)
    await waitFor(() => server.app.rooms.stats().queuedBytes === 0, 'queue drained')
    expect(server.app.rooms.stats().pausedConnections).toBe(0)
    expect(writer.bufferedAmount).toBe(0)
    for (const i of [0, 1, 77, FRAMES - 1]) {
      const got = observer.doc.getMap('blobs').get(`b${i}`) as Uint8Array
      expect(got.length).toBe(FRAME)
      expect(got[0]).toBe(i % 251)
    }
    // durable: the stored log holds all of it
    const stored = new Y.Doc()
    for (const u of await server.storage.loadRoom(room)) Y.applyUpdate(stored, u)
    expect(stored.getMap('blobs').size).toBe(FRAMES)
    expect(server.logs.some((l) => String(l.msg).includes('write queue drained'))).toBe(true)
    // the writer was never closed: nothing had to be resent
    expect(writer.readyState).toBe(writer.OPEN)
    writer.close()
    observer.destroy()
    doc.destroy()
    stored.destroy()
  }, 120_000)
})
