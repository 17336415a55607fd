/**
 * Access tokens: 256 random bits, base64url (43 chars). Only the SHA-256 hash is stored; lookup is
 * by hash, so no constant-time comparison is needed (the secret is never compared as a string).
 */
import { PARTICIPANT_SECRET_PARAM } from './participant.js'
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

/** Percent-decoding that never throws (a broken escape stays as it is). */
function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

/**
 * For logs: the URL with every secret replaced by `[redacted]`. The query is parsed like the
 * server parses it, so any spelling of the name counts (`?token=`, `?%74oken=`, `?TOKEN=`), and a
 * value that looks like a token is redacted under any name. `#t=` fragments are redacted too.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#')
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url
  const fragment = hashAt >= 0 ? url.slice(hashAt).replace(/([#&]t=)[^&]*/g, '$1[redacted]') : ''
  const q = beforeHash.indexOf('?')
  if (q < 0) return beforeHash + fragment
  const query = beforeHash
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=')
      const rawName = eq >= 0 ? part.slice(0, eq) : part
      const name = decodeLoosely(rawName).trim().toLowerCase()
      const value = eq >= 0 ? decodeLoosely(part.slice(eq + 1)) : ''
      return name === 'token' || name === PARTICIPANT_SECRET_PARAM.toLowerCase() || looksLikeToken(value.trim()) ? `${rawName}=[redacted]` : part
    })
    .join('&')
  return `${beforeHash.slice(0, q + 1)}${query}${fragment}`
}
