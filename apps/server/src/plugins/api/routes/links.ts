/** A CoP's links (tokens): hand out a new one, list them, revoke one. Facilitator only. */
import type { FastifyInstance } from 'fastify'
import { requireFacilitator } from '../../../auth'
import { ApiError } from '../errors'
import { linkTarget } from '@copboard/archive'
import { copParams, id } from '../schemas'
import type { ApiContext } from './context'

export function linkRoutes(app: FastifyInstance, { archive, authed, copLink, boardLink }: ApiContext): void {
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
      const { token, secret } = await archive.issueLink(copId, request.body.role, request.body.label)
      const current = linkTarget(await archive.listSessions(copId))
      reply.code(201)
      return { token, link: copLink(request, copId, secret), boardLink: current ? boardLink(request, current.room, secret) : null, secret }
    },
  )

  app.get<{ Params: { copId: string } }>('/cops/:copId/links', { onRequest: authed, schema: { params: copParams } }, async (request) => {
    const { copId } = request.params
    requireFacilitator(request, copId)
    return { links: await archive.listLinks(copId) }
  })

  app.delete<{ Params: { copId: string; tokenId: string } }>(
    '/cops/:copId/links/:tokenId',
    { onRequest: authed, schema: { params: { type: 'object', required: ['copId', 'tokenId'], properties: { copId: id, tokenId: id } } } },
    async (request) => {
      const { copId, tokenId } = request.params
      const a = requireFacilitator(request, copId)
      if (a.tokenId === tokenId) throw new ApiError('CANNOT_REVOKE_OWN_TOKEN')
      // open boards reconnect: the revoked token is refused on its next upgrade
      await archive.revokeLink(copId, tokenId)
      request.log.info({ copId, tokenId }, 'api: link revoked')
      return { revoked: true, tokenId }
    },
  )
}
