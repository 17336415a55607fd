/**
 * THE place where the web client decides who you are on a board (PLAN: never re-derive elsewhere).
 *
 *   token  from the link's fragment `#t=<token>`, taken out of the address bar at start-up and
 *          kept for the tab and returning visits (src/token.ts: pageToken)
 *   role   from GET /api/me?room=<room> (Bearer token): `boardRole` (viewer once the session ended)
 *   room   from the path /b/:room, copId from /api/me
 *
 * Fallback (no token, or a server without the API): role 'participant', and the join flow's
 * "Ik ben de facilitator" checkbox may raise it to 'facilitator' (development/demo only). That
 * check lives in `fallbackRole` below and nowhere else.
 */
import { useCallback, useEffect, useState } from 'react'
import { forgetToken, pageToken } from '../token'

export type Role = 'facilitator' | 'participant' | 'viewer'

export interface BoardSessionInfo {
  id: string
  number: number
  title: string
  state: 'planned' | 'live' | 'ended'
}

export interface BoardAccess {
  status: 'loading' | 'ready' | 'denied'
  token: string | null
  role: Role
  room: string
  copId: string | null
  /** The session this board belongs to (from /api/me), when known. */
  session: BoardSessionInfo | null
  /** CoP name, when known. */
  copName: string | null
  /** True when the role comes from the server (token checked); false in fallback mode. */
  verified: boolean
  /** Why access was denied ('unauthorized' | 'forbidden' | 'not-found'). */
  error?: string
  /** Asks /api/me again (e.g. the server made the board read-only: the session ended meanwhile). */
  reload?: () => void
}

export { tokenFromFragment } from '../token'

const FACILITATOR_FLAG = 'copboard.facilitatorFlag'

/** Join-flow checkbox (fallback mode only). */
export function setFallbackFacilitator(on: boolean): void {
  try {
    if (on) localStorage.setItem(FACILITATOR_FLAG, '1')
    else localStorage.removeItem(FACILITATOR_FLAG)
  } catch {
    /* private mode */
  }
  for (const l of flagListeners) l()
}
const flagListeners = new Set<() => void>()
function fallbackRole(): Role {
  try {
    return localStorage.getItem(FACILITATOR_FLAG) === '1' ? 'facilitator' : 'participant'
  } catch {
    return 'participant'
  }
}

interface MeResponse {
  role: Role
  copId: string
  boardRole?: Role | null
  cop?: { name?: string }
  session?: { id: string; number: number; title: string; state: BoardSessionInfo['state'] } | null
}

/** Room of the current page (/b/:room), '' elsewhere. */
export function roomFromPath(path: string = typeof location === 'undefined' ? '' : location.pathname): string {
  const m = /^\/b\/([^/]+)\/?$/.exec(path)
  return m ? decodeURIComponent(m[1]) : ''
}

function askAccess(room: string, token: string): Promise<Response> {
  return fetch(`/api/me?room=${encodeURIComponent(room)}`, { headers: { authorization: `Bearer ${token}` } })
}

/** /api/me asked at start-up (board/early.ts), for the first useBoardAccess of that room and token. */
const earlyAccess = new Map<string, Promise<Response>>()
export function askAccessEarly(room: string, token: string): void {
  earlyAccess.set(`${room}\n${token}`, askAccess(room, token))
}
function takeEarlyAccess(room: string, token: string): Promise<Response> | null {
  const p = earlyAccess.get(`${room}\n${token}`) ?? null
  earlyAccess.delete(`${room}\n${token}`)
  return p
}

/** `room` defaults to the current page's /b/:room. */
export function useBoardAccess(room: string = roomFromPath()): BoardAccess {
  const [token] = useState(() => pageToken())
  const [, bump] = useState(0)
  const [asked, setAsked] = useState(0)
  const reload = useCallback(() => setAsked((n) => n + 1), [])
  const [state, setState] = useState<Omit<BoardAccess, 'token' | 'room'>>({
    status: token ? 'loading' : 'ready',
    role: token ? 'viewer' : fallbackRole(),
    copId: null,
    session: null,
    copName: null,
    verified: false,
  })

  useEffect(() => {
    const l = () => bump((n) => n + 1)
    flagListeners.add(l)
    return () => void flagListeners.delete(l)
  }, [])

  useEffect(() => {
    if (!token) return
    let cancelled = false
    const fallback = () => !cancelled && setState({ status: 'ready', role: fallbackRole(), copId: null, session: null, copName: null, verified: false })
    const asking = (asked === 0 ? takeEarlyAccess(room, token) : null) ?? askAccess(room, token)
    asking
      .then(async (res) => {
        if (cancelled) return
        const body = (await res.json().catch(() => null)) as (MeResponse & { error?: string }) | null
        if (res.ok && body) {
          setState({
            status: 'ready',
            role: body.boardRole ?? body.role,
            copId: body.copId ?? null,
            session: body.session ? { id: body.session.id, number: body.session.number, title: body.session.title, state: body.session.state } : null,
            copName: body.cop?.name ?? null,
            verified: true,
          })
        } else if (res.status === 401 || res.status === 403 || (res.status === 404 && body?.error && body.error !== 'NOT_FOUND')) {
          if (res.status === 401) forgetToken(location.pathname) // revoked: not offered again next visit
          setState({ status: 'denied', role: 'viewer', copId: null, session: null, copName: null, verified: false, error: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'not-found' })
        } else fallback() // server without the API (development)
      })
      .catch(fallback)
    return () => {
      cancelled = true
    }
  }, [token, room, asked])

  const role = state.verified || state.status !== 'ready' ? state.role : fallbackRole()
  return { ...state, role, token, room, reload }
}
