/**
 * `/cop/:copId#t=<token>`: the CoP page, and where the one CoP link lands. A participant or viewer
 * whose CoP has a live session goes straight to its board (GET …/current); otherwise the page shows
 * the live and next planned session first, then the archive (one final snapshot per session,
 * autosaves folded, exports in one menu, a printable report). Facilitator: new session (with
 * carry-over), start, end, links. Everyone: view a snapshot read-only, compare two snapshots.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { setLang, useLang, useT } from '../i18n'
import { api, fetchSnapshotFile, type Cop, type Role, type Session, type SnapshotMeta } from './api'
import { pageToken } from '../token'
import { loadConfig } from '../config'
import { archiveMessages } from './messages'
import { SnapshotViewer, type Highlights } from './SnapshotViewer'
import { Participants } from './Participants'
import { ExportMenu } from './Exports'
import { NewSessionForm } from './NewSessionForm'
import { ComparePanel } from './ComparePanel'
import { LinksPanel } from './LinksPanel'
import { Archive, Upcoming } from './Timeline'
import { rememberCop } from '../home/knownCops'
import { roleName } from './shared'
import '../home/home.css'
import './archive.css'

interface Viewing {
  snapshot: SnapshotMeta
  state: Uint8Array
  highlights?: Highlights
  pageId?: string | null
}

export function CopPage({ copId }: { copId: string }) {
  const t = useT(archiveMessages)
  const lang = useLang()
  const token = useMemo(() => pageToken(), [])
  const [data, setData] = useState<{ cop: Cop; role: Role; sessions: Session[]; snapshots: SnapshotMeta[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [redirecting, setRedirecting] = useState(false)
  const [viewing, setViewing] = useState<Viewing | null>(null)
  const [licenseKey, setLicenseKey] = useState<string | null>(null)
  const returnFocus = useRef<HTMLElement | null>(null)

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
    if (!token) return
    // the one CoP link: straight to the live session when there is one (participants and viewers)
    api.current(token, copId).then(
      (cur) => {
        rememberCop({ copId, name: cur.copName, role: cur.role, token })
        if (cur.go === 'board' && cur.room) {
          setRedirecting(true)
          location.replace(`/b/${cur.room}#t=${token}`)
        } else void reload()
      },
      () => void reload(),
    )
    void loadConfig().then((c) => setLicenseKey(c.tldrawLicenseKey))
  }, [reload, token, copId])

  useEffect(() => {
    if (data && token) rememberCop({ copId: data.cop.id, name: data.cop.name, role: data.role, token })
  }, [data, token])

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
  if (redirecting) return <div className="cb-archive cb-archive--center" role="status">{t('redirecting')}</div>
  if (error) return <div className="cb-archive cb-archive--center cb-error">{error}</div>
  if (!data) return <div className="cb-archive cb-archive--center">{t('loading')}</div>

  const { cop, role, sessions, snapshots } = data
  const isFac = role === 'facilitator'

  const openSnapshot = async (snapshot: SnapshotMeta, highlights?: Highlights, pageId?: string | null) => {
    returnFocus.current = document.activeElement as HTMLElement | null
    const blob = await fetchSnapshotFile(token, cop.id, snapshot.id, 'state.bin')
    setViewing({ snapshot, state: new Uint8Array(await blob.arrayBuffer()), highlights, pageId })
  }
  const closeViewer = () => {
    setViewing(null)
    setTimeout(() => returnFocus.current?.focus(), 0)
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
            {roleName(t, role)}
          </span>
          <button type="button" className="cb-lang" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
            {t('language')}
          </button>
        </div>
      </header>

      {notice && (
        <p className="cb-notice" role="status">
          {notice}
        </p>
      )}

      <main className="cb-archive__grid">
        <div className="cb-archive__main">
          <Upcoming
            t={t}
            lang={lang}
            token={token}
            role={role}
            sessions={sessions}
            actions={{
              busy,
              openSnapshot: (s) => void openSnapshot(s),
              start: (s) => void act('start', () => api.start(token, cop.id, s.id)),
              end: (s) => {
                if (confirm(t('confirmEnd', { n: s.number }))) void act('end', () => api.end(token, cop.id, s.id))
              },
              restore: () => undefined,
            }}
          />
          <Archive
            t={t}
            lang={lang}
            token={token}
            cop={cop}
            role={role}
            sessions={sessions}
            snapshots={snapshots}
            actions={{
              busy,
              openSnapshot: (s) => void openSnapshot(s),
              start: () => undefined,
              end: () => undefined,
              restore: (s, sn) =>
                void act('restore', async () => {
                  const r = await api.restore(token, cop.id, sn.id, {
                    title: lang === 'nl' ? `Vervolg op sessie ${s.number}: ${s.title}`.slice(0, 200) : `Continuing session ${s.number}: ${s.title}`.slice(0, 200),
                  })
                  setTimeout(() => setNotice(t('restoreDone', { n: r.session.number })), 0)
                }),
            }}
          />
        </div>

        <aside className="cb-side">
          {isFac && (
            <NewSessionForm
              t={t}
              lang={lang}
              token={token}
              copId={cop.id}
              sessions={sessions}
              snapshots={snapshots}
              busy={!!busy}
              onCreate={(b, carry) =>
                act('create', async () => {
                  const { session } = await api.createSession(token, cop.id, b)
                  if (carry && carry.noteIds.length) {
                    const r = await api.carryOver(token, cop.id, session.id, carry)
                    setTimeout(() => setNotice(t(r.placed === 1 ? 'carryDoneOne' : 'carryDone', { n: r.placed, s: session.number })), 0)
                  }
                })
              }
            />
          )}
          {snapshots.length >= 2 && <ComparePanel t={t} token={token} copId={cop.id} snapshots={snapshots} onShow={openSnapshot} />}
          {isFac && <LinksPanel t={t} token={token} copId={cop.id} />}
        </aside>
      </main>

      {viewing && (
        <div
          className="cb-modal"
          role="dialog"
          aria-modal="true"
          aria-label={`${t('session', { n: viewing.snapshot.meta.sessionNumber ?? '' })} · ${viewing.snapshot.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !(e.target as HTMLElement).closest('.tl-container')) closeViewer()
          }}
        >
          <div className="cb-modal__bar">
            <strong>
              {t('session', { n: viewing.snapshot.meta.sessionNumber ?? '' })} · {viewing.snapshot.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')}
            </strong>
            {viewing.highlights && (
              <span className="cb-legend">
                <i className="cb-legend__added" /> {t('legendAdded')} <i className="cb-legend__changed" /> {t('legendChanged')} <i className="cb-legend__removed" /> {t('legendRemoved')}
              </span>
            )}
            <ExportMenu token={token} cop={cop} snapshot={viewing.snapshot} t={t} />
            <button type="button" className="cb-btn cb-btn--small" onClick={closeViewer} data-testid="close-viewer" autoFocus>
              {t('close')}
            </button>
          </div>
          <Participants t={t} meta={viewing.snapshot.meta} lang={lang} testId="snapshot-participants" />
          <SnapshotViewer state={viewing.state} highlights={viewing.highlights} pageId={viewing.pageId ?? undefined} licenseKey={licenseKey} />
        </div>
      )}
    </div>
  )
}

export default CopPage
