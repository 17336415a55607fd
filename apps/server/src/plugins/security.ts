/**
 * Security headers on every response (@fastify/helmet, strict CSP) and the origin check
 * (fastify-plugin: the hooks must reach every route, the WebSocket upgrade included).
 * The CSP allows only this origin: tldraw's assets are self-hosted and the page talks to no other host.
 */
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { ApiError } from './api/errors.js'

/** The page's CSP, as helmet directives (no defaults merged in: nothing here is implicit). */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // tldraw sets inline styles on shapes
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'media-src': ["'self'", 'data:', 'blob:'],
  // blob: tldraw's bundled translations (apps/web/src/tldrawAssets.ts)
  'connect-src': ["'self'", 'blob:', 'ws:', 'wss:'],
  'worker-src': ["'self'", 'blob:'],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
}

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v.join(' ')}`)
  .join('; ')

export interface SecurityOptions {
  /** Browser origins besides the server's own (e.g. a Vite dev server on another host). */
  allowedOrigins: string[]
}

/**
 * A browser always sends `Origin` on a WebSocket upgrade and on a state-changing request. Another
 * site's page must not open a board's socket or call the API with a link it got hold of, so such
 * requests must come from this server's own origin (same host) or an allowed one. Requests without
 * `Origin` (scripts, the y-websocket client in Node) are not browsers' and stand on their token.
 */
export function isOriginAllowed(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // includes the opaque origin "null" (sandboxed frames, file://)
  }
  return (host !== undefined && url.host === host) || allowed.includes(url.origin)
}

const LOG_EVERY_MS = 60_000

declare module 'fastify' {
  interface FastifyInstance {
    /** The origin check for one request: null when it may proceed, else the error to answer. */
    checkOrigin(request: FastifyRequest): ApiError | null
  }
}

const securityHeaders: FastifyPluginAsync<SecurityOptions> = async (app, opts) => {
  const lastLogged = new Map<string, number>()
  app.decorate('checkOrigin', (request: FastifyRequest): ApiError | null => {
    const origin = request.headers.origin
    if (origin === undefined || isOriginAllowed(origin, request.headers.host, opts.allowedOrigins)) return null
    // one line per origin per minute: a hostile page retrying in a loop must not flood the log
    const now = Date.now()
    if ((lastLogged.get(origin) ?? 0) + LOG_EVERY_MS <= now) {
      if (lastLogged.size > 1000) lastLogged.clear()
      lastLogged.set(origin, now)
      request.log.warn({ origin, method: request.method }, 'refused: web origin not allowed')
    }
    return new ApiError('ORIGIN_NOT_ALLOWED')
  })

  app.addHook('onRequest', async (request, reply) => {
    // WebSocket upgrades are checked by their route (plugins/sync.ts): only there does
    // @fastify/websocket close the socket of a refused upgrade
    if (request.headers.upgrade !== undefined) return
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return
    const err = app.checkOrigin(request)
    if (err) return reply.code(err.statusCode).send(err.toJSON())
  })

  // helmet: nosniff, no-referrer (links carry the token in the fragment; never leak paths),
  // frame-ancestors/X-Frame-Options deny, same-origin COOP/CORP, HSTS, and the strict CSP
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  })
  // the one header helmet does not set
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
    return payload
  })
}

export default fp(securityHeaders, { name: 'copboard-security-headers', fastify: '5.x' })
