/**
 * A room's document updates: a client's update is checked (§1.5, §3, §6), admitted (§12: applied
 * and judged in one transaction), forwarded as received when that is its net effect (§5.6), and
 * handed to the persist-then-broadcast queue (§5, `writeQueue.ts`) like server-side changes.
 */
import * as Y from 'yjs'
import type { SyncConnection } from './connection.js'
import { isOrigin, type TransactionOrigin } from './origins.js'
import { MessageCost } from './rateBudget.js'
import { admitUpdate, newRevertClientId, POLICY_REASON_PREFIX, type PolicyVerdict, type RoomPolicy } from './admission.js'
import { encodePermissionDenied, encodeSyncUpdate } from './frames.js'
import { validateUpdate } from './protocol.js'
import { errorMessage } from './logger.js'
import { WriteQueue } from './writeQueue.js'
import type { RoomContext } from './roomContext.js'
import type { RoomLease } from './ownership.js'

/** The room as its updates see it. */
export interface UpdatesRoom {
  readonly name: string
  readonly doc: Y.Doc
  readonly conns: ReadonlySet<SyncConnection>
  readonly state: string
  readonly lease: RoomLease | null
  /** Every update the document took in, in order (the shared greeting, §1.6). */
  documentChanged(update: Uint8Array): void
  /** §8: a batch is durable and broadcast. */
  persisted(updates: readonly Uint8Array[], bytes: number): void
}

export class RoomUpdates {
  /** §5, §7.3: persist-then-broadcast. */
  readonly writes: WriteQueue
  /** §12: client updates refused by the policy. */
  refusedUpdates = 0
  private readonly doc: Y.Doc
  /** §12: this room's policy, created before the first client update is admitted (undefined: not yet). */
  private policy: RoomPolicy | null | undefined = undefined
  /** §12.1: client id under which reverted values are restored (never the doc's own). */
  private readonly revertClientId: number
  /** §12.1: the net update of the admission transaction in progress (its `update` event). */
  private admitted: Uint8Array | null = null
  /** §5.6: the admission transaction whose update is forwarded as received (no `update` event). */
  private forwarding: Y.Transaction | null = null
  /** The verdict of the admission transaction in progress, set when its body finished. */
  private judged: PolicyVerdict | null = null
  /** The sync-update frame of the admission in progress (null: a sync step 2, never forwarded as is). */
  private received: Uint8Array | null = null
  private updateEventOff = false

  constructor(
    private readonly room: UpdatesRoom,
    private readonly ctx: RoomContext,
  ) {
    const { name } = room
    this.doc = room.doc
    this.writes = new WriteQueue(
      {
        name,
        doc: room.doc,
        conns: room.conns,
        isClosed: () => room.state === 'closed',
        persisted: (updates, bytes) => room.persisted(updates, bytes),
        // §13.1: fenced through the lease when the room has one
        append: (updates) => (room.lease ? room.lease.appendUpdates(updates) : ctx.storage.appendUpdates(name, updates)),
      },
      ctx,
    )
    this.revertClientId = newRevertClientId(this.doc)
    this.doc.on('update', this.onDocUpdate)
    this.doc.on('afterTransactionCleanup', this.onTransactionCleanup)
  }

  /** A client's sync step 2 or update (`frame`: the sync-update frame it came in, null for step 2). */
  receive(conn: SyncConnection, update: Uint8Array, frame: Uint8Array | null): void {
    if (conn.readOnly) {
      // §6: a viewer's edits are dropped; it was told at connect time
      conn.droppedUpdates++
      conn.charge(MessageCost.noop)
      return
    }
    const check = validateUpdate(update, this.doc)
    if (check.redundant) {
      conn.charge(MessageCost.noop)
      return
    }
    if (!conn.charge(MessageCost.effective)) return
    // §5.6: strict decoding makes a sync-update frame exactly encodeSyncUpdate(update)
    this.admit(conn, update, frame && check.newStructs ? frame : null)
  }

  destroy(): void {
    this.writes.release()
    this.policy?.destroy?.()
    this.policy = null
    this.doc.off('update', this.onDocUpdate)
    this.doc.off('afterTransactionCleanup', this.onTransactionCleanup)
  }

  /**
   * §12 §1.3 §5.1: a client's update is applied and judged at once (so its next update, and the
   * policy, see it), then its net effect is persisted and only then broadcast: to the others when
   * admitted, to everyone including the sender when refused (the sender converges back).
   */
  private admit(conn: SyncConnection, update: Uint8Array, received: Uint8Array | null): void {
    if (this.policy === undefined) this.policy = this.ctx.policy?.forRoom(this.room.name, this.doc) ?? null
    const policy = this.policy
    const origin: TransactionOrigin = { kind: 'connection', connection: conn }
    const judge = policy ? (tr: Y.Transaction) => policy.check({ room: this.room.name, connectionId: conn.id, info: conn.info }, tr) : null
    // (admitted, forwarding and judged are null here: `settle` resets them after every admission)
    this.received = received
    let failure: { err: unknown } | null = null
    try {
      admitUpdate(this.doc, update, origin, judge, this.revertClientId, this.onJudged)
    } catch (err) {
      // §5.1: e.g. a document observer threw while the transaction was cleaned up
      failure = { err }
    }
    try {
      this.settle(conn, update)
    } catch (err) {
      if (!failure) throw err
      this.ctx.logger.error({ room: this.room.name, conn: conn.id, err: errorMessage(err) }, 'sync: settling a failed admission failed too')
    }
    if (failure) throw failure.err
  }

  /**
   * §5.1 §5.6 §12.1: what the admission transaction left in the document goes to the write queue,
   * also when its cleanup threw (an observer): the document holds it all the same. A transaction
   * whose body did not finish (`judged` never ran: the revert of a refused update threw) may hold
   * refused content, so nothing of it is stored or sent.
   */
  private settle(conn: SyncConnection, update: Uint8Array): void {
    const forwarded = this.forwarding !== null
    const net = this.admitted as Uint8Array | null
    const verdict = this.judged as PolicyVerdict | null
    const received = this.received
    this.forwarding = this.admitted = this.judged = this.received = null
    if (!verdict) {
      this.ctx.logger.error({ room: this.room.name, conn: conn.id }, 'sync: an admission transaction broke off; its changes are neither stored nor sent')
      return
    }
    if (forwarded) {
      // §5.6: admitted whole, nothing pending: the update as received is its net effect
      this.room.documentChanged(update)
      this.writes.enqueue({ update, frame: received!, sender: conn, bytes: received!.byteLength })
      return
    }
    if (!verdict.ok) this.refuse(conn, verdict)
    if (!net) return
    const frame = encodeSyncUpdate(net)
    this.writes.enqueue({ update: net, frame, sender: verdict.ok ? conn : null, bytes: net.byteLength + frame.byteLength })
  }

  /** §12.3: the sender is told why (y-protocols permission denied, `policy:<reason>`); one log line per reason and connection. */
  private refuse(conn: SyncConnection, verdict: Extract<PolicyVerdict, { ok: false }>): void {
    this.refusedUpdates++
    conn.refusedUpdates++
    conn.send(encodePermissionDenied(POLICY_REASON_PREFIX + verdict.reason))
    this.ctx.badInput.report(
      conn.loggedReasons,
      POLICY_REASON_PREFIX + verdict.reason,
      { conn: conn.id, room: this.room.name, detail: verdict.detail, ...conn.logFields },
      'sync: update refused by the policy; the room reverted it',
    )
  }

  /** Last inside the admission transaction: its verdict; §5.6: admitted whole and nothing pending, a received frame is forwarded as is. */
  private readonly onJudged = (tr: Y.Transaction, verdict: PolicyVerdict, complete: boolean): void => {
    this.judged = verdict
    if (!this.received || !verdict.ok || !complete) return
    // content it inserted and deleted again is stored without that content (§12.2): not as received
    for (const [client, ranges] of tr.deleteSet.clients) {
      const before = tr.beforeState.get(client) ?? 0
      for (const r of ranges) if (r.clock + r.len > before) return
    }
    this.forwarding = tr
  }

  /**
   * §5.6: Yjs encodes a transaction for the doc's `update` event only while someone listens; the
   * room stops listening for exactly the transaction whose update is forwarded as received
   * (this runs for every transaction, right before Yjs looks for `update` listeners).
   */
  private readonly onTransactionCleanup = (tr: Y.Transaction): void => {
    const skip = tr === this.forwarding
    if (skip === this.updateEventOff) return
    this.updateEventOff = skip
    if (skip) this.doc.off('update', this.onDocUpdate)
    else this.doc.on('update', this.onDocUpdate)
  }

  /** Server-side changes (no connection/storage origin) are persisted and broadcast to all. */
  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // §12.1: the net effect of an admission transaction; `admit` persists and broadcasts it
    // (taken first: nothing after it may keep it from `admit`)
    if (isOrigin(origin) && origin.kind === 'connection') this.admitted = update
    this.room.documentChanged(update)
    if (isOrigin(origin)) {
      if (origin.kind === 'connection') return
      if (origin.kind === 'storage') return
      if (origin.kind === 'stored') {
        // §8.2: already in the log; everyone gets it, nothing is appended
        const frame = encodeSyncUpdate(update)
        for (const c of this.room.conns) c.send(frame)
        return
      }
    }
    const frame = encodeSyncUpdate(update)
    this.writes.enqueue({ update, frame, sender: null, bytes: update.byteLength + frame.byteLength })
  }
}
