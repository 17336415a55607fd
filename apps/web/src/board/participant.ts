/**
 * Participant identity (packages/policy SPEC §6): a random secret kept in localStorage and sent
 * when the board connects; the server derives the participantId that keys this person's own
 * entries (dots, endorsement). The secret never leaves this browser otherwise.
 */
const KEY = 'copboard.participantSecret'
/** Sent as this query parameter of the sync WebSocket (server: auth/participant.ts). */
export const PARTICIPANT_SECRET_PARAM = 'participantSecret'

function randomSecret(): string {
  const bytes = new Uint8Array(32)
  crypto.getRandomValues(bytes)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

let memory: string | null = null

/** This browser's participant secret (created on first use; private mode: for this page only). */
export function participantSecret(): string {
  try {
    const stored = localStorage.getItem(KEY)
    if (stored && /^[A-Za-z0-9_-]{16,128}$/.test(stored)) return stored
    const fresh = randomSecret()
    localStorage.setItem(KEY, fresh)
    return fresh
  } catch {
    return (memory ??= randomSecret())
  }
}
