/**
 * `pnpm bench`: the measures of issue 12 — copboard against @y/websocket-server 0.1.1,
 * @hocuspocus/server 3.4.4 and the floor (a bare ws relay), each server in its own process,
 * 127.0.0.1 only, bounded runs. Writes a Markdown table and a JSON file (BENCH_OUT, default
 * apps/server/bench/results/latest.{md,json}). Not part of `pnpm test`.
 *
 * Env: BENCH_QUICK=1 (short runs, for iteration) · BENCH_SECONDS (per delivery run; 8, quick 3) ·
 *      BENCH_WARM (s of the same load before each measured delivery run, not measured; 12, quick 1) ·
 *      BENCH_WARM_SPEEDUP (the warm-up sends up to this many times the load's rate, at most 40,000
 *      deliveries and 2,000 edits per s; 10, 1 = the load's own rate) · BENCH_CPU_SPLIT=1 (debug: each delivery run
 *      prints the server's CPU by thread, main and V8's helpers: JIT compiles show there) ·
 *      BENCH_THREADS (load generator threads, 2) · BENCH_SERVERS=copboard,yws,… (add `base` with
 *      BENCH_BASE_BUNDLE=<a copboard dist/main.js under apps/server/dist/> to compare a change with
 *      its baseline in the same run; BENCH_BASE_NODE_FLAGS: other node flags for it) ·
 *      BENCH_NODE_FLAGS (node flags of copboard instead of the start script's, NAME=value words
 *      being its environment, as in the start script) ·
 *      BENCH_ONLY=delivery,latejoin,storm,cursors,crowd,memory,churn,browser · BENCH_LOADS=1,2,3 · BENCH_REPEAT (delivery
 *      runs per server and load, median taken; 3, quick 1) · BENCH_CPU_PROF=<dir> (copboard
 *      --cpu-prof, into <dir>/<kind>) · BENCH_SERVER_STDOUT=<file> (each server's stdout after
 *      start-up into <file>.<kind>: V8's --trace-opt/--trace-deopt in BENCH_NODE_FLAGS) · BENCH_PROBE_GC=1 (debug: every server collects its
 *      garbage before the memory probe reads it, servers/probe.cjs) · BENCH_LAT_HIST=1 (debug: each
 *      delivery run prints its latency percentiles, p10 to max) · BENCH_OUT=<dir>.
 */
import { execSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOADS, crowd, delivery, lateJoin, storm } from './scenarios.js'
import { cursors } from './scenarios-cursors.js'
import { churn, memory } from './scenarios-memory.js'
import type { BenchConfig } from './scenarioKit.js'
import { SERVER_KINDS, buildCopboard, serverDir, type ServerKind } from './servers.js'
import { renderMarkdown, type BenchResults } from './report.js'

const quick = process.env.BENCH_QUICK === '1'
const only = process.env.BENCH_ONLY?.split(',')
const wants = (s: string) => !only || only.includes(s)
const servers = (process.env.BENCH_SERVERS?.split(',') as ServerKind[] | undefined) ?? SERVER_KINDS
const repeat = Number(process.env.BENCH_REPEAT ?? (quick ? 1 : 3))
const outDir = process.env.BENCH_OUT ?? join(import.meta.dirname, 'results')

const cfg: BenchConfig = {
  quick,
  seconds: Number(process.env.BENCH_SECONDS ?? (quick ? 3 : 8)),
  warmSeconds: nonNegative('BENCH_WARM', quick ? 1 : 12),
  warmSpeedup: Math.max(1, nonNegative('BENCH_WARM_SPEEDUP', 10)),
  threads: Number(process.env.BENCH_THREADS ?? 2),
  bundle: buildCopboard(),
}

function nonNegative(name: string, def: number): number {
  const v = Number(process.env[name] ?? def)
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number of seconds >= 0, got ${process.env[name]}`)
  return v
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')
const results: BenchResults = {
  startedAt: new Date().toISOString(),
  node: process.version,
  quick,
  seconds: cfg.seconds,
  warmSeconds: cfg.warmSeconds,
  warmSpeedup: cfg.warmSpeedup,
  generatorThreads: cfg.threads,
  repeat,
  loadBefore: load(),
  loadAfter: '',
  delivery: {},
  lateJoin: {},
  storm: {},
  cursors: {},
  crowd: {},
  memory: {},
  churn: {},
  browser: null,
  errors: [],
}

async function attempt<T>(label: string, fn: () => Promise<T>): Promise<T | null> {
  for (let i = 0; i < 2; i++) {
    try {
      const r = await fn()
      console.error(`done: ${label} (load ${load()})`)
      return r
    } catch (err) {
      console.error(`failed: ${label}: ${(err as Error).message}${i === 0 ? ' (retrying once)' : ''}`)
      if (i === 1) results.errors.push(`${label}: ${(err as Error).message}`)
    }
  }
  return null
}

const median = <T>(runs: T[], key: (r: T) => number): T => [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]

if (wants('delivery')) {
  // BENCH_LOADS=1,3: only those delivery loads (1 × 30, 100 × 10, 1 × 200)
  const loads = process.env.BENCH_LOADS ? process.env.BENCH_LOADS.split(',').map((i) => LOADS[Number(i) - 1]) : LOADS
  for (const l of loads) {
    results.delivery[l.name] = {}
    // the servers interleaved per repetition, so a change of machine load hits all of them
    const runs: Record<string, Awaited<ReturnType<typeof delivery>>[]> = {}
    for (let i = 0; i < repeat; i++) {
      for (const kind of servers) {
        const r = await attempt(`delivery ${l.name} / ${kind} #${i + 1}`, () => delivery(kind, l, cfg))
        if (r) (runs[kind] ??= []).push(r)
      }
    }
    for (const [kind, rs] of Object.entries(runs)) {
      results.delivery[l.name][kind] = {
        ...median(rs, (r) => r.cpuUsPerDelivery),
        runs: rs.map((r) => r.cpuUsPerDelivery),
        // each latency percentile is its own median over the runs (not the CPU-median run's), with its runs beside it
        p50: median(rs, (r) => r.p50).p50,
        p99: median(rs, (r) => r.p99).p99,
        p50Runs: rs.map((r) => r.p50),
        p99Runs: rs.map((r) => r.p99),
      }
    }
  }
}
const syncServers = servers.filter((k) => k !== 'floor')
if (wants('latejoin')) for (const k of syncServers) results.lateJoin[k] = await attempt(`late join / ${k}`, () => lateJoin(k, cfg))
if (wants('storm')) for (const k of syncServers) results.storm[k] = await attempt(`storm / ${k}`, () => storm(k, cfg))
if (wants('cursors')) for (const k of syncServers) results.cursors![k] = await attempt(`cursors / ${k}`, () => cursors(k, cfg))
if (wants('crowd')) for (const k of syncServers) results.crowd[k] = await attempt(`crowd / ${k}`, () => crowd(k, cfg, quick ? 200 : 500))
if (wants('memory')) for (const k of syncServers) results.memory[k] = await attempt(`memory / ${k}`, () => memory(k, cfg))
if (wants('churn')) for (const k of syncServers) results.churn[k] = await attempt(`churn / ${k}`, () => churn(k, cfg))

if (wants('browser')) {
  // bench:render needs the built web app; it builds it when missing (vite, about a minute)
  const webDir = join(serverDir, '..', 'web')
  if (!existsSync(join(webDir, 'dist', 'index.html'))) execSync('pnpm build', { cwd: webDir, stdio: 'inherit' })
  const json = join(tmpdir(), `copboard-bench-render-${process.pid}.json`)
  const r = spawnSync('pnpm', ['bench:render'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, NOTES: quick ? '1000' : '2000', BENCH_JSON: json, BENCH_WRITE_SECONDS: quick ? '4' : '10' },
    timeout: 300_000,
  })
  if (r.status === 0 && existsSync(json)) {
    results.browser = JSON.parse(readFileSync(json, 'utf8'))
    rmSync(json)
  } else results.errors.push(`browser: bench:render exited ${r.status}`)
}

results.loadAfter = load()
mkdirSync(outDir, { recursive: true })
const md = renderMarkdown(results)
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n')
writeFileSync(join(outDir, 'latest.md'), md)
console.log(md)
console.log(`written: ${join(outDir, 'latest.md')} and latest.json`)
process.exit(0)
