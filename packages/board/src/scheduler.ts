/** When the binding does batched work: local writes (rule 1) and, optionally, remote applies (rule 13). */
export type Scheduler = (flush: () => void) => void

/** Default scheduler: next animation frame (drag updates coalesce per frame), with a timeout
 * fallback because hidden tabs get no frames; microtask in non-browser environments. */
export const frameScheduler: Scheduler = (flush) => {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame
  if (typeof raf === 'function') {
    let done = false
    const run = () => {
      if (done) return
      done = true
      flush()
    }
    raf(run)
    setTimeout(run, 50)
  } else queueMicrotask(flush)
}
/** Flush synchronously (tests). */
export const syncScheduler: Scheduler = (flush) => flush()

export interface PacedSchedulerOptions {
  /**
   * The share of the main thread the scheduled work may take (0.05 to 1; default 0.5): after a
   * run of d ms the next one starts d × (1 / share − 1) ms later at the earliest.
   */
  share?: number
  /** The longest a run is held back, ms (default 250). */
  maxWaitMs?: number
  /** Where a run goes (default `frameScheduler`); one held back waits on `delay` instead. */
  next?: Scheduler
  now?: () => number
  delay?: (run: () => void, ms: number) => void
}

/**
 * Rule 13 (issue 12): remote changes applied in batches that leave the page room to breathe. On a
 * big board every remote batch costs tldraw work in proportion to the board (its rendering and
 * culling caches), ~50 ms per batch on a slow machine; applied every frame, five people moving
 * notes keep the main thread busy and the local user's own input waits. Here a run that took d
 * ms is followed by at least d × (1 / share − 1) ms of other work: runs of up to ~8 ms (share
 * 0.5, 60 Hz) still go every frame, a slow machine gets fewer, larger batches. A run's time
 * includes the microtasks it queued (React renders the change in one), not the work the browser
 * defers further (tldraw's next-frame listeners, style, layout and paint), so the page's share is
 * somewhat less than promised.
 */
export function pacedScheduler(opts: PacedSchedulerOptions = {}): Scheduler {
  const share = Math.min(1, Math.max(0.05, Number.isFinite(opts.share) ? opts.share! : 0.5))
  const maxWaitMs = opts.maxWaitMs ?? 250
  const next = opts.next ?? frameScheduler
  const now = opts.now ?? (typeof performance !== 'undefined' ? () => performance.now() : Date.now)
  const delay = opts.delay ?? ((run, ms) => void setTimeout(run, ms))
  let readyAt = -Infinity
  return (flush) => {
    const run = () => {
      // decided when the run comes up: a batch scheduled during the previous run, or one whose
      // wait another run (the first load's next chunk) used, waits (again); it then runs from
      // the timer: it has coalesced enough, and a hidden tab's frames would add another hop
      const wait = readyAt - now()
      if (wait > 0) return delay(run, Math.min(wait, maxWaitMs))
      const started = now()
      const paced = () => {
        const took = now() - started
        readyAt = Math.max(readyAt, now() + Math.min(maxWaitMs, took * (1 / share - 1)))
      }
      try {
        flush()
      } finally {
        paced()
        queueMicrotask(paced) // again once the microtasks it queued ran
      }
    }
    next(run)
  }
}
