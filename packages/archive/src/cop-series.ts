/**
 * A CoP's series as stored: the CoP, its links (tokens), its sessions and snapshots, and the board
 * doc of a room. Lookups throw ArchiveError (…_NOT_FOUND) for what does not exist or belongs to
 * another CoP. SessionArchive (session-archive.ts) adds the lifecycle, snapshots and autosave.
 */
import * as Y from 'yjs'
import type { Cop, Role, Session, SessionStart, SnapshotMeta, SnapshotPartName, Storage, TokenRecord } from '@copboard/storage'
import { getTemplate, type TemplateDefinition } from '@copboard/templates'
import { ArchiveError } from './errors'
import { loadBoardDoc, seedRoomFromState, seedRoomFromTemplate } from './stored-room'
import type { ArchiveLogger, RoomsApi } from './session-archive'

export interface CopSeriesOptions {
  storage: Storage
  /** sync-core's RoomManager: board docs are read through it; links revoked and sessions ended disconnect its rooms. */
  rooms?: RoomsApi
  logger?: ArchiveLogger
  /** A new link's secret and the hash that is stored (the server's token format). */
  mintToken: () => { secret: string; hash: string }
}

export class CopSeries {
  readonly storage: Storage
  protected readonly log: ArchiveLogger | undefined

  constructor(protected readonly opts: CopSeriesOptions) {
    this.storage = opts.storage
    this.log = opts.logger
  }

  /** Wires sync-core's RoomManager after construction (it takes the archive's idle hook). */
  attachRooms(rooms: RoomsApi): void {
    this.opts.rooms = rooms
  }

  // ---- CoPs, links and sessions ------------------------------------------------------------

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
    if (!cop) throw new ArchiveError('COP_NOT_FOUND')
    return cop
  }

  /** A new link of a CoP: the token record and its secret (handed out once, never stored). */
  async issueLink(copId: string, role: Role, label: string): Promise<{ token: TokenRecord; secret: string }> {
    const { secret, hash } = this.opts.mintToken()
    const token = await this.storage.createToken({ copId, role, label, secretHash: hash })
    return { token, secret }
  }

  async listLinks(copId: string): Promise<TokenRecord[]> {
    return this.storage.listTokens(copId)
  }

  /** Revokes a link (again: nothing changes); open boards of the CoP reconnect and are authorized afresh. */
  async revokeLink(copId: string, tokenId: string): Promise<void> {
    const t = (await this.storage.listTokens(copId)).find((x) => x.id === tokenId)
    if (!t) throw new ArchiveError('TOKEN_NOT_FOUND')
    if (!t.revokedAt) await this.storage.revokeToken(copId, tokenId, new Date().toISOString())
    await this.disconnectCop(copId)
  }

  async getSession(copId: string, sessionId: string): Promise<Session> {
    const s = await this.storage.getSession(sessionId)
    if (!s || s.copId !== copId) throw new ArchiveError('SESSION_NOT_FOUND')
    return s
  }

  async listSessions(copId: string): Promise<Session[]> {
    return this.storage.listSessions(copId)
  }

  /** Every room in storage (boards and private drafts). */
  async storedRooms(): Promise<string[]> {
    return this.storage.listRooms()
  }

  /** The session whose board is `room`, or null. */
  async sessionOfRoom(room: string): Promise<Session | null> {
    return this.storage.getSessionByRoom(room)
  }

  async createSession(cop: Cop, input: { title: string; date: string; start: SessionStart }): Promise<Session> {
    let snapshotState: Uint8Array | null = null
    if (input.start.kind === 'snapshot') {
      const snap = await this.getSnapshot(cop.id, input.start.snapshotId)
      snapshotState = await this.storage.getSnapshotPart(snap.id, 'yjsState')
      if (!snapshotState) throw new ArchiveError('PART_NOT_FOUND', 'the snapshot has no board state')
    }
    let template: TemplateDefinition | undefined
    if (input.start.kind === 'template') {
      template = getTemplate(input.start.templateId)
      if (!template) throw new ArchiveError('TEMPLATE_UNKNOWN', `no template "${input.start.templateId}"`)
    }
    const session = await this.storage.createSession({ copId: cop.id, title: input.title, date: input.date, start: input.start })
    // the room is new: nobody can be connected yet, so seeding through storage is safe
    if (template) await seedRoomFromTemplate(this.storage, session.room, template, { copName: cop.name, sessionNumber: session.number, date: session.date })
    else if (snapshotState) await seedRoomFromState(this.storage, session.room, snapshotState)
    this.log?.info({ copId: cop.id, sessionId: session.id, start: input.start.kind }, 'archive: session created')
    return session
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

  // ---- snapshots ---------------------------------------------------------------------------

  async getSnapshot(copId: string, snapshotId: string): Promise<SnapshotMeta> {
    const s = await this.storage.getSnapshot(snapshotId)
    if (!s || s.copId !== copId) throw new ArchiveError('SNAPSHOT_NOT_FOUND')
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

  // ---- boards -------------------------------------------------------------------------------

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
}
