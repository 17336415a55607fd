/**
 * This browser's participantId, as the server derives it (apps/server/src/auth/participant.ts):
 * base64url(sha256(secret))[0..22] of the secret board/participant.ts keeps and sends on connect.
 * Own entries (dots, endorsements) are keyed by it.
 */
import { participantSecret } from '../board/participant'

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
