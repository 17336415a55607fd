/**
 * Private mode (issue 10): while the facilitator has private writing on, a participant's new
 * shapes live in a per-participant *draft room* — a Y.Doc of its own that only that participant's
 * connection may open — and not in the board doc. On reveal the server moves them into the board.
 * With Yjs every peer of a doc receives all of it, so this is the only way a hidden text never
 * reaches another browser before the reveal.
 *
 *   draft room name   `<room>~draft~<participantId>`  ('~' cannot occur in a room id)
 *   private shape     meta.private === true (only ever in a draft doc)
 *   reveal state      doc.getMap('session').get('reveal'): Y.Map { mode, round, revealedAt }
 *                     written by the server only (the facilitator asks it through the API)
 */
import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import { getSessionMap } from './layout.js'

export const DRAFT_SEPARATOR = '~draft~'

/** participantId: base64url(sha256(secret)) cut to 22 characters (COMMON identity rule). */
export const PARTICIPANT_ID = /^[A-Za-z0-9_-]{22}$/

export function draftRoomName(room: string, participantId: string): string {
  return `${room}${DRAFT_SEPARATOR}${participantId}`
}

/** The board room and participant of a draft room name; null for any other name. */
export function parseDraftRoom(name: string): { room: string; participantId: string } | null {
  const i = name.indexOf(DRAFT_SEPARATOR)
  if (i <= 0) return null
  const room = name.slice(0, i)
  const participantId = name.slice(i + DRAFT_SEPARATOR.length)
  if (!PARTICIPANT_ID.test(participantId) || room.includes('~')) return null
  return { room, participantId }
}

export function isDraftRoom(name: string): boolean {
  return parseDraftRoom(name) !== null
}

/** A shape that belongs in its author's draft doc, not in the board. */
export function isPrivateShape(record: { typeName?: string; meta?: unknown } | null | undefined): boolean {
  return !!record && record.typeName === 'shape' && (record.meta as { private?: unknown } | undefined)?.private === true
}

/**
 * A record that belongs in the draft doc: a private shape, or a binding with a private end
 * (`get` looks the ends up, e.g. in the client's store).
 */
export function isPrivateRecord(record: TLRecord, get: (id: string) => { typeName?: string; meta?: unknown } | undefined): boolean {
  if (record.typeName === 'shape') return isPrivateShape(record)
  if (record.typeName === 'binding') {
    const b = record as unknown as { fromId: string; toId: string }
    return isPrivateShape(get(b.fromId)) || isPrivateShape(get(b.toId))
  }
  return false
}

export type RevealMode = 'open' | 'private'

export interface RevealState {
  /** 'private': participants' new shapes go to their drafts; 'open': to the board. */
  mode: RevealMode
  /** How many reveals happened (a client sees a reveal as the round going up). */
  round: number
  /** Server epoch ms of the last reveal, null before the first. */
  revealedAt: number | null
}

export const REVEAL_KEY = 'reveal'

export function readRevealState(doc: Y.Doc): RevealState {
  const m = getSessionMap(doc).get(REVEAL_KEY)
  const get = (k: string) => (m instanceof Y.Map ? m.get(k) : undefined)
  const mode = get('mode') === 'private' ? 'private' : 'open'
  const round = get('round')
  const revealedAt = get('revealedAt')
  return {
    mode,
    round: typeof round === 'number' && Number.isFinite(round) ? round : 0,
    revealedAt: typeof revealedAt === 'number' ? revealedAt : null,
  }
}

/** Writes the reveal state (server side, inside its own transaction). */
export function writeRevealState(doc: Y.Doc, next: Partial<RevealState>): void {
  const session = getSessionMap(doc)
  let m = session.get(REVEAL_KEY)
  if (!(m instanceof Y.Map)) {
    m = new Y.Map<unknown>()
    session.set(REVEAL_KEY, m)
  }
  const map = m as Y.Map<unknown>
  for (const [k, v] of Object.entries(next)) if (v !== undefined && map.get(k) !== v) map.set(k, v)
}

/** Records of a draft doc that may move into the board: private shapes and bindings between them. */
export function draftRecords(records: TLRecord[]): TLRecord[] {
  const ids = new Set<string>(records.filter(isPrivateShape).map((r) => r.id))
  return records.filter((r) => {
    if (r.typeName === 'shape') return ids.has(r.id)
    if (r.typeName === 'binding') {
      const b = r as unknown as { fromId: string; toId: string }
      return ids.has(b.fromId) || ids.has(b.toId)
    }
    return false
  })
}
