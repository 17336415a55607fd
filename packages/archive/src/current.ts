/**
 * Where the one CoP link leads (issue 11): to the live session's board, else to the CoP page,
 * which shows the next planned session and the archive. Pure: sessions + role in, answer out.
 */
import type { Role, Session } from '@copboard/storage'

export interface CurrentAnswer {
  /** 'board': open `room` (a live session); 'cop': show the CoP page */
  go: 'board' | 'cop'
  room: string | null
  live: Session | null
  /** the next planned session (earliest date, then number), null when none is planned */
  next: Session | null
}

export function resolveCurrent(sessions: Session[], role: Role): CurrentAnswer {
  const live = sessions.findLast((s) => s.state === 'live') ?? null
  const next = sessions.filter((s) => s.state === 'planned').sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number)[0] ?? null
  // the facilitator's link stays on the CoP page (it runs the series from there); everyone else joins
  if (live && role !== 'facilitator') return { go: 'board', room: live.room, live, next }
  return { go: 'cop', room: null, live, next }
}

/** The board a new link also opens: the live session's, else the latest planned one's (null: none). */
export function linkTarget(sessions: Session[]): Session | null {
  return sessions.findLast((s) => s.state === 'live') ?? sessions.findLast((s) => s.state === 'planned') ?? null
}
