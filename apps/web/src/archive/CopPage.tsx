/**
 * `/cop/:copId#t=<token>`: the CoP page. Sessions as a timeline with thumbnails; for the
 * facilitator: new session (empty / template / continue from a snapshot), start, end, links and
 * revoke. For everyone: open a snapshot read-only on the canvas, compare two snapshots, exports.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { setLang, useLang, useT } from '../i18n'
import { api, fetchSnapshotFile, type Cop, type Role, type Session, type SnapshotMeta } from './api'
import { tokenFromFragment } from '../board/role'
import { loadConfig } from '../config'
import { archiveMessages } from './messages'
import { SnapshotViewer, type Highlights } from './SnapshotViewer'
import { Participants } from './Participants'
import { ExportButtons, Thumbnail } from './Exports'
import { NewSessionForm } from './NewSessionForm'
import { ComparePanel } from './ComparePanel'
import { LinksPanel } from './LinksPanel'
import { roleName } from './shared'
import '../home/home.css'
import './archive.css'

export function CopPage({ copId }: { copId: string }) {
  const t = useT(archiveMessages)
  const lang = useLang()
  const token = useMemo(() => tokenFromFragment(), [])
  const [data, setData] = useState<{ cop: Cop; role: Role; sessions: Session[]; snapshots: SnapshotMeta[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [viewing, setViewing] = useState<{ snapshot: SnapshotMeta; state: Uint8Array; highlights?: Highlights } | null>(null)
  const [licenseKey, setLicenseKey] = useState<string | null>(null)

  const reload = useCallback(async () => {
    if (!token) return
    try {
      setData(await api.cop(token, copId))
      setError(null)
    } catch (err) {
      setError(t('loadError', { message: (err as Error).message }))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, copId])

  useEffect(() => {
    void reload()
    void loadConfig().then((c) => setLicenseKey(c.tldrawLicenseKey))
  }, [reload])

  const act = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label)
    setNotice(null)
    try {
      await fn()
      await reload()
    } catch (err) {
      setNotice(t('error', { message: (err as Error).message }))
    } finally {
      setBusy(null)
    }
  }

  if (!token) return <div className="cb-archive cb-archive--center">{t('noToken')}</div>
  if (error) return <div className="cb-archive cb-archive--center cb-error">{error}</div>
  if (!data) return <div className="cb-archive cb-archive--center">{t('loading')}</div>

  const { cop, role, sessions, snapshots } = data
  const isFac = role === 'facilitator'
  const bySession = new Map<string, SnapshotMeta[]>()
  for (const s of snapshots) bySession.set(s.sessionId, [...(bySession.get(s.sessionId) ?? []), s])
  const current = [...sessions].reverse().find((s) => s.state === 'live') ?? [...sessions].reverse().find((s) => s.state === 'planned')
  const roleLabel = roleName(t, role)
  const stateLabel = (s: Session) => (s.state === 'live' ? t('stateLive') : s.state === 'ended' ? t('stateEnded') : t('statePlanned'))
  const boardHref = (s: Session) => `/b/${s.room}#t=${token}`

  const openSnapshot = async (snapshot: SnapshotMeta, highlights?: Highlights) => {
    const blob = await fetchSnapshotFile(token, cop.id, snapshot.id, 'state.bin')
    setViewing({ snapshot, state: new Uint8Array(await blob.arrayBuffer()), highlights })
  }

  return (
    <div className="cb-archive">
      <header className="cb-archive__header">
        <div>
          <h1 data-testid="cop-name">{cop.name}</h1>
          <p className="cb-muted">
            {cop.theme && (
              <span>
                {t('theme')}: {cop.theme}
              </span>
            )}
            {cop.theme && cop.coHost && ' · '}
            {cop.coHost && (
              <span>
                {t('coHost')}: {cop.coHost}
              </span>
            )}
          </p>
        </div>
        <div className="cb-archive__header-right">
          <span className={`cb-role cb-role--${role}`} data-testid="role-badge">
            {roleLabel}
          </span>
          <button type="button" className="cb-lang" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
            {t('language')}
          </button>
        </div>
      </header>

      {!isFac && current && (
        <a className="cb-btn cb-btn--primary cb-join" href={boardHref(current)} data-testid="join-live">
          {t('joinLive')} — {t('session', { n: current.number })}: {current.title}
        </a>
      )}
      {notice && (
        <p className="cb-notice" role="status">
          {notice}
        </p>
      )}

      <main className="cb-archive__grid">
        <section className="cb-timeline" aria-label={t('sessions')}>
          <h2>{t('sessions')}</h2>
          {sessions.length === 0 && <p className="cb-muted">{t('timelineEmpty')}</p>}
          <ol>
            {[...sessions].reverse().map((s) => {
              const snaps = bySession.get(s.id) ?? []
              const final = [...snaps].reverse().find((x) => x.kind === 'final') ?? snaps[snaps.length - 1] ?? null
              return (
                <li key={s.id} className={`cb-session cb-session--${s.state}`} data-testid={`session-${s.number}`}>
                  <div className="cb-session__dot" aria-hidden />
                  <div className="cb-card cb-session__card">
                    <div className="cb-session__main">
                      <Thumbnail token={token} copId={cop.id} snapshot={final} t={t} />
                      <div className="cb-session__info">
                        <div className="cb-session__head">
                          <span className="cb-session__num">{t('session', { n: s.number })}</span>
                          <span className={`cb-state cb-state--${s.state}`} data-testid="session-state">
                            {stateLabel(s)}
                          </span>
                        </div>
                        <h3>{s.title}</h3>
                        <p className="cb-muted">
                          {s.date}
                          {final?.meta.noteCount !== undefined && ` · ${t('notes', { n: final.meta.noteCount })}`}
                          {typeof final?.meta.durationMs === 'number' && ` · ${t('duration', { min: Math.round(final.meta.durationMs / 60000) })}`}
                        </p>
                        {final && <Participants t={t} meta={final.meta} lang={lang} testId="session-participants" />}
                        <div className="cb-actions">
                          {s.state !== 'ended' && (
                            <a className="cb-btn cb-btn--small" href={boardHref(s)} data-testid="open-board">
                              {t('openBoard')}
                            </a>
                          )}
                          {isFac && s.state === 'planned' && (
                            <button type="button" className="cb-btn cb-btn--small cb-btn--primary" disabled={!!busy} onClick={() => act('start', () => api.start(token, cop.id, s.id))} data-testid="start-session">
                              {t('start')}
                            </button>
                          )}
                          {isFac && s.state === 'live' && (
                            <button
                              type="button"
                              className="cb-btn cb-btn--small cb-btn--danger"
                              disabled={!!busy}
                              data-testid="end-session"
                              onClick={() => {
                                if (confirm(t('confirmEnd', { n: s.number }))) void act('end', () => api.end(token, cop.id, s.id))
                              }}
                            >
                              {busy === 'end' ? t('ending') : t('end')}
                            </button>
                          )}
                        </div>
                      </div>
                    </div>
                    {snaps.length > 0 && (
                      <ul className="cb-snaps">
                        {[...snaps].reverse().map((sn) => (
                          <li key={sn.id} className="cb-snap" data-testid={`snapshot-${sn.kind}`}>
                            <span className={`cb-snap__kind cb-snap__kind--${sn.kind}`}>{sn.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')}</span>
                            <span className="cb-muted cb-small">{new Date(sn.createdAt).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</span>
                            <span className="cb-snap__actions">
                              <button type="button" className="cb-btn cb-btn--small" onClick={() => void openSnapshot(sn)} data-testid="view-snapshot">
                                {t('view')}
                              </button>
                              {isFac && (
                                <button
                                  type="button"
                                  className="cb-btn cb-btn--small cb-btn--ghost"
                                  disabled={!!busy}
                                  data-testid="restore-snapshot"
                                  onClick={() =>
                                    act('restore', async () => {
                                      const r = await api.restore(token, cop.id, sn.id, {
                                        title: lang === 'nl' ? `Vervolg op sessie ${s.number}: ${s.title}`.slice(0, 200) : `Continuing session ${s.number}: ${s.title}`.slice(0, 200),
                                      })
                                      setTimeout(() => setNotice(t('restoreDone', { n: r.session.number })), 0)
                                    })
                                  }
                                >
                                  {t('restore')}
                                </button>
                              )}
                            </span>
                            <ExportButtons token={token} cop={cop} snapshot={sn} t={t} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                </li>
              )
            })}
          </ol>
        </section>

        <aside className="cb-side">
          {isFac && <NewSessionForm t={t} lang={lang} snapshots={snapshots} busy={!!busy} onCreate={(b) => act('create', () => api.createSession(token, cop.id, b))} />}
          {snapshots.length >= 2 && <ComparePanel t={t} token={token} copId={cop.id} snapshots={snapshots} onShow={openSnapshot} />}
          {isFac && <LinksPanel t={t} token={token} copId={cop.id} currentRoom={current?.room ?? null} />}
        </aside>
      </main>

      {viewing && (
        <div className="cb-modal" role="dialog" aria-modal="true">
          <div className="cb-modal__bar">
            <strong>
              {t('session', { n: viewing.snapshot.meta.sessionNumber ?? '' })} · {viewing.snapshot.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')}
            </strong>
            {viewing.highlights && (
              <span className="cb-legend">
                <i className="cb-legend__added" /> {t('legendAdded')} <i className="cb-legend__changed" /> {t('legendChanged')} <i className="cb-legend__removed" /> {t('legendRemoved')}
              </span>
            )}
            <ExportButtons token={token} cop={cop} snapshot={viewing.snapshot} t={t} />
            <button type="button" className="cb-btn cb-btn--small" onClick={() => setViewing(null)} data-testid="close-viewer">
              {t('close')}
            </button>
          </div>
          <Participants t={t} meta={viewing.snapshot.meta} lang={lang} testId="snapshot-participants" />
          <SnapshotViewer state={viewing.state} highlights={viewing.highlights} licenseKey={licenseKey} />
        </div>
      )}
    </div>
  )
}

export default CopPage
