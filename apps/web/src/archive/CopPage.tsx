/**
 * `/cop/:copId#t=<token>`: the CoP page. Sessions as a timeline with thumbnails; for the
 * facilitator: new session (empty / template / continue from a snapshot), start, end, links and
 * revoke. For everyone: open a snapshot read-only on the canvas, compare two snapshots, exports.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import { templates } from '@copboard/templates'
import { setLang, useLang, useT } from '../i18n'
import { CopyField } from '../home/CopyField'
import { api, downloadSnapshotFile, fetchSnapshotFile, rememberedLinks, type Comparison, type Cop, type Role, type Session, type SessionStart, type SnapshotFile, type SnapshotMeta, type TokenRecord } from './api'
import { tokenFromFragment } from '../board/role'
import { pageToken } from '../token'
import { loadConfig } from '../config'
import { archiveMessages } from './messages'
import { SnapshotViewer, noteBoxes, type Highlights } from './SnapshotViewer'
import { Participants } from './Participants'
import '../home/home.css'
import './archive.css'

type T = ReturnType<typeof useT<keyof (typeof archiveMessages)['nl']>>

const today = () => new Date().toISOString().slice(0, 10)

function useObjectUrl(load: (() => Promise<Blob>) | null, key: string): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!load) return
    let u: string | null = null
    let alive = true
    load()
      .then((b) => {
        if (!alive) return
        u = URL.createObjectURL(b)
        setUrl(u)
      })
      .catch(() => setUrl(null))
    return () => {
      alive = false
      if (u) URL.revokeObjectURL(u)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return url
}

function Thumbnail({ token, copId, snapshot, t }: { token: string; copId: string; snapshot: SnapshotMeta | null; t: T }) {
  const url = useObjectUrl(snapshot ? () => fetchSnapshotFile(token, copId, snapshot.id, 'thumbnail.png') : null, snapshot?.id ?? 'none')
  if (!snapshot || !url) return <div className="cb-thumb cb-thumb--empty">{t('noThumbnail')}</div>
  return <img className="cb-thumb" src={url} alt="" data-testid="session-thumbnail" />
}

function fileName(cop: Cop, s: SnapshotMeta, file: SnapshotFile): string {
  const slug = cop.name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cop'
  const [base, ext] = file.split('.')
  return `${slug}-sessie-${s.meta.sessionNumber ?? ''}-${s.kind}-${base}.${ext}`
}

function ExportButtons({ token, cop, snapshot, t }: { token: string; cop: Cop; snapshot: SnapshotMeta; t: T }) {
  const files: [SnapshotFile, string][] = [
    ['board.png', t('png')],
    ['board.svg', t('svg')],
    ['board.tldr', t('tldr')],
    ['report.md', t('reportMd')],
    ['report.csv', t('reportCsv')],
  ]
  return (
    <div className="cb-exports">
      {files.map(([f, label]) => (
        <button key={f} type="button" className="cb-btn cb-btn--small" data-testid={`export-${f}`} onClick={() => void downloadSnapshotFile(token, cop.id, snapshot.id, f, fileName(cop, snapshot, f))}>
          {label}
        </button>
      ))}
    </div>
  )
}

export function CopPage({ copId }: { copId: string }) {
  const t = useT(archiveMessages)
  const lang = useLang()
  const token = useMemo(() => pageToken(), [])
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

function NewSessionForm({ t, lang, snapshots, busy, onCreate }: { t: T; lang: 'nl' | 'en'; snapshots: SnapshotMeta[]; busy: boolean; onCreate: (b: { title: string; date: string; start: SessionStart }) => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [title, setTitle] = useState('')
  const [date, setDate] = useState(today())
  const [kind, setKind] = useState<SessionStart['kind']>('empty')
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? '')
  const [snapshotId, setSnapshotId] = useState('')
  const finals = [...snapshots].reverse()
  if (!open)
    return (
      <button type="button" className="cb-btn cb-btn--primary cb-side__new" onClick={() => setOpen(true)} data-testid="new-session">
        + {t('newSession')}
      </button>
    )
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const start: SessionStart = kind === 'template' ? { kind, templateId } : kind === 'snapshot' ? { kind, snapshotId: snapshotId || finals[0]?.id } : { kind: 'empty' }
    await onCreate({ title: title.trim() || t('newSession'), date, start })
    setOpen(false)
    setTitle('')
  }
  return (
    <form className="cb-card cb-form" onSubmit={submit} data-testid="new-session-form">
      <h2>{t('newSession')}</h2>
      <label className="cb-field">
        <span>{t('title')}</span>
        <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label className="cb-field">
        <span>{t('date')}</span>
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
      </label>
      <fieldset className="cb-field">
        <legend>{t('startFrom')}</legend>
        <label className="cb-radio">
          <input type="radio" checked={kind === 'empty'} onChange={() => setKind('empty')} /> {t('startEmpty')}
        </label>
        <label className="cb-radio">
          <input type="radio" checked={kind === 'template'} onChange={() => setKind('template')} /> {t('startTemplate')}
        </label>
        {kind === 'template' && (
          <select value={templateId} onChange={(e) => setTemplateId(e.target.value)} data-testid="template-select">
            {templates.map((tp) => (
              <option key={tp.id} value={tp.id}>
                {tp.title[lang]}
              </option>
            ))}
          </select>
        )}
        {finals.length > 0 && (
          <label className="cb-radio">
            <input type="radio" checked={kind === 'snapshot'} onChange={() => setKind('snapshot')} /> {t('startSnapshot')}
          </label>
        )}
        {kind === 'snapshot' && (
          <select value={snapshotId || finals[0]?.id} onChange={(e) => setSnapshotId(e.target.value)}>
            {finals.map((s) => (
              <option key={s.id} value={s.id}>
                {t('session', { n: s.meta.sessionNumber ?? '' })} · {s.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')} · {s.createdAt.slice(0, 16).replace('T', ' ')}
              </option>
            ))}
          </select>
        )}
      </fieldset>
      <div className="cb-actions">
        <button type="submit" className="cb-btn cb-btn--primary" disabled={busy}>
          {t('create')}
        </button>
        <button type="button" className="cb-btn cb-btn--ghost" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  )
}

function ComparePanel({ t, token, copId, snapshots, onShow }: { t: T; token: string; copId: string; snapshots: SnapshotMeta[]; onShow: (s: SnapshotMeta, h: Highlights) => Promise<void> }) {
  const [a, setA] = useState(snapshots[Math.max(0, snapshots.length - 2)].id)
  const [b, setB] = useState(snapshots[snapshots.length - 1].id)
  const [result, setResult] = useState<Comparison | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const label = (s: SnapshotMeta) => `${t('session', { n: s.meta.sessionNumber ?? '' })} · ${s.kind === 'final' ? t('snapshotFinal') : t('snapshotAutosave')} · ${s.createdAt.slice(5, 16).replace('T', ' ')}`
  const run = async () => {
    setErr(null)
    try {
      setResult(await api.compare(token, copId, a, b))
    } catch (e) {
      setErr((e as Error).message)
    }
  }
  const show = async () => {
    if (!result) return
    const snapB = snapshots.find((s) => s.id === b)!
    const stateA = new Uint8Array(await (await fetchSnapshotFile(token, copId, a, 'state.bin')).arrayBuffer())
    const boxes = noteBoxes(stateA)
    const removed = result.zones.flatMap((z) => z.removed.map((n) => ({ ...(boxes.get(n.id) ?? { id: n.id, x: 0, y: 0, w: 200, h: 200 }), text: n.text })))
    await onShow(snapB, { added: result.zones.flatMap((z) => z.added.map((n) => n.id)), changed: result.zones.flatMap((z) => z.changed.map((c) => c.id)), removed })
  }
  return (
    <section className="cb-card cb-compare" data-testid="compare-panel">
      <h2>{t('compareTitle')}</h2>
      {([['compareA', a, setA, 'compare-a'], ['compareB', b, setB, 'compare-b']] as const).map(([caption, value, set, testId]) => (
        <label className="cb-field" key={testId}>
          <span>{t(caption)}</span>
          <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
            {snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div className="cb-actions">
        <button type="button" className="cb-btn cb-btn--primary cb-btn--small" onClick={run} data-testid="compare-run">
          {t('compareRun')}
        </button>
        {result && (
          <button type="button" className="cb-btn cb-btn--small" onClick={() => void show()} data-testid="compare-show">
            {t('compareShow')}
          </button>
        )}
      </div>
      {err && <p className="cb-error">{err}</p>}
      {result && (
        <div className="cb-compare__result" data-testid="compare-result">
          <p className="cb-muted cb-small">
            +{result.totals.added} · −{result.totals.removed} · ~{result.totals.changed} · {t('unchanged', { n: result.totals.unchanged })}
          </p>
          {result.zones.length === 0 && <p>{t('compareNone')}</p>}
          {result.zones.map((z) => (
            <div key={z.zoneId ?? 'none'} className="cb-compare__zone">
              <h3>{z.label}</h3>
              <ul>
                {z.added.map((n) => (
                  <li key={n.id} className="cb-diff cb-diff--added">
                    <b>{t('added')}</b> {n.text}
                    {n.author && <em> — {n.author}</em>}
                  </li>
                ))}
                {z.changed.map((c) => (
                  <li key={c.id} className="cb-diff cb-diff--changed">
                    <b>{t('changed')}</b> {c.before.text !== c.after.text ? (
                      <>
                        <s>{c.before.text}</s> → {c.after.text}
                      </>
                    ) : (
                      c.after.text
                    )}
                  </li>
                ))}
                {z.removed.map((n) => (
                  <li key={n.id} className="cb-diff cb-diff--removed">
                    <b>{t('removed')}</b> {n.text}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </section>
  )
}

function roleName(t: T, r: Role): string {
  return r === 'facilitator' ? t('roleFacilitator') : r === 'participant' ? t('roleParticipant') : t('roleViewer')
}

function LinksPanel({ t, token, copId, currentRoom }: { t: T; token: string; copId: string; currentRoom: string | null }) {
  const [links, setLinks] = useState<TokenRecord[]>([])
  const [role, setRole] = useState<'participant' | 'viewer'>('participant')
  const [label, setLabel] = useState('')
  const [fresh, setFresh] = useState<{ link: string; boardLink: string | null } | null>(null)
  // links handed out at creation, re-pointed at the current session's board (tokens are per CoP)
  const remembered: Record<string, string> = {}
  for (const [k, v] of Object.entries(rememberedLinks(copId))) {
    const secret = tokenFromFragment(v.slice(v.indexOf('#')))
    if (secret && (k === 'participant' || k === 'viewer')) remembered[k] = currentRoom ? `${location.origin}/b/${currentRoom}#t=${secret}` : `${location.origin}/cop/${copId}#t=${secret}`
  }
  const load = useCallback(() => {
    api.links(token, copId).then((r) => setLinks(r.links), () => undefined)
  }, [token, copId])
  useEffect(load, [load])
  return (
    <section className="cb-card cb-linkspanel" data-testid="links-panel">
      <h2>{t('links')}</h2>
      <p className="cb-muted cb-small">{t('linksHelp')}</p>
      {(['participant', 'viewer'] as const).map((r) =>
        remembered[r] ? (
          <div key={r} className="cb-field">
            <span>{roleName(t, r)}</span>
            <CopyField value={remembered[r]} copyLabel={t('linkCopy')} copiedLabel={t('linkCopied')} />
          </div>
        ) : null,
      )}
      <ul className="cb-tokens">
        {links.map((l) => (
          <li key={l.id} className={l.revokedAt ? 'cb-token cb-token--revoked' : 'cb-token'}>
            <span>
              <b>{l.label}</b>
              {l.label !== roleName(t, l.role) && <span className="cb-muted cb-small"> {roleName(t, l.role)}</span>}
            </span>
            {l.revokedAt ? (
              <span className="cb-muted cb-small">{t('linkRevoked')}</span>
            ) : l.role !== 'facilitator' ? (
              <button type="button" className="cb-btn cb-btn--small cb-btn--danger" onClick={() => api.revoke(token, copId, l.id).then(load, () => undefined)} data-testid="revoke-link">
                {t('linkRevoke')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        className="cb-linkform"
        onSubmit={async (e) => {
          e.preventDefault()
          const r = await api.createLink(token, copId, { role, label: label.trim() || roleName(t, role) })
          setFresh({ link: r.link, boardLink: r.boardLink })
          setLabel('')
          load()
        }}
      >
        <select value={role} onChange={(e) => setRole(e.target.value as 'participant' | 'viewer')} aria-label={t('linkRole')}>
          <option value="participant">{t('roleParticipant')}</option>
          <option value="viewer">{t('roleViewer')}</option>
        </select>
        <input value={label} maxLength={80} placeholder={t('linkLabel')} onChange={(e) => setLabel(e.target.value)} aria-label={t('linkLabel')} />
        <button type="submit" className="cb-btn cb-btn--small">
          {t('linkCreate')}
        </button>
      </form>
      {fresh && (
        <div className="cb-field">
          <span className="cb-small">{t('linkNew')}</span>
          <CopyField value={fresh.boardLink ?? fresh.link} copyLabel={t('linkCopy')} copiedLabel={t('linkCopied')} />
        </div>
      )}
    </section>
  )
}

export default CopPage
