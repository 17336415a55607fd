/** Typed client of the /api routes used by the home and archive pages (Bearer token). */
import type { CarryCandidate, Comparison as ZoneComparison } from '@copboard/archive'
import type { Report } from '@copboard/templates'
import type {
  Cop,
  ParticipantMeta,
  Role,
  Session,
  SessionStart,
  SnapshotMeta as StoredSnapshotMeta,
  TokenRecord,
} from '@copboard/model'

// The domain types are the server's own (type-only imports: nothing of those packages is bundled).
export type { NoteInfo, CarryCandidate } from '@copboard/archive'
export type { Report } from '@copboard/templates'

/** GET …/current: where the one CoP link leads now. */
export interface CurrentSession {
  role: Role
  copName: string
  go: 'board' | 'cop'
  room: string | null
  live: Session | null
  next: Session | null
}
export type { Cop, ParticipantMeta, Role, Session, SessionStart, SessionState, TokenRecord } from '@copboard/model'

/** A snapshot as listed by the API, with the metadata fields this client reads. */
export interface SnapshotMeta extends Omit<StoredSnapshotMeta, 'meta'> {
  meta: {
    sessionNumber?: number
    sessionTitle?: string
    /** People seen on the board (older snapshots: note author names). */
    participants?: (ParticipantMeta | string)[]
    /** Note authors never seen on the board (e.g. a restored board). */
    authorsOnly?: string[]
    durationMs?: number | null
    noteCount?: number
    [k: string]: unknown
  }
}
/** GET …/compare: the per-zone comparison of snapshots a and b. */
export type Comparison = ZoneComparison & { a: string; b: string }
export interface CreatedCop {
  cop: Cop
  session: Session
  links: { facilitator: string; participant: string; viewer: string }
  copLinks: { facilitator: string; participant: string; viewer: string }
  boardLinks: { facilitator: string; participant: string; viewer: string }
}

export type SnapshotFile = 'state.bin' | 'board.tldr' | 'board.svg' | 'board.png' | 'thumbnail.png' | 'report.md' | 'report.csv' | 'report.json'

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (!res.ok) {
    let code = 'HTTP_' + res.status
    let message = res.statusText
    try {
      const j = (await res.json()) as { error?: string; message?: string }
      code = j.error ?? code
      message = j.message ?? message
    } catch {
      /* not json */
    }
    throw new ApiFailure(res.status, code, message)
  }
  return (await res.json()) as T
}

export const api = {
  createCop: (b: { name: string; theme?: string; coHost?: string; sessionTitle?: string; date?: string }) => call<CreatedCop>('POST', '/cops', null, b),
  me: (token: string) => call<{ role: Role; copId: string; tokenId: string; cop: Cop; sessions: Session[] }>('GET', '/me', token),
  cop: (token: string, copId: string) => call<{ cop: Cop; role: Role; sessions: Session[]; snapshots: SnapshotMeta[] }>('GET', `/cops/${copId}`, token),
  createSession: (token: string, copId: string, b: { title: string; date: string; start: SessionStart }) =>
    call<{ session: Session }>('POST', `/cops/${copId}/sessions`, token, b),
  start: (token: string, copId: string, sessionId: string) => call<{ session: Session }>('POST', `/cops/${copId}/sessions/${sessionId}/start`, token),
  end: (token: string, copId: string, sessionId: string, renders?: { png?: string; thumbnail?: string; svg?: string }) =>
    call<{ session: Session; snapshot: SnapshotMeta }>('POST', `/cops/${copId}/sessions/${sessionId}/end`, token, renders ?? {}),
  restore: (token: string, copId: string, snapshotId: string, b: { title?: string; date?: string } = {}) =>
    call<{ session: Session }>('POST', `/cops/${copId}/snapshots/${snapshotId}/restore`, token, b),
  current: (token: string, copId: string) => call<CurrentSession>('GET', `/cops/${copId}/current`, token),
  carryCandidates: (token: string, copId: string, snapshotId: string) => call<{ candidates: CarryCandidate[] }>('GET', `/cops/${copId}/snapshots/${snapshotId}/carry-over`, token),
  carryOver: (token: string, copId: string, sessionId: string, b: { snapshotId: string; noteIds: string[] }) =>
    call<{ placed: number }>('POST', `/cops/${copId}/sessions/${sessionId}/carry-over`, token, b),
  compare: (token: string, copId: string, a: string, b: string) => call<Comparison>('GET', `/cops/${copId}/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, token),
  links: (token: string, copId: string) => call<{ links: TokenRecord[] }>('GET', `/cops/${copId}/links`, token),
  createLink: (token: string, copId: string, b: { role: 'participant' | 'viewer'; label: string }) =>
    call<{ token: TokenRecord; link: string; boardLink: string | null; secret: string }>('POST', `/cops/${copId}/links`, token, b),
  revoke: (token: string, copId: string, tokenId: string) => call<{ revoked: true }>('DELETE', `/cops/${copId}/links/${tokenId}`, token),
}

export async function fetchReport(token: string, copId: string, snapshotId: string): Promise<Report> {
  return JSON.parse(await (await fetchSnapshotFile(token, copId, snapshotId, 'report.json')).text()) as Report
}

/** A snapshot file as a Blob (the token goes in a header, so <img src> / <a href> use blob URLs). */
export async function fetchSnapshotFile(token: string, copId: string, snapshotId: string, file: SnapshotFile): Promise<Blob> {
  const res = await fetch(`/api/cops/${copId}/snapshots/${snapshotId}/${file}`, { headers: { authorization: `Bearer ${token}` } })
  if (!res.ok) throw new ApiFailure(res.status, 'HTTP_' + res.status, `${file}: ${res.status}`)
  return res.blob()
}

export async function downloadSnapshotFile(token: string, copId: string, snapshotId: string, file: SnapshotFile, filename: string): Promise<void> {
  const blob = await fetchSnapshotFile(token, copId, snapshotId, file)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Links handed out at creation are shown once by the server; the facilitator's browser keeps them. */
const LINKS_KEY = (copId: string) => `copboard.links.${copId}`
export function rememberLinks(copId: string, links: Record<string, string>): void {
  try {
    const prev = JSON.parse(localStorage.getItem(LINKS_KEY(copId)) ?? '{}') as Record<string, string>
    localStorage.setItem(LINKS_KEY(copId), JSON.stringify({ ...prev, ...links }))
  } catch {
    /* private mode */
  }
}
export function rememberedLinks(copId: string): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(LINKS_KEY(copId)) ?? '{}') as Record<string, string>
  } catch {
    return {}
  }
}
