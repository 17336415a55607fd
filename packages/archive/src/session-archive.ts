/**
 * The archive of a CoP's series (no HTTP, no network): on top of the stored series (CopSeries:
 * CoPs, links, sessions, snapshots) the session lifecycle (A4), snapshots (A5), autosave of live
 * rooms (A10), carry-over (A6–A7) and compare (A8). It talks to Storage and, when wired, to
 * sync-core's RoomManager (`RoomsApi`). The server adds auth and maps HTTP to it
 * (apps/server/src/plugins/api).
 */
import type * as Y from 'yjs'
import type { Session, SnapshotKind, SnapshotMeta } from '@copboard/storage'
import type { AwarenessSeen } from '@copboard/sync-core'
import { CopSeries, type CopSeriesOptions } from './cop-series'
import { ArchiveError } from './errors'
import { planTransition, type SessionAction } from './lifecycle'
import { LiveRooms, type LiveRoom } from './live-rooms'
import type { ParticipantMeta } from './participants'
import { SnapshotReader } from './snapshot-reader'
import { SnapshotWriter, stateHash, type ClientRenders } from './snapshot-writer'
import { loadBoardDoc } from './stored-room'

export interface ArchiveLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** What the archive needs from sync-core's RoomManager (optional: without it, storage only). */
export interface RoomsApi {
  encodeState(name: string): Promise<Uint8Array>
  transact<T>(name: string, fn: (doc: Y.Doc) => T, label?: string): Promise<T>
  disconnectRoom(name: string, code?: 'NORMAL' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'ROOM_NOT_FOUND'): number
  /** sync-core §4.4: hands the room's pending awareness batch to `onAwarenessSeen` now. */
  flushAwarenessSeen?(name: string): void
  /** Several instances (sync-core §13): whether this instance serves the room. Absent: it serves every room. */
  ownsRoom?(name: string): boolean
  /** Several instances: the rooms this instance serves. */
  ownedRooms?(): string[]
  /**
   * Several instances (cluster C9): the archive says where a room's people are, so the people go
   * with the room when this instance hands it over.
   */
  handOverPeopleFrom?(peopleOf: (room: string) => ParticipantMeta[] | null): void
  /** Several instances (C9): the people the room's previous owner handed over with it (unvalidated), or null. */
  handedOverPeople?(name: string): Promise<unknown>
}

export interface SessionArchiveOptions extends CopSeriesOptions {
  /** Autosave period of live sessions in ms (AUTOSAVE_MINUTES). 0 disables the timer. Default 5 min. */
  autosaveMs?: number
  /** SVG -> PNG for the snapshot images. */
  rasterize: (svg: string, width: number) => Promise<Uint8Array>
  thumbnailWidth?: number
  fullPngWidth?: number
}

export class SessionArchive extends CopSeries {
  private readonly live: LiveRooms
  private readonly writer: SnapshotWriter
  private readonly reader: SnapshotReader
  private timer: NodeJS.Timeout | null = null

  constructor(opts: SessionArchiveOptions) {
    super(opts)
    this.live = new LiveRooms(opts.storage, opts.logger)
    this.writer = new SnapshotWriter({ storage: opts.storage, rasterize: opts.rasterize, thumbnailWidth: opts.thumbnailWidth, fullPngWidth: opts.fullPngWidth, logger: opts.logger })
    this.reader = new SnapshotReader(opts.storage)
    opts.rooms?.handOverPeopleFrom?.((room) => this.live.peopleOf(room))
    const ms = opts.autosaveMs ?? 5 * 60_000
    if (ms > 0) {
      this.timer = setInterval(() => void this.autosaveAll(), ms)
      this.timer.unref()
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  override attachRooms(rooms: RoomsApi): void {
    super.attachRooms(rooms)
    rooms.handOverPeopleFrom?.((room) => this.live.peopleOf(room))
  }

  // ---- lifecycle (A4) ---------------------------------------------------------------------

  async transition(copId: string, sessionId: string, action: SessionAction, renders?: ClientRenders): Promise<{ session: Session; snapshot: SnapshotMeta | null }> {
    const current = await this.getSession(copId, sessionId)
    // archive rule A5: an end that stopped before its snapshot was stored is finished by the next end
    if (action === 'end' && current.state === 'ended') {
      const snaps = await this.sessionSnapshots(copId, sessionId)
      if (!snaps.some((x) => x.kind === 'final')) return { session: current, snapshot: await this.finalSnapshot(current, renders) }
    }
    // an invalid transition throws LifecycleError: the API answers it as SESSION_STATE_CONFLICT
    const t = planTransition(current.state, action)
    const at = new Date().toISOString()
    const session = await this.storage.transitionSession(sessionId, t.from, t.to, at)
    if (!session) throw new ArchiveError('SESSION_STATE_CONFLICT', `the session changed state meanwhile (wanted ${t.from} -> ${t.to})`)
    this.log?.info({ copId, sessionId, state: session.state }, `archive: session ${action}`)
    if (action === 'start') {
      this.live.start(session, Date.parse(session.startedAt ?? at))
      return { session, snapshot: null }
    }
    return { session, snapshot: await this.finalSnapshot(session, renders) }
  }

  /**
   * Archive rule A4: the board is frozen before the final snapshot is taken. The session is ended
   * in storage first (every new connection is authorized read-only), then the room's connections
   * are closed (they come back read-only), then the state is read: nothing written after the end
   * reaches the snapshot or the log.
   */
  private async finalSnapshot(session: Session, renders?: ClientRenders): Promise<SnapshotMeta> {
    const lr = this.live.get(session.room)
    if (lr?.saving) await lr.saving.catch(() => undefined)
    // the last second of awareness, then stop tracking (the final snapshot takes this LiveRoom)
    this.opts.rooms?.flushAwarenessSeen?.(session.room)
    this.live.drop(session.room)
    this.opts.rooms?.disconnectRoom(session.room, 'NORMAL')
    // through the RoomManager: drains what was accepted before the freeze (several instances: the
    // owner hands the room over first, C9, with the people it saw)
    const doc = await this.loadDoc(session.room)
    const handedOver = await this.opts.rooms?.handedOverPeople?.(session.room)
    const people = await this.live.finalParticipantsOf(session, lr, handedOver)
    const snapshot = await this.snapshot(session, 'final', doc, renders, lr, people)
    // a connection authorized just before the end may have joined meanwhile: it reconnects read-only too
    this.opts.rooms?.disconnectRoom(session.room, 'NORMAL')
    return snapshot
  }

  // ---- snapshots (A5) ---------------------------------------------------------------------

  /**
   * Stores an immutable snapshot of the session's board `doc` (rule A5). Its people are the live
   * room's (`liveRoom`, else the tracked one), or `people` when given (e.g. the demo CoP).
   */
  async snapshot(session: Session, kind: SnapshotKind, doc: Y.Doc, renders: ClientRenders = {}, liveRoom?: LiveRoom, people?: ParticipantMeta[]): Promise<SnapshotMeta> {
    const lr = liveRoom ?? this.live.get(session.room)
    const participants = people ?? (await this.live.participantsOf(session, lr))
    const { meta, hash } = await this.writer.write(session, kind, doc, renders, { participants, connections: () => lr?.connections ?? null })
    if (lr) {
      lr.lastSavedHash = hash
      lr.participants.markSaved()
    }
    return meta
  }

  /** Renders again the images of snapshots whose render failed (rule A5). */
  retryRenders(): Promise<number> {
    return this.writer.retryRenders()
  }

  // ---- carry-over (A6–A7) and compare (A8) -------------------------------------------------

  async carryCandidates(copId: string, snapshotId: string) {
    return this.reader.candidates(await this.getSnapshot(copId, snapshotId))
  }

  /** Writes the picked notes of a snapshot into a planned or live session's board (through the room when it is loaded). */
  async carryOver(copId: string, sessionId: string, snapshotId: string, noteIds: string[]): Promise<{ placed: number }> {
    const session = await this.getSession(copId, sessionId)
    if (session.state === 'ended') throw new ArchiveError('SESSION_STATE_CONFLICT', 'an ended board is frozen')
    const snap = await this.getSnapshot(copId, snapshotId)
    const placed = await this.reader.carryOver(snap, session.room, noteIds, this.opts.rooms)
    this.log?.info({ copId, sessionId, snapshotId, placed }, 'archive: notes carried over')
    return { placed }
  }

  async compare(copId: string, a: string, b: string) {
    const [sa, sb] = await Promise.all([this.getSnapshot(copId, a), this.getSnapshot(copId, b)])
    return this.reader.compare(sa, sb)
  }

  // ---- live rooms and autosave (A10) -------------------------------------------------------

  liveRooms(): string[] {
    return this.live.rooms()
  }

  /** A connection to a session's board was authorized (the server's sync authorizer calls this). */
  connectionAuthorized(room: string, sessionId: string): void {
    this.live.connected(room, sessionId)
  }

  /** Autosaves one live room when its board changed since the last snapshot. */
  async autosave(room: string): Promise<SnapshotMeta | null> {
    const lr = this.live.get(room)
    if (!lr) return null
    if (lr.saving) await lr.saving.catch(() => undefined)
    const run = (async () => {
      const session = await this.storage.getSession(lr.sessionId)
      if (!session || session.state !== 'live') {
        this.live.drop(room)
        return null
      }
      // from storage, which holds every accepted edit (persist-then-broadcast) and never pins or loads a room
      const doc = await loadBoardDoc(this.storage, room)
      // unchanged board and nobody new on it: nothing to save
      if (stateHash(doc) === lr.lastSavedHash && !lr.participants.dirty) return null
      return this.snapshot(session, 'autosave', doc)
    })()
    lr.saving = run
    try {
      return await run
    } catch (err) {
      this.log?.error({ err, room }, 'archive: autosave failed')
      return null
    } finally {
      if (lr.saving === run) lr.saving = null
    }
  }

  /**
   * Several instances: a room served here whose session went live through another instance (the
   * start request reached that one) is tracked here from now on, with the people already seen
   * on it, so its owner autosaves it. Returns the rooms it started tracking.
   */
  trackStartedElsewhere(): Promise<string[]> {
    return this.live.startedElsewhere(this.opts.rooms?.ownedRooms?.() ?? [])
  }

  async autosaveAll(): Promise<void> {
    await this.trackStartedElsewhere()
    // several instances: the room's owner saves it (it knows the room's people); the others skip it
    const owns = this.opts.rooms?.ownsRoom
    for (const room of this.liveRooms()) if (!owns || owns(room)) await this.autosave(room)
    if (this.writer.pendingRenders) await this.retryRenders()
  }

  /** Sync hook (sync-core §4.4): awareness states a room saw (live sessions record their people). */
  onAwarenessSeen(room: string, seen: AwarenessSeen): void {
    this.live.seen(room, seen)
  }

  /** Sync hook: the last connection of a room closed. */
  onRoomIdle(room: string): Promise<SnapshotMeta | null> {
    return this.autosave(room)
  }
}
