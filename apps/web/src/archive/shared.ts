import type { useT } from '../i18n'
import type { archiveMessages } from './messages'
import type { Role } from './api'

/** The translator of the archive pages. */
export type T = ReturnType<typeof useT<keyof (typeof archiveMessages)['nl']>>

export const today = () => new Date().toISOString().slice(0, 10)

export function roleName(t: T, r: Role): string {
  return r === 'facilitator' ? t('roleFacilitator') : r === 'participant' ? t('roleParticipant') : t('roleViewer')
}
