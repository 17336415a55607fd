/**
 * What everyone sees of the run of show, top left of the canvas: the agenda step (the whole agenda
 * on demand, current step marked), the timer, the open vote with the dots left, following the
 * facilitator, and endorsing the accord.
 */
import { useState } from 'react'
import { useValue } from 'tldraw'
import { activeVote, canStopFollowing, dotsLeft } from '@copboard/board'
import { getTemplate } from '@copboard/templates'
import { useLang, useT } from '../i18n'
import { facilitationMessages } from './messages'
import { leaderClientId, useFacilitation } from './context'
import { TimerDisplay } from './Timer'
import { EndorseButton } from './EndorseButton'
import { startFollowing } from './followRuntime'

export function SessionBar() {
  const t = useT(facilitationMessages)
  const lang = useLang()
  const { editor, conn, session, participantId, isFacilitator, readonly } = useFacilitation()
  const [open, setOpen] = useState(false)
  const template = session.agenda ? getTemplate(session.agenda.templateId) : undefined
  const steps = template?.agenda ?? []
  const index = session.agenda?.stepIndex ?? -1
  const step = steps[index]
  const vote = activeVote(session.votes)
  const following = useValue('copboard following', () => editor.getInstanceState().followingUserId !== null, [editor])
  const locked = !canStopFollowing(session.follow)
  const hasLeader = leaderClientId(conn, session.follow?.leaderClientId) !== null

  const showTimer = !!session.timer && (!!step || session.timer.state !== 'idle')
  if (!step && !showTimer && vote?.state !== 'open' && (isFacilitator || !hasLeader) && !locked) return <div className="cb-sessionbar cb-sessionbar--empty"><EndorseButton /></div>

  return (
    <div className="cb-sessionbar" role="region" aria-label={t('agendaTimer')} data-testid="session-bar">
      {step && (
        <div className="cb-sessionbar__step">
          <button type="button" className="cb-sessionbar__toggle" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="session-step">
            <span className="cb-sessionbar__n">{t('step', { n: index + 1, total: steps.length })}</span>
            <strong>{step.title[lang]}</strong> <span aria-hidden>{open ? '▴' : '▾'}</span>
          </button>
          {open && (
            <ol className="cb-sessionbar__agenda">
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
      {vote?.state === 'open' && !isFacilitator && !readonly && (
        <div className="cb-sessionbar__vote" data-testid="vote-status">
          <strong>● {t('voteOpen')}</strong> <span>{vote.title}</span>
          {participantId && <span className="cb-sessionbar__left">{t('dotsLeft', { n: dotsLeft(vote, participantId), total: vote.dotsPerPerson })}</span>}
        </div>
      )}
      {!isFacilitator &&
        (locked ? (
          <p className="cb-sessionbar__summoned" role="status" data-testid="summoned">
            🔒 {t('summoned')}
          </p>
        ) : following ? (
          <button type="button" onClick={() => editor.stopFollowingUser()} aria-pressed="true" data-testid="stop-following">
            👁 {t('stopFollowing')}
          </button>
        ) : (
          hasLeader && (
            <button type="button" onClick={() => startFollowing(editor, conn, session.follow)} aria-pressed="false" data-testid="follow-facilitator">
              👁 {t('followFacilitator')}
            </button>
          )
        ))}
      <EndorseButton />
    </div>
  )
}
