/**
 * Opening a big board without a cache (issue 12): the server's state arrives as one update of
 * megabytes. While anyone listens to the doc's 'update' event, Yjs encodes every transaction
 * once more for them; for that update the listeners are the IndexedDB cache (which would store
 * it) and the provider (which sends nothing back for the server's own update). That encoding
 * (~10 % of the opening's CPU) is skipped for a big remote transaction, and the cache stores the
 * whole doc later instead (`onSkipped`, once the board has rendered).
 */
import type * as Y from 'yjs'

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void

export interface QuietOptions {
  /** The 'update' listeners to leave out (those that are registered at that moment). */
  listeners: () => UpdateListener[]
  /** True for a transaction whose update need not be encoded for them. */
  skip: (tr: Y.Transaction) => boolean
  /** Called after a transaction was skipped. */
  onSkipped: () => void
}

/** Items a transaction added (Yjs clocks count inserted items and characters). */
export function insertedCount(tr: Y.Transaction): number {
  let n = 0
  tr.afterState.forEach((clock, client) => (n += clock - (tr.beforeState.get(client) ?? 0)))
  return n
}

/** Installs the rule; returns its removal. */
export function skipEncodingOfBigUpdates(doc: Y.Doc, o: QuietOptions): () => void {
  let detached: UpdateListener[] = []
  const reattach = () => {
    for (const l of detached) doc.on('update', l)
    detached = []
  }
  // emitted for each transaction right before Yjs decides whether to encode it
  const onCleanup = (tr: Y.Transaction) => {
    reattach()
    if (!o.skip(tr)) return
    const registered = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')
    detached = o.listeners().filter((l) => registered?.has(l))
    for (const l of detached) doc.off('update', l)
    if (detached.length) o.onSkipped()
  }
  doc.on('afterTransactionCleanup', onCleanup)
  doc.on('afterAllTransactions', reattach)
  return () => {
    doc.off('afterTransactionCleanup', onCleanup)
    doc.off('afterAllTransactions', reattach)
    reattach()
  }
}
