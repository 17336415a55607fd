/**
 * What everyone sees of the run of show. Top row, between tldraw's menus and the centred template
 * controls: the agenda step (the whole agenda on demand, current step marked), the timer and
 * following the facilitator. Bottom right, above the canvas' framing margin: the open vote with
 * the dots left, and endorsing the accord. The facilitator has all this in their panel.
 */
import { useLayoutEffect, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { activeVote, canStopFollowing, dotsLeft } from '@copboard/board'
import { getTemplate } from '@copboard/templates'
import { useLang, useT } from '../i18n'
import { facilitationMessages } from './messages'
import { leaderClientId, useFacilitation } from './context'
import { TimerDisplay } from './Timer'
import { EndorseButton } from './EndorseButton'
import { startFollowing } from './followRuntime'
import { IconEye, IconLock } from './icons'

export function SessionBar() {
  const t = useT(facilitationMessages)
  const lang = useLang()
  const { editor, conn, session, isFacilitator } = useFacilitation()
  const [open, setOpen] = useState(false)
  const place = useTopRowPlacement()
  const template = session.agenda ? getTemplate(session.agenda.templateId) : undefined
  const steps = template?.agenda ?? []
  const index = session.agenda?.stepIndex ?? -1
  const step = steps[index]
  const following = useValue('copboard following', () => editor.getInstanceState().followingUserId !== null, [editor])
  const locked = !canStopFollowing(session.follow)
  const hasLeader = leaderClientId(conn, session.follow?.leaderClientId) !== null
  const showTimer = !!session.timer && (!!step || session.timer.state !== 'idle')
  const showFollow = !isFacilitator && (locked || following || hasLeader)
  if (!step && !showTimer && !showFollow) return null

  return (
    <div ref={place.ref} style={place.style} className="cb-sessionbar" role="region" aria-label={t('agendaTimer')} data-testid="session-bar">
      {step && (
        <div className="cb-sessionbar__step">
          <button type="button" className="cb-sessionbar__toggle" aria-expanded={open} onClick={() => setOpen(!open)} title={step.title[lang]} data-testid="session-step">
            <span className="cb-sessionbar__n" aria-label={t('step', { n: index + 1, total: steps.length })}>
              {index + 1}/{steps.length}
            </span>
            <strong>{step.title[lang]}</strong> <span aria-hidden>{open ? '▴' : '▾'}</span>
          </button>
          {open && (
            <ol className="cb-sessionbar__agenda" aria-label={t('agenda')}>
              {steps.map((s, i) => (
                <li key={s.id} aria-current={i === index ? 'step' : undefined} data-current={i === index}>
                  <span>{i === index ? `▶ ${s.title[lang]}` : s.title[lang]}</span>
                  <small>{t('minutes', { n: s.minutes })}</small>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      {showTimer && <TimerDisplay timer={session.timer} compact />}
      {showFollow &&
        (locked ? (
          <span className="cb-sessionbar__summoned" role="status" title={t('summoned')} data-testid="summoned">
            <IconLock /> {t('summonedShort')}
            <span className="cb-sr">{t('summoned')}</span>
          </span>
        ) : following ? (
          <button type="button" onClick={() => editor.stopFollowingUser()} aria-pressed="true" aria-label={t('stopFollowing')} title={t('followingFacilitator')} data-testid="stop-following">
            <IconEye /> {t('stopShort')}
          </button>
        ) : (
          <button type="button" onClick={() => startFollowing(editor, conn, session.follow)} aria-pressed="false" aria-label={t('followFacilitator')} title={t('followFacilitator')} data-testid="follow-facilitator">
            <IconEye /> {t('followShort')}
          </button>
        ))}
    </div>
  )
}

/** Participant actions of the moment: the open vote (dots left) and endorsing the accord. */
export function ParticipantActions() {
  const t = useT(facilitationMessages)
  const { session, participantId, isFacilitator, readonly } = useFacilitation()
  const vote = activeVote(session.votes)
  if (isFacilitator || readonly) return null
  const voting = vote?.state === 'open'
  return (
    <div className="cb-actions" role="region" aria-label={t('participantActions')} data-testid="participant-actions">
      {voting && (
        <div className="cb-actions__vote" data-testid="vote-status">
          <strong>● {t('voteOpen')}:</strong> <span>{vote.title}</span>
          {participantId && (
            <span className="cb-actions__left" role="status">
              {t('dotsLeft', { n: dotsLeft(vote, participantId), total: vote.dotsPerPerson })}
            </span>
          )}
        </div>
      )}
      <EndorseButton />
    </div>
  )
}

/**
 * Sit in the top row between tldraw's menus (left) and the centred template controls, where framing
 * keeps the canvas clear (FRAME_INSETS.top); drop to a second row only when that gap is too narrow.
 */
function useTopRowPlacement() {
  const ref = useRef<HTMLDivElement>(null)
  const [style, setStyle] = useState<{ left: number; top: number; maxWidth: number }>({ left: 8, top: 52, maxWidth: 560 })
  useLayoutEffect(() => {
    const measure = () => {
      const host = ref.current?.offsetParent?.getBoundingClientRect()
      if (!host) return
      const menu = document.querySelector('.tlui-menu-zone')?.getBoundingClientRect()
      const centre = [...document.querySelectorAll('.cb-tpl-panel > *')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0)
      const left = Math.max(8, (menu ? menu.right - host.left : 0) + 8)
      const right = centre.length ? Math.min(...centre.map((r) => r.left)) - host.left - 8 : host.width - 260
      const next = right - left >= 300 ? { left, top: 6, maxWidth: right - left } : { left: 8, top: 52, maxWidth: Math.min(560, host.width - 16) }
      setStyle((s) => (s.left === next.left && s.top === next.top && s.maxWidth === next.maxWidth ? s : next))
    }
    measure()
    addEventListener('resize', measure)
    const id = setInterval(measure, 1000)
    return () => {
      removeEventListener('resize', measure)
      clearInterval(id)
    }
  }, [])
  return { ref, style }
}
