/**
 * Dot voting (README rule S4). The facilitator opens a vote on a zone or a whole page with N dots per
 * participant; each participant writes only their own dot list; the facilitator closes it.
 */
import { MAX_DOTS, MAX_VOTE_TITLE, type VoteScope, type VoteState } from './types.js'

export type VoteError = 'vote-closed' | 'no-dots-left' | 'not-in-scope' | 'no-dot-here' | 'bad-config'

export function openVote(id: string, title: string, scope: VoteScope, dotsPerPerson: number, now: number): VoteState {
  return { id, title: title.slice(0, MAX_VOTE_TITLE), scope, dotsPerPerson: clampDots(dotsPerPerson), state: 'open', openedAt: now, closedAt: null, resultsShown: true, dots: {} }
}

export function clampDots(n: number): number {
  return Math.max(1, Math.min(MAX_DOTS, Math.trunc(Number.isFinite(n) ? n : 1)))
}

export function closeVote(v: VoteState, now: number): VoteState {
  return v.state === 'closed' ? v : { ...v, state: 'closed', closedAt: now }
}

export function dotsOf(v: VoteState, participantId: string): string[] {
  return v.dots[participantId] ?? []
}

export function dotsLeft(v: VoteState, participantId: string): number {
  return Math.max(0, v.dotsPerPerson - dotsOf(v, participantId).length)
}

/** Is this dot list acceptable for the vote? (used for a new list and by the server policy) */
export function checkDots(v: VoteState, list: readonly string[], inScope: (shapeId: string) => boolean): VoteError | null {
  if (v.state !== 'open') return 'vote-closed'
  if (list.length > v.dotsPerPerson) return 'no-dots-left'
  for (const id of list) if (!inScope(id)) return 'not-in-scope'
  return null
}

/** The participant's new dot list with one more dot on `shapeId`, or why not. */
export function placeDot(v: VoteState, participantId: string, shapeId: string, inScope: (shapeId: string) => boolean): string[] | VoteError {
  const next = [...dotsOf(v, participantId), shapeId]
  return checkDots(v, next, inScope) ?? next
}

/** The participant's new dot list with one of their dots on `shapeId` taken back, or why not. */
export function removeDot(v: VoteState, participantId: string, shapeId: string): string[] | VoteError {
  if (v.state !== 'open') return 'vote-closed'
  const cur = dotsOf(v, participantId)
  const i = cur.lastIndexOf(shapeId)
  if (i < 0) return 'no-dot-here'
  return [...cur.slice(0, i), ...cur.slice(i + 1)]
}

/** Dots per shape id. */
export function tally(v: VoteState): Map<string, number> {
  const counts = new Map<string, number>()
  for (const list of Object.values(v.dots)) for (const id of list) counts.set(id, (counts.get(id) ?? 0) + 1)
  return counts
}

export interface VoteResult {
  shapeId: string
  dots: number
  /** Number of participants who put at least one dot on it. */
  voters: number
}

/** Results, most dots first (ties by shape id, so every client orders alike). */
export function voteResults(v: VoteState): VoteResult[] {
  const voters = new Map<string, number>()
  for (const list of Object.values(v.dots)) for (const id of new Set(list)) voters.set(id, (voters.get(id) ?? 0) + 1)
  return [...tally(v)].map(([shapeId, dots]) => ({ shapeId, dots, voters: voters.get(shapeId) ?? 0 })).sort((a, b) => b.dots - a.dots || (a.shapeId < b.shapeId ? -1 : 1))
}

/** The vote that is open now (at most one is open at a time), else the latest. */
export function activeVote(votes: Record<string, VoteState>): VoteState | null {
  const all = Object.values(votes)
  return all.find((v) => v.state === 'open') ?? all.sort((a, b) => b.openedAt - a.openedAt)[0] ?? null
}

function isScope(v: unknown): v is VoteScope {
  if (!v || typeof v !== 'object') return false
  const s = v as Record<string, unknown>
  if (typeof s.pageId !== 'string') return false
  return s.kind === 'board' || (s.kind === 'zone' && typeof s.templateId === 'string' && typeof s.zoneId === 'string')
}

/** Validates a vote read from the doc (facilitator-written fields + dot lists). */
export function isVoteConfig(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false
  const o = v as Record<string, unknown>
  return (
    typeof o.title === 'string' &&
    o.title.length <= MAX_VOTE_TITLE &&
    isScope(o.scope) &&
    Number.isInteger(o.dotsPerPerson) &&
    (o.dotsPerPerson as number) >= 1 &&
    (o.dotsPerPerson as number) <= MAX_DOTS &&
    (o.state === 'open' || o.state === 'closed') &&
    typeof o.openedAt === 'number' &&
    (o.closedAt === null || o.closedAt === undefined || typeof o.closedAt === 'number') &&
    (o.resultsShown === undefined || typeof o.resultsShown === 'boolean')
  )
}
