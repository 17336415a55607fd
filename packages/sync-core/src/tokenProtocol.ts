/**
 * §14 How a client sends its access token without putting it in a URL (proxies log URLs):
 * as a WebSocket subprotocol. The client offers two protocols,
 *   Sec-WebSocket-Protocol: copboard, copboard.token.<token>
 * and the server selects `copboard` (the token protocol is never echoed back). Tokens are
 * base64url, which is valid in a protocol name. The stock y-websocket client may still send
 * `?token=` instead. Shared by the server (apps/server auth) and the web client.
 */
export const SYNC_PROTOCOL = 'copboard'
export const TOKEN_PROTOCOL_PREFIX = 'copboard.token.'

/** The protocols a client offers for `token` (none without a token). */
export function syncProtocols(token: string | null): string[] {
  return token ? [SYNC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`] : []
}

/** The token of an offered protocol list (the Sec-WebSocket-Protocol header), or null. */
export function tokenFromProtocols(header: string | string[] | undefined): string | null {
  const list = Array.isArray(header) ? header.join(',') : (header ?? '')
  for (const item of list.split(',')) {
    const p = item.trim()
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length) || null
  }
  return null
}
