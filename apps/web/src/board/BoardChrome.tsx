/** Board UI around the canvas: connection badge, participants, language switch, read-only banner. */
import { useState } from 'react'
import { setLang, useLang, useT } from '../i18n'
import { boardMessages } from './messages'
import { PERSPECTIVE_COLOR } from '../join/profile'
import type { ConnectionState, PeerInfo } from './sync'

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const t = useT(boardMessages)
  return (
    <div className="cb-conn" data-state={state} data-testid="connection-state" role="status" aria-live="polite" title={t(state)}>
      <span className="cb-conn__dot" aria-hidden />
      <span className="cb-conn__label">{t(state)}</span>
      {state === 'closed' && (
        // the server will not take this socket back (a 44xx close): a reload opens a new one, and the tab's cache brings its edits
        <button type="button" className="cb-conn__reload" onClick={() => location.reload()} data-testid="connection-reload">
          {t('reload')}
        </button>
      )}
    </div>
  )
}

export function LanguageSwitch() {
  const lang = useLang()
  const t = useT(boardMessages)
  return (
    <div className="cb-lang" role="group" aria-label={t('language')}>
      {(['nl', 'en'] as const).map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} data-testid={`lang-${l}`}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  )
}

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter((w) => /^\p{L}/u.test(w))
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?'
}

export function Participants({ peers, onEditSelf }: { peers: PeerInfo[]; onEditSelf: () => void }) {
  const t = useT(boardMessages)
  const [open, setOpen] = useState(false)
  const shown = peers.slice(0, 4)
  return (
    <div className="cb-people" data-testid="participants">
      <button type="button" className="cb-people__toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open} title={t('participants')}>
        <span className="cb-people__stack">
          {shown.map((p) => (
            <span key={p.clientId} className="cb-avatar" style={{ background: p.color }}>
              {initials(p.name)}
            </span>
          ))}
          {peers.length > shown.length && <span className="cb-avatar cb-avatar--more">+{peers.length - shown.length}</span>}
        </span>
        <span className="cb-people__count">{t('participantsCount', { n: peers.length })}</span>
      </button>
      {open && (
        <div className="cb-people__list" role="list">
          <div className="cb-people__title">{t('participants')}</div>
          {peers.map((p) => (
            <div key={p.clientId} className="cb-people__row" role="listitem" data-testid="participant">
              <span className="cb-avatar" style={{ background: p.color }}>
                {initials(p.name)}
              </span>
              <span className="cb-people__name">
                {p.name}
                {p.self && <em> ({t('you')})</em>}
              </span>
              {p.role === 'facilitator' && <span className="cb-tag">{t('facilitator')}</span>}
              {p.role === 'viewer' && <span className="cb-tag">{t('viewer')}</span>}
              {p.perspective && (
                <span className="cb-persp" style={{ ['--c' as string]: PERSPECTIVE_COLOR[p.perspective].hex }}>
                  {t(p.perspective)}
                </span>
              )}
              {p.self && (
                <button type="button" className="cb-people__edit" onClick={onEditSelf} title={t('changeProfile')} aria-label={t('changeProfile')}>
                  ✎
                </button>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}

export function ReadonlyBanner({ text }: { text: string }) {
  return (
    <div className="cb-readonly" role="note" data-testid="readonly-banner">
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
        <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
        <circle cx="12" cy="12" r="3" />
      </svg>
      {text}
    </div>
  )
}
