/**
 * The facilitator's "new session" form: title, date, start from empty / template / snapshot, and
 * the notes to carry over from the last ended session (Parkeerplaats and "Volgende stap" checked).
 */
import { useState, type FormEvent } from 'react'
import { templates } from '@copboard/templates'
import type { Session, SessionStart, SnapshotMeta } from './api'
import { CarryOverPicker } from './CarryOverPicker'
import { today, type T } from './shared'

interface Props {
  t: T
  lang: 'nl' | 'en'
  token: string
  copId: string
  sessions: Session[]
  snapshots: SnapshotMeta[]
  busy: boolean
  onCreate: (b: { title: string; date: string; start: SessionStart }, carry: { snapshotId: string; noteIds: string[] } | null) => Promise<void>
}

export function NewSessionForm({ t, lang, token, copId, sessions, snapshots, busy, onCreate }: Props) {
  const [open, setOpen] = useState(false)
  const [carry, setCarry] = useState<string[]>([])
  // carry-over source: the final snapshot of the last ended session
  const lastEnded = sessions.findLast((s) => s.state === 'ended')
  const source = lastEnded ? (snapshots.findLast((x) => x.sessionId === lastEnded.id && x.kind === 'final') ?? null) : null
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
    // a board continued from a snapshot holds its notes already: nothing to carry
    await onCreate({ title: title.trim() || t('newSession'), date, start }, source && kind !== 'snapshot' ? { snapshotId: source.id, noteIds: carry } : null)
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
      {source && lastEnded && kind !== 'snapshot' && <CarryOverPicker t={t} token={token} copId={copId} snapshotId={source.id} sessionNumber={lastEnded.number} onChange={setCarry} />}
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
