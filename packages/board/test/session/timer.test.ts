import { describe, expect, it } from 'vitest'
import { addMinutes, clockOffset, formatRemaining, idleTimer, isElapsed, MINUTE, pauseTimer, remainingMs, startTimer, timerForStep, type ClockSample } from '../../src/session'

const SERVER_START = 1_800_000_000_000

/** A client whose clock is `skew` ms off the server's, measuring over a link with the given one-way delays. */
function sample(serverAt: number, skew: number, upMs: number, downMs: number): ClockSample {
  return { sentAt: serverAt - upMs + skew, serverNow: serverAt, receivedAt: serverAt + downMs + skew }
}

describe('S2 timer on server time', () => {
  it('S2.1 start/pause/resume keeps the remaining time, never the wall clock', () => {
    let t = idleTimer(10 * MINUTE)
    t = startTimer(t, SERVER_START)
    expect(remainingMs(t, SERVER_START + 4 * MINUTE)).toBe(6 * MINUTE)
    t = pauseTimer(t, SERVER_START + 4 * MINUTE)
    expect(t).toEqual({ state: 'paused', durationMs: 10 * MINUTE, remainingMs: 6 * MINUTE })
    // a paused timer does not run, whatever time passes
    expect(remainingMs(t, SERVER_START + 60 * MINUTE)).toBe(6 * MINUTE)
    t = startTimer(t, SERVER_START + 30 * MINUTE)
    expect(remainingMs(t, SERVER_START + 31 * MINUTE)).toBe(5 * MINUTE)
    expect(isElapsed(t, SERVER_START + 36 * MINUTE)).toBe(true)
    expect(remainingMs(t, SERVER_START + 40 * MINUTE)).toBe(0)
  })

  it('S2.2 add minutes to running, paused, idle and elapsed timers', () => {
    const running = startTimer(idleTimer(5 * MINUTE), SERVER_START)
    expect(remainingMs(addMinutes(running, 2, SERVER_START + MINUTE), SERVER_START + MINUTE)).toBe(6 * MINUTE)
    // elapsed: +1 gives one minute from now, not from the past end
    const late = addMinutes(running, 1, SERVER_START + 20 * MINUTE)
    expect(remainingMs(late, SERVER_START + 20 * MINUTE)).toBe(MINUTE)
    expect(addMinutes(pauseTimer(running, SERVER_START + MINUTE), 1, 0)).toMatchObject({ state: 'paused', remainingMs: 5 * MINUTE })
    expect(addMinutes(idleTimer(5 * MINUTE), -10, 0)).toEqual(idleTimer(0))
  })

  it('S2.3 clients with skewed clocks show the same remaining time', () => {
    const t = startTimer(idleTimer(15 * MINUTE), SERVER_START)
    const clients = [
      { skew: 0, up: 20, down: 20 },
      { skew: +7 * MINUTE, up: 35, down: 35 }, // clock 7 minutes fast
      { skew: -93_000, up: 5, down: 60 }, // slow clock, asymmetric link
    ]
    const at = SERVER_START + 3 * MINUTE
    const shown = clients.map(({ skew, up, down }) => {
      const samples = [sample(at - 5000, skew, up * 3, down * 3), sample(at - 4000, skew, up, down), sample(at - 3000, skew, up * 2, down)]
      const { offsetMs } = clockOffset(samples)!
      const localNow = at + skew
      return remainingMs(t, localNow + offsetMs)
    })
    // within the RTT/2 error of the worst link (asymmetry 55 ms / 2), far under one second
    for (const s of shown) expect(Math.abs(s - 12 * MINUTE)).toBeLessThanOrEqual(30)
    expect(formatRemaining(shown[1]!)).toBe('12:00')
  })

  it('S2.3 a client whose server-time estimate is behind the starter\'s never shows more than the duration', () => {
    const running = startTimer(idleTimer(20 * MINUTE), 1_000_000)
    expect(remainingMs(running, 1_000_000 - 28)).toBe(20 * MINUTE)
    expect(remainingMs(running, 1_000_000 + 1_000)).toBe(20 * MINUTE - 1_000)
  })

  it('S2.4 clockOffset takes the shortest round trip and ignores broken samples', () => {
    expect(clockOffset([])).toBeNull()
    expect(clockOffset([{ sentAt: 10, serverNow: NaN, receivedAt: 20 }])).toBeNull()
    const r = clockOffset([
      { sentAt: 0, serverNow: 1000, receivedAt: 400 },
      { sentAt: 1000, serverNow: 2050, receivedAt: 1100 },
    ])!
    expect(r).toEqual({ offsetMs: 1000, rttMs: 100 })
  })

  it('S2.5 formatRemaining rounds up to the second and shows hours', () => {
    expect(formatRemaining(0)).toBe('0:00')
    expect(formatRemaining(1)).toBe('0:01')
    expect(formatRemaining(59_001)).toBe('1:00')
    expect(formatRemaining(3_600_000 + 65_000)).toBe('1:01:05')
  })

  it('S1.2 a new step keeps the pace: running stays running with the step minutes', () => {
    const running = startTimer(idleTimer(MINUTE), SERVER_START)
    expect(timerForStep(running, 20, SERVER_START + 5000)).toEqual({ state: 'running', durationMs: 20 * MINUTE, endsAt: SERVER_START + 5000 + 20 * MINUTE })
    expect(timerForStep(pauseTimer(running, SERVER_START), 20, 0)).toEqual(idleTimer(20 * MINUTE))
    expect(timerForStep(null, 5, 0)).toEqual(idleTimer(5 * MINUTE))
  })
})
