/** Compare two snapshots: notes added / changed / removed per zone, and show them on the board. */
import { useState } from 'react'
import { api, fetchSnapshotFile, type Comparison, type SnapshotMeta } from './api'
import { noteBoxes, type Highlights } from './SnapshotViewer'
import type { T } from './shared'

export function ComparePanel({ t, token, copId, snapshots, onShow }: { t: T; token: string; copId: string; snapshots: SnapshotMeta[]; onShow: (s: SnapshotMeta, h: Highlights, pageId?: string | null) => Promise<void> }) {
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
    const removed = result.zones.flatMap((z) => z.removed.map((n) => ({ ...(boxes.get(n.id) ?? { id: n.id, pageId: n.pageId ?? '', x: 0, y: 0, w: 200, h: 200 }), text: n.text })))
    await onShow(snapB, { added: result.zones.flatMap((z) => z.added.map((n) => n.id)), changed: result.zones.flatMap((z) => z.changed.map((c) => c.id)), removed }, result.pageId)
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
