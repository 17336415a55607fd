/**
 * The REST API (prefix /api): CoPs, sessions, links (tokens), snapshots, exports, compare, restore.
 * Every route validates its input with JSON schema (schemas.ts) and answers errors as
 * { error, message } (codes in errors.ts). Auth: `Authorization: Bearer <token>` -> request.access
 * (auth/rest.ts). The routes, one file per resource under routes/, only map HTTP to the archive
 * service (service.ts); they never reach into storage.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import rateLimitPlugin from '../rateLimit'
import { ArchiveError, LifecycleError } from '@copboard/archive'
import { requireToken } from '../../auth'
import { ApiError } from './errors'
import type { ApiContext, ApiPluginOptions } from './routes/context'
import { openRoutes } from './routes/open'
import { copRoutes } from './routes/cops'
import { sessionRoutes } from './routes/sessions'
import { snapshotRoutes } from './routes/snapshots'
import { snapshotFileRoutes } from './routes/files'
import { linkRoutes } from './routes/links'

export { ApiError, ApiErrors, type ApiErrorCode } from './errors'
export { ArchiveService, type ArchiveServiceOptions, type RoomsApi, type ClientRenders } from './service'
export { DemoCop } from '@copboard/archive'
export { SNAPSHOT_FILES, type SnapshotFileName } from './routes/files'
export type { ApiPluginOptions } from './routes/context'

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(err.toJSON())
}

export const apiPlugin: FastifyPluginAsync<ApiPluginOptions> = async (app: FastifyInstance, opts) => {
  if (!app.hasRequestDecorator('access')) app.decorateRequest('access', null)
  // the limiters are built in plugins/rateLimit.ts (registered by app.ts; standalone, e.g. in
  // tests, the API registers it itself); every /api request counts before its token is looked up
  if (!app.hasDecorator('httpLimits')) {
    await app.register(rateLimitPlugin, opts.createCopLimit ? { limits: { createCop: opts.createCopLimit } } : {})
  }
  app.addHook('onRequest', app.httpLimits.api)

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof ApiError) return sendError(reply, err)
    if (err instanceof ArchiveError) return sendError(reply, new ApiError(err.code, err.detail))
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

  const base = (request: FastifyRequest) => (opts.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '')
  const ctx: ApiContext = {
    opts,
    archive: opts.archive,
    authed: requireToken(opts.archive.resolver),
    copLink: (request, copId, secret) => `${base(request)}/cop/${copId}#t=${secret}`,
    boardLink: (request, room, secret) => `${base(request)}/b/${room}#t=${secret}`,
  }
  openRoutes(app, ctx)
  copRoutes(app, ctx)
  sessionRoutes(app, ctx)
  snapshotRoutes(app, ctx)
  snapshotFileRoutes(app, ctx)
  linkRoutes(app, ctx)
}

// a named, encapsulated plugin (its error and not-found handlers apply under /api only)
;(apiPlugin as unknown as Record<symbol, string>)[Symbol.for('fastify.display-name')] = 'copboard-api'
export default apiPlugin
