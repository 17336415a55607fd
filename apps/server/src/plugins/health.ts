/**
 * GET /healthz: liveness + readiness in one. `storage` (SQLite or PostgreSQL) and `redis` are
 * checked with a short timeout each. HTTP 503 when storage is unusable (the proxy then takes the
 * instance out: it cannot serve rooms); 200 with `status: "degraded"` when only Redis is
 * unreachable (rooms keep working on their owners, cross-instance events wait).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { RoomManager } from '@copboard/sync-core'

export interface HealthPluginOptions {
  rooms: RoomManager
  /** A cheap storage round trip; rejects when storage is unusable. */
  pingStorage: () => Promise<void>
  storageBackend: 'sqlite' | 'postgres'
  /** Several instances: a Redis round trip (absent without REDIS_URL). */
  pingRedis?: () => Promise<void>
  instanceId: string
}

type Check = 'ok' | 'unreachable' | 'off'

async function check(ping: (() => Promise<void>) | undefined, timeoutMs = 2000): Promise<Check> {
  if (!ping) return 'off'
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)
      }),
    ])
    return 'ok'
  } catch {
    return 'unreachable'
  } finally {
    clearTimeout(timer)
  }
}

const healthPlugin: FastifyPluginAsync<HealthPluginOptions> = async (app, opts) => {
  // polled every second by the proxy: no request log lines
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
    const [storage, redis] = await Promise.all([check(opts.pingStorage), check(opts.pingRedis, 1000)])
    const { rooms, connections, ownedRooms } = opts.rooms.stats()
    const ok = storage === 'ok'
    const status = ok && redis !== 'unreachable' ? 'ok' : 'degraded'
    reply.header('cache-control', 'no-store')
    return reply.code(ok ? 200 : 503).send({
      ok,
      status,
      instance: opts.instanceId,
      storage: storage === 'ok' ? 'ok' : 'error',
      postgres: opts.storageBackend === 'postgres' ? storage : 'off',
      redis,
      rooms,
      ownedRooms,
      connections,
    })
  })
}

export default healthPlugin
