/**
 * §1.6: the full state a joiner without a cache gets (its sync step 2), encoded once and shared.
 * An applied update does not drop it: the encoded state stays as the base, and the updates the
 * document took in since (the tail) go with it as one merged sync-update frame. Once the tail
 * outgrows a quarter of the base or MAX_TAIL_UPDATES updates, or the base is MAX_BASE_AGE_MS old,
 * the next joiner encodes anew. A big board that is edited while people join (a session starting)
 * thus costs one encoding of the whole document per such tail, not one per joiner (~40–120 ms
 * each for 2,000 notes, during which the instance serves nobody else).
 */
import * as Y from 'yjs'
import { encodeSyncStep2, encodeSyncUpdate } from './frames.js'
import { syncStep2Update } from './protocol.js'

/** The tail is dropped (the next joiner encodes the document) beyond this many updates… */
export const MAX_TAIL_UPDATES = 1000
/** …or beyond this share of the base's size (bounds the memory and a joiner's extra bytes)… */
export const MAX_TAIL_SHARE = 0.25
/** …or once the base is this old (a read over HTTP, §1.7, is never older than this). */
export const MAX_BASE_AGE_MS = 30_000

export class SharedFullState {
  /** The base's sync step 2 frame; null until a joiner asks for it, and after a drop. */
  private base: Uint8Array | null = null
  private baseAt = 0
  /** Updates the document took in after the base was encoded, in order (own copies). */
  private tail: Uint8Array[] = []
  private tailBytes = 0
  /** The tail as one sync-update frame, merged when a joiner first needs it. */
  private tailFrame: Uint8Array | null = null

  constructor(
    private readonly doc: Y.Doc,
    private readonly now: () => number = Date.now,
  ) {}

  /** The document took in `update` (every applied update, whatever its origin, in order). */
  changed(update: Uint8Array): void {
    if (!this.base) return
    if (
      this.tail.length >= MAX_TAIL_UPDATES ||
      this.tailBytes + update.byteLength > this.base.byteLength * MAX_TAIL_SHARE ||
      this.now() - this.baseAt > MAX_BASE_AGE_MS
    ) {
      this.drop()
      return
    }
    // a copy: the caller's bytes may be a view into a larger buffer (a received socket chunk)
    this.tail.push(update.slice())
    this.tailBytes += update.byteLength
    this.tailFrame = null
  }

  /**
   * What a joiner whose state vector is empty is sent: the tail (if any), then the base's step 2.
   * The tail first: y-websocket counts a client synced at the step 2, and by then the tail, held
   * as pending until the base arrives, is in the joiner's doc too (§1.2).
   */
  joinerFrames(): Uint8Array[] {
    const base = this.ensureBase()
    if (!this.tail.length) return [base]
    this.tailFrame ??= encodeSyncUpdate(this.tail.length === 1 ? this.tail[0] : Y.mergeUpdates(this.tail))
    return [this.tailFrame, base]
  }

  /**
   * §1.7: the base as one update (a view into the joiners' frame, not a copy). It lacks the tail,
   * if there is one: at most MAX_BASE_AGE_MS of updates, which a client's socket sync brings.
   */
  baseUpdate(): Uint8Array {
    return syncStep2Update(this.ensureBase())
  }

  /** Lets the encoded state go (the room unloads). */
  drop(): void {
    this.base = null
    this.tail = []
    this.tailBytes = 0
    this.tailFrame = null
  }

  private ensureBase(): Uint8Array {
    if (!this.base) {
      this.base = encodeSyncStep2(Y.encodeStateAsUpdate(this.doc))
      this.baseAt = this.now()
    }
    return this.base
  }
}
