/**
 * Timer arithmetic on server time (README rule S2). A running timer stores the server epoch `endsAt`;
 * every client computes `endsAt - serverNow()` with its own measured offset, so all show the same.
 */
import { MAX_TIMER_MS, type TimerState } from './types.js'

export const MINUTE = 60_000

const clampMs = (ms: number) => Math.max(0, Math.min(MAX_TIMER_MS, Math.round(ms)))

export function idleTimer(durationMs: number): TimerState {
  return { state: 'idle', durationMs: clampMs(durationMs) }
}

/**
 * Remaining ms at server time `now`: never negative, never more than the duration (a client whose
 * offset estimate is a few ms behind the starter's would otherwise show 20:00 + 28 ms).
 */
export function remainingMs(t: TimerState, now: number): number {
  if (t.state === 'running') return Math.min(t.durationMs, Math.max(0, t.endsAt - now))
  if (t.state === 'paused') return Math.max(0, t.remainingMs)
  return t.durationMs
}

/** True once a running timer has reached zero. */
export function isElapsed(t: TimerState, now: number): boolean {
  return t.state === 'running' ? t.endsAt <= now : t.state === 'paused' ? t.remainingMs <= 0 : false
}

/** Start from idle (full duration) or resume from pause (what remained). */
export function startTimer(t: TimerState, now: number): TimerState {
  if (t.state === 'running') return t
  const left = t.state === 'paused' ? t.remainingMs : t.durationMs
  return { state: 'running', durationMs: t.durationMs, endsAt: now + clampMs(left) }
}

export function pauseTimer(t: TimerState, now: number): TimerState {
  if (t.state !== 'running') return t
  return { state: 'paused', durationMs: t.durationMs, remainingMs: remainingMs(t, now) }
}

/** Add (or with a negative number take off) minutes; an elapsed running timer restarts from now. */
export function addMinutes(t: TimerState, minutes: number, now: number): TimerState {
  const delta = minutes * MINUTE
  if (t.state === 'running') {
    const left = clampMs(remainingMs(t, now) + delta)
    return { state: 'running', durationMs: clampMs(t.durationMs + delta), endsAt: now + left }
  }
  if (t.state === 'paused') return { state: 'paused', durationMs: clampMs(t.durationMs + delta), remainingMs: clampMs(t.remainingMs + delta) }
  return idleTimer(t.durationMs + delta)
}

export function resetTimer(t: TimerState): TimerState {
  return idleTimer(t.durationMs)
}

/** "12:05" / "1:02:05"; rounds up so that 0:00 shows exactly when the time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

export function isTimerState(v: unknown): v is TimerState {
  if (!v || typeof v !== 'object') return false
  const t = v as Record<string, unknown>
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0
  if (!ok(t.durationMs) || (t.durationMs as number) > MAX_TIMER_MS) return false
  if (t.state === 'idle') return true
  if (t.state === 'running') return ok(t.endsAt)
  if (t.state === 'paused') return ok(t.remainingMs) && (t.remainingMs as number) <= MAX_TIMER_MS
  return false
}

/** One clock sample: client time before the request, the server's time, client time after. */
export interface ClockSample {
  sentAt: number
  serverNow: number
  receivedAt: number
}

/**
 * Offset (serverClock - clientClock) from samples: the sample with the shortest round trip wins
 * (least queueing), its server time taken at the middle of the trip (RTT/2 correction).
 */
export function clockOffset(samples: ClockSample[]): { offsetMs: number; rttMs: number } | null {
  let best: ClockSample | null = null
  for (const s of samples) {
    const rtt = s.receivedAt - s.sentAt
    if (!(rtt >= 0) || !Number.isFinite(s.serverNow)) continue
    if (!best || rtt < best.receivedAt - best.sentAt) best = s
  }
  if (!best) return null
  const rttMs = best.receivedAt - best.sentAt
  return { offsetMs: Math.round(best.serverNow + rttMs / 2 - best.receivedAt), rttMs }
}
