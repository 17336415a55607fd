/**
 * The archive service: sessions (lifecycle), snapshots (build, autosave, restore), live-room
 * tracking. Routes (index.ts) and the sync hooks call into it; it talks to Storage only.
 */
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { Cop, Role, Session, SessionStart, SnapshotKind, SnapshotMeta, SnapshotPartName, SnapshotParts, SnapshotRender, Storage, TokenRecord } from '@copboard/storage'
import type { TLRecord } from '@tldraw/tlschema'
import { compareRecords, contentPages, mainPageId, planTransition, renderBoardSvg, renderSvg, toTldrFile, carryOverCandidates, planCarryOver, type CarryCandidate, type Comparison, type RenderLimits, type SessionAction } from '@copboard/archive'
import { AccessResolver, createSyncAuthorizer, mintToken, type Authorize, type AuthLogger } from '../../auth'
import type { SharedFailureStore } from '../../auth/access'
import { readDocSchema, readRecords, writeRecords } from '@copboard/board'
import { editStoredRoom, loadBoardDoc, seedRoomFromState, seedRoomFromTemplate } from './board-doc'
import { ApiError } from './errors'
import { isPng, svgToPng } from './raster'
import { buildReportParts, readSessionState, reportHeader } from './report'
import { SessionParticipants, authorsOnly, parseParticipants, type ParticipantMeta } from './participants'
import type { AwarenessSeen } from '@copboard/sync-core'
import { getTemplate, type TemplateDefinition } from '@copboard/templates'

export interface ArchiveLogger extends AuthLogger {
  info(obj: object, msg: string): void
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
}

export interface ArchiveServiceOptions {
  storage: Storage
  /** sync-core's RoomManager: snapshots read the live doc through it; ended sessions are disconnected. */
  rooms?: RoomsApi
  logger?: ArchiveLogger
  /** Autosave period of live sessions in ms (AUTOSAVE_MINUTES). 0 disables the timer. Default 5 min. */
  autosaveMs?: number
  /** Failed-auth limiter: attempts per source per minute. */
  maxAuthFailures?: number
  /** Several instances: failed attempts counted across all of them (Redis). */
  sharedAuthFailures?: SharedFailureStore
  thumbnailWidth?: number
  fullPngWidth?: number
  /** SVG -> PNG (default: resvg, raster.ts); replaceable so tests can make a render fail. */
  rasterize?: (svg: string, width: number) => Promise<Uint8Array>
}

/** Renders sent by the facilitator's browser at the end of a session (tldraw's own export). */
export interface ClientRenders {
  png?: Uint8Array
  thumbnail?: Uint8Array
  svg?: string
}

interface LiveRoom {
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
const MAX_PRELIVE_ROOMS = 100
/** Render attempts of one snapshot's images after the first failed (rule A5). */
const MAX_RENDER_TRIES = 3

export class ArchiveService {
  readonly storage: Storage
  readonly resolver: AccessResolver
  readonly authorize: Authorize
  private readonly live = new Map<string, LiveRoom>()
  /** rooms being re-tracked after a restart (first connection of a live session) */
  private readonly tracking = new Map<string, Promise<LiveRoom | null>>()
  private readonly preLive = new Map<string, SessionParticipants>()
  private timer: NodeJS.Timeout | null = null
  /** snapshot id -> failed render attempts so far (rule A5) */
  private readonly failedRenders = new Map<string, number>()
  private readonly log: ArchiveLogger | undefined

  constructor(private opts: ArchiveServiceOptions) {
    this.storage = opts.storage
    this.log = opts.logger
    this.resolver = new AccessResolver(opts.storage, { logger: opts.logger, maxFailures: opts.maxAuthFailures, shared: opts.sharedAuthFailures })
    this.authorize = createSyncAuthorizer(opts.storage, this.resolver, {
      onAuthorized: ({ room, sessionId }) => {
        const lr = this.live.get(room)
        if (lr) {
          lr.connections++
          return
        }
        // after a restart: re-track a live session on its first connection
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
      },
    })
    const ms = opts.autosaveMs ?? 5 * 60_000
    if (ms > 0) {
      this.timer = setInterval(() => void this.autosaveAll(), ms)
      this.timer.unref()
    }
  }

  /** Wires sync-core's RoomManager after construction (it takes the archive's idle hook). */
  attachRooms(rooms: RoomsApi): void {
    this.opts.rooms = rooms
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  // ---- CoPs and sessions -------------------------------------------------------------------

  async createCop(input: { name: string; theme?: string; coHost?: string }, firstSession: { title: string; date: string }) {
    const cop = await this.storage.createCop({ name: input.name.trim(), theme: (input.theme ?? '').trim(), coHost: (input.coHost ?? '').trim() })
    const session = await this.storage.createSession({ copId: cop.id, title: firstSession.title, date: firstSession.date, start: { kind: 'empty' } })
    const secrets = {} as Record<Role, string>
    for (const [role, label] of [
      ['facilitator', 'Procesbegeleider'],
      ['participant', 'Deelnemers'],
      ['viewer', 'Meekijkers'],
    ] as const) {
      secrets[role] = (await this.issueLink(cop.id, role, label)).secret
    }
    this.log?.info({ copId: cop.id }, 'archive: CoP created')
    return { cop, session, secrets }
  }

  async getCop(copId: string): Promise<Cop> {
    const cop = await this.storage.getCop(copId)
    if (!cop) throw new ApiError('COP_NOT_FOUND')
    return cop
  }

  async getSession(copId: string, sessionId: string): Promise<Session> {
    const s = await this.storage.getSession(sessionId)
    if (!s || s.copId !== copId) throw new ApiError('SESSION_NOT_FOUND')
    return s
  }

  async createSession(cop: Cop, input: { title: string; date: string; start: SessionStart }): Promise<Session> {
    let snapshotState: Uint8Array | null = null
    if (input.start.kind === 'snapshot') {
      const snap = await this.getSnapshot(cop.id, input.start.snapshotId)
      snapshotState = await this.storage.getSnapshotPart(snap.id, 'yjsState')
      if (!snapshotState) throw new ApiError('PART_NOT_FOUND', 'the snapshot has no board state')
    }
    let template: TemplateDefinition | undefined
    if (input.start.kind === 'template') {
      template = getTemplate(input.start.templateId)
      if (!template) throw new ApiError('TEMPLATE_UNKNOWN', `no template "${input.start.templateId}"`)
    }
    const session = await this.storage.createSession({ copId: cop.id, title: input.title, date: input.date, start: input.start })
    // the room is new: nobody can be connected yet, so seeding through storage is safe
    if (template) await seedRoomFromTemplate(this.storage, session.room, template, { copName: cop.name, sessionNumber: session.number, date: session.date })
    else if (snapshotState) await seedRoomFromState(this.storage, session.room, snapshotState)
    this.log?.info({ copId: cop.id, sessionId: session.id, start: input.start.kind }, 'archive: session created')
    return session
  }

  async transition(copId: string, sessionId: string, action: SessionAction, renders?: ClientRenders): Promise<{ session: Session; snapshot: SnapshotMeta | null }> {
    const current = await this.getSession(copId, sessionId)
    // archive rule A5: an end that stopped before its snapshot was stored is finished by the next end
    if (action === 'end' && current.state === 'ended') {
      const snaps = (await this.storage.listSnapshots(copId)).filter((x) => x.sessionId === sessionId)
      if (!snaps.some((x) => x.kind === 'final')) return { session: current, snapshot: await this.finalSnapshot(current, renders) }
    }
    // an invalid transition throws LifecycleError: the API's error handler answers it as SESSION_STATE_CONFLICT
    const t = planTransition(current.state, action)
    const at = new Date().toISOString()
    const session = await this.storage.transitionSession(sessionId, t.from, t.to, at)
    if (!session) throw new ApiError('SESSION_STATE_CONFLICT', `the session changed state meanwhile (wanted ${t.from} -> ${t.to})`)
    this.log?.info({ copId, sessionId, state: session.state }, `archive: session ${action}`)
    if (action === 'start') {
      const lr = this.track(session)
      const pre = this.preLive.get(session.room)
      this.preLive.delete(session.room)
      if (pre) lr.participants.adoptPresent(pre, Date.parse(session.startedAt ?? at))
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
    this.live.delete(session.room)
    this.opts.rooms?.disconnectRoom(session.room, 'NORMAL')
    // through the RoomManager: drains what was accepted before the freeze
    const snapshot = await this.snapshot(session, 'final', await this.loadDoc(session.room), renders, lr)
    // a connection authorized just before the end may have joined meanwhile: it reconnects read-only too
    this.opts.rooms?.disconnectRoom(session.room, 'NORMAL')
    return snapshot
  }

  async listSessions(copId: string): Promise<Session[]> {
    return this.storage.listSessions(copId)
  }

  /** The session whose board is `room`, or null. */
  async sessionOfRoom(room: string): Promise<Session | null> {
    return this.storage.getSessionByRoom(room)
  }

  // ---- links (tokens) ----------------------------------------------------------------------

  /** A new link of a CoP: the token record and its secret (handed out once, never stored). */
  async issueLink(copId: string, role: Role, label: string): Promise<{ token: TokenRecord; secret: string }> {
    const { secret, hash } = mintToken()
    const token = await this.storage.createToken({ copId, role, label, secretHash: hash })
    return { token, secret }
  }

  async listLinks(copId: string): Promise<TokenRecord[]> {
    return this.storage.listTokens(copId)
  }

  /** Revokes a link (again: nothing changes); open boards of the CoP reconnect and are authorized afresh. */
  async revokeLink(copId: string, tokenId: string): Promise<void> {
    const t = (await this.storage.listTokens(copId)).find((x) => x.id === tokenId)
    if (!t) throw new ApiError('TOKEN_NOT_FOUND')
    if (!t.revokedAt) await this.storage.revokeToken(copId, tokenId, new Date().toISOString())
    await this.disconnectCop(copId)
  }

  // ---- snapshots ---------------------------------------------------------------------------

  async getSnapshot(copId: string, snapshotId: string): Promise<SnapshotMeta> {
    const s = await this.storage.getSnapshot(snapshotId)
    if (!s || s.copId !== copId) throw new ApiError('SNAPSHOT_NOT_FOUND')
    return s
  }

  async listSnapshots(copId: string): Promise<SnapshotMeta[]> {
    return this.storage.listSnapshots(copId)
  }

  async sessionSnapshots(copId: string, sessionId: string): Promise<SnapshotMeta[]> {
    return (await this.storage.listSnapshots(copId)).filter((s) => s.sessionId === sessionId)
  }

  /** One stored part of a snapshot (null when it has none). */
  async snapshotPart(snapshotId: string, part: SnapshotPartName): Promise<Uint8Array | string | null> {
    return (await this.storage.getSnapshotPart(snapshotId, part)) ?? null
  }

  /** A new planned session whose board starts from a snapshot ("continue where we left off"). */
  async continueFrom(copId: string, snapshotId: string, input: { title?: string; date: string }): Promise<Session> {
    const cop = await this.getCop(copId)
    const snap = await this.getSnapshot(copId, snapshotId)
    const meta = snap.meta as { sessionNumber?: number; sessionTitle?: string }
    return this.createSession(cop, {
      title: input.title ?? `Vervolg op sessie ${meta.sessionNumber ?? ''}${meta.sessionTitle ? `: ${meta.sessionTitle}` : ''}`.slice(0, 200),
      date: input.date,
      start: { kind: 'snapshot', snapshotId },
    })
  }

  /**
   * Builds and stores an immutable snapshot of the session's board `doc`. Archive rule A5: the
   * board state, .tldr and report are always stored; the images are rendered within the renderer's
   * bounds and, when that fails, the snapshot is stored without them (`meta.render = 'failed'`)
   * and rendered again later (`retryRenders`).
   */
  async snapshot(session: Session, kind: SnapshotKind, doc: Y.Doc, renders: ClientRenders = {}, liveRoom?: LiveRoom, people?: ParticipantMeta[]): Promise<SnapshotMeta> {
    const state = Y.encodeStateAsUpdate(doc)
    const records = readRecords(doc)
    let tldr = ''
    try {
      tldr = JSON.stringify(toTldrFile(records, readDocSchema(doc)))
    } catch (err) {
      this.log?.error({ err: String(err), sessionId: session.id }, 'archive: .tldr export failed; the Yjs state is stored')
    }
    const notes = records.filter((r) => r.typeName === 'shape' && r.type === 'note')
    const authors = [...new Set(notes.map((n) => (n.meta as Record<string, unknown> | undefined)?.author).filter((a): a is string => typeof a === 'string' && !!a))]
    const lr = liveRoom ?? this.live.get(session.room)
    const end = session.endedAt ?? new Date().toISOString()
    const participants = people ?? (await this.participantsOf(session, lr))
    const cop = await this.storage.getCop(session.copId)
    const durationMs = session.startedAt ? Date.parse(end) - Date.parse(session.startedAt) : null
    const header = reportHeader(cop, session, participants, durationMs)
    const report = buildReportParts(records, 'nl', { header, session: readSessionState(doc) }, (err) => this.log?.warn({ err: String(err), sessionId: session.id }, 'archive: report failed, stored an empty report'))
    const images = await this.renderImages(records, renders, session.id)
    const parts: SnapshotParts = { yjsState: state, tldr, ...images.parts, ...report }
    const meta = await this.storage.createSnapshot(
      {
        copId: session.copId,
        sessionId: session.id,
        kind,
        meta: {
          sessionNumber: session.number,
          sessionTitle: session.title,
          sessionDate: session.date,
          // people seen on the board (awareness), then note authors never seen there (e.g. restored boards)
          participants,
          authorsOnly: authorsOnly(authors, participants),
          connections: lr?.connections ?? null,
          durationMs,
          noteCount: notes.length,
          shapeCount: records.filter((r) => r.typeName === 'shape').length,
          renders: images.renders,
          render: images.status,
          mainPageId: mainPageId(records) ?? null,
          stateBytes: state.byteLength,
        },
      },
      parts,
    )
    if (images.status === 'failed') this.failedRenders.set(meta.id, 0)
    if (lr) {
      lr.lastSavedHash = stateHash(doc, state)
      lr.participants.markSaved()
    }
    this.log?.info({ copId: session.copId, sessionId: session.id, snapshotId: meta.id, kind, render: images.status }, 'archive: snapshot stored')
    return meta
  }

  /**
   * The images of a snapshot (rules A1–A3): board.svg/png hold every page with content (the
   * browser's render is kept when the board has one page), the thumbnail shows the page where
   * participants wrote most. Never throws: a failure yields status 'failed' and no images.
   */
  private async renderImages(records: TLRecord[], renders: ClientRenders, sessionId: string, limits?: Partial<RenderLimits>): Promise<{ parts: SnapshotRender; renders: Record<string, string | null>; status: 'ok' | 'failed' }> {
    const onePage = contentPages(records).length <= 1
    const clientPng = onePage && renders.png && isPng(renders.png) ? renders.png : null
    const clientThumb = renders.thumbnail && isPng(renders.thumbnail) ? renders.thumbnail : null
    const clientSvg = onePage && renders.svg ? renders.svg : null
    try {
      const boardSvg = clientSvg ?? renderBoardSvg(records, { limits })
      const rasterize = this.opts.rasterize ?? svgToPng
      const png = clientPng ?? (await rasterize(clientSvg ? renderBoardSvg(records, { limits }) : boardSvg, this.opts.fullPngWidth ?? 1920))
      const thumb = clientThumb ?? (await rasterize(renderSvg(records, { limits }), this.opts.thumbnailWidth ?? 480))
      return {
        parts: { svg: boardSvg, png, thumbnailPng: thumb },
        renders: { png: clientPng ? 'client' : 'server', svg: clientSvg ? 'client' : 'server', thumbnail: clientThumb ? 'client' : 'server' },
        status: 'ok',
      }
    } catch (err) {
      this.log?.error({ err: String(err), sessionId }, 'archive: render failed; snapshot stored without images, to be rendered again')
      return { parts: { svg: '', png: null, thumbnailPng: null }, renders: { png: null, svg: null, thumbnail: null }, status: 'failed' }
    }
  }

  /** Renders again the images of snapshots whose render failed (autosave timer; at most MAX_RENDER_TRIES each). */
  async retryRenders(): Promise<number> {
    let done = 0
    for (const [id, tries] of [...this.failedRenders]) {
      const snap = await this.storage.getSnapshot(id).catch(() => null)
      const state = snap ? await this.storage.getSnapshotPart(id, 'yjsState').catch(() => null) : null
      if (!snap || !state) {
        this.failedRenders.delete(id)
        continue
      }
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state)
      // a second try draws less: the first may have failed on the size of the board
      const images = await this.renderImages(readRecords(doc), {}, snap.sessionId, { maxShapes: 1000, maxPointsPerStroke: 500, maxSvgChars: 2 * 1024 * 1024 })
      if (images.status === 'ok') {
        await this.storage.completeSnapshotRender(id, images.parts, { ...snap.meta, renders: images.renders, render: 'ok' })
        this.failedRenders.delete(id)
        done++
      } else if (tries + 1 >= MAX_RENDER_TRIES) {
        this.failedRenders.delete(id)
        this.log?.error({ snapshotId: id }, 'archive: render failed again; the snapshot keeps no images')
      } else this.failedRenders.set(id, tries + 1)
    }
    return done
  }

  // ---- carry-over (archive A6–A7) ------------------------------------------------------------

  private async snapshotRecords(snapshotId: string): Promise<TLRecord[]> {
    const state = await this.storage.getSnapshotPart(snapshotId, 'yjsState')
    if (!state) throw new ApiError('PART_NOT_FOUND', 'the snapshot has no board state')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    return readRecords(doc)
  }

  async carryCandidates(copId: string, snapshotId: string): Promise<CarryCandidate[]> {
    const snap = await this.getSnapshot(copId, snapshotId)
    return carryOverCandidates(await this.snapshotRecords(snap.id))
  }

  /** Writes the picked notes of a snapshot into a planned or live session's board (through the room when it is loaded). */
  async carryOver(copId: string, sessionId: string, snapshotId: string, noteIds: string[]): Promise<{ placed: number }> {
    const session = await this.getSession(copId, sessionId)
    if (session.state === 'ended') throw new ApiError('SESSION_STATE_CONFLICT', 'an ended board is frozen')
    const snap = await this.getSnapshot(copId, snapshotId)
    const fromSession = await this.storage.getSession(snap.sessionId)
    const from = { sessionId: snap.sessionId, sessionNumber: fromSession?.number ?? Number((snap.meta as { sessionNumber?: number }).sessionNumber ?? 0), snapshotId: snap.id }
    const source = await this.snapshotRecords(snap.id)
    const place = (doc: Y.Doc) => {
      const notes = planCarryOver(readRecords(doc), source, noteIds, from)
      if (notes.length) writeRecords(doc, notes)
      return notes.length
    }
    let placed: number
    if (this.opts.rooms) placed = await this.opts.rooms.transact(session.room, place, 'carry-over')
    else await editStoredRoom(this.storage, session.room, (doc) => void (placed = place(doc)))
    this.log?.info({ copId, sessionId, snapshotId, placed: placed! }, 'archive: notes carried over')
    return { placed: placed! }
  }

  async compare(copId: string, a: string, b: string): Promise<Comparison> {
    const [sa, sb] = await Promise.all([this.getSnapshot(copId, a), this.getSnapshot(copId, b)])
    const [ra, rb] = await Promise.all([sa, sb].map(async (s) => {
      const state = await this.storage.getSnapshotPart(s.id, 'yjsState')
      const doc = new Y.Doc()
      if (state) Y.applyUpdate(doc, state)
      return readRecords(doc)
    }))
    return compareRecords(ra, rb, { outsideLabel: 'Buiten de zones' })
  }

  /** The board doc of a room: through the RoomManager when wired (includes what is in memory), else from storage. */
  async loadDoc(room: string): Promise<Y.Doc> {
    if (!this.opts.rooms) return loadBoardDoc(this.storage, room)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await this.opts.rooms.encodeState(room))
    return doc
  }

  /** Closes the live connections of a CoP's rooms (they reconnect and are authorized afresh). */
  async disconnectCop(copId: string): Promise<void> {
    if (!this.opts.rooms) return
    for (const s of await this.storage.listSessions(copId)) if (s.state !== 'ended') this.opts.rooms.disconnectRoom(s.room, 'NORMAL')
  }

  // ---- live rooms and autosave -------------------------------------------------------------

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

  liveRooms(): string[] {
    return [...this.live.keys()]
  }

  /** Autosaves one live room when its board changed since the last snapshot. */
  async autosave(room: string): Promise<SnapshotMeta | null> {
    const lr = this.live.get(room)
    if (!lr) return null
    if (lr.saving) await lr.saving.catch(() => undefined)
    const run = (async () => {
      const session = await this.storage.getSession(lr.sessionId)
      if (!session || session.state !== 'live') {
        this.live.delete(room)
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
  async trackStartedElsewhere(): Promise<string[]> {
    const found: string[] = []
    for (const room of this.opts.rooms?.ownedRooms?.() ?? []) {
      if (this.live.has(room) || this.tracking.has(room)) continue
      const s = await this.storage.getSessionByRoom(room).catch(() => null)
      if (s?.state !== 'live' || this.live.has(room)) continue
      const lr = this.track(s)
      const pre = this.preLive.get(room)
      this.preLive.delete(room)
      if (pre) lr.participants.adoptPresent(pre, Date.parse(s.startedAt ?? new Date().toISOString()))
      lr.restoring = this.restoreParticipants(lr)
      found.push(room)
    }
    return found
  }

  async autosaveAll(): Promise<void> {
    await this.trackStartedElsewhere()
    // several instances: the room's owner saves it (it knows the room's people); the others skip it
    const owns = this.opts.rooms?.ownsRoom
    for (const room of this.liveRooms()) if (!owns || owns(room)) await this.autosave(room)
    if (this.failedRenders.size) await this.retryRenders()
  }

  /**
   * Sync hook (sync-core §4.4): awareness states a room saw. Live sessions record their people;
   * other rooms keep them briefly so a planned board's people count from the session's start.
   */
  onAwarenessSeen(room: string, seen: AwarenessSeen): void {
    const lr = this.live.get(room)
    if (lr) return lr.participants.record(seen)
    const tracking = this.tracking.get(room)
    if (tracking) return void tracking.then((l) => (l?.participants ?? this.preLiveOf(room)).record(seen))
    this.preLiveOf(room).record(seen)
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

  /** `meta.participants` of a snapshot: the live tracker, else (never tracked since a restart) the latest snapshot's. */
  private async participantsOf(session: Session, lr: LiveRoom | undefined): Promise<ParticipantMeta[]> {
    if (lr) {
      if (lr.restoring) await lr.restoring
      return lr.participants.toMeta(Date.now())
    }
    const latest = await this.latestSnapshotOf(session.copId, session.id)
    return latest ? parseParticipants(latest.meta.participants) : []
  }

  private async latestSnapshotOf(copId: string, sessionId: string): Promise<SnapshotMeta | undefined> {
    return (await this.storage.listSnapshots(copId)).filter((s) => s.sessionId === sessionId).at(-1)
  }

  /** Sync hook: the last connection of a room closed. */
  onRoomIdle(room: string): Promise<SnapshotMeta | null> {
    return this.autosave(room)
  }
}

/** `update` = Y.encodeStateAsUpdate(doc), when the caller has it already. */
function stateHash(doc: Y.Doc, update: Uint8Array = Y.encodeStateAsUpdate(doc)): string {
  return createHash('sha256').update(Y.encodeStateVector(doc)).update(update).digest('base64url')
}
