/** Sessions of a CoP: plan one, read one, start, end (with the browser's renders), carry notes over. */
import type { FastifyInstance } from 'fastify'
import type { Session } from '@copboard/storage'
import { accessFor, requireFacilitator } from '../../../auth'
import { ApiError } from '../errors'
import { isPng } from '../raster'
import { copParams, date, id, parseStart, sessionParams, startSchema, title } from '../schemas'
import type { ClientRenders } from '../service'
import type { ApiContext } from './context'

export function sessionRoutes(app: FastifyInstance, { opts, archive, authed }: ApiContext): void {
  const maxUpload = opts.maxUploadBytes ?? 15 * 1024 * 1024

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
    const snapshots = await archive.sessionSnapshots(copId, sessionId)
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

  // carry-over (issue 11): picked notes of a snapshot into this session's board
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
}
