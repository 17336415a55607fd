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
import licencePlugin from './plugins/licence.js'
import securityHeaders from './plugins/security.js'
import rateLimitPlugin, { type HttpRateLimits } from './plugins/rateLimit.js'
import { redactUrl } from './auth/tokens.js'
import staticPlugin from './plugins/static.js'
import syncPlugin, { type Authorize } from './plugins/sync.js'
import apiPlugin, { ArchiveService, DemoCop } from './plugins/api/index.js' // ARCHIVE (issue 6)
import privateModePlugin from './plugins/privateMode.js'
import { isDraftRoom } from '@copboard/board'
import metricsPlugin from './plugins/metrics.js'
import { createCluster, type Cluster } from './cluster/index.js'
import { boardRules } from './policy.js'
import { IdleMemoryReducer } from './memoryReducer.js'
import { unavailableReason as mallocTrimUnavailable } from '@copboard/malloc-trim'

export type { Config } from './config.js'
export type { Authorize, AuthorizeResult } from './plugins/sync.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    storage: Storage
    /** sync-core's rooms: live documents, `transact`, `encodeState`, `disconnectRoom`. */
    rooms: RoomManager
    /** Several instances: leases, Redis events, metrics (cluster/index.ts). */
    cluster: Cluster
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
  async (app: FastifyInstance, opts: { config: Config; storage: Storage; rooms: RoomManager; cluster: Cluster }) => {
    app.decorate('cluster', opts.cluster)
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

  const cluster = createCluster(config, deps.storage, app.log)
  // ARCHIVE (issue 6): sessions, tokens, snapshots; its authorizer guards /sync, its hook autosaves idle rooms
  const archive = new ArchiveService({
    storage: deps.storage,
    logger: app.log,
    autosaveMs: config.autosaveMinutes * 60_000,
    sharedAuthFailures: cluster.sharedFailures,
  })
  app.addHook('onClose', async () => {
    archive.close()
    // after the sync plugin's preClose persisted and released every room
    await cluster.close()
  })
  // issue 12: with no room loaded, the heap of the rooms that went is given back
  const memory = new IdleMemoryReducer(() => rooms.stats().rooms)
  if (mallocTrimUnavailable) app.log.info(`memory: malloc_trim is not available (${mallocTrimUnavailable}): freed heap pages return to the system more slowly after rooms unload`)
  app.addHook('onClose', async () => memory.cancel())
  const board = boardRules()
  const rooms: RoomManager = new RoomManager({
    ownership: cluster.ownership, // sync-core §13: one owner per room (PostgreSQL leases)
    onRoomEvent: (e) => {
      cluster.onRoomEvent(e)
      memory.onRoomEvent(e)
    },
    // private drafts (issue 10) are no boards: no autosave, no participant list of their own
    onRoomIdle: (room) => (isDraftRoom(room) ? undefined : archive.onRoomIdle(room)),
    onAwarenessSeen: (room, seen) => (isDraftRoom(room) ? undefined : archive.onAwarenessSeen(room, seen)), // ARCHIVE: snapshot participants
    // issue 10: no cursor or selection of anyone writing in an anonymous zone reaches the others
    filterAwareness: board.filterAwareness,
    storage: cluster.roomStorage,
    logger: app.log,
    // issue 9: every client update is judged by the board policy before it is stored or broadcast
    policy: board.policy,
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

  cluster.attachRooms(rooms)
  await app.register(core, { config, storage: deps.storage, rooms, cluster })
  await app.register(securityHeaders, { allowedOrigins: config.allowedOrigins })
  await app.register(licencePlugin, { licenseKey: config.tldrawLicenseKey, host: config.host, allowedOrigins: config.allowedOrigins })
  await app.register(rateLimitPlugin, {
    limits: {
      api: { max: config.apiRequestsPerMinute, timeWindowMs: 60_000 },
      syncUpgrade: { max: config.syncUpgradesPerMinute, timeWindowMs: 60_000 },
      ...deps.httpRateLimits,
    },
    // C4: several instances count in Redis (shared), and are not blocked while it is down
    redis: cluster.redis ? { client: cluster.redis.command, prefix: cluster.redis.prefix } : undefined,
  })
  await app.register(healthPlugin, {
    rooms,
    pingStorage: () => deps.storage.ping(),
    storageBackend: deps.storage.backend,
    pingRedis: cluster.redis ? () => cluster.redis!.ping() : undefined,
    instanceId: cluster.instanceId,
  })
  await app.register(metricsPlugin, { metrics: cluster.metrics })
  await app.register(timePlugin) // board SPEC S2: clients measure their offset to this clock
  await app.register(syncPlugin, {
    rooms,
    authorize: deps.authorize ?? archive.authorize,
    maxMessageBytes: config.maxMessageBytes,
    pingIntervalMs: config.pingIntervalMs,
    metrics: cluster.metrics,
    instanceId: cluster.instanceId,
  })
  archive.attachRooms(cluster.roomsApi(rooms))
  if (cluster.ownership) {
    // C7: a session started through another instance is tracked (people, autosave) by its room's owner
    const adopt = setInterval(() => void archive.trackStartedElsewhere().catch(() => {}), 30_000)
    adopt.unref()
    app.addHook('onClose', async () => clearInterval(adopt))
  }
  // issue 11: the demo CoP is offered when the data folder has no boards yet (DEMO_COP=off: never)
  const demo = new DemoCop(archive, config.demoCop)
  await demo.init()
  await app.register(apiPlugin, { prefix: '/api', archive, demo, tldrawLicenseKey: config.tldrawLicenseKey ?? null })
  await app.register(privateModePlugin, { prefix: '/api', archive, rooms }) // issue 10: private mode + reveal
  await app.register(staticPlugin, { root: config.webDistDir })
  return app
}
