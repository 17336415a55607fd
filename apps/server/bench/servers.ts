/**
 * The servers under test, each in its own child process (CPU and RSS read from /proc/<pid>):
 * - copboard exactly as `pnpm start` runs it: the production bundle dist/main.js with the start
 *   script's node flags, real token auth (a CoP, one session per room and a participant token are
 *   written to its SQLite file first), persistence on (SQLite WAL), LOG_LEVEL=warn;
 * - @y/websocket-server 0.1.1 and @hocuspocus/server 3.4.4, in memory, as their docs start them;
 * - the floor: a bare ws relay (servers/floor.mjs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Dialect } from './wire.js'

/** `base`: copboard from another bundle (BENCH_BASE_BUNDLE), to compare a change within one run. */
export type ServerKind = 'copboard' | 'base' | 'yws' | 'hocuspocus' | 'floor'
export const SERVER_KINDS: ServerKind[] = ['copboard', 'yws', 'hocuspocus', 'floor']
/** Kinds that run copboard (the production bundle with auth and persistence). */
export const isCopboard = (kind: ServerKind) => kind === 'copboard' || kind === 'base'

const benchDir = import.meta.dirname
export const serverDir = join(benchDir, '..')

export interface RunningServer {
  kind: ServerKind
  pid: number
  dialect: Dialect
  /** The floor speaks no sync protocol: a client counts as synced once open. */
  relay: boolean
  dataDir: string
  /** http://127.0.0.1:<port> */
  httpBase: string
  /** Rooms prepared for this run (copboard: sessions with auth), with their client URL. */
  rooms: { url: string; doc: string }[]
  cpuMs(): number
  /** The main thread's time on CPU and waiting for a CPU (run queue), ms. */
  schedMs(): { run: number; wait: number }
  rssMiB(): number
  /** RSS and the V8/native split of it, from the probe (servers/probe.cjs) in the server, MiB. */
  memory(): Promise<MemoryFigures>
  stop(): Promise<void>
}

/** copboard exactly as `pnpm start` runs it: the esbuild production bundle. */
export function buildCopboard(): string {
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('build.mjs failed')
  return join(serverDir, 'dist', 'main.js')
}

/**
 * The environment and node flags of `pnpm start` (apps/server/package.json: `NAME=value … node
 * <flags> dist/main.js`), so the bench runs what production runs; BENCH_NODE_FLAGS replaces them,
 * BENCH_BASE_NODE_FLAGS for the `base` server only (an A/B of flags in one run:
 * BENCH_BASE_BUNDLE=dist/main.js). Both take the same form without node and the script.
 */
function startCommand(kind: ServerKind): { env: Record<string, string>; flags: string[] } {
  const override = kind === 'base' ? (process.env.BENCH_BASE_NODE_FLAGS ?? process.env.BENCH_NODE_FLAGS) : process.env.BENCH_NODE_FLAGS
  let words: string[]
  if (override !== undefined) words = override.split(' ').filter(Boolean)
  else {
    const pkg = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as { scripts: { start: string } }
    words = pkg.scripts.start.split(/\s+/)
    const node = words.indexOf('node')
    if (node < 0 || words[words.length - 1] !== 'dist/main.js') throw new Error(`unexpected start script: ${pkg.scripts.start}`)
    words = [...words.slice(0, node), ...words.slice(node + 1, -1)]
  }
  const env: Record<string, string> = {}
  const flags: string[] = []
  for (const w of words) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(w)
    if (m) env[m[1]] = m[2]
    else flags.push(w)
  }
  return { env, flags }
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

const TICK_MS = 10 // Linux USER_HZ = 100
/** User and system CPU ms of a /proc `stat` line (utime, stime). */
function statCpuMs(stat: string): { user: number; system: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS }
}
export function procCpuMs(pid: number): number {
  const { user, system } = statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  return user + system
}
/**
 * User and system CPU ms of a process's threads: its main (JS) thread, and the others summed by
 * name (V8's helper threads, named "node", compile optimised code and mark for the GC).
 */
export function procThreadCpuMs(pid: number): Map<string, { user: number; system: number }> {
  const byName = new Map<string, { user: number; system: number }>()
  let tasks: string[] = []
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {}
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const cpu = statCpuMs(stat)
      const t = byName.get(name) ?? { user: 0, system: 0 }
      t.user += cpu.user
      t.system += cpu.system
      byName.set(name, t)
    } catch {} // the thread ended
  }
  return byName
}
/** "main user 460 sys 330 · node user 10 sys 0": what each thread (group) used between two readings. */
export function threadCpuDelta(before: ReturnType<typeof procThreadCpuMs>, after: ReturnType<typeof procThreadCpuMs>): string {
  const parts: string[] = []
  for (const [name, t] of after) {
    const b = before.get(name) ?? { user: 0, system: 0 }
    if (t.user - b.user + t.system - b.system > 0) parts.push(`${name} user ${t.user - b.user} sys ${t.system - b.system}`)
  }
  return parts.join(' · ')
}
/** Time on CPU and time runnable but waiting for a CPU of a process's main (JS) thread, ms (Linux schedstat). */
export function procSchedMs(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')
    return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 }
  } catch {
    return { run: NaN, wait: NaN }
  }
}
export function procRssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return NaN
  }
}

/** process.memoryUsage() of a server, in MiB (heapTotal: committed V8 heap; external includes arrayBuffers). */
export interface MemoryFigures {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
  /** Anonymous RSS (/proc/<pid>/smaps_rollup): what the process allocated, without mapped files. */
  anon: number
}

const PROBE = join(benchDir, 'servers', 'probe.cjs')

/** Asks the server's probe for its memory (SIGUSR2; the probe answers in a file). */
async function probeMemory(pid: number, file: string): Promise<MemoryFigures> {
  rmSync(file, { force: true })
  process.kill(pid, 'SIGUSR2')
  for (let i = 0; i < 200 && !existsSync(file); i++) await sleep(10)
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<keyof MemoryFigures, number>
  const mib = (n: number) => n / 1024 / 1024
  const anon = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
  return {
    rss: mib(m.rss),
    heapUsed: mib(m.heapUsed),
    heapTotal: mib(m.heapTotal),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
    anon: anon ? Number(anon[1]) / 1024 : NaN,
  }
}

export function fileMiB(path: string): number {
  try {
    return statSync(path).size / 1024 / 1024
  } catch {
    return 0
  }
}

export async function startServer(
  kind: ServerKind,
  bundle: string,
  opts: { rooms: number; env?: Record<string, string> },
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'copboard-bench-'))
  const seeded = isCopboard(kind) ? await seedCopboard(dataDir, opts.rooms) : null
  // BENCH_CPU_PROF=<dir>: V8 CPU profile of copboard (written when it exits on SIGTERM)
  const prof = process.env.BENCH_CPU_PROF && isCopboard(kind) ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, kind)}`] : []
  const baseBundle = process.env.BENCH_BASE_BUNDLE
  if (kind === 'base' && !baseBundle) throw new Error('BENCH_SERVERS has base: set BENCH_BASE_BUNDLE to a copboard bundle under apps/server/dist/')
  const script = { copboard: bundle, base: baseBundle!, yws: 'servers/yws.mjs', hocuspocus: 'servers/hocuspocus.mjs', floor: 'servers/floor.mjs' }[kind]
  // every server carries the memory probe (servers/probe.cjs)
  const probe = ['--require', PROBE]
  const probeFile = join(dataDir, 'probe.json')
  const start = isCopboard(kind) ? startCommand(kind) : { env: {}, flags: [] }
  const args = isCopboard(kind) ? [...start.flags, ...probe, ...prof, script] : [...probe, join(benchDir, script)]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: serverDir,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'production',
      AUTOSAVE_MINUTES: '0',
      // every bench client comes from 127.0.0.1, and a room holds up to 500 of them
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      MAX_CONNECTIONS_PER_ROOM: '1000',
      BENCH_PROBE_FILE: probeFile,
      SYNC_UPGRADES_PER_MINUTE: '1000000',
      ...start.env,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /listening (ws:\S+)/.exec(out) ?? /running at http(:\/\/\S+?)\/? /.exec(out)
      if (m) resolve(m[1].startsWith('ws:') ? m[1] : `ws${m[1]}/sync`)
    })
    child.once('exit', (c) => reject(new Error(`${kind} exited ${c}`)))
  })
  // BENCH_SERVER_STDOUT=<file>: the server's stdout after start-up into <file>.<kind> (V8 traces: --trace-opt, --trace-deopt)
  if (process.env.BENCH_SERVER_STDOUT) child.stdout!.pipe(createWriteStream(`${process.env.BENCH_SERVER_STDOUT}.${kind}`))
  else child.stdout!.resume()
  const names = seeded?.rooms ?? Array.from({ length: opts.rooms }, (_, i) => `bench-room-${i}`)
  const pid = child.pid!
  return {
    kind,
    pid,
    dialect: kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket',
    relay: kind === 'floor',
    dataDir,
    httpBase: base.replace(/^ws/, 'http').replace(/\/sync$/, ''),
    rooms: names.map((doc) => ({ doc, url: seeded ? `${base}/${doc}?token=${seeded.token}` : `${base}/${doc}` })),
    cpuMs: () => procCpuMs(pid),
    schedMs: () => procSchedMs(pid),
    rssMiB: () => procRssMiB(pid),
    memory: () => probeMemory(pid, probeFile),
    async stop() {
      child.kill(process.env.BENCH_CPU_PROF ? 'SIGTERM' : 'SIGKILL')
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)))
      clearTimeout(killer)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
