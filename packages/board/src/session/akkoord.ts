/**
 * Akkoord (README rule S5): the facilitator writes the kernstatement, each saved edit a new version;
 * a participant endorses the current version once (a later version may be endorsed again).
 */
import { MAX_STATEMENT, type AkkoordState, type AkkoordVersion, type Endorsement } from './types.js'

export type AkkoordError = 'no-statement' | 'not-current' | 'already-endorsed' | 'unchanged' | 'too-long'

export const EMPTY_AKKOORD: AkkoordState = { versions: [], endorsements: {} }

/** 1-based number of the current version; 0 when nothing was written yet. */
export function currentVersion(a: AkkoordState | null): number {
  return a?.versions.length ?? 0
}

export function currentText(a: AkkoordState | null): string {
  return a?.versions.at(-1)?.text ?? ''
}

/** The new version to append, or why not (same text as now = no new version). */
export function newVersion(a: AkkoordState | null, text: string, by: string, at: number): AkkoordVersion | AkkoordError {
  const clean = text.replace(/\r\n?/g, '\n').trim()
  if (clean.length > MAX_STATEMENT) return 'too-long'
  if (clean === currentText(a)) return 'unchanged'
  return { version: currentVersion(a) + 1, text: clean, at, by }
}

/** Check an endorsement written by a participant against the state before it. */
export function checkEndorsement(before: AkkoordState | null, previous: Endorsement | undefined, next: Endorsement): AkkoordError | null {
  const cur = currentVersion(before)
  if (cur === 0) return 'no-statement'
  if (next.version !== cur) return 'not-current'
  if (previous && previous.version === cur) return 'already-endorsed'
  return null
}

export function endorse(a: AkkoordState | null, participantId: string, name: string, perspective: string | null, at: number): Endorsement | AkkoordError {
  const next: Endorsement = { version: currentVersion(a), name: name.slice(0, 80), perspective, at }
  return checkEndorsement(a, a?.endorsements[participantId], next) ?? next
}

/** Endorsements grouped by the version they endorse (who endorsed which version). */
export function endorsementsByVersion(a: AkkoordState | null): { version: number; text: string; endorsers: Endorsement[] }[] {
  if (!a) return []
  return a.versions.map((v, i) => ({
    version: i + 1,
    text: v.text,
    endorsers: Object.values(a.endorsements)
      .filter((e) => e.version === i + 1)
      .sort((x, y) => x.at - y.at),
  }))
}

export function isEndorsement(v: unknown): v is Endorsement {
  if (!v || typeof v !== 'object') return false
  const e = v as Record<string, unknown>
  return Number.isInteger(e.version) && (e.version as number) >= 1 && typeof e.name === 'string' && e.name.length <= 80 && (e.perspective === null || typeof e.perspective === 'string') && typeof e.at === 'number'
}
