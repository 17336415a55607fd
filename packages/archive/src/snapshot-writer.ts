/**
 * Building and storing snapshots (archive A1–A5): the board state, .tldr, report and images of a
 * board doc, stored immutably. A render that fails never costs the snapshot: it is stored without
 * images and rendered again later (`retryRenders`).
 */
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { ParticipantMeta, Session, SnapshotKind, SnapshotMeta, SnapshotParts, SnapshotRender, Storage } from '@copboard/storage'
import { readDocSchema, readRecords } from '@copboard/board'
import { contentPages, mainPageId } from './board-pages'
import { renderBoardSvg, renderSvg } from './render-svg'
import type { RenderLimits } from './render-limits'
import { toTldrFile } from './tldr'
import { buildReportParts, readSessionState, reportHeader } from './report-parts'
import { authorsOnly } from './participants'
import { isPng } from './png'
import type { ArchiveLogger } from './session-archive'

/** Renders sent by the facilitator's browser at the end of a session (tldraw's own export). */
export interface ClientRenders {
  png?: Uint8Array
  thumbnail?: Uint8Array
  svg?: string
}

export interface SnapshotWriterOptions {
  storage: Storage
  /** SVG -> PNG (the server's resvg); replaceable so tests can make a render fail. */
  rasterize: (svg: string, width: number) => Promise<Uint8Array>
  thumbnailWidth?: number
  fullPngWidth?: number
  logger?: ArchiveLogger
}

/** Who was on the board while the snapshot's state was written (from the live-room tracker). */
export interface SnapshotPeople {
  participants: ParticipantMeta[]
  /** connections so far, read when the snapshot is stored (null: not tracked) */
  connections: () => number | null
}

/** Render attempts of one snapshot's images after the first failed (rule A5). */
export const MAX_RENDER_TRIES = 3

export class SnapshotWriter {
  /** snapshot id -> failed render attempts so far (rule A5) */
  private readonly failedRenders = new Map<string, number>()
  private readonly storage: Storage
  private readonly log: ArchiveLogger | undefined

  constructor(private readonly opts: SnapshotWriterOptions) {
    this.storage = opts.storage
    this.log = opts.logger
  }

  /** Snapshots whose images are still to be rendered. */
  get pendingRenders(): number {
    return this.failedRenders.size
  }

  /**
   * Builds and stores an immutable snapshot of the session's board `doc` (rule A5: the board
   * state, .tldr and report are always stored; the images when the render succeeds).
   */
  async write(session: Session, kind: SnapshotKind, doc: Y.Doc, renders: ClientRenders, people: SnapshotPeople): Promise<{ meta: SnapshotMeta; hash: string }> {
    const state = Y.encodeStateAsUpdate(doc)
    const records = readRecords(doc)
    let tldr = ''
    try {
      tldr = JSON.stringify(toTldrFile(records, readDocSchema(doc)))
    } catch (err) {
      this.log?.error({ err: String(err), sessionId: session.id }, 'archive: .tldr export failed; the Yjs state is stored')
    }
    const notes = records.filter((r) => r.typeName === 'shape' && r.type === 'note')
    const authors = [...new Set(notes.map((n) => (n.meta as Record<string, unknown> | undefined)?.author).filter((a): a is string => typeof a === 'string' && !!a))]
    const end = session.endedAt ?? new Date().toISOString()
    const { participants } = people
    const cop = await this.storage.getCop(session.copId)
    const durationMs = session.startedAt ? Date.parse(end) - Date.parse(session.startedAt) : null
    const header = reportHeader(cop, session, participants, durationMs)
    const report = buildReportParts(records, 'nl', { header, session: readSessionState(doc) }, (err) => this.log?.warn({ err: String(err), sessionId: session.id }, 'archive: report failed, stored an empty report'))
    const images = await this.renderImages(records, renders, session.id)
    const parts: SnapshotParts = { yjsState: state, tldr, ...images.parts, ...report }
    const meta = await this.storage.createSnapshot(
      {
        copId: session.copId,
        sessionId: session.id,
        kind,
        meta: {
          sessionNumber: session.number,
          sessionTitle: session.title,
          sessionDate: session.date,
          // people seen on the board (awareness), then note authors never seen there (e.g. restored boards)
          participants,
          authorsOnly: authorsOnly(authors, participants),
          connections: people.connections(),
          durationMs,
          noteCount: notes.length,
          shapeCount: records.filter((r) => r.typeName === 'shape').length,
          renders: images.renders,
          render: images.status,
          mainPageId: mainPageId(records) ?? null,
          stateBytes: state.byteLength,
        },
      },
      parts,
    )
    if (images.status === 'failed') this.failedRenders.set(meta.id, 0)
    this.log?.info({ copId: session.copId, sessionId: session.id, snapshotId: meta.id, kind, render: images.status }, 'archive: snapshot stored')
    return { meta, hash: stateHash(doc, state) }
  }

  /**
   * The images of a snapshot (rules A1–A3): board.svg/png hold every page with content (the
   * browser's render is kept when the board has one page), the thumbnail shows the page where
   * participants wrote most. Never throws: a failure yields status 'failed' and no images.
   */
  private async renderImages(records: TLRecord[], renders: ClientRenders, sessionId: string, limits?: Partial<RenderLimits>): Promise<{ parts: SnapshotRender; renders: Record<string, string | null>; status: 'ok' | 'failed' }> {
    const onePage = contentPages(records).length <= 1
    const clientPng = onePage && renders.png && isPng(renders.png) ? renders.png : null
    const clientThumb = renders.thumbnail && isPng(renders.thumbnail) ? renders.thumbnail : null
    const clientSvg = onePage && renders.svg ? renders.svg : null
    try {
      const boardSvg = clientSvg ?? renderBoardSvg(records, { limits })
      const rasterize = this.opts.rasterize
      const png = clientPng ?? (await rasterize(clientSvg ? renderBoardSvg(records, { limits }) : boardSvg, this.opts.fullPngWidth ?? 1920))
      const thumb = clientThumb ?? (await rasterize(renderSvg(records, { limits }), this.opts.thumbnailWidth ?? 480))
      return {
        parts: { svg: boardSvg, png, thumbnailPng: thumb },
        renders: { png: clientPng ? 'client' : 'server', svg: clientSvg ? 'client' : 'server', thumbnail: clientThumb ? 'client' : 'server' },
        status: 'ok',
      }
    } catch (err) {
      this.log?.error({ err: String(err), sessionId }, 'archive: render failed; snapshot stored without images, to be rendered again')
      return { parts: { svg: '', png: null, thumbnailPng: null }, renders: { png: null, svg: null, thumbnail: null }, status: 'failed' }
    }
  }

  /** Renders again the images of snapshots whose render failed (autosave timer; at most MAX_RENDER_TRIES each). */
  async retryRenders(): Promise<number> {
    let done = 0
    for (const [id, tries] of [...this.failedRenders]) {
      const snap = await this.storage.getSnapshot(id).catch(() => null)
      const state = snap ? await this.storage.getSnapshotPart(id, 'yjsState').catch(() => null) : null
      if (!snap || !state) {
        this.failedRenders.delete(id)
        continue
      }
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state)
      // a second try draws less: the first may have failed on the size of the board
      const images = await this.renderImages(readRecords(doc), {}, snap.sessionId, { maxShapes: 1000, maxPointsPerStroke: 500, maxSvgChars: 2 * 1024 * 1024 })
      if (images.status === 'ok') {
        await this.storage.completeSnapshotRender(id, images.parts, { ...snap.meta, renders: images.renders, render: 'ok' })
        this.failedRenders.delete(id)
        done++
      } else if (tries + 1 >= MAX_RENDER_TRIES) {
        this.failedRenders.delete(id)
        this.log?.error({ snapshotId: id }, 'archive: render failed again; the snapshot keeps no images')
      } else this.failedRenders.set(id, tries + 1)
    }
    return done
  }
}

/** Identity of a board's content (autosave skips an unchanged board). `update` = Y.encodeStateAsUpdate(doc), when the caller has it already. */
export function stateHash(doc: Y.Doc, update: Uint8Array = Y.encodeStateAsUpdate(doc)): string {
  return createHash('sha256').update(Y.encodeStateVector(doc)).update(update).digest('base64url')
}
