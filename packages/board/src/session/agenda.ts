/** Agenda steps (README rule S1): which step runs, and the timer each step starts with. */
import { idleTimer, MINUTE, startTimer } from './timer.js'
import type { AgendaState, TimerState } from './types.js'

export function startAgenda(templateId: string, pageId: string): AgendaState {
  return { templateId, pageId, stepIndex: 0 }
}

/** Move to step `index` (clamped to the agenda); `stepMinutes` = the template's minutes per step. */
export function goToStep(agenda: AgendaState, index: number, stepMinutes: number[]): AgendaState {
  const last = Math.max(0, stepMinutes.length - 1)
  return { ...agenda, stepIndex: Math.max(0, Math.min(last, Math.trunc(index))) }
}

/**
 * The timer after moving to another step: the new step's minutes, running straight away when the
 * previous step's timer was running (the session keeps its pace), idle otherwise.
 */
export function timerForStep(previous: TimerState | null, minutes: number, now: number): TimerState {
  const fresh = idleTimer(minutes * MINUTE)
  return previous?.state === 'running' ? startTimer(fresh, now) : fresh
}

export function isAgendaState(v: unknown): v is AgendaState {
  if (!v || typeof v !== 'object') return false
  const a = v as Record<string, unknown>
  return typeof a.templateId === 'string' && typeof a.pageId === 'string' && Number.isInteger(a.stepIndex) && (a.stepIndex as number) >= 0 && (a.stepIndex as number) < 100
}
