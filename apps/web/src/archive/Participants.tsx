/**
 * Who took part in a session (snapshot meta, issue 6): the people seen on the board with their
 * perspective (and "viewer" when they only watched), then note authors never seen on the board.
 * Older snapshots stored plain author names in `participants`; they are shown as such.
 */
import { Fragment } from 'react'
import type { ParticipantMeta, SnapshotMeta } from './api'
import type { archiveMessages } from './messages'

type Key = keyof (typeof archiveMessages)['nl']
type T = (key: Key, vars?: Record<string, string | number>) => string

export function splitParticipants(meta: SnapshotMeta['meta']): { seen: ParticipantMeta[]; authors: string[] } {
  const seen: ParticipantMeta[] = []
  const authors: string[] = []
  for (const p of meta.participants ?? []) {
    if (typeof p === 'string') authors.push(p)
    else if (p && typeof p.name === 'string') seen.push(p)
  }
  for (const a of meta.authorsOnly ?? []) if (typeof a === 'string' && !authors.includes(a)) authors.push(a)
  return { seen, authors }
}

function perspectiveLabel(t: T, p: string | null): string | null {
  return p === 'gemeente' ? t('perspGemeente') : p === 'initiatief' ? t('perspInitiatief') : p === 'overig' ? t('perspOverig') : null
}

export function participantLabel(t: T, p: ParticipantMeta): string {
  const extra = [perspectiveLabel(t, p.perspective), p.role === 'viewer' ? t('roleViewer').toLowerCase() : null].filter(Boolean)
  return extra.length ? `${p.name} (${extra.join(', ')})` : p.name
}

export function Participants({ t, meta, lang, testId }: { t: T; meta: SnapshotMeta['meta']; lang: 'nl' | 'en'; testId: string }) {
  const { seen, authors } = splitParticipants(meta)
  if (seen.length === 0 && authors.length === 0) return null
  const time = (iso: string) => new Date(iso).toLocaleTimeString(lang === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit' })
  return (
    <div className="cb-muted cb-small cb-participants" data-testid={testId}>
      {seen.length > 0 && (
        <p>
          {t('participants', { names: '' })}
          {seen.map((p, i) => (
            <Fragment key={p.name}>
              {i > 0 && ', '}
              <span title={t('participantSeen', { from: time(p.firstSeen), to: time(p.lastSeen) })} data-testid="participant">
                {participantLabel(t, p)}
              </span>
            </Fragment>
          ))}
        </p>
      )}
      {authors.length > 0 && <p data-testid="authors-only">{t('authorsOnly', { names: authors.join(', ') })}</p>}
    </div>
  )
}
