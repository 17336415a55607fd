/** A snapshot's thumbnail and its export buttons (files fetched with the token, saved via blob URLs). */
import { downloadSnapshotFile, fetchSnapshotFile, type Cop, type SnapshotFile, type SnapshotMeta } from './api'
import { useObjectUrl } from './useObjectUrl'
import type { T } from './shared'

export function Thumbnail({ token, copId, snapshot, t }: { token: string; copId: string; snapshot: SnapshotMeta | null; t: T }) {
  const url = useObjectUrl(snapshot ? () => fetchSnapshotFile(token, copId, snapshot.id, 'thumbnail.png') : null, snapshot?.id ?? 'none')
  if (!snapshot || !url) return <div className="cb-thumb cb-thumb--empty">{t('noThumbnail')}</div>
  return <img className="cb-thumb" src={url} alt="" data-testid="session-thumbnail" />
}

function fileName(cop: Cop, s: SnapshotMeta, file: SnapshotFile): string {
  const slug = cop.name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cop'
  const [base, ext] = file.split('.')
  return `${slug}-sessie-${s.meta.sessionNumber ?? ''}-${s.kind}-${base}.${ext}`
}

export function ExportButtons({ token, cop, snapshot, t }: { token: string; cop: Cop; snapshot: SnapshotMeta; t: T }) {
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
