/**
 * `/`: create a CoP (name, theme, co-host), then show the three links (one per role, each for the
 * whole series); the CoPs this browser opened before; on an empty server, the demo CoP.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { setLang, useLang, useT } from '../i18n'
import { api, rememberLinks, type CreatedCop } from '../archive/api'
import { loadConfig } from '../config'
import { CopyField } from './CopyField'
import { forgetCop, knownCops, rememberCop, type KnownCop } from './knownCops'
import { homeMessages } from './messages'
import './home.css'

function tokenOf(link: string): string {
  return decodeURIComponent(link.slice(link.indexOf('#t=') + 3))
}

export function HomePage() {
  const t = useT(homeMessages)
  const lang = useLang()
  const [name, setName] = useState('')
  const [theme, setTheme] = useState('')
  const [coHost, setCoHost] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<CreatedCop | null>(null)
  const [known, setKnown] = useState<KnownCop[]>(() => knownCops())
  const [demo, setDemo] = useState<'no' | 'offered' | 'opening'>('no')
  const createdHeading = useRef<HTMLHeadingElement>(null)
  const nameInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void loadConfig().then((c) => setDemo(c.demo ? 'offered' : 'no'))
  }, [])
  // focus follows the flow: to the links once the CoP exists, back to the form for another one
  useEffect(() => {
    if (created) createdHeading.current?.focus()
  }, [created])

  const openDemo = async () => {
    setDemo('opening')
    try {
      const r = (await fetch('/api/demo', { method: 'POST' }).then((x) => (x.ok ? x.json() : Promise.reject(new Error(String(x.status)))))) as { copId: string; link: string }
      rememberCop({ copId: r.copId, name: 'CoP Warmtetransitie (voorbeeld)', role: 'facilitator', token: tokenOf(r.link) })
      location.assign(r.link)
    } catch (err) {
      setError(t('error', { message: (err as Error).message }))
      setDemo('offered')
    }
  }
  const roleLabel = (r: KnownCop['role']) => (r === 'facilitator' ? t('roleFacilitator') : r === 'participant' ? t('roleParticipant') : t('roleViewer'))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return
    setBusy(true)
    setError(null)
    try {
      const res = await api.createCop({ name: name.trim(), theme: theme.trim(), coHost: coHost.trim(), sessionTitle: lang === 'en' ? 'Session 1' : 'Sessie 1' })
      rememberLinks(res.cop.id, { ...res.links, participantCop: res.copLinks.participant, viewerCop: res.copLinks.viewer })
      rememberCop({ copId: res.cop.id, name: res.cop.name, role: 'facilitator', token: tokenOf(res.copLinks.facilitator) })
      setKnown(knownCops())
      setCreated(res)
    } catch (err) {
      setError(t('error', { message: (err as Error).message }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="cb-home">
      <header className="cb-home__header">
        <div className="cb-logo" aria-hidden>
          <span className="cb-logo__note cb-logo__note--a" />
          <span className="cb-logo__note cb-logo__note--b" />
        </div>
        <h1>copboard</h1>
        <button type="button" className="cb-lang" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
          {t('language')}
        </button>
      </header>
      <p className="cb-home__tagline">{t('tagline')}</p>

      {!created ? (
        <form className="cb-card cb-home__form" onSubmit={submit} data-testid="create-cop-form">
          <h2>{t('createTitle')}</h2>
          <p className="cb-muted">{t('intro')}</p>
          <label>
            <span>{t('name')}</span>
            <input ref={nameInput} name="name" required maxLength={120} value={name} placeholder={t('namePlaceholder')} onChange={(e) => setName(e.target.value)} autoFocus />
          </label>
          <label>
            <span>
              {t('theme')} <em>({t('optional')})</em>
            </span>
            <input name="theme" maxLength={300} value={theme} placeholder={t('themePlaceholder')} onChange={(e) => setTheme(e.target.value)} />
          </label>
          <label>
            <span>
              {t('coHost')} <em>({t('optional')})</em>
            </span>
            <input name="coHost" maxLength={120} value={coHost} placeholder={t('coHostPlaceholder')} onChange={(e) => setCoHost(e.target.value)} />
          </label>
          {error && (
            <p className="cb-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="cb-btn cb-btn--primary" disabled={busy || !name.trim()} data-testid="create-cop">
            {busy ? t('creating') : t('create')}
          </button>
        </form>
      ) : (
        <section className="cb-card cb-home__created" data-testid="cop-created">
          <h2 ref={createdHeading} tabIndex={-1} data-testid="cop-created-title">
            {t('createdTitle', { name: created.cop.name })}
          </h2>
          <p className="cb-muted">{t('createdIntro')}</p>
          <ul className="cb-links">
            {(
              [
                ['facilitator', t('facilitatorLink'), t('facilitatorHelp')],
                ['participant', t('participantLink'), t('participantHelp')],
                ['viewer', t('viewerLink'), t('viewerHelp')],
              ] as const
            ).map(([role, label, help]) => (
              <li key={role} className={`cb-links__item cb-links__item--${role}`}>
                <div className="cb-links__label">
                  <strong>{label}</strong>
                  <span className="cb-muted">{help}</span>
                </div>
                <CopyField value={created.links[role]} copyLabel={t('copy')} copiedLabel={t('copied')} testId={`link-${role}`} fieldLabel={t('linkFor', { role: label })} buttonLabel={t('copyFor', { role: label })} />
              </li>
            ))}
          </ul>
          <div className="cb-actions">
            <a className="cb-btn cb-btn--primary" href={created.boardLinks.facilitator} data-testid="open-board">
              {t('openBoard')}
            </a>
            <a className="cb-btn" href={created.links.facilitator} data-testid="open-cop">
              {t('openArchive')}
            </a>
            <button
              type="button"
              className="cb-btn cb-btn--ghost"
              onClick={() => {
                setCreated(null)
                setName('')
                setTheme('')
                setCoHost('')
                setTimeout(() => nameInput.current?.focus(), 0)
              }}
            >
              {t('another')}
            </button>
          </div>
        </section>
      )}

      {demo !== 'no' && !created && (
        <section className="cb-card cb-home__demo" aria-labelledby="cb-demo-title" data-testid="demo-offer">
          <h2 id="cb-demo-title">{t('demoTitle')}</h2>
          <p className="cb-muted">{t('demoIntro')}</p>
          <button type="button" className="cb-btn" onClick={() => void openDemo()} disabled={demo === 'opening'} data-testid="open-demo">
            {demo === 'opening' ? t('demoOpening') : t('demoOpen')}
          </button>
        </section>
      )}

      {known.length > 0 && (
        <section className="cb-card cb-home__known" aria-labelledby="cb-known-title" data-testid="known-cops">
          <h2 id="cb-known-title">{t('knownTitle')}</h2>
          <p className="cb-muted">{t('knownHelp')}</p>
          <ul className="cb-known">
            {known.map((c) => (
              <li key={c.copId} className="cb-known__item">
                <span className="cb-known__name">
                  <strong>{c.name}</strong> <span className="cb-muted">· {roleLabel(c.role)}</span>
                </span>
                <a className="cb-btn cb-btn--small" href={`/cop/${c.copId}#t=${encodeURIComponent(c.token)}`} aria-label={t('knownOpenFor', { name: c.name })} data-testid="known-open">
                  {t('knownOpen')}
                </a>
                <button
                  type="button"
                  className="cb-btn cb-btn--small cb-btn--ghost"
                  aria-label={t('knownForgetFor', { name: c.name })}
                  onClick={() => {
                    forgetCop(c.copId)
                    setKnown(knownCops())
                  }}
                >
                  {t('knownForget')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

export default HomePage
