/**
 * Sync benchmark: copboard vs the reference @y/websocket-server 0.1.1, same load, each server in
 * its own child process (CPU and RSS read from /proc/<pid>). 127.0.0.1 only, bounded duration.
 *   pnpm bench            (BENCH_SECONDS=10 per scenario and server by default)
 * Latency = writer send -> receiver applied (same process clock). CPU per delivery = server CPU
 * time during the window / deliveries. Note: copboard persists every update to SQLite (WAL)
 * before broadcasting; the reference keeps documents in memory only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const benchDir = import.meta.dirname
const serverDir = join(benchDir, '..')

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

/** copboard runs as production does: bundled by esbuild (like build.mjs), not under tsx. */
let copboardBundle: string | null = null
async function bundleCopboard(): Promise<string> {
  if (copboardBundle) return copboardBundle
  const { build } = await import('esbuild')
  const outfile = join(serverDir, 'dist', 'bench-copboard-server.js')
  await build({
    entryPoints: [join(benchDir, 'copboard-server.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'external-node-modules',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@copboard/') ? undefined : { path: args.path, external: true }))
        },
      },
    ],
  })
  copboardBundle = outfile
  return outfile
}

async function startServer(kind: ServerKind): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'copboard-bench-'))
  // COPBOARD_BENCH_BUNDLE=1 runs an esbuild bundle (needs every runtime dep resolvable from apps/server)
  const copboardArgs = process.env.COPBOARD_BENCH_BUNDLE === '1' ? [await bundleCopboard()] : ['--import', 'tsx', join(benchDir, 'copboard-server.ts')]
  const args = kind === 'copboard' ? copboardArgs : [join(benchDir, 'reference-server.mjs')]
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /listening (ws:\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.once('exit', (c) => reject(new Error(`${kind} exited ${c}`)))
  })
  return { child, url, dataDir }
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

class Client {
  readonly doc = new Y.Doc()
  ws!: WebSocket
  synced = false
  constructor(
    readonly id: number,
    readonly writer: boolean,
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
  }
  watch(writerIds: number[]) {
    for (const w of writerIds) {
      if (w === this.id) continue
      this.doc.getArray<number>(`w${w}`).observe((ev) => {
        const now = performance.now()
        for (const d of ev.changes.delta) if (d.insert) for (const t of d.insert as number[]) this.onLatency(now - t)
      })
    }
  }
  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(url, { perMessageDeflate: false })
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
    })
  }
  write() {
    this.doc.getArray<number>(`w${this.id}`).push([performance.now()])
  }
  close() {
    this.ws?.close()
    this.doc.destroy()
  }
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
  rssMiB: number
}

async function run(kind: ServerKind, s: Scenario): Promise<Result> {
  const server = await startServer(kind)
  const pid = server.child.pid!
  const latencies: number[] = []
  let measuring = false
  const clients: Client[] = []
  try {
    let id = 0
    const rooms: { name: string; clients: Client[]; writers: Client[] }[] = []
    for (let r = 0; r < s.rooms; r++) {
      const name = `bench-${r}`
      const cs: Client[] = []
      for (let c = 0; c < s.clientsPerRoom; c++) {
        const cl = new Client(id++, c < s.writersPerRoom, (ms) => measuring && latencies.push(ms))
        cs.push(cl)
        clients.push(cl)
      }
      const writerIds = cs.filter((c) => c.writer).map((c) => c.id)
      for (const c of cs) c.watch(writerIds)
      rooms.push({ name, clients: cs, writers: cs.filter((c) => c.writer) })
    }
    // connect in batches so the accept queue is not the thing we measure
    const all = rooms.flatMap((r) => r.clients.map((c) => ({ c, room: r.name })))
    for (let i = 0; i < all.length; i += 50) {
      await Promise.all(all.slice(i, i + 50).map(({ c, room }) => c.connect(`${server.url}/${room}`)))
    }
    await new Promise((r) => setTimeout(r, 500))
    const writers = rooms.flatMap((r) => r.writers)
    const cpu0 = cpuMs(pid)
    const t0 = performance.now()
    measuring = true
    // each writer on its own phase-shifted interval
    const period = 1000 / s.ratePerWriter
    const timers = writers.map((w, i) => {
      let h: ReturnType<typeof setInterval>
      const start = setTimeout(() => (h = setInterval(() => w.write(), period)), (i * period) / writers.length)
      return () => {
        clearTimeout(start)
        clearInterval(h)
      }
    })
    await new Promise((r) => setTimeout(r, SECONDS * 1000))
    timers.forEach((stop) => stop())
    await new Promise((r) => setTimeout(r, 1000)) // drain
    measuring = false
    const elapsed = (performance.now() - t0) / 1000
    const cpu = cpuMs(pid) - cpu0
    const rss = rssMiB(pid)
    latencies.sort((a, b) => a - b)
    const receiversPerWriter = s.clientsPerRoom - 1
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveriesPerSec: latencies.length / SECONDS,
      expectedPerSec: s.rooms * s.writersPerRoom * s.ratePerWriter * receiversPerWriter,
      cpuMsPerDelivery: cpu / Math.max(1, latencies.length),
      cpuPct: (cpu / (elapsed * 1000)) * 100,
      rssMiB: rss,
    }
  } finally {
    for (const c of clients) c.close()
    server.child.kill('SIGKILL')
    await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)))
    rmSync(server.dataDir, { recursive: true, force: true })
  }
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-')
console.log(`sync benchmark: ${SECONDS} s per scenario and server, 127.0.0.1, Node ${process.version}\n`)
const header = ['scenario', 'server', 'p50 ms', 'p99 ms', 'deliveries/s (expected)', 'CPU µs/delivery', 'CPU %', 'RSS MiB']
const rows: string[][] = []
for (const s of scenarios) {
  for (const kind of ['copboard', 'reference'] as const) {
    const r = await run(kind, s)
    rows.push([s.name, kind, fmt(r.p50, 2), fmt(r.p99, 2), `${fmt(r.deliveriesPerSec, 0)} (${r.expectedPerSec})`, fmt(r.cpuMsPerDelivery * 1000, 1), fmt(r.cpuPct, 0), fmt(r.rssMiB, 0)])
    console.error(`done: ${s.name} / ${kind}`)
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
console.log(line(header))
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
for (const r of rows) console.log(line(r))
