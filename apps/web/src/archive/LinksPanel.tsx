/** The facilitator's links: the links handed out at creation, all tokens (revoke), a new link. */
import { useCallback, useEffect, useState } from 'react'
import { CopyField } from '../home/CopyField'
import { api, rememberedLinks, type TokenRecord } from './api'
import { tokenFromFragment } from '../board/role'
import { roleName, type T } from './shared'

export function LinksPanel({ t, token, copId }: { t: T; token: string; copId: string }) {
  const [links, setLinks] = useState<TokenRecord[]>([])
  const [role, setRole] = useState<'participant' | 'viewer'>('participant')
  const [label, setLabel] = useState('')
  const [fresh, setFresh] = useState<{ link: string; boardLink: string | null } | null>(null)
  // links handed out at creation, re-pointed at the current session's board (tokens are per CoP)
  const remembered: Record<string, string> = {}
  for (const [k, v] of Object.entries(rememberedLinks(copId))) {
    const secret = tokenFromFragment(v.slice(v.indexOf('#')))
    // one link for the whole series: the CoP link, which leads to the live session (issue 11)
    if (secret && (k === 'participant' || k === 'viewer')) remembered[k] = `${location.origin}/cop/${copId}#t=${secret}`
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
            <CopyField value={remembered[r]} copyLabel={t('linkCopy')} copiedLabel={t('linkCopied')} fieldLabel={t('linkFor', { role: roleName(t, r) })} buttonLabel={t('copyFor', { role: roleName(t, r) })} />
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
          <CopyField value={fresh.link} copyLabel={t('linkCopy')} copiedLabel={t('linkCopied')} fieldLabel={t('linkNew')} buttonLabel={`${t('linkCopy')} — ${t('linkNew')}`} />
        </div>
      )}
    </section>
  )
}
