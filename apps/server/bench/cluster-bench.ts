/**
 * Cluster load run (issue 13): the same load against (A) 2 instances behind HAProxy
 * (infra/local-cluster.sh) and (B) one instance reached directly, no proxy — same bundle, same
 * PostgreSQL and Redis, same run, 127.0.0.1 only, bounded.
 *   cd apps/server && npx tsx bench/cluster-bench.ts
 * env: BENCH_SECONDS (15), BENCH_ROOMS (20), BENCH_CLIENTS (6 per room), BENCH_RATE (10 updates/s per writer, 1 writer per room)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const ROOMS = Number(process.env.BENCH_ROOMS ?? 20)
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 6)
const RATE = Number(process.env.BENCH_RATE ?? 10)
const ROOT = join(import.meta.dirname, '../../..')
const clock = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface ClusterInfo {
  proxyUrl: string
  proxyPid: number
  instances: { id: string; port: number; pid: number; url: string }[]
}

function cluster(n: number): { info: ClusterInfo; stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'copboard-bench-'))
  const env = { ...process.env, CLUSTER_DIR: dir, CLUSTER_INSTANCES: String(n), LOG_LEVEL: 'warn' }
  execFileSync(join(ROOT, 'infra/local-cluster.sh'), ['start'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 })
  const info = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as ClusterInfo
  return {
    info,
    stop() {
      execFileSync(join(ROOT, 'infra/local-cluster.sh'), ['stop'], { env, stdio: 'ignore', timeout: 60_000 })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** user+system CPU seconds of a process (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}

async function boards(apiBase: string, n: number): Promise<{ room: string; token: string }[]> {
  const tokenOf = (link: string) => link.slice(link.indexOf('#t=') + 3)
  const r = await fetch(`${apiBase}/api/cops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench CoP' }) })
  const d = (await r.json()) as { cop: { id: string }; session: { room: string }; links: { participant: string; facilitator: string } }
  const token = tokenOf(d.links.participant)
  const out = [{ room: d.session.room, token }]
  while (out.length < n) {
    const s = await fetch(`${apiBase}/api/cops/${d.cop.id}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(d.links.facilitator)}` },
      body: JSON.stringify({ title: `Sessie ${out.length + 1}`, date: '2026-12-01', start: { kind: 'empty' } }),
    })
    out.push({ room: ((await s.json()) as { session: { room: string } }).session.room, token })
  }
  return out
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN
}

async function run(label: string, wsBase: string, apiBase: string, pids: number[]) {
  const rooms = await boards(apiBase, ROOMS)
  const providers: WebsocketProvider[] = []
  const latencies: number[] = []
  let closes = 0
  for (const { room, token } of rooms) {
    for (let c = 0; c < CLIENTS; c++) {
      const doc = new Y.Doc()
      const p = new WebsocketProvider(wsBase, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } })
      p.on('connection-close', () => closes++)
      if (c > 0) {
        doc.getMap<number>('bench').observe((e) => {
          const now = clock()
          for (const k of e.keysChanged) latencies.push(now - (e.target.get(k) as number))
        })
      }
      providers.push(p)
    }
  }
  const t0 = Date.now()
  while (!providers.every((p) => p.synced)) {
    if (Date.now() - t0 > 60_000) throw new Error(`${label}: clients did not sync`)
    await sleep(100)
  }
  latencies.length = 0
  closes = 0
  const cpu0 = pids.map(cpuSeconds)
  const client0 = process.cpuUsage()
  const start = Date.now()
  let sent = 0
  const writers = providers.filter((_, i) => i % CLIENTS === 0)
  const timer = setInterval(() => {
    for (const w of writers) {
      w.doc.getMap<number>('bench').set('t', clock())
      sent++
    }
  }, 1000 / RATE)
  await sleep(SECONDS * 1000)
  clearInterval(timer)
  await sleep(1000)
  const elapsed = (Date.now() - start) / 1000
  const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i])
  const clientCpu = process.cpuUsage(client0)
  const closesDuringRun = closes
  for (const p of providers) p.destroy()
  const sorted = latencies.slice().sort((a, b) => a - b)
  const expected = sent * (CLIENTS - 1)
  return {
    label,
    updatesSent: sent,
    // the writers' timer runs late when the machine is busy: the load is the same schedule, not the same count
    updatesPerSec: Math.round(sent / SECONDS),
    loadAverage: (await import('node:os')).loadavg()[0].toFixed(1),
    deliveries: latencies.length,
    deliveredPct: +((100 * latencies.length) / expected).toFixed(2),
    deliveriesPerSec: Math.round(latencies.length / elapsed),
    p50ms: +quantile(sorted, 0.5).toFixed(1),
    p99ms: +quantile(sorted, 0.99).toFixed(1),
    maxMs: +(sorted.at(-1) ?? NaN).toFixed(1),
    closesDuringRun,
    serverCpuSeconds: cpu.map((c) => +c.toFixed(2)),
    clientCpuSeconds: +((clientCpu.user + clientCpu.system) / 1e6).toFixed(2),
  }
}

const results = []
const two = cluster(2)
try {
  const ws = two.info.proxyUrl.replace('http', 'ws') + '/sync'
  results.push(await run('A: HAProxy + 2 instances', ws, two.info.proxyUrl, [...two.info.instances.map((i) => i.pid), two.info.proxyPid]))
} finally {
  two.stop()
}
const one = cluster(1)
try {
  const direct = one.info.instances[0].url
  results.push(await run('B: 1 instance, direct', direct.replace('http', 'ws') + '/sync', direct, [one.info.instances[0].pid]))
} finally {
  one.stop()
}
console.log(JSON.stringify({ load: { seconds: SECONDS, rooms: ROOMS, clientsPerRoom: CLIENTS, writersPerRoom: 1, ratePerWriter: RATE }, results }, null, 2))
