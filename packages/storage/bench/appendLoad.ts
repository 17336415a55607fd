/**
 * Hot-path figures of the update log: appendUpdates (100-byte updates, batches of 5; one room
 * awaiting each batch, and 20 rooms appending in the same turn) and loadRoom of a 1,000-entry log.
 *
 *   npx tsx bench/appendLoad.ts [sqlite|postgres] [other/src/index.ts]
 *
 * With a second implementation (e.g. a copy of src/ before a change) both run in this process,
 * alternating, ROUNDS times; the medians are printed side by side. Figures are CPU µs (user +
 * system: far less sensitive to the machine's load than wall time) per append / per load, wall
 * µs in brackets, with the load average. PostgreSQL: TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), a throw-away schema per run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import * as current from '../src/index'

type Impl = { name: string; openStorage: typeof current.openStorage }
type Figures = { seq: Sample; turn: Sample; load: Sample }
type Sample = { cpu: number; wall: number }

const backend = process.argv[2] ?? 'sqlite'
const otherPath = process.argv[3]
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (otherPath ? 5 : 1))
const APPENDS = 10_000
const BATCH = 5
const ROOMS_PER_TURN = 20 // rooms flushing in the same turn (the sync core's check phase)
const LOAD_ENTRIES = 1_000
const LOADS = backend === 'postgres' ? 50 : 200

const update = () => randomBytes(100)

/** Starts a measurement; the returned function gives CPU and wall µs per operation. */
function start(): (ops: number) => Sample {
  const wall = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  return (ops) => {
    const c = process.cpuUsage(cpu)
    return { cpu: (c.user + c.system) / ops, wall: Number(process.hrtime.bigint() - wall) / 1000 / ops }
  }
}

async function open(impl: Impl): Promise<{ s: current.Storage; done: () => Promise<void> }> {
  if (backend === 'postgres') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    const schema = `copboard_bench_${randomBytes(4).toString('hex')}`
    const s = await impl.openStorage({ databaseUrl: url, pgSchema: schema })
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
  const s = await impl.openStorage({ dataDir: dir })
  return { s, done: async () => (await s.close(), rmSync(dir, { recursive: true, force: true })) }
}

async function measure(impl: Impl): Promise<Figures> {
  const { s, done } = await open(impl)
  const batches = APPENDS / BATCH
  const payload = Array.from({ length: batches }, () => Array.from({ length: BATCH }, update))

  let t = start()
  for (let i = 0; i < batches; i++) await s.appendUpdates('seq-room', payload[i]!)
  const seq = t(APPENDS)

  t = start()
  for (let i = 0; i < batches; i += ROOMS_PER_TURN) {
    const turn: Promise<void>[] = []
    for (let r = 0; r < ROOMS_PER_TURN && i + r < batches; r++) turn.push(s.appendUpdates(`room-${r}`, payload[i + r]!))
    await Promise.all(turn)
  }
  const turn = t(APPENDS)

  const entries = Array.from({ length: LOAD_ENTRIES }, update)
  for (let i = 0; i < LOAD_ENTRIES; i += 100) await s.appendUpdates('load-room', entries.slice(i, i + 100))
  t = start()
  for (let i = 0; i < LOADS; i++) {
    const l = await s.loadRoom('load-room')
    if (l.length !== LOAD_ENTRIES) throw new Error(`loaded ${l.length}`)
  }
  const load = t(LOADS)
  await done()
  return { seq, turn, load }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const show = (xs: Sample[]) => `${median(xs.map((x) => x.cpu)).toFixed(1)} [${median(xs.map((x) => x.wall)).toFixed(1)}]`

const impls: Impl[] = [{ name: 'this', openStorage: current.openStorage }]
if (otherPath) {
  const other = (await import(resolve(otherPath))) as typeof current
  impls.unshift({ name: otherPath, openStorage: other.openStorage })
}
const results = new Map<Impl, Figures[]>(impls.map((i) => [i, []]))
for (let round = 0; round < ROUNDS; round++) for (const impl of impls) results.get(impl)!.push(await measure(impl))

console.log(`${backend}, ${ROUNDS} round(s), median CPU µs [wall µs]; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
for (const [impl, figs] of results) {
  console.log(
    `  ${impl.name}: append (1 room) ${show(figs.map((f) => f.seq))} µs/append, ` +
      `append (${ROOMS_PER_TURN} rooms/turn) ${show(figs.map((f) => f.turn))} µs/append, ` +
      `loadRoom(${LOAD_ENTRIES}) ${show(figs.map((f) => f.load))} µs`,
  )
}
