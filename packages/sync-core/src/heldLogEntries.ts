/**
 * §8.2 A compaction stores the room's document state, not a merge of its log. `Y.mergeUpdates`
 * keeps every overwritten value (a note moved 500 times is stored 500 times), so the stored log,
 * each compaction's merge and every later load grew with the session's edits; the document's
 * state (`Y.encodeStateAsUpdate`, garbage collected) grows only with the board.
 *
 * The state may replace only log entries the document is known to hold: this keeps their digests
 * (entries loaded, appended through the room, and the compaction's own state). An entry it cannot
 * vouch for (written to the log around the room) is applied to the document first, so the state
 * holds it too.
 */
import { hash } from 'node:crypto'
import * as Y from 'yjs'

const digest = (entry: Uint8Array): string => hash('sha256', entry, 'base64')

/**
 * A room whose compactions keep failing (a corrupt entry in its log) never resets its digests:
 * past this many they are forgotten (sound: forgetting only makes a compaction apply more).
 */
export const MAX_HELD_DIGESTS = 20_000

/**
 * PERF (issue 12): entries are digested in batches, not each on its edit's way: a small one is
 * copied into a pending buffer, hashed when the buffer is full or a compaction composes. One
 * SHA-256 per edit, run cold between edits, cost ~30 us at CoP load (3 % of the server's CPU);
 * back to back they cost ~1 us each. The buffer grows up to PENDING_MAX_BYTES and is let go once
 * digested (a loaded room holds no more than that).
 */
const PENDING_MAX_BYTES = 16 * 1024
/** Larger entries are digested at once (hashing dominates their copy, and they would fill the buffer). */
const PENDING_MAX_ENTRY_BYTES = 2 * 1024

export class HeldLogEntries {
  private held = new Set<string>()
  /** Digests added since the running compaction composed its state (null: none running). */
  private addedSinceCompose: Set<string> | null = null
  private composedDigest = ''
  /** Copies of entries added but not digested yet, back to back, up to `pendingBytes`. */
  private pending: Buffer | null = null
  private pendingBytes = 0
  /** Where each pending entry ends. */
  private pendingEnds: number[] = []

  /** `entry` is in the log (or is being appended) and the document holds it. */
  add(entry: Uint8Array): void {
    const n = entry.byteLength
    if (n === 0 || n > PENDING_MAX_ENTRY_BYTES) {
      this.hold(digest(entry))
      return
    }
    if (this.pendingBytes + n > PENDING_MAX_BYTES) this.digestPending()
    const capacity = this.pending?.length ?? 0
    if (this.pendingBytes + n > capacity) {
      // its own memory, not a slice of Node's shared pool (which it would pin)
      const grown = Buffer.allocUnsafeSlow(Math.min(PENDING_MAX_BYTES, Math.max(1024, 2 * (this.pendingBytes + n))))
      if (this.pending) this.pending.copy(grown, 0, 0, this.pendingBytes)
      this.pending = grown
    }
    this.pending!.set(entry, this.pendingBytes)
    this.pendingBytes += n
    this.pendingEnds.push(this.pendingBytes)
  }

  private hold(d: string): void {
    if (this.held.size >= MAX_HELD_DIGESTS) this.held.clear()
    this.held.add(d)
    this.addedSinceCompose?.add(d)
  }

  /** Every entry added so far is in `held`. */
  private digestPending(): void {
    let start = 0
    for (const end of this.pendingEnds) {
      this.hold(digest(this.pending!.subarray(start, end)))
      start = end
    }
    this.pending = null
    this.pendingBytes = 0
    this.pendingEnds = []
  }

  /**
   * The state that replaces `entries` (the log as the compaction read it): the document's, after
   * `applyForeign` gave it each entry it was not known to hold (it throws for a malformed one:
   * the compaction fails and the log stays as it was).
   */
  compose(doc: Y.Doc, entries: readonly Uint8Array[], applyForeign: (entry: Uint8Array) => void): Uint8Array {
    this.digestPending()
    for (const entry of entries) if (!this.held.has(digest(entry))) applyForeign(entry)
    const state = Y.encodeStateAsUpdate(doc)
    this.addedSinceCompose = new Set()
    this.composedDigest = digest(state)
    return state
  }

  /**
   * The composed state replaced the entries read. Held now: it and what was added since; an
   * entry appended between the read and `compose` is forgotten (the next compaction applies it
   * again, a no-op), so nothing removed from the log stays here.
   */
  committed(): void {
    if (!this.addedSinceCompose) return
    this.held = this.addedSinceCompose
    this.held.add(this.composedDigest)
    this.addedSinceCompose = null
  }

  /** The compaction failed: the log is as it was, and so is what is held. */
  failed(): void {
    this.addedSinceCompose = null
  }
}
