/** The files of a snapshot (board state, .tldr, images, reports), served with their content type and name. */
import type { FastifyInstance } from 'fastify'
import type { SnapshotPartName } from '@copboard/storage'
import { accessFor } from '../../../auth'
import { ApiError } from '../errors'
import { id } from '../schemas'
import type { ApiContext } from './context'

/** Snapshot parts served as files: URL name -> storage part, content type, download disposition. */
export const SNAPSHOT_FILES = {
  'state.bin': { part: 'yjsState', type: 'application/octet-stream', attachment: true },
  'board.tldr': { part: 'tldr', type: 'application/json; charset=utf-8', attachment: true },
  'board.svg': { part: 'svg', type: 'image/svg+xml; charset=utf-8', attachment: false },
  'board.png': { part: 'png', type: 'image/png', attachment: false },
  'thumbnail.png': { part: 'thumbnailPng', type: 'image/png', attachment: false },
  'report.md': { part: 'reportMarkdown', type: 'text/markdown; charset=utf-8', attachment: true },
  'report.csv': { part: 'reportCsv', type: 'text/csv; charset=utf-8', attachment: true },
  'report.json': { part: 'reportJson', type: 'application/json; charset=utf-8', attachment: true },
} as const satisfies Record<string, { part: SnapshotPartName; type: string; attachment: boolean }>
export type SnapshotFileName = keyof typeof SNAPSHOT_FILES

function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'cop'
  )
}

export function snapshotFileRoutes(app: FastifyInstance, { archive, authed }: ApiContext): void {
  app.get<{ Params: { copId: string; snapshotId: string; file: SnapshotFileName }; Querystring: { download?: string } }>(
    '/cops/:copId/snapshots/:snapshotId/:file',
    {
      onRequest: authed,
      schema: {
        params: { type: 'object', required: ['copId', 'snapshotId', 'file'], properties: { copId: id, snapshotId: id, file: { type: 'string', enum: Object.keys(SNAPSHOT_FILES) } } },
        querystring: { type: 'object', additionalProperties: false, properties: { download: { type: 'string', enum: ['0', '1'] } } },
      },
    },
    async (request, reply) => {
      const { copId, snapshotId, file } = request.params
      accessFor(request, copId)
      const snap = await archive.getSnapshot(copId, snapshotId)
      const f = SNAPSHOT_FILES[file]
      const data = await archive.snapshotPart(snap.id, f.part)
      if (data === null) throw new ApiError('PART_NOT_FOUND', `snapshot ${snap.id} has no ${file}`)
      const cop = await archive.getCop(copId)
      const n = (snap.meta as { sessionNumber?: number }).sessionNumber ?? ''
      const name = `${slug(cop.name)}-sessie-${n}-${snap.kind}-${snap.createdAt.slice(0, 16).replace(/[:T]/g, '')}-${file}`
      const attach = f.attachment || request.query.download === '1'
      reply
        .header('content-type', f.type)
        .header('content-disposition', `${attach ? 'attachment' : 'inline'}; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        .header('cache-control', 'private, max-age=31536000, immutable') // snapshots never change
      return typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    },
  )
}
