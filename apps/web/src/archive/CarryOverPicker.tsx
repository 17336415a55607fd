/** Carry-over: the notes of the last session grouped by zone, defaults checked (Parkeerplaats, "Volgende stap"). */
import { useEffect, useState } from 'react'
import { api, type CarryCandidate } from './api'
import type { T } from './shared'

export function CarryOverPicker({ t, token, copId, snapshotId, sessionNumber, onChange }: { t: T; token: string; copId: string; snapshotId: string; sessionNumber: number; onChange: (ids: string[]) => void }) {
  const [cands, setCands] = useState<CarryCandidate[] | null>(null)
  const [picked, setPicked] = useState<Set<string>>(new Set())
  useEffect(() => {
    let alive = true
    api.carryCandidates(token, copId, snapshotId).then(
      (r) => {
        if (!alive) return
        setCands(r.candidates)
        const p = new Set(r.candidates.filter((c) => c.picked).map((c) => c.id))
        setPicked(p)
        onChange([...p])
      },
      () => alive && setCands([]),
    )
    return () => {
      alive = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, copId, snapshotId])
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked)
    if (on) next.add(id)
    else next.delete(id)
    setPicked(next)
    onChange([...next])
  }
  const groups = new Map<string, CarryCandidate[]>()
  for (const c of cands ?? []) {
    const key = c.path.join(' › ') || t('outsideZones')
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  // groups with a default pick first
  const ordered = [...groups].sort((a, b) => Number(b[1].some((c) => c.picked)) - Number(a[1].some((c) => c.picked)))
  return (
    <fieldset className="cb-field cb-carry" data-testid="carry-over">
      <legend>{t('carryTitle', { n: sessionNumber })}</legend>
      <p className="cb-muted cb-small">{t('carryHelp', { n: sessionNumber })}</p>
      {cands === null && <p className="cb-muted cb-small">{t('loading')}</p>}
      {cands?.length === 0 && <p className="cb-muted cb-small">{t('carryNone')}</p>}
      {ordered.map(([zone, list]) => (
        <div key={zone} className="cb-carry__group" role="group" aria-label={zone}>
          <p className="cb-carry__zone">{zone}</p>
          {list.map((c) => (
            <label key={c.id} className="cb-carry__note">
              <input type="checkbox" checked={picked.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} data-testid="carry-note" />
              <span>{c.text}</span>
            </label>
          ))}
        </div>
      ))}
    </fieldset>
  )
}
