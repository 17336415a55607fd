/**
 * The sessions of a CoP: the live and the next planned session first ("Nu"), then the archive of
 * ended sessions, newest first — each with ONE final snapshot (thumbnail, people, report, exports
 * in one menu) and its autosaves folded away.
 */
import type { Cop, Role, Session, SnapshotMeta } from './api'
import { ExportMenu, Thumbnail } from './Exports'
import { Participants } from './Participants'
import type { T } from './shared'

export interface TimelineActions {
  busy: string | null
  openSnapshot: (s: SnapshotMeta) => void
  start: (s: Session) => void
  end: (s: Session) => void
  restore: (s: Session, snap: SnapshotMeta) => void
}

interface Props {
  t: T
  lang: 'nl' | 'en'
  token: string
  cop: Cop
  role: Role
  sessions: Session[]
  snapshots: SnapshotMeta[]
  actions: TimelineActions
}

const when = (iso: string, lang: 'nl' | 'en') => new Date(iso).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
export const longDate = (date: string, lang: 'nl' | 'en') => {
  const d = new Date(`${date}T12:00:00Z`)
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

/** Live first, then planned sessions by date; ended sessions newest first. */
export function splitSessions(sessions: Session[]) {
  const live = sessions.filter((s) => s.state === 'live').reverse()
  const planned = sessions.filter((s) => s.state === 'planned').sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number)
  const ended = sessions.filter((s) => s.state === 'ended').reverse()
  return { upcoming: [...live, ...planned], ended }
}

export function Upcoming({ t, lang, token, role, sessions, actions }: Omit<Props, 'snapshots' | 'cop'>) {
  const { upcoming } = splitSessions(sessions)
  const isFac = role === 'facilitator'
  return (
    <section className="cb-now" aria-labelledby="cb-now-title" data-testid="upcoming">
      <h2 id="cb-now-title" className="cb-visually-hidden">
        {t('liveNow')} / {t('nextSession')}
      </h2>
      {upcoming.length === 0 && <p className="cb-card cb-muted">{t('noNextSession')}</p>}
      {upcoming.map((s) => (
        <article key={s.id} className={`cb-card cb-now__card cb-now__card--${s.state}`} data-testid={`session-${s.number}`} data-state={s.state}>
          <p className="cb-now__kicker">
            <span className={`cb-state cb-state--${s.state}`} data-testid="session-state">
              {s.state === 'live' ? t('liveNow') : t('nextSession')}
            </span>{' '}
            <span className="cb-muted">
              {t('session', { n: s.number })} · {longDate(s.date, lang)}
            </span>
          </p>
          <h3>{s.title}</h3>
          <div className="cb-actions">
            {(s.state === 'live' || isFac) && (
              <a className={`cb-btn ${s.state === 'live' ? 'cb-btn--primary' : ''}`} href={`/b/${s.room}#t=${token}`} data-testid={s.state === 'live' && !isFac ? 'join-live' : 'open-board'} aria-label={t('openBoardFor', { n: s.number })}>
                {s.state === 'live' && !isFac ? t('joinLive') : t('openBoard')}
              </a>
            )}
            {isFac && s.state === 'planned' && (
              <button type="button" className="cb-btn cb-btn--primary" disabled={!!actions.busy} onClick={() => actions.start(s)} data-testid="start-session">
                {t('start')}
              </button>
            )}
            {isFac && s.state === 'live' && (
              <button type="button" className="cb-btn cb-btn--danger" disabled={!!actions.busy} data-testid="end-session" onClick={() => actions.end(s)}>
                {actions.busy === 'end' ? t('ending') : t('end')}
              </button>
            )}
          </div>
        </article>
      ))}
    </section>
  )
}

export function Archive({ t, lang, token, cop, role, sessions, snapshots, actions }: Props) {
  const { ended } = splitSessions(sessions)
  const bySession = new Map<string, SnapshotMeta[]>()
  for (const s of snapshots) bySession.set(s.sessionId, [...(bySession.get(s.sessionId) ?? []), s])
  return (
    <section className="cb-timeline" aria-labelledby="cb-archive-title">
      <h2 id="cb-archive-title">{t('archiveTitle')}</h2>
      {ended.length === 0 && <p className="cb-muted">{t('archiveEmpty')}</p>}
      <ol>
        {ended.map((s) => {
          const snaps = bySession.get(s.id) ?? []
          const final = snaps.findLast((x) => x.kind === 'final') ?? snaps.at(-1) ?? null
          const autosaves = snaps.filter((x) => x !== final).reverse()
          return (
            <li key={s.id} className="cb-session cb-session--ended" data-testid={`session-${s.number}`}>
              <div className="cb-session__dot" aria-hidden />
              <article className="cb-card cb-session__card" aria-labelledby={`cb-s-${s.id}`}>
                <div className="cb-session__main">
                  {final ? (
                    <button type="button" className="cb-thumb-btn" onClick={() => actions.openSnapshot(final)} aria-label={t('viewFor', { n: s.number })}>
                      <Thumbnail token={token} copId={cop.id} snapshot={final} t={t} />
                    </button>
                  ) : (
                    <Thumbnail token={token} copId={cop.id} snapshot={null} t={t} />
                  )}
                  <div className="cb-session__info">
                    <div className="cb-session__head">
                      <span className="cb-session__num">{t('session', { n: s.number })}</span>
                      <span className="cb-state cb-state--ended" data-testid="session-state">
                        {t('stateEnded')}
                      </span>
                    </div>
                    <h3 id={`cb-s-${s.id}`}>{s.title}</h3>
                    <p className="cb-muted">
                      {longDate(s.date, lang)}
                      {final?.meta.noteCount !== undefined && ` · ${t(final.meta.noteCount === 1 ? 'noteOne' : 'notes', { n: final.meta.noteCount })}`}
                      {typeof final?.meta.durationMs === 'number' && ` · ${t('duration', { min: Math.round(final.meta.durationMs / 60000) })}`}
                    </p>
                    {final && <Participants t={t} meta={final.meta} lang={lang} testId="session-participants" />}
                    {final && (
                      <div className="cb-actions" data-testid="snapshot-final">
                        <button type="button" className="cb-btn cb-btn--small" onClick={() => actions.openSnapshot(final)} data-testid="view-snapshot" aria-label={t('viewFor', { n: s.number })}>
                          {t('view')}
                        </button>
                        <a className="cb-btn cb-btn--small" href={`/cop/${cop.id}/report/${final.id}#t=${token}`} data-testid="open-report" aria-label={t('reportFor', { n: s.number })}>
                          {t('report')}
                        </a>
                        <ExportMenu token={token} cop={cop} snapshot={final} t={t} />
                        {role === 'facilitator' && (
                          <button type="button" className="cb-btn cb-btn--small cb-btn--ghost" disabled={!!actions.busy} data-testid="restore-snapshot" aria-label={t('restoreFor', { n: s.number })} onClick={() => actions.restore(s, final)}>
                            {t('restore')}
                          </button>
                        )}
                      </div>
                    )}
                  </div>
                </div>
                {autosaves.length > 0 && (
                  <details className="cb-autosaves" data-testid="autosaves">
                    <summary>{t('autosaves', { n: autosaves.length })}</summary>
                    <ul className="cb-snaps">
                      {autosaves.map((sn) => (
                        <li key={sn.id} className="cb-snap" data-testid={`snapshot-${sn.kind}`}>
                          <span className={`cb-snap__kind cb-snap__kind--${sn.kind}`}>{sn.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')}</span>
                          <span className="cb-muted cb-small">{when(sn.createdAt, lang)}</span>
                          <span className="cb-snap__actions">
                            <button type="button" className="cb-btn cb-btn--small" onClick={() => actions.openSnapshot(sn)} aria-label={`${t('view')} — ${t('snapshotAutosave')} ${when(sn.createdAt, lang)}`}>
                              {t('view')}
                            </button>
                            <ExportMenu token={token} cop={cop} snapshot={sn} t={t} />
                          </span>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </article>
            </li>
          )
        })}
      </ol>
    </section>
  )
}
