/**
 * The server refused one of this user's changes (board policy, issue 9) and the board went back
 * to the server's state: say why, in the user's language, for a few seconds.
 */
import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { policyMessages, type PolicyMessageKey } from './messages'
import type { PolicyRefusal } from './sync'

const SHOWN_MS = 6000

/** Reason code from the server (`policy:<code>`) -> message key. */
export function refusalMessageKey(reason: string): PolicyMessageKey {
  switch (reason) {
    case 'scaffold-locked':
      return 'scaffoldLocked'
    case 'session-facilitator-only':
      return 'facilitatorOnly'
    case 'not-own-entry':
      return 'notOwnEntry'
    case 'anonymous-author':
      return 'anonymousAuthor'
    case 'too-large':
      return 'tooLarge'
    case 'vote-rule':
      return 'voteRule'
    case 'endorsement-rule':
      return 'endorsementRule'
    default:
      return 'invalid'
  }
}

export function PolicyNotice({ refusal }: { refusal: PolicyRefusal | null }) {
  const t = useT(policyMessages)
  const [hidden, setHidden] = useState<number | null>(null)
  useEffect(() => {
    if (!refusal) return
    const timer = setTimeout(() => setHidden(refusal.seq), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [refusal])
  if (!refusal || hidden === refusal.seq) return null
  return (
    <div className="cb-policy-notice" role="alert" data-testid="policy-notice" data-reason={refusal.reason}>
      <span aria-hidden className="cb-policy-notice__icon">🔒</span>
      <span>{t(refusalMessageKey(refusal.reason))}</span>
      <button type="button" onClick={() => setHidden(refusal.seq)} aria-label={t('dismiss')}>
        ×
      </button>
    </div>
  )
}
