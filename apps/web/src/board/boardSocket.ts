/**
 * The board's y-websocket provider, made in one place for both ways a board connects: by the
 * BoardConnection (sync.ts), or at start-up before the app's scripts have loaded (earlySocket.ts),
 * whose provider the BoardConnection then adopts. Also the reading of the server's auth messages.
 */
import type * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { syncProtocols } from '@copboard/sync-core/tokenProtocol'
import { PARTICIPANT_SECRET_PARAM } from './participant'

/** Read-only reason sent by the server to viewers (sync-core SPEC §6). */
const READ_ONLY_REASON = 'read-only'
/** Prefix of the reason when the board policy refused an update (sync-core SPEC §12.3). */
const POLICY_REASON_PREFIX = 'policy:'
const MESSAGE_AUTH = 2

export function createBoardProvider(doc: Y.Doc, room: string, token: string | null, secret: string, connect: boolean): WebsocketProvider {
  const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
  return new WebsocketProvider(wsBase, room, doc, {
    // the token travels as a subprotocol, never in the URL (proxies log URLs; sync-core SPEC §13)
    protocols: syncProtocols(token),
    // the participant secret identifies this person's own entries (packages/policy SPEC §6)
    params: { [PARTICIPANT_SECRET_PARAM]: secret },
    maxBackoffTime: 10_000,
    connect,
    // tabs of one board meet at the server, the authority (a refused update stays in its tab);
    // a BroadcastChannel peer would also cost a full encode of the board on every connect
    disableBc: true,
  })
}

/** What the server's auth messages say beyond y-websocket's "permission denied" log line. */
export interface AuthEvents {
  /** The server made this connection read-only. */
  readonly(): void
  /** The board policy refused (and reverted) one of this client's updates. */
  refused(reason: string): void
}

/** y-websocket only logs "permission denied"; sync-core uses it to announce read-only and refusals. */
export function interceptAuthMessages(provider: WebsocketProvider, events: AuthEvents): void {
  const handlers = (provider as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
  const original = handlers[MESSAGE_AUTH]
  handlers[MESSAGE_AUTH] = (encoder: unknown, decoder: { arr: Uint8Array; pos: number }, ...rest: unknown[]) => {
    try {
      const bytes = decoder.arr.subarray(decoder.pos)
      // [subtype 0 = permission denied][varString reason]
      const reason = bytes[0] === 0 ? new TextDecoder().decode(bytes.subarray(2)) : ''
      if (reason.startsWith(POLICY_REASON_PREFIX)) {
        // the server reverted the change; its update brings the board back to the server's state
        events.refused(reason.slice(POLICY_REASON_PREFIX.length))
        decoder.pos = decoder.arr.length
        return
      }
      if (reason.includes(READ_ONLY_REASON)) {
        events.readonly()
        decoder.pos = decoder.arr.length
        return
      }
    } catch {
      /* fall through */
    }
    original?.(encoder, decoder, ...rest)
  }
}
