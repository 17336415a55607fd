/**
 * Sync benchmark: copboard vs the reference @y/websocket-server 0.1.1, same load, each server in
 * its own child process (CPU and RSS read from /proc/<pid>). 127.0.0.1 only, bounded duration.
 *   pnpm bench     (BENCH_SECONDS=10 per scenario and server; BENCH_CLIENT_PROCS=2 client processes)
 *
 * Fairness:
 * - copboard runs exactly as `pnpm start` does: the production bundle dist/main.js (built first
 *   with build.mjs), production auth (a CoP, one session per room and a participant token are
 *   written to its SQLite file before it starts; clients connect with ?token=), production logging
 *   at LOG_LEVEL=warn. It persists every update to SQLite (WAL) before broadcasting; the
 *   reference keeps documents in memory only.
 * - both servers get the same rooms, URLs, clients and write schedule from the same client code;
 *   latency = writer send -> receiver applied (Y.Doc observer), measured with an absolute
 *   clock (performance.timeOrigin + now()) shared by the client processes.
 * - clients are spread over BENCH_CLIENT_PROCS processes (round robin, writers too) and their
 *   CPU is reported, so the load generator is visibly not the bottleneck.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CLIENT_PROCS = Math.max(1, Number(process.env.BENCH_CLIENT_PROCS ?? 2))
const benchDir = import.meta.dirname
const serverDir = join(benchDir, '..')
const selfFile = fileURLToPath(import.meta.url)

interface Scenario {
  name: string
  rooms: number
  clientsPerRoom: number
  writersPerRoom: number
  ratePerWriter: number // updates per second
}

const scenarios: Scenario[] = [
  { name: '1 room x 30 clients, 5 writers @10/s', rooms: 1, clientsPerRoom: 30, writersPerRoom: 5, ratePerWriter: 10 },
  { name: '1 room x 200 clients, 20 writers @10/s', rooms: 1, clientsPerRoom: 200, writersPerRoom: 20, ratePerWriter: 10 },
  { name: '100 rooms x 10 clients, 1 writer @10/s each', rooms: 100, clientsPerRoom: 10, writersPerRoom: 1, ratePerWriter: 10 },
]

type ServerKind = 'copboard' | 'reference'

/** Absolute milliseconds, comparable between the client processes. */
const clock = () => performance.timeOrigin + performance.now()

// ------------------------------------------------------------------ client process

interface ClientSpec {
  id: number
  url: string
  writer: boolean
  /** Writers of its room (it measures their inserts). */
  writerIds: number[]
  /** Phase of its first write within one period, ms. */
  phaseMs: number
}

type ToClient =
  | { t: 'connect'; clients: ClientSpec[] }
  | { t: 'start'; period: number }
  | { t: 'stop' }
  | { t: 'report' }
type FromClient =
  | { t: 'connected' }
  | { t: 'report'; latencies: number[]; cpuMs: number }
  | { t: 'error'; message: string }

class Client {
  readonly doc = new Y.Doc()
  ws!: WebSocket
  synced = false
  constructor(
    readonly spec: ClientSpec,
    private readonly onLatency: (ms: number) => void,
  ) {
    // every writer writes into its own array; receivers measure on insert
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this || !this.ws || this.ws.readyState !== WebSocket.OPEN) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeUpdate(e, update)
      this.ws.send(encoding.toUint8Array(e))
    })
    for (const w of spec.writerIds) {
      if (w === spec.id) continue
      this.doc.getArray<number>(`w${w}`).observe((ev) => {
        const now = clock()
        for (const d of ev.changes.delta) if (d.insert) for (const t of d.insert as number[]) this.onLatency(now - t)
      })
    }
  }
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.spec.url, { perMessageDeflate: false })
      this.ws.binaryType = 'arraybuffer'
      this.ws.on('open', () => {
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 0)
        syncProtocol.writeSyncStep1(e, this.doc)
        this.ws.send(encoding.toUint8Array(e))
      })
      this.ws.on('message', (data: ArrayBuffer) => {
        const d = decoding.createDecoder(new Uint8Array(data))
        if (decoding.readVarUint(d) !== 0) return
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 0)
        const t = syncProtocol.readSyncMessage(d, e, this.doc, this)
        if (encoding.length(e) > 1) this.ws.send(encoding.toUint8Array(e))
        if (t === syncProtocol.messageYjsSyncStep2 && !this.synced) {
          this.synced = true
          resolve()
        }
      })
      this.ws.on('error', reject)
      this.ws.on('close', (code) => {
        if (!this.synced) reject(new Error(`closed ${code} before sync`))
      })
    })
  }
  write() {
    this.doc.getArray<number>(`w${this.spec.id}`).push([clock()])
  }
  close() {
    this.ws?.close()
    this.doc.destroy()
  }
}

function clientProcess(): void {
  const send = (m: FromClient) => process.send!(m)
  process.on('uncaughtException', (err) => send({ t: 'error', message: `uncaught: ${err.message}` }))
  process.on('unhandledRejection', (err) => send({ t: 'error', message: `unhandled: ${(err as Error).message}` }))
  let clients: Client[] = []
  let latencies: number[] = []
  let measuring = false
  let cpu0 = process.cpuUsage()
  let stops: (() => void)[] = []
  process.on('message', async (m: ToClient) => {
    try {
      if (m.t === 'connect') {
        clients = m.clients.map((spec) => new Client(spec, (ms) => measuring && latencies.push(ms)))
        // in batches so the accept queue is not the thing we measure
        for (let i = 0; i < clients.length; i += 25) await Promise.all(clients.slice(i, i + 25).map((c) => c.connect()))
        send({ t: 'connected' })
      } else if (m.t === 'start') {
        latencies = []
        measuring = true
        cpu0 = process.cpuUsage()
        stops = clients
          .filter((c) => c.spec.writer)
          .map((w) => {
            let h: ReturnType<typeof setInterval> | undefined
            const start = setTimeout(() => (h = setInterval(() => w.write(), m.period)), w.spec.phaseMs)
            return () => {
              clearTimeout(start)
              clearInterval(h)
            }
          })
      } else if (m.t === 'stop') {
        stops.forEach((s) => s())
      } else if (m.t === 'report') {
        measuring = false
        const u = process.cpuUsage(cpu0)
        for (const c of clients) c.close()
        // a large report takes a while through IPC: exit only once it is written
        process.send!({ t: 'report', latencies, cpuMs: (u.user + u.system) / 1000 } satisfies FromClient, () => process.exit(0))
      }
    } catch (err) {
      send({ t: 'error', message: (err as Error).message })
    }
  })
}

// ------------------------------------------------------------------ coordinator

/** copboard exactly as `pnpm start` runs it: the esbuild production bundle. */
function buildCopboard(): string {
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('build.mjs failed')
  return join(serverDir, 'dist', 'main.js')
}

/** The node flags of `pnpm start` (apps/server/package.json), so the bench runs what production runs. */
function startFlags(): string[] {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean)
  const pkg = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const words = pkg.scripts.start.split(/\s+/)
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/main.js') throw new Error(`unexpected start script: ${pkg.scripts.start}`)
  return words.slice(1, -1)
}

/** Writes what production auth needs (CoP, a session per room, a participant token) into DATA_DIR. */
async function seedCopboard(dataDir: string, rooms: number): Promise<{ rooms: string[]; token: string }> {
  const { openStorage } = await import('@copboard/storage')
  const { mintToken } = await import('../src/auth/tokens.js')
  const storage = await openStorage({ dataDir })
  try {
    const cop = await storage.createCop({ name: 'bench', theme: 'bench', coHost: '' })
    const names: string[] = []
    for (let i = 0; i < rooms; i++) {
      const s = await storage.createSession({ copId: cop.id, title: `bench ${i}`, date: '2025-01-01', start: { kind: 'empty' } })
      names.push(s.room)
    }
    const { secret, hash } = mintToken()
    await storage.createToken({ copId: cop.id, role: 'participant', label: 'bench', secretHash: hash })
    return { rooms: names, token: secret }
  } finally {
    await storage.close()
  }
}

async function startServer(kind: ServerKind, dataDir: string, bundle: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=<dir>: V8 CPU profile of the server (written when it exits on SIGTERM)
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const args = kind === 'copboard' ? [...startFlags(), ...prof, bundle] : [...prof, join(benchDir, 'reference-server.mjs')]
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    // every bench client comes from 127.0.0.1: lift the per-address caps (the per-connection limits stay)
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production', MAX_CONNECTIONS_PER_ADDRESS: '0', SYNC_UPGRADES_PER_MINUTE: '1000000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /listening (ws:\S+)/.exec(out) ?? /running at http(:\/\/\S+?)\/? /.exec(out)
      if (m) resolve(m[1].startsWith('ws:') ? m[1] : `ws${m[1]}/sync`)
    })
    child.once('exit', (c) => reject(new Error(`${kind} exited ${c}`)))
  })
  return { child, url }
}

const TICK_MS = 10 // Linux USER_HZ = 100
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS // utime + stime
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : 0
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

interface Result {
  p50: number
  p99: number
  deliveriesPerSec: number
  expectedPerSec: number
  cpuMsPerDelivery: number
  cpuPct: number
  clientCpuPct: number
  rssMiB: number
}

class ClientProc {
  readonly child: ChildProcess
  private waiters: { resolve: (m: FromClient) => void; reject: (e: Error) => void }[] = []
  constructor() {
    this.child = fork(selfFile, ['--client'], { cwd: serverDir, execArgv: ['--import', 'tsx'], stdio: 'inherit' })
    this.child.on('message', (m: FromClient) => {
      if (m.t === 'error') return this.waiters.shift()?.reject(new Error(`client process: ${m.message}`))
      this.waiters.shift()?.resolve(m)
    })
    this.child.on('exit', (code) => {
      for (const w of this.waiters.splice(0)) w.reject(new Error(`client process exited ${code}`))
    })
  }
  send(m: ToClient): void {
    this.child.send(m)
  }
  request(m: ToClient, timeoutMs = 120_000): Promise<FromClient> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process: no answer to ${m.t}`)), timeoutMs)
      this.waiters.push({
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      this.child.send(m)
    })
  }
}

async function run(kind: ServerKind, s: Scenario, bundle: string): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'copboard-bench-'))
  // both servers get the same room names and URLs (the reference ignores the query)
  const seeded = await seedCopboard(dataDir, s.rooms)
  if (kind === 'reference') rmSync(join(dataDir, 'copboard.db'), { force: true })
  const server = await startServer(kind, dataDir, bundle)
  const pid = server.child.pid!
  const procs = Array.from({ length: CLIENT_PROCS }, () => new ClientProc())
  try {
    const specs: ClientSpec[][] = procs.map(() => [])
    const period = 1000 / s.ratePerWriter
    const totalWriters = s.rooms * s.writersPerRoom
    let id = 0
    let writerIndex = 0
    for (const room of seeded.rooms) {
      const url = `${server.url}/${room}?token=${seeded.token}`
      const ids = Array.from({ length: s.clientsPerRoom }, () => id++)
      const writerIds = ids.slice(0, s.writersPerRoom)
      for (const [c, cid] of ids.entries()) {
        const writer = c < s.writersPerRoom
        const phaseMs = writer ? ((writerIndex++ * period) / totalWriters) : 0
        specs[cid % CLIENT_PROCS].push({ id: cid, url, writer, writerIds, phaseMs })
      }
    }
    await Promise.all(procs.map((p, i) => p.request({ t: 'connect', clients: specs[i] })))
    await new Promise((r) => setTimeout(r, 500))
    const cpu0 = cpuMs(pid)
    const t0 = performance.now()
    for (const p of procs) p.send({ t: 'start', period })
    await new Promise((r) => setTimeout(r, SECONDS * 1000))
    for (const p of procs) p.send({ t: 'stop' })
    await new Promise((r) => setTimeout(r, 1000)) // drain
    const reports = (await Promise.all(procs.map((p) => p.request({ t: 'report' })))) as Extract<FromClient, { t: 'report' }>[]
    const elapsed = (performance.now() - t0) / 1000
    const cpu = cpuMs(pid) - cpu0
    const rss = rssMiB(pid)
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const clientCpu = reports.reduce((a, r) => a + r.cpuMs, 0)
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveriesPerSec: latencies.length / SECONDS,
      expectedPerSec: s.rooms * s.writersPerRoom * s.ratePerWriter * (s.clientsPerRoom - 1),
      cpuMsPerDelivery: cpu / Math.max(1, latencies.length),
      cpuPct: (cpu / (elapsed * 1000)) * 100,
      clientCpuPct: (clientCpu / (elapsed * 1000)) * 100,
      rssMiB: rss,
    }
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL')
    server.child.kill(process.env.BENCH_CPU_PROF ? 'SIGTERM' : 'SIGKILL')
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 5000)
    await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)))
    clearTimeout(killer)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const bundle = buildCopboard()
  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-')
  console.log(`sync benchmark: ${SECONDS} s per scenario and server, 127.0.0.1, Node ${process.version}, ${CLIENT_PROCS} client processes\n`)
  const header = ['scenario', 'server', 'p50 ms', 'p99 ms', 'deliveries/s (expected)', 'CPU µs/delivery', 'CPU %', 'RSS MiB', 'client CPU %']
  const rows: string[][] = []
  const only = process.env.BENCH_SCENARIO ? Number(process.env.BENCH_SCENARIO) : null
  for (const [i, s] of scenarios.entries()) {
    if (only !== null && only !== i + 1) continue
    for (const kind of ['copboard', 'reference'] as const) {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== kind) continue
      let r: Result
      try {
        r = await run(kind, s, bundle)
      } catch (err) {
        console.error(`run failed (${(err as Error).message}); retrying once`)
        r = await run(kind, s, bundle)
      }
      rows.push([s.name, kind, fmt(r.p50, 2), fmt(r.p99, 2), `${fmt(r.deliveriesPerSec, 0)} (${r.expectedPerSec})`, fmt(r.cpuMsPerDelivery * 1000, 1), fmt(r.cpuPct, 0), fmt(r.rssMiB, 0), fmt(r.clientCpuPct, 0)])
      console.error(`done: ${s.name} / ${kind}`)
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
  console.log(line(header))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
}

if (process.argv.includes('--client')) clientProcess()
else await main()
