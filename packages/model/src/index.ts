/**
 * @copboard/model — the domain types both the server and the web client use (CoPs, sessions,
 * tokens, snapshots, roles, participants). Types only: no runtime code, no dependencies, so the
 * web client imports them without pulling in storage (ARCHITECTURE next move 3).
 */
export type Role = 'facilitator' | 'participant' | 'viewer'
export type SessionState = 'planned' | 'live' | 'ended'

export interface Cop {
  id: string
  name: string
  theme: string
  coHost: string
  createdAt: string // ISO-8601
}

/** How a session's board begins. */
export type SessionStart =
  | { kind: 'empty' }
  | { kind: 'template'; templateId: string }
  | { kind: 'snapshot'; snapshotId: string }

export interface Session {
  id: string
  copId: string
  number: number // 1, 2, 3 … within the CoP
  title: string
  date: string // YYYY-MM-DD
  state: SessionState
  start: SessionStart
  /** The sync room of this session's board. */
  room: string
  startedAt: string | null
  endedAt: string | null
  createdAt: string
}

export interface TokenRecord {
  id: string // public id, for listing and revoking
  copId: string
  role: Role
  label: string
  createdAt: string
  revokedAt: string | null
}

export type SnapshotKind = 'final' | 'autosave'

/** One person seen on a session's board (awareness), as stored in a snapshot's `meta.participants`. */
export interface ParticipantMeta {
  name: string
  perspective: string | null
  role?: Role
  firstSeen: string // ISO-8601
  lastSeen: string
}

export interface SnapshotMeta {
  id: string
  copId: string
  sessionId: string
  kind: SnapshotKind
  createdAt: string
  /** participants, duration, note count … (JSON-serialisable) */
  meta: Record<string, unknown>
}
