/**
 * Memory back to its starting size once no room is loaded (issue 12). V8 collects old garbage
 * only when its heap grows or when its own memory reducer finds the process quiet, which can take
 * minutes, and it keeps the pages of a collected heap committed meanwhile: after 1,200 rooms came
 * and went, 170 MiB of dead documents stayed resident with no room loaded. When the last loaded
 * room unloaded and none loaded for `delayMs`, full collections give those pages back. With no
 * room loaded no edit or delivery waits on the pause, and the live heap it marks is small.
 *
 * The collections free the rooms' buffers too (stored rows, encoded states, socket reads), but
 * glibc keeps the freed pages between blocks still in use: malloc_trim(0) (@copboard/malloc-trim)
 * then hands them back. This replaced malloc tunables (MALLOC_MMAP_THRESHOLD_=8192 and friends)
 * that returned such memory at once but made every block of 8 KiB or more (socket reads, V8's
 * compiler zones) an mmap/munmap pair with fresh page faults, ~50 per delivered edit at 1 x 30
 * (perf stat: 20,762 page faults in 10 s beside yws's 401).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { trimMalloc } from '@copboard/malloc-trim'
import type { RoomEvent } from '@copboard/sync-core'

/** Full collections per reduction: the second and third release the pages the first emptied. */
const COLLECTIONS = 3

export class IdleMemoryReducer {
  private timer: ReturnType<typeof setTimeout> | null = null
  /** Reductions run (for tests and diagnostics). */
  reductions = 0

  private readonly collect: () => void
  private readonly trim: () => unknown
  private readonly delayMs: number

  constructor(
    /** Rooms loaded now. */
    private readonly loadedRooms: () => number,
    opts: {
      /** A full garbage collection; default: V8's, exposed on first use. */
      collect?: () => void
      /** Freed heap pages back to the system; default: glibc's malloc_trim(0) (a no-op where it is not built). */
      trim?: () => unknown
      delayMs?: number
    } = {},
  ) {
    this.collect = opts.collect ?? exposedGc()
    this.trim = opts.trim ?? trimMalloc
    this.delayMs = opts.delayMs ?? 1000
  }

  onRoomEvent = (e: RoomEvent): void => {
    if (e.type === 'loaded') this.cancel()
    else if ((e.type === 'unloaded' || e.type === 'evicted') && this.loadedRooms() === 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        if (this.loadedRooms() > 0) return
        for (let i = 0; i < COLLECTIONS; i++) this.collect()
        // after the collections: they freed the buffers whose pages it returns
        this.trim()
        this.reductions++
      }, this.delayMs)
      this.timer.unref()
    }
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

/** V8's `gc()` without the --expose-gc flag on the command line (looked up once, when first called). */
function exposedGc(): () => void {
  let gc: (() => void) | null = null
  return () => {
    if (!gc) {
      setFlagsFromString('--expose-gc')
      gc = runInNewContext('gc') as () => void
    }
    gc()
  }
}
