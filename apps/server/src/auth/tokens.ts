/**
 * Access tokens: 256 random bits, base64url (43 chars). Only the SHA-256 hash is stored; lookup is
 * by hash, so no constant-time comparison is needed (the secret is never compared as a string).
 */
import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_BYTES = 32

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url')
}

export function mintToken(): { secret: string; hash: string } {
  const secret = randomBytes(TOKEN_BYTES).toString('base64url')
  return { secret, hash: hashToken(secret) }
}

/** Cheap syntactic check before touching the database. */
export function looksLikeToken(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s)
}

/** Replaces `token=<secret>` in a URL (query) by `token=[redacted]`, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]').replace(/(#t=)[^&]*/g, '$1[redacted]')
}
