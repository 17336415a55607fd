/** Facilitator section: private writing on / reveal / stop. The server does the reveal (plugins/privateMode.ts). */
import { useState } from 'react'
import { useLang, useT } from '../i18n'
import { privacyMessages } from './messages'
import { usePrivateDrafts } from './usePrivateDrafts'
import { PrivacyIcon } from './LockIcon'
import type { FacilitatorSectionProps } from '../facilitation/types'

export function PrivateModeSection({ access, drafts, readonly }: FacilitatorSectionProps) {
  const t = useT(privacyMessages)
  const lang = useLang()
  const { reveal } = usePrivateDrafts(drafts)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  if (!access.token || !access.verified) return <p className="cb-fpanel__hint">{t('noToken')}</p>
  const call = async (path: string, body?: unknown) => {
    setBusy(true)
    setMessage(null)
    try {
      const res = await fetch(`/api/boards/${encodeURIComponent(access.room)}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
      const data = (await res.json().catch(() => ({}))) as { error?: string; moved?: number; anonymized?: number }
      if (!res.ok) setMessage(t('failed', { error: data.error ?? String(res.status) }))
      else if (path === 'reveal') setMessage(t('revealed', { n: data.moved ?? 0, a: data.anonymized ?? 0 }))
    } catch (e) {
      setMessage(t('failed', { error: (e as Error).message }))
    } finally {
      setBusy(false)
    }
  }
  const on = reveal.mode === 'private'
  const time = reveal.revealedAt ? new Date(reveal.revealedAt).toLocaleTimeString(lang === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit' }) : null
  return (
    <div className="cb-fpanel__stack" data-testid="private-mode" data-mode={reveal.mode}>
      <p className="cb-fpanel__status">
        <span className="cb-fpanel__icon"><PrivacyIcon kind={on ? 'locked' : 'open'} /></span>
        {on ? t('on') : t('off')}
      </p>
      {!on && (
        <button type="button" className="cb-btn" disabled={busy || readonly} onClick={() => call('private', { mode: 'private' })} data-testid="private-on">
          {t('turnOn')}
        </button>
      )}
      {on && (
        <>
          <button type="button" className="cb-btn cb-btn--primary" disabled={busy || readonly} onClick={() => call('reveal')} data-testid="private-reveal">
            {t('reveal')}
          </button>
          <button type="button" className="cb-btn cb-btn--quiet" disabled={busy || readonly} onClick={() => call('private', { mode: 'open' })} data-testid="private-stop">
            {t('stop')}
          </button>
        </>
      )}
      {message && (
        <p className="cb-fpanel__hint" role="status" data-testid="private-message">
          {message}
        </p>
      )}
      {!message && time && <p className="cb-fpanel__hint">{t('lastReveal', { time })}</p>}
    </div>
  )
}
