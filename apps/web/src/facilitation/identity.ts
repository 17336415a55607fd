/**
 * Participant identity (COMMON design): a random secret kept in localStorage; the server derives
 * participantId = base64url(sha256(secret))[0..22] from it and checks own entries (dots,
 * endorsements) against it. The board computes the same id to key its own entries.
 * The secret travels as the `participantSecret` query parameter of /sync (board/sync.ts); the server
 * (apps/server/src/auth/participant.ts) derives the same id.
 */
export const PARTICIPANT_SECRET_KEY = 'copboard.participantSecret'

export function participantSecret(): string {
  try {
    let s = localStorage.getItem(PARTICIPANT_SECRET_KEY)
    if (!s) {
      const bytes = crypto.getRandomValues(new Uint8Array(32))
      s = base64url(bytes)
      localStorage.setItem(PARTICIPANT_SECRET_KEY, s)
    }
    return s
  } catch {
    return sessionSecret
  }
}
const sessionSecret = base64url(crypto.getRandomValues(new Uint8Array(32)))

function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function deriveParticipantId(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return base64url(new Uint8Array(digest)).slice(0, 22)
}

let cached: Promise<string> | null = null
export function myParticipantId(): Promise<string> {
  return (cached ??= deriveParticipantId(participantSecret()))
}
