/** Start (planned) or end (live) the session from the board (ARCHIVE's buttons), with a hint why. */
import { EndSessionButton, StartSessionButton } from '../archive'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import type { FacilitatorSectionProps } from './types'

export function SessionSection({ editor, access, sessionState, setSessionState }: FacilitatorSectionProps) {
  const t = useT(facilitationMessages)
  const { token, copId, session } = access
  if (!access.verified || !token || !copId || !session) return <p className="cb-fpanel__hint">{t('noToken')}</p>
  return (
    <div className="cb-fpanel__stack" data-testid="facilitator-tools" data-state={sessionState ?? undefined}>
      {/* a planned session: the start button brings its own hint */}
      {sessionState !== 'planned' && <p className="cb-fpanel__hint">{sessionState === 'live' ? t('sessionLive') : t('sessionEnded')}</p>}
      {sessionState === 'planned' && <StartSessionButton token={token} copId={copId} sessionId={session.id} onStarted={(s) => setSessionState(s.state)} />}
      {sessionState === 'live' && <EndSessionButton editor={editor} token={token} copId={copId} sessionId={session.id} sessionNumber={session.number} />}
    </div>
  )
}
