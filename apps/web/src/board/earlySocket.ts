/**
 * Opening a board this browser never cached (issue 12): the server's state (megabytes for a big
 * board) is asked for at start-up, while the app's ~2 MB of scripts still load and compile,
 * instead of after them. This chunk (Yjs and y-websocket only) opens the board's socket into a
 * Y.Doc of its own; the BoardConnection adopts doc and provider when the board mounts (same
 * room and token), so the stock y-websocket protocol runs unchanged. Until then this tab is
 * not announced to others (no awareness state; the adopter's setUser gives it one). Not adopted
 * in time (join form, access denied, another page): closed.
 */
import * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { createBoardProvider, interceptAuthMessages, type AuthEvents } from './boardSocket'
import { participantSecret } from './participant'

/** An early socket nobody adopted within this long is closed (a BoardConnection opens its own). */
const ADOPT_WITHIN_MS = 60_000

export interface AdoptedSocket {
  doc: Y.Doc
  provider: WebsocketProvider
  /** performance.now() when the server's state was in the doc, if it is */
  syncedAt?: number
}

interface EarlySocket extends AdoptedSocket {
  room: string
  token: string | null
  /** auth messages that came before adoption, replayed to the adopter */
  readonly: boolean
  refusals: string[]
  events: AuthEvents | null
  timer: ReturnType<typeof setTimeout>
}

let early: EarlySocket | null = null
/** once per page load */
let opened = false

type UpdateListener = (update: Uint8Array, origin: unknown) => void
const updateHandler = (p: WebsocketProvider) => (p as unknown as { _updateHandler: UpdateListener })._updateHandler

export function openEarlySocket(room: string, token: string | null): void {
  if (opened || typeof WebSocket === 'undefined') return
  opened = true
  const doc = new Y.Doc()
  const provider = createBoardProvider(doc, room, token, participantSecret(), false)
  // not announced before the person joins (the BoardConnection sets the user)
  provider.awareness.setLocalState(null)
  // nothing local to send yet; without an 'update' listener Yjs does not encode the big update again
  doc.off('update', updateHandler(provider))
  const e: EarlySocket = {
    room, token, doc, provider, readonly: false, refusals: [], events: null,
    timer: setTimeout(() => early === e && (early = null, close(e)), ADOPT_WITHIN_MS),
  }
  interceptAuthMessages(provider, {
    readonly: () => (e.events ? e.events.readonly() : (e.readonly = true)),
    refused: (reason) => (e.events ? e.events.refused(reason) : e.refusals.push(reason)),
  })
  provider.on('sync', (synced: boolean) => synced && (e.syncedAt ??= performance.now()))
  early = e
  provider.connect()
}

/** The early socket of this room and token, once (null when there is none; another is closed). */
export function adoptEarlySocket(room: string, token: string | null, events: AuthEvents): AdoptedSocket | null {
  const e = early
  early = null
  if (!e) return null
  clearTimeout(e.timer)
  if (e.room !== room || e.token !== token) {
    close(e)
    return null
  }
  e.events = events
  if (e.readonly) events.readonly()
  for (const r of e.refusals) events.refused(r)
  e.doc.on('update', updateHandler(e.provider))
  return { doc: e.doc, provider: e.provider, syncedAt: e.syncedAt }
}

function close(e: EarlySocket) {
  e.provider.destroy()
  e.doc.destroy()
}

