/**
 * Security headers on every response (fastify-plugin: the hook must reach every route).
 * The CSP allows only this origin: tldraw's assets are self-hosted and the page talks to no other host.
 */
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // tldraw sets inline styles on shapes
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ')

const securityHeaders: FastifyPluginAsync = async (app) => {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    // links carry the token in the fragment; never leak paths to other sites either
    reply.header('referrer-policy', 'no-referrer')
    reply.header('x-frame-options', 'DENY')
    reply.header('cross-origin-opener-policy', 'same-origin')
    reply.header('cross-origin-resource-policy', 'same-origin')
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    return payload
  })
}

export default fp(securityHeaders, { name: 'copboard-security-headers', fastify: '5.x' })
