/**
 * GET /api/time: the server's clock, so that every client shows the same timer (board SPEC S2).
 * Clients sample it a few times, keep the fastest round trip and correct by RTT/2.
 */
import type { FastifyPluginAsync } from 'fastify'

const timePlugin: FastifyPluginAsync = async (app) => {
  app.get('/api/time', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { now: Date.now() }
  })
}

export default timePlugin
