/**
 * A snapshot's thumbnail and its exports in ONE menu (a native disclosure: keyboard-operable,
 * labelled per session), files fetched with the token and saved via blob URLs.
 */
import { useRef } from 'react'
import { downloadSnapshotFile, fetchSnapshotFile, type Cop, type SnapshotFile, type SnapshotMeta } from './api'
import { useObjectUrl } from './useObjectUrl'
import type { T } from './shared'

export function Thumbnail({ token, copId, snapshot, t }: { token: string; copId: string; snapshot: SnapshotMeta | null; t: T }) {
  const failed = snapshot?.meta.render === 'failed'
  const url = useObjectUrl(snapshot && !failed ? () => fetchSnapshotFile(token, copId, snapshot.id, 'thumbnail.png') : null, snapshot?.id ?? 'none')
  if (!snapshot || !url) return <div className="cb-thumb cb-thumb--empty">{failed ? t('renderPending') : t('noThumbnail')}</div>
  return <img className="cb-thumb" src={url} alt={t('session', { n: snapshot.meta.sessionNumber ?? '' })} data-testid="session-thumbnail" data-snapshot={snapshot.id} />
}

function fileName(cop: Cop, s: SnapshotMeta, file: SnapshotFile): string {
  const slug = cop.name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cop'
  const [base, ext] = file.split('.')
  return `${slug}-sessie-${s.meta.sessionNumber ?? ''}-${s.kind}-${base}.${ext}`
}

export function ExportMenu({ token, cop, snapshot, t }: { token: string; cop: Cop; snapshot: SnapshotMeta; t: T }) {
  const ref = useRef<HTMLDetailsElement>(null)
  const files: [SnapshotFile, string][] = [
    ['report.md', t('reportMd')],
    ['report.csv', t('reportCsv')],
    ['board.png', t('png')],
    ['board.svg', t('svg')],
    ['board.tldr', t('tldr')],
  ]
  const n = snapshot.meta.sessionNumber ?? ''
  return (
    <details
      className="cb-menu"
      ref={ref}
      data-testid="export-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && ref.current?.open) {
          ref.current.open = false
          ref.current.querySelector('summary')?.focus()
        }
      }}
    >
      <summary className="cb-btn cb-btn--small" aria-label={t('exportFor', { n })}>
        {t('export')} <span aria-hidden>▾</span>
      </summary>
      <ul className="cb-menu__list">
        {files.map(([f, label]) => (
          <li key={f}>
            <button
              type="button"
              className="cb-menu__item"
              data-testid={`export-${f}`}
              onClick={() => {
                void downloadSnapshotFile(token, cop.id, snapshot.id, f, fileName(cop, snapshot, f))
                if (ref.current) ref.current.open = false
              }}
            >
              {label}
            </button>
          </li>
        ))}
      </ul>
    </details>
  )
}
