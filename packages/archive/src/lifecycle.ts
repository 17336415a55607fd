/**
 * Session lifecycle: planned -> live -> ended. Nothing else.
 * An invalid transition is a user error (HTTP 409), never a crash.
 */
export type SessionState = 'planned' | 'live' | 'ended'
export type SessionAction = 'start' | 'end'

const TRANSITIONS: Record<SessionAction, { from: SessionState; to: SessionState }> = {
  start: { from: 'planned', to: 'live' },
  end: { from: 'live', to: 'ended' },
}

export class LifecycleError extends Error {
  readonly code = 'SESSION_STATE_CONFLICT' as const
  readonly status = 409 as const
  constructor(
    readonly action: SessionAction,
    readonly state: SessionState,
  ) {
    super(`cannot ${action} a session that is ${state} (needs ${TRANSITIONS[action].from})`)
    this.name = 'LifecycleError'
  }
}

/** The from/to pair for an action; throws LifecycleError when `current` does not allow it. */
export function planTransition(current: SessionState, action: SessionAction): { from: SessionState; to: SessionState } {
  const t = TRANSITIONS[action]
  if (current !== t.from) throw new LifecycleError(action, current)
  return t
}

export function canTransition(current: SessionState, action: SessionAction): boolean {
  return TRANSITIONS[action].from === current
}

/** Board edits are allowed in planned (facilitator prepares) and live sessions; ended boards are frozen. */
export function isBoardWritable(state: SessionState): boolean {
  return state !== 'ended'
}
