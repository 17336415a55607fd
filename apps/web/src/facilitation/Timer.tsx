/**
 * The session timer as everyone sees it: remaining time from the server clock, a calm "time is up"
 * state at zero (text + icon, not colour alone), announced once to screen readers, optional chime.
 */
import { useEffect, useRef, useState } from 'react'
import { formatRemaining, isElapsed, remainingMs, type TimerState } from '@copboard/board'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useServerNow } from './serverClock'
import { chime, soundEnabled } from './timerSignal'
import { IconBell, IconClock, IconPause } from './icons'

export function TimerDisplay({ timer, compact = false }: { timer: TimerState | null; compact?: boolean }) {
  const t = useT(facilitationMessages)
  const now = useServerNow()
  const left = timer ? remainingMs(timer, now) : 0
  const elapsed = timer ? isElapsed(timer, now) : false
  const [announce, setAnnounce] = useState('')
  const signalled = useRef<number | null>(null)

  useEffect(() => {
    if (!timer || timer.state !== 'running') return
    if (elapsed && signalled.current !== timer.endsAt) {
      // only a timer that ran out while we watched (not one that ended before we joined long ago)
      const fresh = now - timer.endsAt < 5000
      signalled.current = timer.endsAt
      if (fresh) {
        setAnnounce(t('timeUpAnnounce'))
        if (soundEnabled()) chime()
      }
    }
  }, [elapsed, timer, now, t])
  useEffect(() => {
    if (!announce) return
    const id = setTimeout(() => setAnnounce(''), 8000)
    return () => clearTimeout(id)
  }, [announce])

  if (!timer) return null
  const state = elapsed ? 'up' : timer.state
  return (
    <span className="cb-timer" data-state={state} data-compact={compact} data-testid="timer">
      <span className="cb-timer__icon">{elapsed ? <IconBell /> : timer.state === 'paused' ? <IconPause /> : <IconClock />}</span>
      <span className="cb-timer__time" role="timer" aria-label={`${t('timeLeft')}: ${formatRemaining(left)}`} data-testid="timer-remaining" data-ms={left}>
        {formatRemaining(left)}
      </span>
      {elapsed && <span className="cb-timer__note">{t('timeUp')}</span>}
      {!elapsed && timer.state === 'paused' && <span className="cb-timer__note">{t('paused')}</span>}
      <span className="cb-sr" aria-live="polite">
        {announce}
      </span>
    </span>
  )
}
