/**
 * Facilitator panel button "Sessie starten" on the board of a PLANNED session: starts it (planned → live)
 * through the API and hands the live session back, so the board can offer "Sessie beëindigen" next.
 */
import { useState } from 'react'
import { useT } from '../i18n'
import { api, type Session } from './api'
import { archiveMessages } from './messages'
import '../home/home.css' // .cb-btn styles on the board page too

export function StartSessionButton({ token, copId, sessionId, onStarted }: { token: string; copId: string; sessionId: string; onStarted: (session: Session) => void }) {
  const t = useT(archiveMessages)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const start = async () => {
    setBusy(true)
    setError(null)
    try {
      onStarted((await api.start(token, copId, sessionId)).session)
    } catch (err) {
      setError(t('error', { message: (err as Error).message }))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <span className="cb-fac-tools__hint" data-testid="session-planned-hint">
        {t('plannedHint')}
      </span>
      <button type="button" className="cb-btn cb-btn--primary" onClick={start} disabled={busy} title={t('plannedHint')} data-testid="start-session-board">
        {t('start')}
      </button>
      {error && <span className="cb-error">{error}</span>}
    </>
  )
}
