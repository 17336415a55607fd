/** The memory measures of issue 12: per connection and per loaded room, and RSS and WAL after room churn. */
import { join } from 'node:path'
import { LoadGen } from './loadgen.js'
import { fileMiB, isCopboard, sleep, type MemoryFigures, type ServerKind } from './servers.js'
import { boardUpdate, updateFrame } from './wire.js'
import { withServer, type BenchConfig } from './scenarioKit.js'

// ------------------------------------------------------------ memory

export async function memory(kind: ServerKind, cfg: BenchConfig) {
  const rooms = cfg.quick ? 30 : 100
  const conns = cfg.quick ? 150 : 400
  return withServer(kind, cfg, rooms + 1, {}, async (server) => {
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, 0, 0)
    try {
      await gen.connect([server.rooms[0]])
      await sleep(1000)
      const rss0 = server.rssMiB()
      await gen.connect(Array.from({ length: conns }, (_, i) => ({ ...server.rooms[0], awareness: { clientID: 10 + i, renewMs: 0, renewPhaseMs: 0, renewals: 0 } })))
      await sleep(1500)
      const rss1 = server.rssMiB()
      const m1 = await server.memory()
      // loaded rooms: a 200-note board each, one participant each
      const board = boardUpdate(200)
      await gen.connect(server.rooms.slice(1).map((r) => ({ ...r, setup: updateFrame(server.dialect, r.doc, board) })))
      await sleep(2000)
      const rss2 = server.rssMiB()
      const m2 = await server.memory()
      const perConnKiB = ((rss1 - rss0) * 1024) / conns
      // the same difference split by the probe: live V8 heap, committed V8 heap, external (buffers)
      const perRoom = (k: keyof MemoryFigures) => ((m2[k] - m1[k]) * 1024) / rooms
      return {
        perConnKiB,
        perRoomKiB: ((rss2 - rss1) * 1024) / rooms - perConnKiB,
        perRoomHeapUsedKiB: perRoom('heapUsed'),
        perRoomHeapTotalKiB: perRoom('heapTotal'),
        perRoomExternalKiB: perRoom('external'),
        rssBaseMiB: rss0,
        boardKiB: board.length / 1024,
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}

// ------------------------------------------------------------ room churn: RSS and WAL

/** { heapUsedStartMiB, heapTotalStartMiB, … } */
const prefixed = (when: string, m: MemoryFigures) => Object.fromEntries(Object.entries(m).map(([k, v]) => [`${k}${when[0].toUpperCase()}${when.slice(1)}MiB`, v]))

export async function churn(kind: ServerKind, cfg: BenchConfig) {
  const rooms = cfg.quick ? 200 : 1200
  const wave = 50
  return withServer(kind, cfg, rooms, { ROOM_IDLE_MS: '300' }, async (server) => {
    const gen = new LoadGen(server.dialect, server.relay, cfg.threads, 0, 0)
    try {
      await sleep(1000)
      const rssStart = server.rssMiB()
      const memStart = await server.memory()
      let rssPeak = rssStart
      const board = boardUpdate(100)
      const small = boardUpdate(5, 9)
      const t0 = performance.now()
      for (let i = 0; i < rooms; i += wave) {
        const slice = server.rooms.slice(i, i + wave)
        // two participants per room: one brings a board, the other adds a few notes
        await gen.connect(slice.flatMap((r) => [{ ...r, setup: updateFrame(server.dialect, r.doc, board) }, { ...r, setup: updateFrame(server.dialect, r.doc, small) }]))
        await sleep(200)
        rssPeak = Math.max(rssPeak, server.rssMiB())
        await gen.closeClients()
      }
      const churnMs = performance.now() - t0
      // idle unload (300 ms) + compaction: copboard reports its loaded rooms on /healthz
      const unloadStart = performance.now()
      while (isCopboard(kind) && performance.now() - unloadStart < 30_000) {
        const h = (await fetch(`${server.httpBase}/healthz`).then((r) => r.json()).catch(() => null)) as { rooms?: number } | null
        if (h && h.rooms === 0) break
        await sleep(250)
      }
      const unloadMs = performance.now() - unloadStart
      await sleep(3000)
      const db = join(server.dataDir, 'copboard.db')
      const rssEnd = server.rssMiB()
      const memEnd = await server.memory()
      return {
        rooms,
        churnMs,
        rssStartMiB: rssStart,
        rssPeakMiB: rssPeak,
        rssEndMiB: rssEnd,
        // where the RSS left after churn is: V8 heap committed, external buffers, native rest
        ...prefixed('start', memStart),
        ...prefixed('end', memEnd),
        unloadMs,
        walMiB: isCopboard(kind) ? fileMiB(`${db}-wal`) : NaN,
        dbMiB: isCopboard(kind) ? fileMiB(db) : NaN,
      }
    } finally {
      await gen.closeClients().catch(() => {})
      await gen.dispose()
    }
  })
}
