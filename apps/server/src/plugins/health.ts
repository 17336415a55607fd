/** GET /healthz: liveness + readiness in one (rooms, connections, storage round trip). */
import type { FastifyPluginAsync } from 'fastify'
import type { RoomManager } from '@copboard/sync-core'

export interface HealthPluginOptions {
  rooms: RoomManager
  /** A cheap storage round trip; rejects when storage is unusable. */
  pingStorage: () => Promise<void>
}

const healthPlugin: FastifyPluginAsync<HealthPluginOptions> = async (app, opts) => {
  app.get('/healthz', async (_request, reply) => {
    let storage: 'ok' | 'error' = 'ok'
    try {
      await Promise.race([
        opts.pingStorage(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ])
    } catch {
      storage = 'error'
    }
    const { rooms, connections } = opts.rooms.stats()
    reply.header('cache-control', 'no-store')
    return reply.code(storage === 'ok' ? 200 : 503).send({ ok: storage === 'ok', rooms, connections, storage })
  })
}

export default healthPlugin
