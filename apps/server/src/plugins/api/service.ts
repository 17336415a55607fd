/**
 * The server's archive service: packages/archive's SessionArchive (CoPs, sessions, lifecycle,
 * snapshots, autosave, carry-over) with the server's parts wired in: auth (the token resolver and
 * the sync authorizer, apps/server/src/auth), the token format and the resvg rasteriser.
 */
import { SessionArchive, type SessionArchiveOptions } from '@copboard/archive'
import { AccessResolver, createSyncAuthorizer, mintToken, type Authorize } from '../../auth'
import type { SharedFailureStore } from '../../auth/access'
import { svgToPng } from './raster'

export type { ArchiveLogger, ClientRenders, RoomsApi } from '@copboard/archive'

export interface ArchiveServiceOptions extends Omit<SessionArchiveOptions, 'mintToken' | 'rasterize'> {
  /** Failed-auth limiter: attempts per source per minute. */
  maxAuthFailures?: number
  /** Several instances: failed attempts counted across all of them (Redis). */
  sharedAuthFailures?: SharedFailureStore
  /** SVG -> PNG (default: resvg, raster.ts); replaceable so tests can make a render fail. */
  rasterize?: (svg: string, width: number) => Promise<Uint8Array>
}

export class ArchiveService extends SessionArchive {
  readonly resolver: AccessResolver
  readonly authorize: Authorize

  constructor(opts: ArchiveServiceOptions) {
    super({ ...opts, mintToken, rasterize: opts.rasterize ?? svgToPng })
    this.resolver = new AccessResolver(opts.storage, { logger: opts.logger, maxFailures: opts.maxAuthFailures, shared: opts.sharedAuthFailures })
    // every authorized connection to a board counts for its live session (autosave, snapshot meta)
    this.authorize = createSyncAuthorizer(opts.storage, this.resolver, { onAuthorized: ({ room, sessionId }) => this.connectionAuthorized(room, sessionId) })
  }
}
