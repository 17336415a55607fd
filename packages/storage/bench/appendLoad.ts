/**
 * Hot-path figures of the update log: appendUpdates (100-byte updates, batches of 5) and loadRoom
 * of a 1,000-entry log. Usage: `npx tsx bench/appendLoad.ts [sqlite|postgres]` (PostgreSQL from
 * TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a throw-away schema).
 * Prints CPU µs (user + system, less sensitive to machine load than wall time) per append / per
 * load, wall µs in brackets, and the load average; compare figures only within one run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Storage } from '../src/index'

// STORAGE_IMPL=/path/to/src/index.ts measures another copy (e.g. the code before a change) in the same run
const { openStorage } = (await import(process.env.STORAGE_IMPL ?? '../src/index')) as typeof import('../src/index')

const backend = process.argv[2] ?? 'sqlite'
// BENCH_SCALE=0.2 for a shorter run (e.g. under valgrind --tool=callgrind, instruction counts)
const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const APPENDS = Math.round((10_000 * SCALE) / 100) * 100
const BATCH = 5
const ROOMS_PER_TURN = 20 // concurrent rooms flushing in the same turn (the sync core's check phase)
const LOAD_ENTRIES = 1_000
const LOADS = Math.max(1, Math.round(200 * SCALE))

const update = () => randomBytes(100)

/** Starts a measurement; the returned function gives "CPU µs [wall µs]" per operation. */
function start(): (ops: number) => string {
  const wall = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  return (ops) => {
    const c = process.cpuUsage(cpu)
    const w = Number(process.hrtime.bigint() - wall) / 1000
    return `${((c.user + c.system) / ops).toFixed(1)} [${(w / ops).toFixed(1)}]`
  }
}

async function open(): Promise<{ s: Storage; done: () => Promise<void> }> {
  if (backend === 'postgres') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    const schema = `copboard_bench_${randomBytes(4).toString('hex')}`
    const s = await openStorage({ databaseUrl: url, pgSchema: schema })
    return {
      s,
      done: async () => {
        await s.close()
        const c = new pg.Client({ connectionString: url })
        await c.connect()
        await c.query(`DROP SCHEMA ${schema} CASCADE`)
        await c.end()
      },
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'copboard-bench-'))
  const s = await openStorage({ dataDir: dir })
  return { s, done: async () => (await s.close(), rmSync(dir, { recursive: true, force: true })) }
}

async function main(): Promise<void> {
  const { s, done } = await open()
  const batches = APPENDS / BATCH
  const payload = Array.from({ length: batches }, () => Array.from({ length: BATCH }, update))

  // sequential: one room, each batch awaited (latency of one append round)
  let t = start()
  for (let i = 0; i < batches; i++) await s.appendUpdates('seq-room', payload[i]!)
  const seqUs = t(APPENDS)

  // concurrent: ROOMS_PER_TURN rooms append in the same turn (group commit)
  t = start()
  for (let i = 0; i < batches; i += ROOMS_PER_TURN) {
    const turn: Promise<void>[] = []
    for (let r = 0; r < ROOMS_PER_TURN && i + r < batches; r++) turn.push(s.appendUpdates(`room-${r}`, payload[i + r]!))
    await Promise.all(turn)
  }
  const concUs = t(APPENDS)

  // loadRoom of a 1,000-entry log
  const entries = Array.from({ length: LOAD_ENTRIES }, update)
  for (let i = 0; i < LOAD_ENTRIES; i += 100) await s.appendUpdates('load-room', entries.slice(i, i + 100))
  const loads = backend === 'postgres' ? LOADS / 4 : LOADS
  t = start()
  for (let i = 0; i < loads; i++) {
    const l = await s.loadRoom('load-room')
    if (l.length !== LOAD_ENTRIES) throw new Error(`loaded ${l.length}`)
  }
  const loadUs = t(loads)

  await done()
  const la = loadavg().map((x) => x.toFixed(2)).join(' ')
  console.log(
    `${backend}: append sequential ${seqUs} µs/append, append ${ROOMS_PER_TURN} rooms/turn ${concUs} µs/append, ` +
      `loadRoom(${LOAD_ENTRIES}) ${loadUs} µs (CPU [wall]; load average ${la})`,
  )
}

await main()
