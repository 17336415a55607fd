/**
 * §12 Admission of a client's update: apply it in ONE transaction, let the application's policy
 * look at what it touched (the document shows the after-view), and on refusal revert it inside
 * that same transaction before anything leaves the room. The transaction's own `update` event
 * then carries exactly the net effect — the refused content only as deleted, garbage-collected
 * items (no content bytes), the restored values as new items — and that is what is stored and
 * broadcast (to everyone including the sender, whose document thereby returns to the room's).
 * Yjs cannot take back part of an update; this keeps the sender's clock contiguous (its refused
 * items exist on the server, deleted), so its later updates still integrate.
 */
import * as Y from 'yjs'
import { errorMessage } from './logger.js'

/** What the policy learns about the connection an update came from. */
export interface UpdateContext {
  readonly room: string
  readonly connectionId: number
  /** The application's data about the connection (`ConnectOptions.info`, e.g. role, participant id). */
  readonly info: Readonly<Record<string, unknown>> | undefined
}

export type PolicyVerdict = { ok: true } | { ok: false; reason: string; detail?: string }

/** A room's policy: read-only judge of one applied-but-not-yet-committed transaction. */
export interface RoomPolicy {
  check(ctx: UpdateContext, transaction: Y.Transaction): PolicyVerdict
  destroy?(): void
}

/** The application's policy (`RoomManagerOptions.policy`); one RoomPolicy per loaded room. */
export interface UpdatePolicy {
  forRoom(room: string, doc: Y.Doc): RoomPolicy
}

/** Prefix of the permission-denied reason that tells a client its update was refused (§12.3). */
export const POLICY_REASON_PREFIX = 'policy:'

type Store = { pendingStructs: unknown; pendingDs: unknown; clients: Map<number, (Y.Item | Y.GC)[]> }

/**
 * §12.1 Applies `update` under `origin` and judges it. On refusal the transaction is reverted
 * before it ends. Returns the verdict; the caller takes the net update from the doc's `update`
 * event of that transaction (it fires when this returns).
 */
export function admitUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  origin: unknown,
  judge: ((tr: Y.Transaction) => PolicyVerdict) | null,
  revertClientId: number,
  /** Called last inside the transaction (before its cleanup and `update` event), with the verdict and whether the update integrated completely. */
  judged?: (tr: Y.Transaction, verdict: PolicyVerdict, complete: boolean) => void,
): PolicyVerdict {
  const store = doc.store as unknown as Store
  const hadPending = store.pendingStructs !== null || store.pendingDs !== null
  let verdict: PolicyVerdict = { ok: true }
  doc.transact((tr) => {
    try {
      Y.applyUpdate(doc, update, origin)
    } catch (err) {
      verdict = { ok: false, reason: 'invalid-update', detail: errorMessage(err) }
    }
    if (verdict.ok && !hadPending && (store.pendingStructs !== null || store.pendingDs !== null)) {
      // content whose parents or origins the room never saw: it could not be checked (§12.2)
      verdict = { ok: false, reason: 'incomplete-update', detail: 'depends on content the room does not have' }
    }
    if (verdict.ok && judge) {
      try {
        verdict = judge(tr)
      } catch (err) {
        verdict = { ok: false, reason: 'policy-error', detail: errorMessage(err) }
      }
    }
    if (!verdict.ok) {
      if (!hadPending) {
        store.pendingStructs = null
        store.pendingDs = null
      }
      revertTransaction(tr, revertClientId)
    }
    // complete: nothing of it waits for missing content, and nothing pending before was completed by it
    judged?.(tr, verdict, !hadPending && store.pendingStructs === null && store.pendingDs === null)
  }, origin)
  return verdict
}

/**
 * Undoes everything `tr` did so far, inside `tr`: items it inserted are deleted, items it deleted
 * are restored as copies (Y.UndoManager's redo logic, given a stack item made of exactly this
 * transaction). The copies are written under `revertClientId`, not the doc's own client id, so
 * Yjs does not mistake the remote transaction for a client-id clash.
 */
export function revertTransaction(tr: Y.Transaction, revertClientId: number): void {
  const doc = tr.doc
  const store = doc.store as unknown as Store
  const insertions = Y.createDeleteSet()
  for (const [client, structs] of store.clients) {
    const last = structs[structs.length - 1]
    const end = last ? last.id.clock + last.length : 0
    const start = tr.beforeState.get(client) ?? 0
    if (end > start) insertions.clients.set(client, [{ clock: start, len: end - start } as never])
  }
  const deletions = Y.createDeleteSet()
  for (const [client, items] of tr.deleteSet.clients) deletions.clients.set(client, items.slice())
  const um = new Y.UndoManager(doc, { captureTransaction: () => false, trackedOrigins: new Set() })
  const ownClientId = doc.clientID
  const revertStart = Y.getState(doc.store, revertClientId)
  try {
    um.undoStack.push({ insertions, deletions, meta: new Map() } as never)
    doc.clientID = revertClientId
    um.undo()
  } finally {
    doc.clientID = ownClientId
    um.destroy()
  }
  // the restored copies are ordinary content: let them be garbage-collected like any other later
  const ours = store.clients.get(revertClientId) ?? []
  for (const s of ours) {
    if (s.id.clock < revertStart || !(s instanceof Y.Item)) continue
    let it: Y.Item | null = s
    while (it && it.keep) {
      it.keep = false
      it = (it.parent as Y.AbstractType<any>)._item
    }
  }
}

/** A random client id for a room's reverts (never the doc's own). */
export function newRevertClientId(doc: Y.Doc): number {
  let id = 0
  while (id === 0 || id === doc.clientID) id = Math.floor(Math.random() * 0xffffffff) >>> 0
  return id
}
