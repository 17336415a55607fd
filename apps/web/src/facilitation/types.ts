import type { Editor } from 'tldraw'
import type { BoardAccess } from '../board/role'
import type { BoardConnection } from '../board/sync'
import type { PrivateDrafts } from '../privacy/drafts'

/** What every facilitator tool section gets (a stable contract for sections added by other tools). */
export interface FacilitatorSectionProps {
  editor: Editor
  access: BoardAccess
  conn: BoardConnection
  drafts: PrivateDrafts
  /** True when this client cannot change the board (ended session, newer schema). */
  readonly: boolean
  /** Opens the template gallery (rendered over the canvas by the templates panel). */
  openGallery: () => void
  /** The session state as the board knows it (updated when the facilitator starts/ends it). */
  sessionState: 'planned' | 'live' | 'ended' | null
  setSessionState: (s: 'planned' | 'live' | 'ended') => void
}
