/** What every route file of the /api plugin gets: the archive service, the token check, the link builders. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ArchiveService } from '../service'
import type { DemoCop } from '@copboard/archive'

export interface ApiPluginOptions {
  archive: ArchiveService
  /** Issue 11: the demo CoP offered on an empty data folder (absent: never offered). */
  demo?: DemoCop
  tldrawLicenseKey?: string | null
  /** Base of the links handed out (e.g. https://copboard.example). Default: from the request. */
  publicUrl?: string
  /** POST /cops per source when the API registers the limiters itself (else plugins/rateLimit.ts decides). Default 10 per minute. */
  createCopLimit?: { max: number; timeWindowMs: number }
  /** Max size of the end-of-session upload (PNG/SVG from the browser), bytes. Default 15 MiB. */
  maxUploadBytes?: number
}

export interface ApiContext {
  opts: ApiPluginOptions
  archive: ArchiveService
  /** onRequest hook: a valid Bearer token sets request.access */
  authed: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  /** the CoP link of a token: `/cop/:copId#t=` (one link for the whole series) */
  copLink(request: FastifyRequest, copId: string, secret: string): string
  /** the board link of a token: `/b/:room#t=` */
  boardLink(request: FastifyRequest, room: string, secret: string): string
}
