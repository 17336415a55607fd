/**
 * `/cop/:copId/report/:snapshotId#t=<token>`: the session report as a page to print or save as PDF
 * (issue 11). The same outline as the Markdown (packages/templates reportOutline): header, zones
 * nested as on the board, empty zones summarised, matches, endorsements, votes, accord.
 */
import { useEffect, useMemo, useState } from 'react'
import { formatDuration, formatReportDate, groupPeople, reportLabels, reportOutline, type OutlineZone, type ReportNote } from '@copboard/templates'
import { setLang, useLang, useT } from '../i18n'
import { fetchReport, type Report } from './api'
import { pageToken } from '../token'
import { archiveMessages } from './messages'
import './report.css'

function Note({ n, L }: { n: ReportNote; L: ReturnType<typeof reportLabels> }) {
  const who = [n.author, n.perspective ? L[n.perspective] : null].filter(Boolean).join(', ')
  return (
    <li className="cb-report__note">
      <span className="cb-report__text">{n.text || '…'}</span>
      {n.prefilled ? <em className="cb-report__who"> ({L.example})</em> : who && <span className="cb-report__who"> — {who}</span>}
    </li>
  )
}

function Zone({ oz, level, L }: { oz: OutlineZone; level: number; L: ReturnType<typeof reportLabels> }) {
  const H = (level <= 3 ? 'h3' : 'h4') as 'h3' | 'h4'
  return (
    <section className={`cb-report__zone cb-report__zone--l${level}`} data-zone={oz.zone.zoneId} data-path={oz.zone.path.join(' › ')}>
      <H>
        {oz.zone.label}
        {oz.zone.anonymous && level === 3 ? <span className="cb-report__anon"> ({L.anonymous})</span> : null}
      </H>
      {oz.zone.notes.length > 0 && (
        <ul>
          {oz.zone.notes.map((n) => (
            <Note key={n.id} n={n} L={L} />
          ))}
        </ul>
      )}
      {oz.children.map((c) => (
        <Zone key={c.zone.zoneId} oz={c} level={level + 1} L={L} />
      ))}
    </section>
  )
}

export function ReportPage({ copId, snapshotId }: { copId: string; snapshotId: string }) {
  const t = useT(archiveMessages)
  const lang = useLang()
  const token = useMemo(() => pageToken(), [])
  const [report, setReport] = useState<Report | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!token) return
    fetchReport(token, copId, snapshotId).then(setReport, (e) => setError(t('loadError', { message: (e as Error).message })))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, copId, snapshotId])
  useEffect(() => {
    if (report?.header) document.title = `${reportLabels(report.lang).report} — ${report.header.cop} — ${report.header.sessionTitle}`
  }, [report])

  if (!token) return <div className="cb-report cb-report--center">{t('noToken')}</div>
  if (error) return <div className="cb-report cb-report--center cb-error">{error}</div>
  if (!report) return <div className="cb-report cb-report--center">{t('loading')}</div>

  const L = reportLabels(report.lang)
  const h = report.header
  const people = h ? groupPeople(h) : null
  const outlines = report.sections.map(reportOutline)
  const written = outlines.filter((o) => !o.isEmpty)
  const unused = outlines.filter((o) => o.isEmpty)
  const participantCount = people?.byPerspective.reduce((n, [, names]) => n + names.length, 0) ?? 0
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

  return (
    <div className="cb-report-page">
      <nav className="cb-report__toolbar" aria-label={t('report')}>
        <a className="cb-btn cb-btn--small" href={`/cop/${copId}#t=${token}`}>
          ← {t('backToCop')}
        </a>
        <button type="button" className="cb-btn cb-btn--primary cb-btn--small" onClick={() => window.print()} data-testid="print-report">
          {t('print')}
        </button>
        <button type="button" className="cb-lang" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
          {t('language')}
        </button>
      </nav>
      <article className="cb-report" data-testid="report" lang={report.lang}>
        <header className="cb-report__header" data-testid="report-header">
          <p className="cb-report__kicker">{L.report}</p>
          <h1>{h?.cop ?? L.report}</h1>
          {h && (
            <>
              <p className="cb-report__session">
                {L.session} {h.sessionNumber}: {h.sessionTitle}
              </p>
              <dl className="cb-report__facts">
                <div>
                  <dt>{L.date}</dt>
                  <dd>{formatReportDate(h.date, report.lang)}</dd>
                </div>
                {formatDuration(h.durationMs, report.lang) && (
                  <div>
                    <dt>{L.duration}</dt>
                    <dd>{formatDuration(h.durationMs, report.lang)}</dd>
                  </div>
                )}
                {people && people.facilitators.length > 0 && (
                  <div>
                    <dt>{L.facilitator}</dt>
                    <dd>{people.facilitators.join(', ')}</dd>
                  </div>
                )}
                {h.coHost && (
                  <div>
                    <dt>{L.coHost}</dt>
                    <dd>{h.coHost}</dd>
                  </div>
                )}
              </dl>
              {people && participantCount > 0 && (
                <div className="cb-report__people" data-testid="report-people">
                  <h2>
                    {L.participants} ({participantCount})
                  </h2>
                  <ul>
                    {people.byPerspective.map(([k, names]) => (
                      <li key={k ?? 'none'}>
                        <strong>
                          {cap(k ? L[k] : L.unknown)} ({names.length}):
                        </strong>{' '}
                        {names.join(', ')}
                      </li>
                    ))}
                  </ul>
                  {people.viewers.length > 0 && (
                    <p className="cb-report__viewers">
                      {L.viewers}: {people.viewers.join(', ')}
                    </p>
                  )}
                </div>
              )}
            </>
          )}
        </header>

        {written.map((o) => (
          <section key={`${o.section.pageId}-${o.section.templateId}`} className="cb-report__section" data-template={o.section.templateId}>
            <h2>{o.section.title}</h2>
            {o.section.statement?.text && (
              <blockquote className="cb-report__statement">
                <p className="cb-report__label">{L.statement}</p>
                {o.section.statement.text}
              </blockquote>
            )}
            {o.zones.map((oz) => (
              <Zone key={oz.zone.zoneId} oz={oz} level={3} L={L} />
            ))}
            {o.section.matches.length > 0 && (
              <section className="cb-report__zone">
                <h3>{L.matches}</h3>
                <ul>
                  {o.section.matches.map((m) => (
                    <li key={`${m.question.id}>${m.offer.id}`}>
                      {m.question.text} → {m.offer.text}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {o.section.statement && o.section.statement.endorsements.length > 0 && (
              <section className="cb-report__zone">
                <h3>{L.endorsed}</h3>
                <ul>
                  {o.section.statement.endorsements.map((e) => (
                    <li key={e.name}>
                      {e.name}
                      {e.perspective ? ` — ${L[e.perspective]}` : ''}
                      {!e.current && <em> ({L.earlier})</em>}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {o.empty.length > 0 && (
              <p className="cb-report__empty">
                {L.emptyZones}: {o.empty.join('; ')}
              </p>
            )}
          </section>
        ))}

        {report.unzoned.length > 0 && (
          <section className="cb-report__section">
            <h2>{L.unzoned}</h2>
            <ul>
              {report.unzoned.map((n) => (
                <Note key={n.id} n={n} L={L} />
              ))}
            </ul>
          </section>
        )}

        {report.votes && report.votes.length > 0 && (
          <section className="cb-report__section">
            <h2>{L.votes}</h2>
            {report.votes.map((v) => (
              <section key={v.id} className="cb-report__zone">
                <h3>
                  {v.title || L.votes} ({v.voters} {L.voters})
                </h3>
                <ol>
                  {v.results.map((r) => (
                    <li key={r.shapeId}>
                      {r.text || '…'} — {r.dots} {r.dots === 1 ? L.dot : L.dots}
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </section>
        )}

        {report.accord && (
          <section className="cb-report__section">
            <h2>{L.accord}</h2>
            <blockquote className="cb-report__statement">{report.accord.statement || '…'}</blockquote>
            {report.accord.endorsements.length > 0 && (
              <>
                <h3>{L.endorsed}</h3>
                <ul>
                  {report.accord.endorsements.map((e) => (
                    <li key={e.name}>
                      {e.name}
                      {!e.current && <em> ({L.earlier})</em>}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}

        {unused.length > 0 && (
          <p className="cb-report__empty">
            {L.emptySections}: {unused.map((o) => o.section.title).join('; ')}
          </p>
        )}
        {!written.length && !report.unzoned.length && !report.votes?.length && !report.accord && <p className="cb-report__empty">{L.noNotes}</p>}
      </article>
    </div>
  )
}

export default ReportPage
