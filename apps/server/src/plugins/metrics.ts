/** GET /metrics: Prometheus text format (cluster/metrics.ts). Keep it off the public proxy (infra/haproxy.cfg denies it). */
import type { FastifyPluginAsync } from 'fastify'
import type { Metrics } from '../cluster/metrics.js'

const metricsPlugin: FastifyPluginAsync<{ metrics: Metrics }> = async (app, opts) => {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', opts.metrics.registry.contentType).header('cache-control', 'no-store')
    return opts.metrics.registry.metrics()
  })
}

export default metricsPlugin
