/** The bench's Markdown table: each figure with the load generator's CPU beside it and the ratios. */
import { WARM_MAX_DELIVERIES_PER_SEC, WARM_MAX_EDITS_PER_SEC } from './scenarioKit.js'
type Fig = Record<string, number | boolean | number[] | string> | null
type PerServer = Record<string, Fig>

export interface BenchResults {
  startedAt: string
  node: string
  quick: boolean
  seconds: number
  /** Unmeasured warm-up before each delivery run (absent in results before session 6). */
  warmSeconds?: number
  /** The warm-up's rate as a multiple of the load's (absent before session 11: 1). */
  warmSpeedup?: number
  generatorThreads: number
  repeat: number
  loadBefore: string
  loadAfter: string
  delivery: Record<string, PerServer>
  lateJoin: PerServer
  storm: PerServer
  /** CoP load with cursors moving (absent before session 16). */
  cursors?: PerServer
  crowd: PerServer
  memory: PerServer
  churn: PerServer
  browser: Record<string, number | string> | null
  errors: string[]
}

const SERVERS = ['copboard', 'base', 'yws', 'hocuspocus', 'floor'] as const

const fmt = (n: unknown, d = 1) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : '–')
const num = (f: Fig, k: string) => (f && typeof f[k] === 'number' ? (f[k] as number) : NaN)
/**
 * Beside a figure: the generator's CPU (% of one core, all threads), the server's main thread busy
 * %, and who set the pace when somebody did (scenarioKit.ts whoLimits).
 */
function paceNote(f: Fig, genKey = 'generatorCpuPct'): string {
  if (!f) return ''
  const gen = genKey === 'generatorCpuMs' ? `gen ${fmt(num(f, genKey), 0)} ms CPU` : `gen ${fmt(num(f, genKey), 0)} %`
  const busiest = Number.isFinite(num(f, 'generatorBusiestThreadPct')) ? `, busiest thread ${fmt(num(f, 'generatorBusiestThreadPct'), 0)} %` : ''
  const srv = Number.isFinite(num(f, 'serverBusyPct')) ? `; srv ${fmt(num(f, 'serverBusyPct'), 0)} %` : ''
  const short = num(f, 'writesPlanned') > 0 && num(f, 'writesSent') < 0.98 * num(f, 'writesPlanned') ? `; sent ${num(f, 'writesSent')}/${num(f, 'writesPlanned')} writes` : ''
  const waits = `waits for a CPU: gen ${fmt(num(f, 'generatorWaitPct'), 0)} %, srv ${fmt(num(f, 'serverWaitPct'), 0)} %`
  const limit = typeof f.limit === 'string' && f.limit !== 'none' ? `; ⚠ ${f.limit}${f.machineLimited ? ` (${waits})` : ''}` : f.generatorLimited ? '; ⚠ generator' : ''
  return ` (${gen}${busiest}${srv}${short}${limit})`
}
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–')

interface Row {
  measure: string
  values: Record<string, string>
  copboard: number
  others: Record<string, number>
  goal: string
}

function row(measure: string, per: PerServer, key: string, cell: (f: Fig) => string, goal: string): Row {
  const values: Record<string, string> = {}
  const others: Record<string, number> = {}
  for (const s of SERVERS) {
    values[s] = per[s] === undefined ? '' : cell(per[s])
    others[s] = num(per[s] ?? null, key)
  }
  return { measure, values, copboard: others.copboard, others, goal }
}

/** The spread of a median's runs, " [min–max]": a ratio inside it is no difference (the machine is shared). */
function runsRange(f: Fig, key = 'runs', digits?: number): string {
  const all = f ? (f as Record<string, unknown>)[key] : undefined
  const runs = Array.isArray(all) ? all.filter((x): x is number => Number.isFinite(x)) : []
  return runs.length > 1 ? ` [${fmt(Math.min(...runs), digits)}–${fmt(Math.max(...runs), digits)}]` : ''
}

export function renderMarkdown(r: BenchResults): string {
  const out: string[] = []
  out.push(`# copboard sync benchmark${r.quick ? ' (quick mode)' : ''}`)
  out.push('')
  out.push(
    `${r.startedAt} · Node ${r.node} · 127.0.0.1 · load average before ${r.loadBefore}, after ${r.loadAfter} · ` +
      `delivery runs ${r.seconds} s${r.warmSeconds ? ` after ${r.warmSeconds} s of the same load${(r.warmSpeedup ?? 1) > 1 ? ` at up to ${r.warmSpeedup}× its rate (≤ ${WARM_MAX_DELIVERIES_PER_SEC.toLocaleString('en')} deliveries and ${WARM_MAX_EDITS_PER_SEC.toLocaleString('en')} edits per s)` : ''} (warm-up, not measured)` : ''}, median of ${r.repeat} (CPU and CoP latency rows: [the runs' range]; each latency percentile is its own median) · load generator: ${r.generatorThreads} threads of raw WebSocket clients (bench/rawws.mjs) with pre-encoded frames; ` +
      `storm and crowd clients send every awareness change back as the stock y-websocket provider does. ` +
      `Beside each figure: "gen" = the generator's CPU (% of one core, all threads), its busiest thread's time on CPU, "srv" = the server's main thread's time on CPU (% of wall clock). ` +
      `**⚠ generator** / **⚠ server** = that thread was on a CPU ≥ 85 % of the time (it set the pace); **⚠ machine** = the generator or the server waited for a CPU ≥ 25 % of the time (other processes on the 2 cores set the pace; Linux schedstat).`,
  )
  out.push('')
  const rows: Row[] = []
  for (const [load, per] of Object.entries(r.delivery)) {
    rows.push(
      row(`CPU µs per delivery, ${load}`, per, 'cpuUsPerDelivery', (f) =>
        f ? `${fmt(num(f, 'cpuUsPerDelivery'))}${runsRange(f)}${paceNote(f)}` : 'failed', '≤ 1.1× floor'),
    )
  }
  const cop = Object.entries(r.delivery).find(([k]) => k.startsWith('1 × 30'))?.[1]
  if (cop) {
    rows.push(row('p50 latency ms at CoP load (1 × 30)', cop, 'p50', (f) => `${fmt(num(f, 'p50'), 2)}${runsRange(f, 'p50Runs', 2)}`, '≤ 1× yws'))
    rows.push(row('p99 latency ms at CoP load (1 × 30)', cop, 'p99', (f) => `${fmt(num(f, 'p99'), 2)}${runsRange(f, 'p99Runs', 2)}`, '≤ 1× yws'))
  }
  // the other loads' tails (the ratio is of the p99): a stall of the server shows here first
  for (const [load, per] of Object.entries(r.delivery)) {
    if (load.startsWith('1 × 30')) continue
    rows.push(row(`p50 / p99 latency ms, ${load}`, per, 'p99', (f) => (f ? `${fmt(num(f, 'p50'), 2)} / ${fmt(num(f, 'p99'), 2)}` : 'failed'), 'reported'))
  }
  if (Object.keys(r.lateJoin).length)
    rows.push(row('late join, 20,000-entry board (800 notes): ms to synced, median', r.lateJoin, 'medianMs', (f) => (f ? `${fmt(num(f, 'medianMs'))} (${fmt(num(f, 'stateKiB'), 0)} KiB; srv ${fmt(num(f, 'serverCpuMsPerJoin'))} ms, gen ${fmt(num(f, 'generatorCpuMsPerJoin'))} ms CPU per join)` : 'failed'), '≤ 0.7× yws'))
  if (Object.keys(r.storm).length) {
    rows.push(row('connect storm, 500 into one room: ms until all synced', r.storm, 'allSyncedMs', (f) => (f ? `${fmt(num(f, 'allSyncedMs'), 0)}${paceNote(f, 'generatorCpuMs')}` : 'failed'), '≤ 0.5× yws'))
    rows.push(row('connect storm: server CPU ms (awareness frames per client)', r.storm, 'serverCpuMs', (f) => (f ? `${fmt(num(f, 'serverCpuMs'), 0)} (${fmt(num(f, 'awarenessFramesPerClient'), 0)})` : 'failed'), '–'))
    rows.push(row('connect storm: ms until every client saw all 499 others', r.storm, 'allAwarenessMs', (f) => (f ? `${fmt(num(f, 'allAwarenessMs'), 0)}${num(f, 'incompleteAwareness') ? ` (${num(f, 'incompleteAwareness')} incomplete)` : ''}` : 'failed'), '–'))
  }
  if (r.cursors && Object.keys(r.cursors).length) {
    const c = r.cursors
    const moved = (f: Fig) => (f && num(f, 'cursorDeliveredOfSent') < 0.99 ? `; ${fmt(100 * num(f, 'cursorDeliveredOfSent'), 0)} % of moves delivered` : '')
    rows.push(row('CoP with cursors (1 × 30, 5 writers × 10/s, 10 cursors × 20/s, echoed): cursor p50 / p99 ms', c, 'cursorP99', (f) => (f ? `${fmt(num(f, 'cursorP50'), 2)} / ${fmt(num(f, 'cursorP99'), 2)}${moved(f)}` : 'failed'), 'reported'))
    rows.push(row('CoP with cursors: edit p50 / p99 ms', c, 'p99', (f) => (f ? `${fmt(num(f, 'p50'), 2)} / ${fmt(num(f, 'p99'), 2)}` : 'failed'), 'reported'))
    rows.push(row('CoP with cursors: server CPU % (awareness frames per client per s)', c, 'serverCpuPct', (f) => (f ? `${fmt(num(f, 'serverCpuPct'), 1)} (${fmt(num(f, 'awarenessFramesPerClientPerSec'), 0)})${paceNote(f)}` : 'failed'), 'reported'))
  }
  if (Object.keys(r.crowd).length) {
    rows.push(row('crowd (500 in one room, awareness renewals, 20 writers × 5/s): dropped sockets', r.crowd, 'dropped', (f) => (f ? `${num(f, 'dropped')} (+${num(f, 'failedConnects')} failed connects)` : 'failed'), '0'))
    rows.push(row('crowd: p99 latency ms', r.crowd, 'p99', (f) => (f ? `${fmt(num(f, 'p99'))} (p50 ${fmt(num(f, 'p50'))}; ${fmt(num(f, 'deliveriesPerSec'), 0)} of ${fmt(num(f, 'expectedPerSec'), 0)} deliveries/s)${paceNote(f)}` : 'failed'), '< 250'))
    rows.push(row('crowd: CPU the full load needs, % of one core: server main thread / busiest generator thread', r.crowd, 'serverCoreNeededPct', (f) => (f ? `${fmt(num(f, 'serverCoreNeededPct'), 0)} / ${fmt(num(f, 'generatorThreadNeededPct'), 0)}` : 'failed'), '< 100 (else that one is the limit)'))
    rows.push(row('crowd: server CPU % (awareness frames per client per s)', r.crowd, 'serverCpuPct', (f) => (f ? `${fmt(num(f, 'serverCpuPct'), 0)} (${fmt(num(f, 'awarenessFramesPerClientPerSec'))})` : 'failed'), '–'))
    rows.push(row('crowd: server RSS max MiB', r.crowd, 'rssMaxMiB', (f) => fmt(num(f, 'rssMaxMiB'), 0), '< 1024'))
  }
  if (Object.keys(r.memory).length) {
    rows.push(row('memory per connection KiB', r.memory, 'perConnKiB', (f) => fmt(num(f, 'perConnKiB')), '≤ 1× yws'))
    rows.push(row('memory per loaded room KiB (200-note board)', r.memory, 'perRoomKiB', (f) => fmt(num(f, 'perRoomKiB')), '≤ 1× yws'))
    rows.push(row('  of it V8 heap used / committed / external KiB', r.memory, 'perRoomHeapUsedKiB', (f) => (f ? `${fmt(num(f, 'perRoomHeapUsedKiB'))} / ${fmt(num(f, 'perRoomHeapTotalKiB'))} / ${fmt(num(f, 'perRoomExternalKiB'))}` : 'failed'), ''))
  }
  if (Object.keys(r.churn).length) {
    const c = r.churn.copboard
    rows.push(row(`RSS MiB after room churn (${num(c ?? r.churn.yws, 'rooms')} rooms): start → peak → end`, r.churn, 'rssEndMiB', (f) => (f ? `${fmt(num(f, 'rssStartMiB'), 0)} → ${fmt(num(f, 'rssPeakMiB'), 0)} → ${fmt(num(f, 'rssEndMiB'), 0)}` : 'failed'), 'end ≈ start'))
    const split = (f: Fig, when: string) => ['heapUsed', 'heapTotal', 'external', 'anon'].map((k) => fmt(num(f, `${k}${when}MiB`), 0)).join('/')
    rows.push(row('  V8 heap used/committed, external, anonymous RSS MiB: start → end', r.churn, 'rssEndMiB', (f) => (f ? `${split(f, 'Start')} → ${split(f, 'End')}` : 'failed'), ''))
    if (c) rows.push({ measure: 'SQLite WAL MiB / DB MiB after churn', values: { copboard: `${fmt(num(c, 'walMiB'))} / ${fmt(num(c, 'dbMiB'))}` }, copboard: NaN, others: {}, goal: 'WAL ≤ 2× DB' })
  }
  // `base` (copboard from BENCH_BASE_BUNDLE, e.g. before a change) only when it ran
  const base = rows.some((x) => x.values.base)
  out.push(`| measure | copboard |${base ? ' base |' : ''} yws | hocuspocus | floor |${base ? ' ÷ base |' : ''} ÷ yws | ÷ hocuspocus | ÷ floor | goal |`)
  out.push(`|---|---|${base ? '---|---|' : ''}---|---|---|---|---|---|---|`)
  for (const x of rows) {
    out.push(
      `| ${x.measure} | ${x.values.copboard ?? ''} |${base ? ` ${x.values.base ?? ''} |` : ''} ${x.values.yws ?? ''} | ${x.values.hocuspocus ?? ''} | ${x.values.floor ?? ''} |` +
        `${base ? ` ${ratio(x.copboard, x.others.base)} |` : ''} ${ratio(x.copboard, x.others.yws)} | ${ratio(x.copboard, x.others.hocuspocus)} | ${ratio(x.copboard, x.others.floor)} | ${x.goal} |`,
    )
  }
  if (r.browser) {
    const b = r.browser
    out.push('')
    out.push(`Browser (headless chromium, copboard only, ${b.notes} notes): first render (note painted, cold) **${fmt(b.firstRenderMs, 0)} ms**` +
      `${b.coldRuns && Number(b.coldRuns) > 1 ? ` (median of ${b.coldRuns} cold loads [${fmt(b.firstRenderMinMs, 0)}–${fmt(b.firstRenderMaxMs, 0)}])` : ''} (goal < 1500), ` +
      `page main-thread CPU until then ${fmt(b.coldFirstRenderCpuMs, 0)} ms, ` +
      `all notes in store ${fmt(b.allNotesMs, 0)} ms; warm reload first render ${fmt(b.warmFirstRenderMs, 0)} ms. While ${b.writers} remote writers each move a note ${b.rate}×/s ` +
      `for ${b.seconds} s: frame time p50 **${fmt(b.frameP50, 1)} ms**, p95 **${fmt(b.frameP95, 1)} ms**, ${b.longTasks} long tasks (${fmt(b.longTaskMs, 0)} ms in total), ` +
      `${b.movesSeen} remote batches applied for ${b.movesSent} moves sent.`)
  }
  if (r.errors.length) {
    out.push('')
    out.push('Failures: ' + r.errors.map((e) => `\`${e}\``).join('; '))
  }
  out.push('')
  return out.join('\n')
}
