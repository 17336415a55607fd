/**
 * The server's "permission denied" messages (y-websocket's auth message): y-websocket only logs
 * them, while sync-core uses them to announce a read-only connection and the board policy's
 * refusals. They are taken out of the stream here and reported to the board.
 */
import type { WebsocketProvider } from 'y-websocket'

/** Read-only reason sent by the server to viewers (sync-core SPEC §6). */
const READ_ONLY_REASON = 'read-only'
/** Prefix of the reason when the board policy refused an update (sync-core SPEC §12.3). */
const POLICY_REASON_PREFIX = 'policy:'
const MESSAGE_AUTH = 2

/** The server refused one of this client's updates and reverted it (the board shows the server's state). */
export interface PolicyRefusal {
  reason: string
  /** Increases with every refusal (a repeat shows the notice again). */
  seq: number
}

export interface AuthMessageHandlers {
  /** The board policy refused an update; `reason` is without its "policy:" prefix. */
  onPolicyRefusal: (reason: string) => void
  /** The server said this connection is read-only. */
  onReadOnly: () => void
}

/** y-websocket only logs "permission denied"; sync-core uses it to announce read-only. */
export function interceptAuthMessages(provider: WebsocketProvider, on: AuthMessageHandlers): void {
  const handlers = (provider as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
  const original = handlers[MESSAGE_AUTH]
  handlers[MESSAGE_AUTH] = (encoder: unknown, decoder: { arr: Uint8Array; pos: number }, ...rest: unknown[]) => {
    try {
      const bytes = decoder.arr.subarray(decoder.pos)
      // [subtype 0 = permission denied][varString reason]
      const reason = bytes[0] === 0 ? new TextDecoder().decode(bytes.subarray(2)) : ''
      if (reason.startsWith(POLICY_REASON_PREFIX)) {
        // the server reverted the change; its update brings the board back to the server's state
        on.onPolicyRefusal(reason.slice(POLICY_REASON_PREFIX.length))
        decoder.pos = decoder.arr.length
        return
      }
      if (reason.includes(READ_ONLY_REASON)) {
        on.onReadOnly()
        decoder.pos = decoder.arr.length
        return
      }
    } catch {
      /* fall through */
    }
    original?.(encoder, decoder, ...rest)
  }
}
