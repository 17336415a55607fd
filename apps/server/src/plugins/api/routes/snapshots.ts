/** A CoP's archive: snapshots, restoring one as a new session, carry-over candidates, compare. */
import type { FastifyInstance } from 'fastify'
import { accessFor, requireFacilitator } from '../../../auth'
import { copParams, date, id, snapshotParams, title, today } from '../schemas'
import { SNAPSHOT_FILES } from './files'
import type { ApiContext } from './context'

export function snapshotRoutes(app: FastifyInstance, { archive, authed }: ApiContext): void {
  app.get<{ Params: { copId: string } }>('/cops/:copId/snapshots', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    accessFor(request, copId)
    return { snapshots: await archive.listSnapshots(copId) }
  })

  app.get<{ Params: { copId: string; snapshotId: string } }>('/cops/:copId/snapshots/:snapshotId', { onRequest: authed, schema: { params: snapshotParams } }, async (request) => {
    const { copId, snapshotId } = request.params
    accessFor(request, copId)
    const snapshot = await archive.getSnapshot(copId, snapshotId)
    return { snapshot, files: Object.keys(SNAPSHOT_FILES).map((f) => `snapshots/${snapshot.id}/${f}`) }
  })

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
      const session = await archive.continueFrom(copId, snapshotId, { title: request.body?.title, date: request.body?.date ?? today() })
      reply.code(201)
      return { session }
    },
  )

  // carry-over (issue 11): the notes of a snapshot that can go to the next session
  app.get<{ Params: { copId: string; snapshotId: string } }>('/cops/:copId/snapshots/:snapshotId/carry-over', { onRequest: authed, schema: { params: snapshotParams } }, async (request) => {
    const { copId, snapshotId } = request.params
    requireFacilitator(request, copId)
    return { candidates: await archive.carryCandidates(copId, snapshotId) }
  })
}
