/**
 * The REST API (prefix /api): CoPs, sessions, links (tokens), snapshots, exports, compare, restore.
 * Every route validates its input with JSON schema and answers errors as { error, message }
 * (codes in errors.ts). Auth: `Authorization: Bearer <token>` -> request.access (auth/rest.ts).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import rateLimitPlugin from '../rateLimit'
import type { Role, Session, SnapshotPartName, TokenRecord } from '@copboard/storage'
import { LifecycleError } from '@copboard/archive'
import { accessFor, roleOnBoard, mintToken, requireFacilitator, requireToken } from '../../auth'
import { ApiError } from './errors'
import { resolveCurrent } from './current'
import { isPng } from './raster'
import type { ArchiveService, ClientRenders } from './service'
import type { DemoCop } from './demo'

export { ApiError, ApiErrors, type ApiErrorCode } from './errors'
export { ArchiveService, type ArchiveServiceOptions, type RoomsApi, type ClientRenders } from './service'
export { DemoCop } from './demo'

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

const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const
const title = { type: 'string', minLength: 1, maxLength: 200 } as const
// one object schema (not oneOf: with Fastify's removeAdditional, oneOf branches strip each other's fields);
// the kind-specific field is checked in parseStart
const startSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: { kind: { enum: ['empty', 'template', 'snapshot'] }, templateId: { type: 'string', minLength: 1, maxLength: 64 }, snapshotId: id },
} as const

function parseStart(b: { kind: string; templateId?: string; snapshotId?: string }): Session['start'] {
  if (b.kind === 'template') {
    if (!b.templateId) throw new ApiError('VALIDATION_FAILED', 'body/start must have templateId when kind is template')
    return { kind: 'template', templateId: b.templateId }
  }
  if (b.kind === 'snapshot') {
    if (!b.snapshotId) throw new ApiError('VALIDATION_FAILED', 'body/start must have snapshotId when kind is snapshot')
    return { kind: 'snapshot', snapshotId: b.snapshotId }
  }
  return { kind: 'empty' }
}
const copParams = { type: 'object', required: ['copId'], properties: { copId: id } } as const
const sessionParams = { type: 'object', required: ['copId', 'sessionId'], properties: { copId: id, sessionId: id } } as const
const snapshotParams = { type: 'object', required: ['copId', 'snapshotId'], properties: { copId: id, snapshotId: id } } as const

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

const today = () => new Date().toISOString().slice(0, 10)

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

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(err.toJSON())
}

export const apiPlugin: FastifyPluginAsync<ApiPluginOptions> = async (app: FastifyInstance, opts) => {
  const { archive } = opts
  const storage = archive.storage
  const maxUpload = opts.maxUploadBytes ?? 15 * 1024 * 1024

  if (!app.hasRequestDecorator('access')) app.decorateRequest('access', null)
  // the limiters are built in plugins/rateLimit.ts (registered by app.ts; standalone, e.g. in
  // tests, the API registers it itself); every /api request counts before its token is looked up
  if (!app.hasDecorator('httpLimits')) {
    await app.register(rateLimitPlugin, opts.createCopLimit ? { limits: { createCop: opts.createCopLimit } } : {})
  }
  app.addHook('onRequest', app.httpLimits.api)

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof ApiError) return sendError(reply, err)
    if (err instanceof LifecycleError) return sendError(reply, new ApiError('SESSION_STATE_CONFLICT', err.message))
    const e = err as { validation?: unknown; statusCode?: number; code?: string; message?: string }
    if (e.validation) return sendError(reply, new ApiError('VALIDATION_FAILED', e.message))
    if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, new ApiError('PAYLOAD_TOO_LARGE'))
    if (e.statusCode === 429) return sendError(reply, new ApiError('RATE_LIMITED'))
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendError(reply, new ApiError('VALIDATION_FAILED', e.message))
    request.log.error({ err }, 'api: internal error')
    return sendError(reply, new ApiError('INTERNAL'))
  })
  app.setNotFoundHandler((request, reply) => sendError(reply, new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)))

  const authed = requireToken(archive.resolver)
  const base = (request: FastifyRequest) => (opts.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '')
  const copLink = (request: FastifyRequest, copId: string, secret: string) => `${base(request)}/cop/${copId}#t=${secret}`
  const boardLink = (request: FastifyRequest, room: string, secret: string) => `${base(request)}/b/${room}#t=${secret}`

  // ---- open routes -------------------------------------------------------------------------

  app.get('/config', async () => ({ tldrawLicenseKey: opts.tldrawLicenseKey ?? null, demo: opts.demo?.offered ?? false }))

  // issue 11: open the demo CoP (created on first use) with a fresh facilitator link
  app.post('/demo', { config: { rateLimit: { max: opts.createCopLimit?.max ?? 10, timeWindow: opts.createCopLimit?.timeWindowMs ?? 60_000 } } }, async (request, reply) => {
    if (!opts.demo?.offered) throw new ApiError('DEMO_OFF')
    const { copId, secret } = await opts.demo.open()
    reply.code(201)
    return { copId, link: copLink(request, copId, secret) }
  })

  app.post<{ Body: { name: string; theme?: string; coHost?: string; sessionTitle?: string; date?: string } }>(
    '/cops',
    {
      onRequest: app.httpLimits.createCop,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            theme: { type: 'string', maxLength: 300 },
            coHost: { type: 'string', maxLength: 120 },
            sessionTitle: title,
            date,
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body
      const { cop, session, secrets } = await archive.createCop(b, { title: b.sessionTitle ?? 'Sessie 1', date: b.date ?? today() })
      const copLinks = {
        facilitator: copLink(request, cop.id, secrets.facilitator),
        participant: copLink(request, cop.id, secrets.participant),
        viewer: copLink(request, cop.id, secrets.viewer),
      }
      const boardLinks = {
        facilitator: boardLink(request, session.room, secrets.facilitator),
        participant: boardLink(request, session.room, secrets.participant),
        viewer: boardLink(request, session.room, secrets.viewer),
      }
      reply.code(201)
      // links: one CoP link per role for the whole series; it resolves to the live session (GET …/current)
      return { cop, session, links: copLinks, copLinks, boardLinks }
    },
  )

  // ---- token routes ------------------------------------------------------------------------

  app.get<{ Querystring: { room?: string } }>(
    '/me',
    { onRequest: authed, schema: { querystring: { type: 'object', additionalProperties: false, properties: { room: id } } } },
    async (request) => {
      const a = request.access!
      const cop = await archive.getCop(a.copId)
      const sessions = await storage.listSessions(a.copId)
      let session: Session | null = null
      let boardRole: Role | null = null
      if (request.query.room) {
        session = await storage.getSessionByRoom(request.query.room)
        if (!session) throw new ApiError('ROOM_NOT_FOUND')
        if (session.copId !== a.copId) throw new ApiError('OTHER_COP')
        boardRole = roleOnBoard(session, a.role)
      }
      // an ended board points to the live session of its CoP
      const live = resolveCurrent(sessions, a.role).live
      return { role: a.role, copId: a.copId, tokenId: a.tokenId, cop, sessions, session, boardRole, live }
    },
  )

  // one link for the whole CoP: where it leads now (issue 11)
  app.get<{ Params: { copId: string } }>('/cops/:copId/current', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    const a = accessFor(request, copId)
    const cop = await archive.getCop(copId)
    return { role: a.role, copName: cop.name, ...resolveCurrent(await storage.listSessions(copId), a.role) }
  })

  app.get<{ Params: { copId: string } }>('/cops/:copId', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    const a = accessFor(request, copId)
    const cop = await archive.getCop(copId)
    return { cop, role: a.role, sessions: await storage.listSessions(copId), snapshots: await storage.listSnapshots(copId) }
  })

  app.post<{ Params: { copId: string }; Body: { title: string; date: string; start: Session['start'] } }>(
    '/cops/:copId/sessions',
    {
      onRequest: authed,
      schema: {
        params: copParams,
        body: { type: 'object', additionalProperties: false, required: ['title', 'date', 'start'], properties: { title, date, start: startSchema } },
      },
    },
    async (request, reply) => {
      const { copId } = request.params
      requireFacilitator(request, copId)
      const cop = await archive.getCop(copId)
      const session = await archive.createSession(cop, { ...request.body, start: parseStart(request.body.start) })
      reply.code(201)
      return { session }
    },
  )

  app.get<{ Params: { copId: string; sessionId: string } }>('/cops/:copId/sessions/:sessionId', { onRequest: authed, schema: { params: sessionParams } }, async (request) => {
    const { copId, sessionId } = request.params
    accessFor(request, copId)
    const session = await archive.getSession(copId, sessionId)
    const snapshots = (await storage.listSnapshots(copId)).filter((s) => s.sessionId === sessionId)
    return { session, snapshots }
  })

  app.post<{ Params: { copId: string; sessionId: string } }>(
    '/cops/:copId/sessions/:sessionId/start',
    { onRequest: authed, schema: { params: sessionParams } },
    async (request) => {
      const { copId, sessionId } = request.params
      requireFacilitator(request, copId)
      const { session } = await archive.transition(copId, sessionId, 'start')
      return { session }
    },
  )

  app.post<{ Params: { copId: string; sessionId: string }; Body: { png?: string; thumbnail?: string; svg?: string } | undefined }>(
    '/cops/:copId/sessions/:sessionId/end',
    {
      onRequest: authed,
      bodyLimit: maxUpload * 2 + 64 * 1024,
      schema: {
        params: sessionParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            png: { type: 'string', maxLength: Math.ceil((maxUpload * 4) / 3) + 8 },
            thumbnail: { type: 'string', maxLength: Math.ceil((2 * 1024 * 1024 * 4) / 3) },
            svg: { type: 'string', maxLength: maxUpload },
          },
        },
      },
    },
    async (request) => {
      const { copId, sessionId } = request.params
      requireFacilitator(request, copId)
      const b = request.body ?? {}
      const renders: ClientRenders = {}
      const decode = (s: string) => new Uint8Array(Buffer.from(s.replace(/^data:image\/png;base64,/, ''), 'base64'))
      if (b.png) renders.png = decode(b.png)
      if (b.thumbnail) renders.thumbnail = decode(b.thumbnail)
      if (b.svg) {
        if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(b.svg)) throw new ApiError('BAD_SNAPSHOT_UPLOAD', 'svg must be an <svg> document')
        renders.svg = b.svg
      }
      if ((renders.png && !isPng(renders.png)) || (renders.thumbnail && !isPng(renders.thumbnail))) throw new ApiError('BAD_SNAPSHOT_UPLOAD', 'png must be a base64 PNG')
      const { session, snapshot } = await archive.transition(copId, sessionId, 'end', renders)
      return { session, snapshot }
    },
  )

  app.get<{ Params: { copId: string } }>('/cops/:copId/snapshots', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    accessFor(request, copId)
    return { snapshots: await storage.listSnapshots(copId) }
  })

  app.get<{ Params: { copId: string; snapshotId: string } }>('/cops/:copId/snapshots/:snapshotId', { onRequest: authed, schema: { params: snapshotParams } }, async (request) => {
    const { copId, snapshotId } = request.params
    accessFor(request, copId)
    const snapshot = await archive.getSnapshot(copId, snapshotId)
    return { snapshot, files: Object.keys(SNAPSHOT_FILES).map((f) => `snapshots/${snapshot.id}/${f}`) }
  })

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
      const data = await storage.getSnapshotPart(snap.id, f.part)
      if (data === null || data === undefined) throw new ApiError('PART_NOT_FOUND', `snapshot ${snap.id} has no ${file}`)
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

  app.get<{ Params: { copId: string }; Querystring: { a: string; b: string } }>(
    '/cops/:copId/compare',
    { onRequest: authed, schema: { params: copParams, querystring: { type: 'object', additionalProperties: false, required: ['a', 'b'], properties: { a: id, b: id } } } },
    async (request) => {
      const { copId } = request.params
      accessFor(request, copId)
      const comparison = await archive.compare(copId, request.query.a, request.query.b)
      return { a: request.query.a, b: request.query.b, ...comparison }
    },
  )

  app.post<{ Params: { copId: string; snapshotId: string }; Body: { title?: string; date?: string } | undefined }>(
    '/cops/:copId/snapshots/:snapshotId/restore',
    { onRequest: authed, schema: { params: snapshotParams, body: { type: ['object', 'null'], additionalProperties: false, properties: { title, date } } } },
    async (request, reply) => {
      const { copId, snapshotId } = request.params
      requireFacilitator(request, copId)
      const cop = await archive.getCop(copId)
      const snap = await archive.getSnapshot(copId, snapshotId)
      const meta = snap.meta as { sessionNumber?: number; sessionTitle?: string }
      const session = await archive.createSession(cop, {
        title: request.body?.title ?? `Vervolg op sessie ${meta.sessionNumber ?? ''}${meta.sessionTitle ? `: ${meta.sessionTitle}` : ''}`.slice(0, 200),
        date: request.body?.date ?? today(),
        start: { kind: 'snapshot', snapshotId },
      })
      reply.code(201)
      return { session }
    },
  )

  // ---- carry-over (issue 11) ---------------------------------------------------------------

  app.get<{ Params: { copId: string; snapshotId: string } }>('/cops/:copId/snapshots/:snapshotId/carry-over', { onRequest: authed, schema: { params: snapshotParams } }, async (request) => {
    const { copId, snapshotId } = request.params
    requireFacilitator(request, copId)
    return { candidates: await archive.carryCandidates(copId, snapshotId) }
  })

  app.post<{ Params: { copId: string; sessionId: string }; Body: { snapshotId: string; noteIds: string[] } }>(
    '/cops/:copId/sessions/:sessionId/carry-over',
    {
      onRequest: authed,
      schema: {
        params: sessionParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['snapshotId', 'noteIds'],
          properties: { snapshotId: id, noteIds: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 128 } } },
        },
      },
    },
    async (request) => {
      const { copId, sessionId } = request.params
      requireFacilitator(request, copId)
      return archive.carryOver(copId, sessionId, request.body.snapshotId, request.body.noteIds)
    },
  )

  // ---- links (tokens) ----------------------------------------------------------------------

  app.post<{ Params: { copId: string }; Body: { role: 'participant' | 'viewer'; label: string } }>(
    '/cops/:copId/links',
    {
      onRequest: authed,
      schema: {
        params: copParams,
        body: { type: 'object', additionalProperties: false, required: ['role', 'label'], properties: { role: { enum: ['participant', 'viewer'] }, label: { type: 'string', minLength: 1, maxLength: 80 } } },
      },
    },
    async (request, reply) => {
      const { copId } = request.params
      requireFacilitator(request, copId)
      await archive.getCop(copId)
      const { secret, hash } = mintToken()
      const token: TokenRecord = await storage.createToken({ copId, role: request.body.role, label: request.body.label, secretHash: hash })
      const sessions = await storage.listSessions(copId)
      const current = sessions.findLast((s) => s.state === 'live') ?? sessions.findLast((s) => s.state === 'planned')
      reply.code(201)
      return { token, link: copLink(request, copId, secret), boardLink: current ? boardLink(request, current.room, secret) : null, secret }
    },
  )

  app.get<{ Params: { copId: string } }>('/cops/:copId/links', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    requireFacilitator(request, copId)
    return { links: await storage.listTokens(copId) }
  })

  app.delete<{ Params: { copId: string; tokenId: string } }>(
    '/cops/:copId/links/:tokenId',
    { onRequest: authed, schema: { params: { type: 'object', required: ['copId', 'tokenId'], properties: { copId: id, tokenId: id } } } },
    async (request) => {
      const { copId, tokenId } = request.params
      const a = requireFacilitator(request, copId)
      if (a.tokenId === tokenId) throw new ApiError('CANNOT_REVOKE_OWN_TOKEN')
      const tokens = await storage.listTokens(copId)
      const t = tokens.find((x) => x.id === tokenId)
      if (!t) throw new ApiError('TOKEN_NOT_FOUND')
      if (!t.revokedAt) await storage.revokeToken(copId, tokenId, new Date().toISOString())
      // open boards reconnect: the revoked token is refused on its next upgrade
      await archive.disconnectCop(copId)
      request.log.info({ copId, tokenId }, 'api: link revoked')
      return { revoked: true, tokenId }
    },
  )
}

// a named, encapsulated plugin (its error and not-found handlers apply under /api only)
;(apiPlugin as unknown as Record<symbol, string>)[Symbol.for('fastify.display-name')] = 'copboard-api'
export default apiPlugin
