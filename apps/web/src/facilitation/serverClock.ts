/**
 * The server's clock as this browser sees it (board SPEC S2): a few GET /api/time samples, the
 * fastest round trip wins, re-measured every minute. `serverNow()` = Date.now() + offset, so a
 * browser whose clock is minutes off still shows the same timer as everyone else.
 */
import { useEffect, useState } from 'react'
import { clockOffset, type ClockSample } from '@copboard/board'

const SAMPLES = 5
const REMEASURE_MS = 60_000

class ServerClock {
  offsetMs = 0
  rttMs: number | null = null
  measured = false
  private timer: ReturnType<typeof setInterval> | null = null
  private users = 0
  private listeners = new Set<() => void>()

  now(): number {
    return Date.now() + this.offsetMs
  }

  async measure(): Promise<void> {
    const samples: ClockSample[] = []
    for (let i = 0; i < SAMPLES; i++) {
      try {
        const sentAt = Date.now()
        const res = await fetch('/api/time', { cache: 'no-store' })
        const receivedAt = Date.now()
        if (!res.ok) continue
        const body = (await res.json()) as { now?: unknown }
        if (typeof body.now === 'number') samples.push({ sentAt, serverNow: body.now, receivedAt })
      } catch {
        /* offline: keep the last offset */
      }
    }
    const r = clockOffset(samples)
    if (!r) return
    this.offsetMs = r.offsetMs
    this.rttMs = r.rttMs
    this.measured = true
    for (const l of this.listeners) l()
  }

  /** Keeps measuring while at least one component uses the clock. */
  retain(onChange: () => void): () => void {
    this.listeners.add(onChange)
    if (this.users++ === 0) {
      void this.measure()
      this.timer = setInterval(() => void this.measure(), REMEASURE_MS)
    }
    return () => {
      this.listeners.delete(onChange)
      if (--this.users === 0 && this.timer) {
        clearInterval(this.timer)
        this.timer = null
      }
    }
  }
}

export const serverClock = new ServerClock()

/** Server time, re-rendered every `everyMs` (default: on each quarter second, for a smooth countdown). */
export function useServerNow(everyMs = 250): number {
  const [now, setNow] = useState(() => serverClock.now())
  useEffect(() => {
    const tick = () => setNow(serverClock.now())
    const release = serverClock.retain(tick)
    const id = setInterval(tick, everyMs)
    return () => {
      release()
      clearInterval(id)
    }
  }, [everyMs])
  return now
}
