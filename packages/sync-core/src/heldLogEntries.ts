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

export class HeldLogEntries {
  private held = new Set<string>()
  /** Digests added since the running compaction composed its state (null: none running). */
  private addedSinceCompose: Set<string> | null = null
  private composedDigest = ''

  /** `entry` is in the log (or is being appended) and the document holds it. */
  add(entry: Uint8Array): void {
    const d = digest(entry)
    if (this.held.size >= MAX_HELD_DIGESTS) this.held.clear()
    this.held.add(d)
    this.addedSinceCompose?.add(d)
  }

  /**
   * The state that replaces `entries` (the log as the compaction read it): the document's, after
   * `applyForeign` gave it each entry it was not known to hold (it throws for a malformed one:
   * the compaction fails and the log stays as it was).
   */
  compose(doc: Y.Doc, entries: readonly Uint8Array[], applyForeign: (entry: Uint8Array) => void): Uint8Array {
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
