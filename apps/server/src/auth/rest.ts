/**
 * REST side of the token check: a preHandler that sets `request.access = { role, copId, tokenId }`
 * from `Authorization: Bearer <secret>`, and guards for "same CoP" and "facilitator only".
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../plugins/api/errors'
import type { Access, AccessResolver } from './access'

declare module 'fastify' {
  interface FastifyRequest {
    access: Access | null
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization
  if (!h) return null
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
  return m ? m[1] : null
}

/** preHandler: requires a valid token. */
export function requireToken(resolver: AccessResolver) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.access = await resolver.resolve(bearerToken(request), request.ip)
  }
}

/** The caller's access, checked against the CoP of the route (`:copId`). */
export function accessFor(request: FastifyRequest, copId: string): Access {
  const a = request.access
  if (!a) throw new ApiError('TOKEN_MISSING')
  if (a.copId !== copId) throw new ApiError('OTHER_COP')
  return a
}

export function requireFacilitator(request: FastifyRequest, copId: string): Access {
  const a = accessFor(request, copId)
  if (a.role !== 'facilitator') throw new ApiError('FACILITATOR_ONLY')
  return a
}
