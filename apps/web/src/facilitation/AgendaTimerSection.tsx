/**
 * Facilitator: the agenda of the running template with the current step, prev/next, and the timer
 * controls (start/pause, +1/+5 min, reset). Moving to a step gives the timer that step's minutes
 * and frames its zones — for the facilitator and for everyone who follows them.
 */
import { useState } from 'react'
import { addMinutes, goToStep, pauseTimer, rememberView, resetTimer, startAgenda, startTimer, timerForStep, idleTimer, MINUTE } from '@copboard/board'
import { useLang, useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { serverClock } from './serverClock'
import { TimerDisplay } from './Timer'
import { setSoundEnabled, soundEnabled } from './timerSignal'
import { useAgendaTemplate, zonesView } from './useTemplate'
import { frameRect } from '../templates/launch'
import { IconPause, IconPlay } from './icons'

export function AgendaTimerSection() {
  const t = useT(facilitationMessages)
  const lang = useLang()
  const { editor, conn, session, writer } = useFacilitation()
  const { template, pageId } = useAgendaTemplate(editor, session.agenda)
  const [sound, setSound] = useState(soundEnabled)
  if (!template) return <p className="cb-fac-empty">{t('noAgenda')}</p>

  const steps = template.agenda
  const agenda = session.agenda && session.agenda.templateId === template.id && session.agenda.pageId === pageId ? session.agenda : null
  const index = agenda?.stepIndex ?? -1
  const timer = session.timer ?? (steps[0] ? idleTimer(steps[0].minutes * MINUTE) : null)

  const goTo = (i: number) => {
    const base = agenda ?? startAgenda(template.id, pageId)
    const next = goToStep(base, i, steps.map((s) => s.minutes))
    const step = steps[next.stepIndex]!
    writer.setAgenda(next, timerForStep(session.timer, step.minutes, serverClock.now()))
    if (editor.getCurrentPageId() !== pageId) editor.setCurrentPage(pageId as never)
    const view = zonesView(editor, pageId, template.id, step.zoneIds)
    if (view) {
      frameRect(editor, view)
      writer.setFollow(rememberView(session.follow, view, conn.doc.clientID))
    }
  }
  const setTimer = (fn: (now: number) => typeof timer) => {
    const next = fn(serverClock.now())
    if (next) writer.setTimer(next)
  }

  return (
    <div className="cb-fac-agenda" data-testid="agenda-section">
      <ol className="cb-fac-steps">
        {steps.map((s, i) => (
          <li key={s.id} aria-current={i === index ? 'step' : undefined} data-current={i === index}>
            <button type="button" onClick={() => goTo(i)} aria-label={t('goToStep', { n: i + 1, title: s.title[lang] })} data-testid={`agenda-step-${i}`}>
              <span className="cb-fac-steps__n" aria-hidden>
                {i === index ? '▶' : i + 1}
              </span>
              <span className="cb-fac-steps__title">{s.title[lang]}</span>
              <span className="cb-fac-steps__min">{t('minutes', { n: s.minutes })}</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="cb-fac-row">
        <button type="button" onClick={() => goTo(index - 1)} disabled={index <= 0} data-testid="agenda-prev">
          ← {t('previous')}
        </button>
        <button type="button" className="cb-fac-primary" onClick={() => goTo(index + 1)} disabled={index >= steps.length - 1} data-testid="agenda-next">
          {t('next')} →
        </button>
      </div>
      <div className="cb-fac-timer">
        <TimerDisplay timer={timer} />
        <div className="cb-fac-row" role="group" aria-label={t('timer')}>
          {timer?.state === 'running' ? (
            <button type="button" onClick={() => setTimer((now) => pauseTimer(timer, now))} data-testid="timer-pause">
              <IconPause /> {t('pause')}
            </button>
          ) : (
            <button type="button" className="cb-fac-primary" onClick={() => setTimer((now) => timer && startTimer(timer, now))} data-testid="timer-start">
              <IconPlay /> {timer?.state === 'paused' ? t('resume') : t('start')}
            </button>
          )}
          <button type="button" onClick={() => setTimer((now) => timer && addMinutes(timer, 1, now))} aria-label={t('addMinuteLabel')} data-testid="timer-add1">
            {t('addMinute')}
          </button>
          <button type="button" onClick={() => setTimer((now) => timer && addMinutes(timer, 5, now))} aria-label={t('addFiveLabel')} data-testid="timer-add5">
            {t('addFive')}
          </button>
          <button type="button" onClick={() => setTimer(() => timer && resetTimer(timer))} data-testid="timer-reset">
            ↺ {t('reset')}
          </button>
        </div>
        <label className="cb-fac-check">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSoundEnabled(e.target.checked)
              setSound(e.target.checked)
            }}
          />
          {t('sound')}
        </label>
      </div>
    </div>
  )
}
