/** Facilitator-only tools at the bottom right: ARCHIVE's end-session button when the board belongs to a live session. */
import { EndSessionButton } from '../archive'
import type { BoardPanelProps } from './BoardExtensions'

export function FacilitatorTools({ editor, access, readonly }: BoardPanelProps) {
  if (readonly || access.role !== 'facilitator' || !access.verified || !access.token || !access.copId || !access.session) return null
  return (
    <div className="cb-fac-tools" data-testid="facilitator-tools">
      <EndSessionButton editor={editor} token={access.token} copId={access.copId} sessionId={access.session.id} sessionNumber={access.session.number} />
    </div>
  )
}
