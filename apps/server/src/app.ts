/**
 * Builds the Fastify app from a validated Config and its dependencies. Every feature is a named
 * plugin registered below: adding one is one line. Decorations that other plugins need
 * (config, storage, rooms) come from the `core` plugin and are typed here.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Storage } from '@copboard/storage'
import { RoomManager } from '@copboard/sync-core'
import type { Config } from './config.js'
import healthPlugin from './plugins/health.js'
import timePlugin from './plugins/time.js'
import securityHeaders from './plugins/security.js'
import rateLimitPlugin, { type HttpRateLimits } from './plugins/rateLimit.js'
import { redactUrl } from './auth/tokens.js'
import staticPlugin from './plugins/static.js'
import syncPlugin, { type Authorize } from './plugins/sync.js'
import apiPlugin, { ArchiveService, DemoCop } from './plugins/api/index.js' // ARCHIVE (issue 6)
import { boardUpdatePolicy } from './policy.js'

export type { Config } from './config.js'
export type { Authorize, AuthorizeResult } from './plugins/sync.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    storage: Storage
    /** sync-core's rooms: live documents, `transact`, `encodeState`, `disconnectRoom`. */
    rooms: RoomManager
  }
}

export interface AppDeps {
  storage: Storage
  /** Sync authorisation (PLAN.md contract). Default: the archive's token authorizer. */
  authorize?: Authorize
  /** Fastify logger options (level, stream, …); default: pino at config.logLevel. */
  logger?: FastifyServerOptions['logger']
  /** Overrides of the HTTP rate limits (plugins/rateLimit.ts), e.g. for tests. */
  httpRateLimits?: Partial<HttpRateLimits>
}

/** TRUST_PROXY -> Fastify `trustProxy` (a hop count as proxy-addr's function: trust the nearest n hops). */
function fastifyTrustProxy(t: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof t === 'number') return (_address, hop) => hop < t
  return t
}

/** Body limit of every route that does not set its own (the API's JSON bodies are tiny). */
export const DEFAULT_BODY_LIMIT = 64 * 1024

export { redactUrl }

const core = fp(
  async (app: FastifyInstance, opts: { config: Config; storage: Storage; rooms: RoomManager }) => {
    app.decorate('config', opts.config)
    app.decorate('storage', opts.storage)
    app.decorate('rooms', opts.rooms)
  },
  { name: 'copboard-core', fastify: '5.x' },
)

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const loggerOptions = deps.logger ?? { level: config.logLevel }
  const app = Fastify({
    logger:
      typeof loggerOptions === 'object'
        ? {
            ...loggerOptions,
            serializers: {
              // the default req serializer would log ?token=<secret>
              req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
            },
          }
        : loggerOptions,
    forceCloseConnections: 'idle',
    // limits key on the real client address behind the reverse proxy (TRUST_PROXY)
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // JSON bodies of the API are small; a route that takes uploads sets its own limit
    bodyLimit: DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
  })

  // ARCHIVE (issue 6): sessions, tokens, snapshots; its authorizer guards /sync, its hook autosaves idle rooms
  const archive = new ArchiveService({ storage: deps.storage, logger: app.log, autosaveMs: config.autosaveMinutes * 60_000 })
  app.addHook('onClose', async () => archive.close())
  const rooms = new RoomManager({
    onRoomIdle: (room) => archive.onRoomIdle(room),
    onAwarenessSeen: (room, seen) => archive.onAwarenessSeen(room, seen), // ARCHIVE: snapshot participants
    storage: deps.storage,
    logger: app.log,
    // issue 9: every client update is judged by the board policy before it is stored or broadcast
    policy: boardUpdatePolicy(),
    roomIdleMs: config.roomIdleMs,
    compactAfterUpdates: config.compactAfterUpdates,
    limits: {
      maxMessageBytes: config.maxMessageBytes,
      maxBufferedBytes: config.maxBufferedBytes,
      maxQueuedBytes: config.maxQueuedBytes,
      messagesPerSecond: config.messagesPerSecond,
      messageBurst: config.messageBurst,
      bytesPerSecond: config.bytesPerSecond,
      byteBurst: config.byteBurst,
      maxConnectionsPerRoom: config.maxConnectionsPerRoom,
      maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    },
  })

  await app.register(core, { config, storage: deps.storage, rooms })
  await app.register(securityHeaders, { allowedOrigins: config.allowedOrigins })
  await app.register(rateLimitPlugin, {
    limits: {
      api: { max: config.apiRequestsPerMinute, timeWindowMs: 60_000 },
      syncUpgrade: { max: config.syncUpgradesPerMinute, timeWindowMs: 60_000 },
      ...deps.httpRateLimits,
    },
  })
  await app.register(healthPlugin, { rooms, pingStorage: () => deps.storage.ping() })
  await app.register(timePlugin) // board SPEC S2: clients measure their offset to this clock
  await app.register(syncPlugin, {
    rooms,
    authorize: deps.authorize ?? archive.authorize,
    maxMessageBytes: config.maxMessageBytes,
    pingIntervalMs: config.pingIntervalMs,
  })
  archive.attachRooms(rooms)
  // issue 11: the demo CoP is offered when the data folder has no boards yet (DEMO_COP=off: never)
  const demo = new DemoCop(archive, config.demoCop)
  await demo.init()
  await app.register(apiPlugin, { prefix: '/api', archive, demo, tldrawLicenseKey: config.tldrawLicenseKey ?? null })
  await app.register(staticPlugin, { root: config.webDistDir })
  return app
}
