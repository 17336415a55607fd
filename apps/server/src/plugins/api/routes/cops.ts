/** A token's CoP: who am I (/me), where the CoP link leads (current), the CoP with its series. */
import type { FastifyInstance } from 'fastify'
import type { Role, Session } from '@copboard/storage'
import { accessFor, roleOnBoard } from '../../../auth'
import { ApiError } from '../errors'
import { resolveCurrent } from '@copboard/archive'
import { copParams, id } from '../schemas'
import type { ApiContext } from './context'

export function copRoutes(app: FastifyInstance, { archive, authed }: ApiContext): void {
  app.get<{ Querystring: { room?: string } }>(
    '/me',
    { onRequest: authed, schema: { querystring: { type: 'object', additionalProperties: false, properties: { room: id } } } },
    async (request) => {
      const a = request.access!
      const cop = await archive.getCop(a.copId)
      const sessions = await archive.listSessions(a.copId)
      let session: Session | null = null
      let boardRole: Role | null = null
      if (request.query.room) {
        session = await archive.sessionOfRoom(request.query.room)
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
    return { role: a.role, copName: cop.name, ...resolveCurrent(await archive.listSessions(copId), a.role) }
  })

  app.get<{ Params: { copId: string } }>('/cops/:copId', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    const a = accessFor(request, copId)
    const cop = await archive.getCop(copId)
    return { cop, role: a.role, sessions: await archive.listSessions(copId), snapshots: await archive.listSnapshots(copId) }
  })
}
