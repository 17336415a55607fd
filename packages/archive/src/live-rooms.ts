/**
 * Live-room tracking (archive A10): which rooms hold a live session, who was seen on each, how
 * many connections it had. Rooms not (yet) live keep their awareness briefly, so people already
 * on a planned board count from its start; after a restart a live room is tracked again on its
 * first connection, with the people of its latest snapshot.
 */
import type { ParticipantMeta, Session, SnapshotMeta, Storage } from '@copboard/storage'
import type { AwarenessSeen } from '@copboard/sync-core'
import { SessionParticipants, parseParticipants, seenSince } from './participants'
import type { ArchiveLogger } from './session-archive'

export interface LiveRoom {
  room: string
  sessionId: string
  copId: string
  lastSavedHash: string | null
  connections: number
  saving: Promise<unknown> | null
  /** people seen in the board's awareness (sync-core §4.4) */
  participants: SessionParticipants
  /** after a restart: the participants of the session's latest snapshot are being merged in */
  restoring: Promise<void> | null
}

/** Rooms not (yet) live whose awareness is kept, so people already on a planned board count from its start. */
export const MAX_PRELIVE_ROOMS = 100
/** Rooms whose session ended lately whose people are kept, for the instance taking the final snapshot (cluster C9). */
export const MAX_ENDED_ROOMS = 100

export class LiveRooms {
  private readonly live = new Map<string, LiveRoom>()
  /** rooms being re-tracked after a restart (first connection of a live session) */
  private readonly tracking = new Map<string, Promise<LiveRoom | null>>()
  private readonly preLive = new Map<string, SessionParticipants>()
  /** people of rooms no longer tracked (their session ended), until another instance took the room over */
  private readonly ended = new Map<string, SessionParticipants>()

  constructor(
    private readonly storage: Storage,
    private readonly log?: ArchiveLogger,
  ) {}

  get(room: string): LiveRoom | undefined {
    return this.live.get(room)
  }

  /** Stops tracking a room (its session ended); its people are kept a while (`peopleOf`). */
  drop(room: string): void {
    const lr = this.live.get(room)
    if (!lr) return
    this.live.delete(room)
    if (this.ended.size >= MAX_ENDED_ROOMS) this.ended.delete(this.ended.keys().next().value!)
    this.ended.set(room, lr.participants)
  }

  /**
   * Everyone this instance saw on a room's board (live, lately ended, or not yet known to be
   * live), to hand over with the room (cluster C9); null when it saw nobody there.
   */
  peopleOf(room: string): ParticipantMeta[] | null {
    const people = this.live.get(room)?.participants ?? this.ended.get(room) ?? this.preLive.get(room)
    return people && people.size > 0 ? people.toMeta(Date.now()) : null
  }

  rooms(): string[] {
    return [...this.live.keys()]
  }

  /** The session went live at `at`: track it, with the people already on its board. */
  start(session: Session, at: number): LiveRoom {
    const lr = this.track(session)
    const pre = this.preLive.get(session.room)
    this.preLive.delete(session.room)
    if (pre) lr.participants.adoptPresent(pre, at)
    return lr
  }

  /** A connection to `room` was authorized: count it; after a restart, track a live session again. */
  connected(room: string, sessionId: string): void {
    const lr = this.live.get(room)
    if (lr) {
      lr.connections++
      return
    }
    if (this.tracking.has(room)) return void this.tracking.get(room)!.then((l) => l && l.connections++)
    const tracked = this.storage
      .getSession(sessionId)
      .then((s) => {
        if (s?.state !== 'live') return null
        const fresh = !this.live.has(room)
        const l = this.track(s)
        if (fresh) l.restoring = this.restoreParticipants(l)
        l.connections++
        return l
      })
      .catch(() => null)
      .finally(() => this.tracking.delete(room))
    this.tracking.set(room, tracked)
  }

  /**
   * Several instances: of `owned` rooms, those whose session went live through another instance
   * are tracked from now on, with the people already seen on them. Returns them.
   */
  async startedElsewhere(owned: string[]): Promise<string[]> {
    const found: string[] = []
    for (const room of owned) {
      if (this.live.has(room) || this.tracking.has(room)) continue
      const s = await this.storage.getSessionByRoom(room).catch(() => null)
      if (s?.state !== 'live' || this.live.has(room)) continue
      const lr = this.start(s, Date.parse(s.startedAt ?? new Date().toISOString()))
      lr.restoring = this.restoreParticipants(lr)
      found.push(room)
    }
    return found
  }

  /** Awareness a room saw: a live session records its people, other rooms keep them briefly. */
  seen(room: string, seen: AwarenessSeen): void {
    const lr = this.live.get(room)
    if (lr) return lr.participants.record(seen)
    const tracking = this.tracking.get(room)
    if (tracking) return void tracking.then((l) => (l?.participants ?? this.preLiveOf(room)).record(seen))
    this.preLiveOf(room).record(seen)
  }

  /** `meta.participants` of a snapshot: the live tracker, else (never tracked since a restart) the latest snapshot's. */
  async participantsOf(session: Session, lr: LiveRoom | undefined): Promise<ParticipantMeta[]> {
    if (lr) {
      if (lr.restoring) await lr.restoring
      return lr.participants.toMeta(Date.now())
    }
    const latest = await this.latestSnapshotOf(session.copId, session.id)
    return latest ? parseParticipants(latest.meta.participants) : []
  }

  /**
   * `meta.participants` of a final snapshot: this instance's tracker, the latest snapshot's and
   * those the room's previous owner handed over (seen since the start; several instances, C9).
   */
  async finalParticipantsOf(session: Session, lr: LiveRoom | undefined, handedOver: unknown): Promise<ParticipantMeta[]> {
    const now = Date.now()
    const people = new SessionParticipants()
    if (lr) {
      if (lr.restoring) await lr.restoring
      people.restore(lr.participants.toMeta(now))
    }
    const latest = await this.latestSnapshotOf(session.copId, session.id).catch(() => undefined)
    if (latest) people.restore(latest.meta.participants)
    people.restore(seenSince(handedOver, session.startedAt))
    return people.toMeta(now)
  }

  private track(session: Session): LiveRoom {
    let lr = this.live.get(session.room)
    if (!lr) {
      lr = {
        room: session.room,
        sessionId: session.id,
        copId: session.copId,
        lastSavedHash: null,
        connections: 0,
        saving: null,
        participants: new SessionParticipants(),
        restoring: null,
      }
      this.live.set(session.room, lr)
    }
    return lr
  }

  private preLiveOf(room: string): SessionParticipants {
    let p = this.preLive.get(room)
    if (!p) {
      if (this.preLive.size >= MAX_PRELIVE_ROOMS) this.preLive.delete(this.preLive.keys().next().value!)
      p = new SessionParticipants()
      this.preLive.set(room, p)
    }
    return p
  }

  /** After a restart: the people of the session's latest snapshot (autosave), so little is lost. */
  private async restoreParticipants(lr: LiveRoom): Promise<void> {
    try {
      const latest = await this.latestSnapshotOf(lr.copId, lr.sessionId)
      if (latest) lr.participants.restore(latest.meta.participants)
    } catch (err) {
      this.log?.error({ err, room: lr.room }, 'archive: restoring participants failed')
    }
  }

  private async latestSnapshotOf(copId: string, sessionId: string): Promise<SnapshotMeta | undefined> {
    return (await this.storage.listSnapshots(copId)).filter((s) => s.sessionId === sessionId).at(-1)
  }
}
