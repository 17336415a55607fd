/**
 * The token authorizer for the sync plugin (PLAN.md contract): called in onRequest BEFORE the
 * WebSocket upgrade of /sync/<room> (and before a plain GET of its state). The token travels in
 * the subprotocol (preferred: not in any URL, so no proxy logs it), in `Authorization: Bearer`
 * (plain GET) or in the query (`?token=`, the stock y-websocket client's way):
 *   Sec-WebSocket-Protocol: copboard, copboard.token.<secret>
 * The server answers with the protocol `copboard` only (never echoes the secret).
 * - no / unknown / revoked token -> 401; too many failures from one source -> 429 is reported as 401
 *   (the sync contract has 401|403|404), the limiter still blocks the lookup;
 * - unknown room -> 404; a token of another CoP -> 403;
 * - the role is the token's, except on an ended session's board: everyone is a viewer there
 *   (the archive is the snapshot; the board is frozen).
 */
import type { FastifyRequest } from 'fastify'
import type { Role, Session, Storage } from '@copboard/storage'
import { isBoardWritable } from '@copboard/archive'
import { ApiError } from '../plugins/api/errors'
import type { AccessResolver } from './access'
import { bearerToken } from './rest'
import { SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX, tokenFromProtocols } from '@copboard/sync-core'

export type AuthorizeResult = { ok: true; role: Role; copId?: string } | { ok: false; status: 401 | 403 | 404; error: string }
export type Authorize = (request: FastifyRequest, room: string) => Promise<AuthorizeResult>

export interface SyncAuthorizerHooks {
  /** Called after a successful authorization of a socket (e.g. to track live rooms for autosave). */
  onAuthorized?(info: { room: string; copId: string; sessionId: string; role: Role; tokenId: string }): void
}

export { SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX, tokenFromProtocols }

/**
 * The token of a query (`?token=`, parsed by Fastify, so any percent-encoding of the name is the
 * same name). A repeated `token` is ambiguous and yields none.
 */
export function tokenFromQuery(request: FastifyRequest): string | null {
  const q = request.query as Record<string, unknown> | undefined
  const t = q?.token
  return typeof t === 'string' ? t : null
}

/**
 * The sync token: the subprotocol first, then `Authorization: Bearer` (a plain GET of the board's
 * state, plugins/sync.ts, where a browser cannot set the subprotocol), then the query.
 */
export function syncToken(request: FastifyRequest): string | null {
  return tokenFromProtocols(request.headers['sec-websocket-protocol']) ?? bearerToken(request) ?? tokenFromQuery(request)
}

/** The role on a session's board: the token's, except on an ended (frozen) board, where everyone is a viewer. */
export function roleOnBoard(session: Pick<Session, 'state'>, tokenRole: Role): Role {
  return isBoardWritable(session.state) ? tokenRole : 'viewer'
}

export function createSyncAuthorizer(storage: Storage, resolver: AccessResolver, hooks: SyncAuthorizerHooks = {}): Authorize {
  return async (request, room) => {
    let access
    try {
      access = await resolver.resolve(syncToken(request), request.ip)
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, status: 401, error: err.code }
      throw err
    }
    const session = await storage.getSessionByRoom(room)
    if (!session) return { ok: false, status: 404, error: 'ROOM_NOT_FOUND' }
    if (session.copId !== access.copId) return { ok: false, status: 403, error: 'OTHER_COP' }
    const role = roleOnBoard(session, access.role)
    // a socket joins the board; a plain GET of its state (plugins/stateReads.ts) only reads it
    if (request.ws) hooks.onAuthorized?.({ room, copId: session.copId, sessionId: session.id, role, tokenId: access.tokenId })
    return { ok: true, role, copId: session.copId }
  }
}
