/**
 * Facilitator-only tools at the bottom right, by session state: a planned session can be started
 * from the board (ARCHIVE's StartSessionButton, with a hint why), a live one ended (EndSessionButton);
 * an ended session's board is read-only and shows nothing here.
 */
import { useEffect, useState } from 'react'
import { EndSessionButton, StartSessionButton } from '../archive'
import type { BoardPanelProps } from './BoardExtensions'

export function FacilitatorTools({ editor, access, readonly }: BoardPanelProps) {
  // the state as /api/me reported it, updated here when the facilitator starts the session
  const [state, setState] = useState(access.session?.state)
  useEffect(() => setState(access.session?.state), [access.session?.state])
  if (readonly || access.role !== 'facilitator' || !access.verified || !access.token || !access.copId || !access.session) return null
  const { token, copId, session } = access
  return (
    <div className="cb-fac-tools" data-testid="facilitator-tools" data-state={state}>
      {state === 'planned' && <StartSessionButton token={token} copId={copId} sessionId={session.id} onStarted={(s) => setState(s.state)} />}
      {state === 'live' && <EndSessionButton editor={editor} token={token} copId={copId} sessionId={session.id} sessionNumber={session.number} />}
    </div>
  )
}
