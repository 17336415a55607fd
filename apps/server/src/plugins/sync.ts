/**
 * The WebSocket route /sync/:room (standard y-websocket protocol; a plain GET of it answers the
 * board's state, stateReads.ts). Authorisation runs in onRequest, i.e. before the upgrade; the
 * socket is handed to sync-core at once (frames are buffered there until the room is loaded).
 * This file adapts `ws` to sync-core's SyncSocket and owns the transport duties of SPEC.md §11:
 * maxPayload, keepalive, forced termination.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import websocket from '@fastify/websocket'
import type { WebSocket } from 'ws'
import type { Role } from '@copboard/storage'
import { SYNC_PROTOCOL } from '../auth/authorizer.js'
import rateLimitPlugin from './rateLimit.js'
import { CloseCodes, type CloseCodeName, type RoomManager, type SyncConnection } from '@copboard/sync-core'
import { stateReads } from './stateReads.js'
import { SyncTransport, WsSocket } from './syncSocket.js'
import type { Metrics } from '../cluster/metrics.js'
import { parseDraftRoom } from '@copboard/board'
import { ApiError } from './api/errors.js'
import { PARTICIPANT_SECRET_PARAM, participantIdFromSecret } from '../auth/participant.js'

export type AuthorizeResult =
  | { ok: true; role: Role; copId?: string }
  | { ok: false; status: 401 | 403 | 404; error: string }
export type Authorize = (request: FastifyRequest, room: string) => Promise<AuthorizeResult>

/** Lets everyone in as a participant (tests of the sync layer; production uses the archive's token authorizer). */
export const allowAll: Authorize = async () => ({ ok: true, role: 'participant' })

export interface SyncPluginOptions {
  rooms: RoomManager
  authorize: Authorize
  maxMessageBytes: number
  pingIntervalMs: number
  /** How long a socket we closed may take to finish the close handshake. Default 2 s. */
  closeTimeoutMs?: number
  /** Frames, bytes and closes by reason (GET /metrics). */
  metrics?: Metrics
  /** This instance's name in the connection's log lines. */
  instanceId?: string
}

/** Room ids are random url-safe strings (PLAN.md); anything else is a 400 before any lookup. */
export const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/

export interface SyncAccess {
  role: Role
  copId?: string
  /** From the participant secret (`?pk=`), when the client sent one (auth/participant.ts). */
  participantId?: string
}

declare module 'fastify' {
  interface FastifyRequest {
    syncAccess: SyncAccess | null
  }
}

/** ws error codes (the library closes the socket itself) -> our documented names. */
function transportErrorName(err: unknown): CloseCodeName {
  const code = (err as { code?: string }).code
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 'MESSAGE_TOO_BIG'
  if (code === 'WS_ERR_INVALID_UTF8') return 'INVALID_UTF8'
  return 'TRANSPORT_PROTOCOL_ERROR'
}

const syncPlugin: FastifyPluginAsync<SyncPluginOptions> = async (app, opts) => {
  const { rooms } = opts
  const connections = new WeakMap<WebSocket, SyncConnection>()
  const alive = new Map<WebSocket, boolean>()
  const transport = new SyncTransport(opts.metrics)

  app.decorateRequest('syncAccess', null)

  // a rejected frame is closed by ws with its own code; log it once, no stack (SPEC §3.4)
  const onSocketError = function (this: WebSocket, error: Error): void {
    const conn = connections.get(this)
    opts.metrics?.rejected.inc({ reason: transportErrorName(error) })
    if (conn) conn.transportError(transportErrorName(error), error.message ?? 'ws error')
    else this.terminate()
  }

  if (!app.hasDecorator('checkOrigin')) throw new Error('the sync plugin needs the security plugin (plugins/security.ts) registered before it')
  // the limiters are built in plugins/rateLimit.ts (app.ts registers it; standalone, e.g. in tests, we do)
  if (!app.hasDecorator('httpLimits')) await app.register(rateLimitPlugin)
  await app.register(websocket, {
    options: {
      maxPayload: opts.maxMessageBytes,
      perMessageDeflate: false,
      // §11.5: one message per event-loop turn and socket: a socket whose TCP chunk holds thousands
      // of frames cannot hold the loop (other sockets, /healthz) while they are handled; its
      // unread bytes stay in the kernel (ws pauses the socket), so memory stays bounded too
      allowSynchronousEvents: false,
      // a client that sends its token as a subprotocol (auth/authorizer.ts) also offers `copboard`:
      // that is the one selected and echoed; the token protocol never goes back on the wire
      handleProtocols: (protocols: Set<string>) => (protocols.has(SYNC_PROTOCOL) ? SYNC_PROTOCOL : false),
    },
    errorHandler(error, socket) {
      onSocketError.call(socket, error as Error)
    },
    // graceful shutdown: every accepted edit is persisted, then sockets close with 1001
    preClose: async () => {
      await rooms.close()
    },
  })

  // §11.2: one timer for all sockets; a socket that missed a pong is gone within 2 intervals
  const keepalive = setInterval(() => {
    for (const [ws, ok] of alive) {
      // §7.3: a socket we stopped reading cannot deliver its pong; judge it once it is resumed
      if (ws.isPaused) {
        alive.set(ws, true)
        continue
      }
      if (!ok) {
        ws.terminate()
        alive.delete(ws)
        continue
      }
      alive.set(ws, false)
      try {
        ws.ping()
      } catch {
        ws.terminate()
      }
    }
  }, opts.pingIntervalMs)
  keepalive.unref()
  app.addHook('onClose', async () => {
    clearInterval(keepalive)
    transport.close()
  })

  app.route<{ Params: { room: string } }>({
    method: 'GET',
    url: '/sync/:room',
    // a plain GET: the board's state (stateReads.ts); a HEAD would load and encode it for nothing
    handler: stateReads(rooms, app.log),
    exposeHeadRoute: false,
    // the upgrade rate limit (plugins/rateLimit.ts) runs before the origin check and the token lookup
    onRequest: [app.httpLimits.syncUpgrade, async (request, reply) => {
        const refused = app.checkOrigin(request)
        if (refused) return reply.code(refused.statusCode).send(refused.toJSON())
        // a private-mode draft room `<room>~draft~<participantId>` is authorised as its board (drafts.ts)
        const draft = parseDraftRoom(request.params.room)
        const room = draft ? draft.room : request.params.room
        if (!ROOM_NAME.test(room)) {
          return reply.code(400).send({ error: 'BAD_ROOM_NAME', message: 'room ids are 1-128 characters A-Z a-z 0-9 _ -' })
        }
        const result = await opts.authorize(request, room)
        if (!result.ok) return reply.code(result.status).send({ error: result.error })
        // policy SPEC §6: the participant's own entries (and their draft room) are keyed by this id
        const participantId = participantIdFromSecret((request.query as Record<string, unknown> | undefined)?.[PARTICIPANT_SECRET_PARAM]) ?? undefined
        if (draft) {
          // only the participant whose secret derives the name may open it, and never read-only
          const refusal = result.role === 'viewer' ? 'DRAFT_NOT_FOR_VIEWERS' : participantId !== draft.participantId ? 'NOT_YOUR_DRAFT' : null
          if (refusal) return reply.code(403).send(new ApiError(refusal).toJSON())
        }
        request.syncAccess = { role: result.role, copId: result.copId, participantId }
      }],
    wsHandler: (socket, request) => {
      // @fastify/websocket's own 'error' listener closes over the Fastify request and reply (and
      // through them the raw IncomingMessage, ServerResponse and headers): kept for the socket's
      // whole life, that is several KiB per connection. Ours needs only the socket.
      socket.removeAllListeners('error')
      socket.on('error', onSocketError)
      const access = request.syncAccess ?? { role: 'viewer' as const }
      const participantId = access.participantId ?? null
      const conn = rooms.connect(new WsSocket(socket, opts.closeTimeoutMs ?? 2000, transport, opts.metrics), request.params.room, {
        readOnly: access.role === 'viewer',
        // structured logs: every sync-core line of this connection carries room, conn, request and instance
        logFields: { ip: request.ip, role: access.role, reqId: request.id, ...(opts.instanceId ? { instance: opts.instanceId } : {}) },
        // sync-core §7.5: request.ip honours TRUST_PROXY, so behind the proxy each client counts
        address: request.ip,
        // sync-core §4.4 and §12: the authorised role, participant identity and address reach onAwarenessSeen and the board policy
        info: { role: access.role, participantId, address: request.ip },
        // sync-core §4.2: only the same participant takes over a cursor (a reconnecting tab)
        ...(access.participantId ? { participant: access.participantId } : {}),
      })
      connections.set(socket, conn)
      alive.set(socket, true)
      const metrics = opts.metrics
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        transport.countIn(data.byteLength)
        conn.receive(data, isBinary)
      })
      socket.on('pong', () => alive.set(socket, true))
      socket.on('close', (code: number) => {
        alive.delete(socket)
        if (conn.droppedUpdates > 0) metrics?.rejected.inc({ reason: 'READ_ONLY_UPDATE' }, conn.droppedUpdates)
        if (conn.refusedUpdates > 0) metrics?.rejected.inc({ reason: 'POLICY_REFUSED_UPDATE' }, conn.refusedUpdates)
        request.log.debug({ room: request.params.room, conn: conn.id, code }, 'sync: connection closed')
        conn.closed()
      })
    },
  })
}

export default syncPlugin
export { CloseCodes }
