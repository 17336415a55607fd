/**
 * Memory back to its starting size once no room is loaded (issue 12). V8 collects old garbage
 * only when its heap grows or when its own memory reducer finds the process quiet, which can take
 * minutes, and it keeps the pages of a collected heap committed meanwhile: after 1,200 rooms came
 * and went, 170 MiB of dead documents stayed resident with no room loaded. When the last loaded
 * room unloaded and none loaded for `delayMs`, full collections give those pages back. With no
 * room loaded no edit or delivery waits on the pause, and the live heap it marks is small.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { RoomEvent } from '@copboard/sync-core'

/** Full collections per reduction: the second and third release the pages the first emptied. */
const COLLECTIONS = 3

export class IdleMemoryReducer {
  private timer: ReturnType<typeof setTimeout> | null = null
  /** Reductions run (for tests and diagnostics). */
  reductions = 0

  constructor(
    /** Rooms loaded now. */
    private readonly loadedRooms: () => number,
    /** A full garbage collection; default: V8's, exposed on first use. */
    private readonly collect: () => void = exposedGc(),
    private readonly delayMs = 1000,
  ) {}

  onRoomEvent = (e: RoomEvent): void => {
    if (e.type === 'loaded') this.cancel()
    else if ((e.type === 'unloaded' || e.type === 'evicted') && this.loadedRooms() === 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        if (this.loadedRooms() > 0) return
        for (let i = 0; i < COLLECTIONS; i++) this.collect()
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
