/**
 * Every HTTP rate limit of the server, built in ONE place on @fastify/rate-limit. Limits are per
 * client address (`request.ip`, which honours TRUST_PROXY, so behind the reverse proxy each person
 * is counted, not the proxy). A shared store for several instances plugs in here (`store`).
 *
 * Routes take their limiter as an onRequest hook (`app.httpLimits.<name>`), placed before
 * authentication, so a flood is refused before any token lookup or body read.
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { ApiError } from './api/errors.js'

export interface HttpRateLimit {
  /** Requests per window and address. */
  max: number
  timeWindowMs: number
}

export interface HttpRateLimits {
  /** Every /api request. */
  api: HttpRateLimit
  /** POST /api/cops (open route: creates data). */
  createCop: HttpRateLimit
  /** WebSocket upgrades of /sync (connection attempts, accepted or not). */
  syncUpgrade: HttpRateLimit
}

export const defaultHttpRateLimits: HttpRateLimits = {
  // a board page makes a handful of API calls; an office of 50 people behind one NAT address
  // loading boards at once stays well below
  api: { max: 600, timeWindowMs: 60_000 },
  createCop: { max: 10, timeWindowMs: 60_000 },
  // reconnects with back-off are ≤ 6 per minute per tab
  syncUpgrade: { max: 300, timeWindowMs: 60_000 },
}

export interface RateLimitOptions {
  limits?: Partial<HttpRateLimits>
  /** A @fastify/rate-limit store constructor shared by instances (default: in memory). */
  store?: unknown
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hooks enforcing each limit (see plugins/rateLimit.ts). */
    httpLimits: Record<keyof HttpRateLimits, onRequestAsyncHookHandler>
  }
}

const LOG_EVERY_MS = 60_000

const rateLimitPlugin: FastifyPluginAsync<RateLimitOptions> = async (app, opts) => {
  const limits = { ...defaultHttpRateLimits, ...opts.limits }
  const lastLogged = new Map<string, number>()
  // the store is created once here, for every limiter below
  await app.register(rateLimit, {
    global: false,
    ...(opts.store ? { store: opts.store as never } : {}),
    keyGenerator: (request) => request.ip,
  })

  /** One line per limit and source per minute: a client retrying in a loop must not flood the log. */
  const logExceeded = (name: string, source: string, request: FastifyRequest) => {
    const id = `${name}|${source}`
    const now = Date.now()
    if ((lastLogged.get(id) ?? 0) + LOG_EVERY_MS > now) return
    if (lastLogged.size > 10_000) lastLogged.clear()
    lastLogged.set(id, now)
    request.log.warn({ limit: name, source }, 'refused: HTTP rate limit exceeded (not logged again for this source for a minute)')
  }

  // createRateLimit only counts (limiters can be stacked: /api + POST /api/cops); we answer ourselves
  const hook = (name: keyof HttpRateLimits): onRequestAsyncHookHandler => {
    const check = app.createRateLimit({ max: limits[name].max, timeWindow: limits[name].timeWindowMs })
    return async (request, reply) => {
      const r = await check(request)
      if (r.isAllowed || !r.isExceeded) return
      logExceeded(name, r.key, request)
      const err = new ApiError('RATE_LIMITED')
      return reply.code(err.statusCode).header('retry-after', r.ttlInSeconds).send(err.toJSON())
    }
  }
  app.decorate('httpLimits', { api: hook('api'), createCop: hook('createCop'), syncUpgrade: hook('syncUpgrade') })
}

export default fp(rateLimitPlugin, { name: 'copboard-rate-limit', fastify: '5.x' })
