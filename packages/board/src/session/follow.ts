/**
 * Follow state (README rule S3). The facilitator's live camera travels in awareness (tldraw presence);
 * the doc holds only what must survive a missed message: the bring counter, the summon lock and the
 * facilitator's view at that moment (for late joiners and peers whose awareness has not arrived).
 */
import type { FollowState, PageView } from './types.js'

export const NO_FOLLOW: FollowState = { bringSeq: 0, locked: false, view: null, leaderClientId: null }

/** "Bring everyone here": every participant jumps once to `view`. */
export function bringEveryone(f: FollowState | null, view: PageView, leaderClientId: number | null = null): FollowState {
  const cur = f ?? NO_FOLLOW
  return { ...cur, bringSeq: cur.bringSeq + 1, view, leaderClientId }
}

/** Summon: bring everyone and keep them following until released. */
export function summon(f: FollowState | null, view: PageView, leaderClientId: number | null = null): FollowState {
  return { ...bringEveryone(f, view, leaderClientId), locked: true }
}

export function release(f: FollowState | null): FollowState {
  return { ...(f ?? NO_FOLLOW), locked: false }
}

/** Update the remembered view without moving anyone (e.g. after advancing a step). */
export function rememberView(f: FollowState | null, view: PageView, leaderClientId: number | null = null): FollowState {
  return { ...(f ?? NO_FOLLOW), view, leaderClientId: leaderClientId ?? f?.leaderClientId ?? null }
}

export interface FollowerState {
  /** Last bringSeq this client acted on (null: not yet seen any — a fresh page load). */
  seenBringSeq: number | null
  /** The participant chose to follow continuously. */
  following: boolean
}

export type FollowAction =
  /** Jump once to the facilitator's view (awareness first, else follow.view). */
  | { kind: 'jump' }
  /** Start (or keep) following the facilitator continuously. */
  | { kind: 'follow' }
  | { kind: 'none' }

/**
 * What a participant's client does when the follow state changes or it (re)joins:
 * - on first sight (late joiner / reload): land where the facilitator is;
 * - a new bringSeq: jump once;
 * - locked (summoned): follow continuously, whatever the participant chose.
 */
export function followAction(me: FollowerState, f: FollowState | null): FollowAction {
  const state = f ?? NO_FOLLOW
  if (state.locked) return { kind: 'follow' }
  if (me.seenBringSeq === null) return { kind: 'jump' }
  if (state.bringSeq !== me.seenBringSeq) return { kind: 'jump' }
  return me.following ? { kind: 'follow' } : { kind: 'none' }
}

/** May the participant stop following now? Not while summoned. */
export function canStopFollowing(f: FollowState | null): boolean {
  return !(f?.locked ?? false)
}

export function isPageView(v: unknown): v is PageView {
  if (!v || typeof v !== 'object') return false
  const p = v as Record<string, unknown>
  const fin = (n: unknown) => typeof n === 'number' && Number.isFinite(n)
  return typeof p.pageId === 'string' && fin(p.x) && fin(p.y) && fin(p.w) && fin(p.h) && (p.w as number) > 0 && (p.h as number) > 0
}

export function isFollowState(v: unknown): v is FollowState {
  if (!v || typeof v !== 'object') return false
  const f = v as Record<string, unknown>
  return Number.isInteger(f.bringSeq) && (f.bringSeq as number) >= 0 && typeof f.locked === 'boolean' && (f.view === null || f.view === undefined || isPageView(f.view)) &&
    (f.leaderClientId === null || f.leaderClientId === undefined || (Number.isInteger(f.leaderClientId) && (f.leaderClientId as number) >= 0))
}
