/**
 * Participant identity (COMMON design, packages/policy SPEC §6): the browser keeps a random secret
 * in localStorage and sends it when it connects (`participantSecret` query parameter); the server
 * derives a stable, non-reversible participantId from it. Entries a participant owns in the board
 * (their dots, their endorsement) are keyed by that id, and the policy checks it.
 */
import { createHash } from 'node:crypto'

/** Query parameter that carries the secret (never logged: see redactUrl). */
export const PARTICIPANT_SECRET_PARAM = 'participantSecret'

/** 16–128 url-safe characters (the client sends 32 random bytes, base64url = 43 characters). */
const SECRET = /^[A-Za-z0-9_-]{16,128}$/

/** base64url(sha256(secret)) cut to 22 characters (132 bits); null for a missing or malformed secret. */
export function participantIdFromSecret(secret: unknown): string | null {
  if (typeof secret !== 'string' || !SECRET.test(secret)) return null
  return createHash('sha256').update(secret, 'utf8').digest('base64url').slice(0, 22)
}
