/**
 * Participant identity (COMMON design): the browser keeps a random secret in localStorage and
 * sends it when connecting (`?pk=<secret>` on /sync); the server derives
 * participantId = base64url(sha256(secret)) cut to 22 characters and attaches it to the
 * connection. Others only ever see the participantId (e.g. in a draft room name), never the secret.
 */
import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** 16–128 url-safe characters (the web client sends 32 random bytes, base64url). */
export const PARTICIPANT_SECRET = /^[A-Za-z0-9_-]{16,128}$/

export function participantIdFromSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url').slice(0, 22)
}

/** The participant secret of a /sync request (query `pk`); null when absent or malformed. */
export function participantSecretOf(request: FastifyRequest): string | null {
  const q = request.query as Record<string, unknown> | undefined
  let pk = q?.pk
  if (typeof pk !== 'string') {
    const m = /[?&]pk=([^&#]*)/.exec(request.url)
    pk = m ? decodeURIComponent(m[1]) : undefined
  }
  return typeof pk === 'string' && PARTICIPANT_SECRET.test(pk) ? pk : null
}
