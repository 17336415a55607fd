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
