/** A participant's notice while they write privately, and a short one after the reveal. */
import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { privacyMessages } from './messages'
import { usePrivateDrafts } from './usePrivateDrafts'
import { PrivacyIcon } from './LockIcon'
import type { PrivateDrafts } from './drafts'

export function PrivateBanner({ drafts }: { drafts: PrivateDrafts }) {
  const t = useT(privacyMessages)
  const d = usePrivateDrafts(drafts)
  const [justRevealed, setJustRevealed] = useState(false)
  useEffect(() => {
    if (d.lastRevealSeen === null) return
    setJustRevealed(true)
    const timer = setTimeout(() => setJustRevealed(false), 8000)
    return () => clearTimeout(timer)
  }, [d.lastRevealSeen])
  let text: string | null = null
  let kind = 'private'
  if (d.unavailable) text = t('unavailable')
  else if (d.writingPrivately) text = t('banner')
  else if (d.privateCount > 0) text = t('bannerLeft', { n: d.privateCount })
  else if (justRevealed) {
    text = t('bannerRevealed')
    kind = 'revealed'
  }
  if (!text) return null
  return (
    <div className="cb-private-banner" data-kind={kind} role="status" aria-live="polite" data-testid="private-banner">
      <PrivacyIcon kind={kind === 'revealed' ? 'eye' : 'locked'} size={18} />
      <span>{text}</span>
      {d.writingPrivately && d.privateCount > 0 && <strong className="cb-private-banner__count">{t('bannerCount', { n: d.privateCount })}</strong>}
    </div>
  )
}
