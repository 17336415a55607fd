/**
 * A room's awareness (§4): what a connection may announce (§4.5, §7.4) and the application's
 * filter (§4.7) before an update is applied; which connection owns which client id (§4.2) and
 * the removal of a leaving connection's states (§4.3); the batched broadcast (awarenessFanout.ts).
 */
import type * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { AwarenessFanout } from './awarenessFanout.js'
import { filterAwarenessUpdate } from './awarenessFilter.js'
import { SyncConnection } from './connection.js'
import { errorMessage } from './logger.js'
import { encodeAwarenessEntries } from './frames.js'
import { checkAwarenessStates, ProtocolError, type AwarenessEntry } from './protocol.js'
import { MessageCost } from './rateBudget.js'
import type { RoomContext } from './roomContext.js'

/** The room as its awareness sees it. */
export interface AwarenessRoom {
  readonly name: string
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly conns: Set<SyncConnection>
}

export class RoomAwareness {
  /** §4.2: the connection that owns each client id while it is in the room. */
  private readonly owner = new Map<number, SyncConnection>()
  /**
   * §4.2: the participant each client id was first announced for, kept after its connection left
   * (like y-protocols' clock of every id the room saw): only that participant announces it again.
   */
  private readonly participantOf = new Map<number, string | null>()
  /** §4.6: batched awareness broadcast and the shared greeting of every state. */
  private readonly fanout: AwarenessFanout<SyncConnection>

  constructor(
    private readonly room: AwarenessRoom,
    private readonly ctx: RoomContext,
  ) {
    this.fanout = new AwarenessFanout<SyncConnection>(room.awareness, room.conns)
    room.awareness.on('update', this.onUpdate)
  }

  /** A connection's awareness update (§4.5 checks, §4.7 filter, then applied; ProtocolError when undecodable). */
  receive(conn: SyncConnection, update: Uint8Array, entries: AwarenessEntry[]): void {
    // §4.5: an update that changes nothing (the stock client's echo) is neither filtered nor applied
    const applied = this.admit(conn, entries)
    if (!applied) return
    checkAwarenessStates(entries) // §3.3 (ProtocolError: the connection is closed)
    // §4.2: without the entries about someone else's client ids
    const own = applied === entries ? update : encodeAwarenessEntries(applied)
    const filtered = this.filtered(conn, own)
    if (!filtered) return
    try {
      awarenessProtocol.applyAwarenessUpdate(this.room.awareness, filtered, conn)
    } catch (err) {
      throw new ProtocolError('INVALID_AWARENESS', errorMessage(err))
    }
  }

  /** Every awareness state the room holds as one frame (null when it holds none). */
  statesFrame(): Uint8Array | null {
    return this.fanout.statesFrame()
  }

  /** §4.3: the states `conn` owns are removed and announced (when the room is still open). */
  connectionLeft(conn: SyncConnection, announce: boolean): void {
    const owned = [...conn.awarenessClients].filter((id) => this.owner.get(id) === conn)
    conn.awarenessClients.clear()
    for (const id of owned) this.owner.delete(id)
    if (owned.length > 0 && announce) awarenessProtocol.removeAwarenessStates(this.room.awareness, owned, null)
  }

  destroy(): void {
    this.room.awareness.off('update', this.onUpdate)
    this.fanout.destroy()
  }

  /** §4.7: the update after the application's filter; null (dropped, logged) when the filter failed. */
  private filtered(conn: SyncConnection, update: Uint8Array): Uint8Array | null {
    const filter = this.ctx.filterAwareness
    if (!filter) return update
    try {
      return filterAwarenessUpdate(update, (s) => filter(this.room.name, this.room.doc, s, conn.info))
    } catch (err) {
      // an application bug must neither leak what it should hide nor close the client
      this.ctx.badInput.report(conn.loggedReasons, 'INTERNAL_ERROR', { room: this.room.name, conn: conn.id, err: errorMessage(err) }, 'sync: awareness filter failed; update dropped')
      return null
    }
  }

  /**
   * §4.2, §4.5, §7.4: before an awareness update is applied. Entries that change nothing (the
   * stock client echoes every state it receives, with the same clock) are nearly free; an update
   * that changes something costs one message. Entries about another participant's client id, and
   * removals of a state another connection owns, are dropped (`isForeign`): nobody removes or
   * rewrites someone else's cursor, not even a stock client whose view timed it out. A connection may announce at most `maxAwarenessClientsPerConnection` distinct client ids
   * in its life, so one socket cannot fill the room (or the participants list) with invented
   * people. Returns the entries to apply (`entries` itself when none was dropped), or null when
   * nothing changes or the connection was closed.
   */
  private admit(conn: SyncConnection, entries: AwarenessEntry[]): AwarenessEntry[] | null {
    const max = this.ctx.limits.maxAwarenessClientsPerConnection
    let changes = false
    let foreign = false
    let fresh: number[] | null = null
    for (const e of entries) {
      if (!this.applies(e)) continue
      if (this.isForeign(conn, e)) {
        foreign = true
        continue
      }
      changes = true
      if (!e.removes && !conn.announcedClients.has(e.clientId)) (fresh ??= []).push(e.clientId)
    }
    if (fresh) {
      const ids = new Set(fresh)
      if (conn.announcedClients.size + ids.size > max) {
        conn.close('AWARENESS_LIMIT', `${conn.announcedClients.size + ids.size} client ids announced (max ${max})`)
        return null
      }
      for (const id of ids) conn.announcedClients.add(id)
    }
    if (!conn.charge(changes ? MessageCost.effective : MessageCost.noop) || !changes) return null
    return foreign ? entries.filter((e) => !this.isForeign(conn, e)) : entries
  }

  /** Whether y-protocols would change the room's awareness with `e`. */
  private applies(e: AwarenessEntry): boolean {
    const meta = this.room.awareness.meta.get(e.clientId)
    // removing a client the room never saw changes nothing (y-protocols would keep its clock
    // for the room's life: a stream of such removals grew the room without bound); nor does a
    // state at clock 0 (y-protocols' first clock is 0 too)
    if (meta === undefined) return !e.removes && e.clock > 0
    return meta.clock < e.clock || (meta.clock === e.clock && e.removes && this.room.awareness.states.has(e.clientId))
  }

  /**
   * §4.2: `e` is about a client id `conn` may not change: one announced for another participant
   * (present or not: a leaving person's id is not free for others to take), or the removal of a
   * state another connection owns (only the owner removes its state; §4.3 does when it leaves).
   */
  private isForeign(conn: SyncConnection, e: AwarenessEntry): boolean {
    const participant = this.participantOf.get(e.clientId)
    if (participant !== undefined && participant !== conn.participant) return true
    const owner = this.owner.get(e.clientId)
    return e.removes && owner !== undefined && owner !== conn
  }

  private readonly onUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed)
    if (origin instanceof SyncConnection) {
      // §4.2: the connection that last announced a client owns it (a reconnecting client takes
      // its id over from the dead socket, whose later removal must not erase the live state).
      // Decided by the state each id is left with: one update may remove and re-add an id.
      const states = this.room.awareness.states
      for (const id of changed) {
        const prev = this.owner.get(id)
        if (states.has(id)) {
          if (!this.participantOf.has(id)) this.participantOf.set(id, origin.participant)
          if (prev === origin) continue
          prev?.awarenessClients.delete(id)
          this.owner.set(id, origin)
          origin.awarenessClients.add(id)
        } else {
          if (prev === origin) this.owner.delete(id)
          origin.awarenessClients.delete(id)
        }
      }
    }
    if (changed.length === 0) return
    this.fanout.changed(changed, origin instanceof SyncConnection ? origin : null)
  }
}
