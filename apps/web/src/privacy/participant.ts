/**
 * The participantId of this browser's secret (board/participant.ts): the server derives the same
 * id (apps/server/src/auth/participant.ts) and opens a draft room `<room>~draft~<id>` only for it.
 */
function base64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** base64url(sha256(secret))[0..22]; null where WebCrypto is missing (plain http on a LAN address). */
export async function participantIdOf(secret: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return base64url(new Uint8Array(digest)).slice(0, 22)
}
