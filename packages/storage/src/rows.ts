/** Row <-> record mapping shared by both adapters (both use the same column names). */
import { newId, newRoomId } from './ids'
import type { Cop, Role, Session, SessionStart, SessionState, SnapshotKind, SnapshotMeta, SnapshotPartName, SnapshotParts, TokenRecord } from './types'

/** A view on the same bytes, typed as a plain Uint8Array (drivers hand out Buffers). */
export function toU8(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** A Buffer view on the same bytes (drivers want Buffers). */
export function toBuf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}

export type Row = Record<string, unknown>

export const COP_COLUMNS = 'id, name, theme, co_host, created_at'
export const SESSION_COLUMNS = 'id, cop_id, number, title, date, state, start_json, room, started_at, ended_at, created_at'
export const TOKEN_COLUMNS = 'id, cop_id, role, label, created_at, revoked_at'
export const SNAPSHOT_META_COLUMNS = 'id, cop_id, session_id, kind, created_at, meta_json'

export function rowToCop(r: Row): Cop {
  return {
    id: r.id as string,
    name: r.name as string,
    theme: r.theme as string,
    coHost: r.co_host as string,
    createdAt: r.created_at as string,
  }
}

export function rowToSession(r: Row): Session {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    number: Number(r.number),
    title: r.title as string,
    date: r.date as string,
    state: r.state as SessionState,
    start: JSON.parse(r.start_json as string) as SessionStart,
    room: r.room as string,
    startedAt: (r.started_at as string | null) ?? null,
    endedAt: (r.ended_at as string | null) ?? null,
    createdAt: r.created_at as string,
  }
}

export function rowToToken(r: Row): TokenRecord {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    role: r.role as Role,
    label: r.label as string,
    createdAt: r.created_at as string,
    revokedAt: (r.revoked_at as string | null) ?? null,
  }
}

export function rowToSnapshotMeta(r: Row): SnapshotMeta {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    sessionId: r.session_id as string,
    kind: r.kind as SnapshotKind,
    createdAt: r.created_at as string,
    meta: JSON.parse(r.meta_json as string) as Record<string, unknown>,
  }
}

/** Snapshot part -> column. Binary parts are BLOB / BYTEA, text parts TEXT. */
export const PART_COLUMNS: { readonly [K in SnapshotPartName]: { column: string; binary: boolean } } = {
  yjsState: { column: 'yjs_state', binary: true },
  tldr: { column: 'tldr', binary: false },
  svg: { column: 'svg', binary: false },
  png: { column: 'png', binary: true },
  thumbnailPng: { column: 'thumbnail_png', binary: true },
  reportJson: { column: 'report_json', binary: false },
  reportMarkdown: { column: 'report_md', binary: false },
  reportCsv: { column: 'report_csv', binary: false },
}

export const PART_NAMES = Object.keys(PART_COLUMNS) as SnapshotPartName[]

/** Every part column, in PART_COLUMNS order (the columns rowToParts reads). */
export const SNAPSHOT_PART_COLUMNS = PART_NAMES.map((p) => PART_COLUMNS[p].column).join(', ')

export function partValueFromRow(v: unknown, binary: boolean): unknown {
  if (v === null || v === undefined) return null
  return binary ? toU8(v as Uint8Array) : v
}

export function isPartName(p: string): p is SnapshotPartName {
  return Object.prototype.hasOwnProperty.call(PART_COLUMNS, p)
}

export function rowToParts(r: Row): SnapshotParts {
  return {
    yjsState: toU8(r.yjs_state as Uint8Array),
    tldr: r.tldr as string,
    svg: r.svg as string,
    png: partValueFromRow(r.png, true) as Uint8Array | null,
    thumbnailPng: partValueFromRow(r.thumbnail_png, true) as Uint8Array | null,
    reportJson: r.report_json as string,
    reportMarkdown: r.report_md as string,
    reportCsv: r.report_csv as string,
  }
}

// ---------------------------------------------------------------- new records (both adapters)

export function newCop(input: Omit<Cop, 'id' | 'createdAt'>): Cop {
  return { id: newId(), name: input.name, theme: input.theme, coHost: input.coHost, createdAt: new Date().toISOString() }
}

/** A new planned session with the number the adapter allocated (in its transaction). */
export function newSession(input: Omit<Session, 'id' | 'number' | 'room' | 'createdAt' | 'startedAt' | 'endedAt' | 'state'>, number: number): Session {
  return {
    id: newId(), copId: input.copId, number, title: input.title, date: input.date,
    state: 'planned', start: input.start, room: newRoomId(), startedAt: null, endedAt: null,
    createdAt: new Date().toISOString(),
  }
}

export function newToken(input: { copId: string; role: Role; label: string }): TokenRecord {
  return { id: newId(), copId: input.copId, role: input.role, label: input.label, createdAt: new Date().toISOString(), revokedAt: null }
}

export function newSnapshotMeta(input: Omit<SnapshotMeta, 'id' | 'createdAt'>): SnapshotMeta {
  return { id: newId(), copId: input.copId, sessionId: input.sessionId, kind: input.kind, createdAt: new Date().toISOString(), meta: input.meta }
}

/** Column list of a new snapshot row; snapshotValues gives the values in this order. */
export const SNAPSHOT_INSERT_COLUMNS = `${SNAPSHOT_META_COLUMNS}, ${SNAPSHOT_PART_COLUMNS}`

export function snapshotValues(s: SnapshotMeta, parts: SnapshotParts): unknown[] {
  return [
    s.id, s.copId, s.sessionId, s.kind, s.createdAt, JSON.stringify(s.meta),
    toBuf(parts.yjsState), parts.tldr, parts.svg, parts.png ? toBuf(parts.png) : null,
    parts.thumbnailPng ? toBuf(parts.thumbnailPng) : null, parts.reportJson, parts.reportMarkdown, parts.reportCsv,
  ]
}
