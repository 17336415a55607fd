// What a load generator thread (loadgen-worker.mjs) records about itself: latencies in a growable
// buffer, and its own CPU and run-queue wait (Linux schedstat: ns on CPU, ns waiting to run).
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Latencies (ms) in a Float64Array that doubles when full; `take()` hands them over (transferable). */
export class LatencyLog {
  constructor(initial) {
    this.values = new Float64Array(initial)
    this.length = 0
  }

  push(ms) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2)
      bigger.set(this.values)
      this.values = bigger
    }
    this.values[this.length++] = ms
  }

  reset() {
    this.length = 0
  }

  /** A copy of what was recorded (its buffer can be transferred). */
  take() {
    return this.values.slice(0, this.length)
  }
}

function schedstat() {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')
    return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 }
  } catch {
    return { run: NaN, wait: NaN }
  }
}

/** This thread's CPU since the last `mark()`. */
export class ThreadCpu {
  constructor() {
    this.mark()
  }

  mark() {
    this.start = { t: performance.now(), s: schedstat(), elu: performance.eventLoopUtilization() }
  }

  sinceMark() {
    const s = schedstat()
    return {
      wallMs: performance.now() - this.start.t,
      runMs: s.run - this.start.s.run,
      waitMs: s.wait - this.start.s.wait,
      elu: performance.eventLoopUtilization(this.start.elu).utilization,
    }
  }
}
