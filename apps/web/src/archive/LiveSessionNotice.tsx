/**
 * On an ended session's board: "Sessie N is nu live — Naar de live sessie" (issue 11: an ended
 * board points to the live one). Renders nothing while no other session of the CoP is live, and
 * asks again every POLL_MS (the next session is usually started after this one ended).
 */
import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { api, type Session } from './api'
import { archiveMessages } from './messages'
import './archive.css'

/** How often an ended board asks whether another session of its CoP went live. */
const POLL_MS = 10_000

export function LiveSessionNotice({ token, copId, room }: { token: string | null; copId: string | null; room: string }) {
  const t = useT(archiveMessages)
  const [live, setLive] = useState<Session | null>(null)
  useEffect(() => {
    if (!token || !copId) return
    let alive = true
    const ask = () =>
      api.current(token, copId).then(
        (c) => alive && setLive(c.live && c.live.room !== room ? c.live : null),
        () => undefined,
      )
    void ask()
    // the next session usually starts after this one ended: keep asking while the board is open
    const timer = setInterval(() => document.visibilityState === 'visible' && void ask(), POLL_MS)
    return () => {
      alive = false
      clearInterval(timer)
    }
  }, [token, copId, room])
  if (!live || !token) return null
  return (
    <div className="cb-live-notice" role="status" data-testid="live-session-notice">
      <span>{t('liveElsewhere', { n: live.number })}</span>{' '}
      <a className="cb-btn cb-btn--primary cb-btn--small" href={`/b/${live.room}#t=${token}`} data-testid="go-live">
        {t('goLive')}
      </a>
    </div>
  )
}
