/**
 * What every facilitation component needs: the editor, the board's Y.Doc + awareness, the session
 * state (re-read on every change of `doc.getMap('session')`), a writer and this client's identity.
 */
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { Editor } from 'tldraw'
import { readSession, SessionWriter, SESSION_KEY, type SessionState } from '@copboard/board'
import type { BoardConnection } from '../board/sync'
import type { BoardAccess } from '../board/role'
import { myParticipantId } from './identity'

export interface Facilitation {
  editor: Editor
  conn: BoardConnection
  access: BoardAccess
  session: SessionState
  writer: SessionWriter
  /** null until derived (a few ms after mount). */
  participantId: string | null
  isFacilitator: boolean
  readonly: boolean
}

const Ctx = createContext<Facilitation | null>(null)
export const FacilitationProvider = Ctx.Provider

export function useFacilitation(): Facilitation {
  const f = useContext(Ctx)
  if (!f) throw new Error('useFacilitation outside FacilitationProvider')
  return f
}

/** Session state of a doc, re-read when anything under `session` changes. */
export function useSessionState(conn: BoardConnection): SessionState {
  const map = conn.doc.getMap(SESSION_KEY)
  const store = useMemo(() => {
    let cached = readSession(conn.doc)
    return {
      subscribe(cb: () => void) {
        const on = () => {
          cached = readSession(conn.doc)
          cb()
        }
        map.observeDeep(on)
        return () => map.unobserveDeep(on)
      },
      get: () => cached,
    }
  }, [conn, map])
  return useSyncExternalStore(store.subscribe, store.get)
}

export function useParticipantId(): string | null {
  const [id, setId] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    myParticipantId().then((v) => live && setId(v), () => undefined)
    return () => {
      live = false
    }
  }, [])
  return id
}

/** Yjs clientID of the facilitator to follow: the one named in the follow state, else any facilitator present. */
export function leaderClientId(conn: BoardConnection, named: number | null | undefined): number | null {
  const states = conn.provider.awareness.getStates()
  if (named != null && states.get(named)?.user) return named
  for (const [id, st] of states) {
    if (id === conn.provider.awareness.clientID) continue
    if ((st.user as { role?: string } | undefined)?.role === 'facilitator') return id
  }
  return null
}
