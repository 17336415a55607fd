/**
 * Facilitation state of a board: `doc.getMap('session')` (README rules S0–S6). Plain-JSON views of the nested
 * Y.Maps; `readSession(doc)` produces them, the functions of this folder compute over them.
 */

/** Key of each nested Y.Map under `session`. */
export const SESSION_KEYS = ['agenda', 'timer', 'follow', 'votes', 'reveal', 'akkoord'] as const
export type SessionKey = (typeof SESSION_KEYS)[number]

export interface AgendaState {
  /** Template whose agenda runs (the template on `pageId`). */
  templateId: string
  pageId: string
  /** Index into the template's agenda. */
  stepIndex: number
}

export type TimerState =
  | { state: 'idle'; durationMs: number }
  | { state: 'running'; durationMs: number; /** server epoch ms */ endsAt: number }
  | { state: 'paused'; durationMs: number; remainingMs: number }

/** A rectangle in page coordinates on one page. */
export interface PageView {
  pageId: string
  x: number
  y: number
  w: number
  h: number
}

export interface FollowState {
  /** Incremented by "bring everyone here": every participant moves once when it changes. */
  bringSeq: number
  /** While true participants follow the facilitator and cannot leave (summon). */
  locked: boolean
  /** The facilitator's view at the last bring/summon/step: for peers who cannot see their awareness. */
  view: PageView | null
  /** Yjs clientID of the facilitator who brought/summoned (whose awareness camera to follow). */
  leaderClientId: number | null
}

export type VoteScope = { kind: 'board'; pageId: string } | { kind: 'zone'; pageId: string; templateId: string; zoneId: string }

export interface VoteState {
  id: string
  title: string
  scope: VoteScope
  /** Dots per participant (1..MAX_DOTS). */
  dotsPerPerson: number
  state: 'open' | 'closed'
  openedAt: number
  closedAt: number | null
  /** Closed vote: results shown as badges on the board (the facilitator hides them when moving on). */
  resultsShown: boolean
  /** participantId -> shape ids (a note may hold several of one participant's dots). */
  dots: Record<string, string[]>
}

export interface AkkoordVersion {
  /** 1-based; equals its position + 1 (stored so readers need not count, e.g. the report). */
  version: number
  text: string
  /** server epoch ms */
  at: number
  by: string
}

export interface Endorsement {
  /** 1-based version number endorsed. */
  version: number
  name: string
  perspective: string | null
  at: number
}

export interface AkkoordState {
  /** Version n is versions[n - 1]. */
  versions: AkkoordVersion[]
  endorsements: Record<string, Endorsement>
}

export interface SessionState {
  agenda: AgendaState | null
  timer: TimerState | null
  follow: FollowState | null
  votes: Record<string, VoteState>
  akkoord: AkkoordState | null
}

export const MAX_DOTS = 20
export const MAX_VOTE_TITLE = 200
export const MAX_STATEMENT = 4000
export const MAX_TIMER_MS = 6 * 60 * 60_000
