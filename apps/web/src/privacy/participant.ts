/**
 * Participant identity (COMMON design): a random secret kept in localStorage, sent on connect as
 * `?participantSecret=`; the server derives participantId = base64url(sha256(secret))[0..22]. The client derives
 * the same id to name its own private draft room (the server checks it, apps/server/src/auth/participant.ts).
 */
const KEY = 'copboard.participantSecret'
let memory: string | null = null

function base64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** This browser's secret (created once). */
export function participantSecret(): string {
  try {
    const stored = localStorage.getItem(KEY)
    if (stored && /^[A-Za-z0-9_-]{16,128}$/.test(stored)) return stored
    const fresh = base64url(crypto.getRandomValues(new Uint8Array(32)))
    localStorage.setItem(KEY, fresh)
    return fresh
  } catch {
    // storage blocked: one secret for the life of this page
    return (memory ??= base64url(crypto.getRandomValues(new Uint8Array(32))))
  }
}

/** participantId of a secret; null where WebCrypto is missing (plain http on a LAN address). */
export async function participantIdOf(secret: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return base64url(new Uint8Array(digest)).slice(0, 22)
}
