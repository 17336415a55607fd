/**
 * The board's header row (above the canvas, covering nothing): a link back to the CoP page, the
 * CoP and session title, whether the session is live, the perspective legend, the connection,
 * who is here, the language, and — for the facilitator — the toggle of the facilitation panel.
 */
import { useSyncExternalStore } from 'react'
import { useT } from '../i18n'
import { boardMessages } from './messages'
import { facilitationMessages } from '../facilitation/messages'
import { ConnectionBadge, LanguageSwitch, Participants } from './BoardChrome'
import { PerspectiveLegend } from './PerspectiveLegend'
import type { BoardAccess } from './role'
import type { BoardConnection } from './sync'

export function BoardHeader({
  access,
  conn,
  sessionState,
  onEditProfile,
  panel,
}: {
  access: BoardAccess
  conn: BoardConnection
  sessionState: 'planned' | 'live' | 'ended' | null
  onEditProfile: () => void
  /** facilitator only: the panel toggle */
  panel?: { open: boolean; toggle: () => void; controls: string }
}) {
  const t = useT(boardMessages)
  const tf = useT(facilitationMessages)
  useSyncExternalStore(
    (cb) => conn.subscribe(cb),
    () => `${conn.state}|${conn.peers.map((p) => `${p.clientId}:${p.name}:${p.color}:${p.perspective}:${p.role}`).join(',')}`,
  )
  const cop = access.copName
  const session = access.session
  const sessionTitle = session ? session.title || t('sessionNumber', { n: session.number }) : null
  const copHref = access.copId && access.token ? `/cop/${encodeURIComponent(access.copId)}#t=${encodeURIComponent(access.token)}` : null
  return (
    <header className="cb-header" data-testid="board-header">
      <div className="cb-header__left">
        {copHref && (
          <a className="cb-header__back" href={copHref} aria-label={t('backToCopLabel', { cop: cop ?? 'CoP' })} data-testid="back-to-cop">
            <span aria-hidden>←</span> {t('backToCop')}
          </a>
        )}
        <h1 className="cb-header__title">
          {cop && <span className="cb-header__cop">{cop}</span>}
          {sessionTitle && <span className="cb-header__session">{sessionTitle}</span>}
          {!cop && !sessionTitle && <span className="cb-header__cop">{t('boardHeader')}</span>}
        </h1>
        {sessionState && (
          <span className="cb-status" data-state={sessionState} role="status" aria-label={t('statusLabel', { s: t(`status_${sessionState}`) })} data-testid="session-status">
            <span className="cb-status__dot" aria-hidden />
            {t(`status_${sessionState}`)}
          </span>
        )}
      </div>
      <PerspectiveLegend />
      <div className="cb-header__right">
        <ConnectionBadge state={conn.state} />
        <Participants peers={conn.peers} onEditSelf={onEditProfile} />
        <LanguageSwitch />
        {panel && (
          <button type="button" className="cb-header__panel" aria-expanded={panel.open} aria-controls={panel.controls} onClick={panel.toggle} data-testid="toggle-facilitator-panel">
            <span aria-hidden>☰</span> {tf('panel')}
            <span className="cb-sr">{panel.open ? tf('hidePanel') : tf('showPanel')}</span>
          </button>
        )}
      </div>
    </header>
  )
}
