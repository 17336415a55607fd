/**
 * The connection state the board shows (connecting, connected, reconnecting, offline, closed) and
 * the heartbeat behind it: y-websocket alone notices a dead socket only after 30 s without messages.
 * `closed`: the server ended the connection with a 44xx code (sync-core closeCodes.ts), after which
 * y-websocket does not reconnect; edits stay in the tab and its cache until the page is reloaded.
 */
import type { WebsocketProvider } from 'y-websocket'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed'

const MESSAGE_QUERY_AWARENESS = 3
/** Heartbeat: a socket quiet for this long is probed with a query-awareness round trip… */
const QUIET_MS = 2000
/** …and declared gone when the answer does not come within this long (then reconnected). */
const PROBE_TIMEOUT_MS = 2500
const HEARTBEAT_MS = 500

export class ConnectionHealth {
  private state: ConnectionState = 'connecting'
  private everConnected = false
  /** The heartbeat found the socket dead (cleared when a socket connects again). */
  private stale = false
  /** The server closed the socket for good (y-websocket's `closed` event) and it has not connected since. */
  private closedByServer = false
  private probeSentAt = 0
  private lastBeat = Date.now()

  /** `onChange` is called with each new state. */
  constructor(
    private readonly provider: WebsocketProvider,
    private readonly onChange: (state: ConnectionState) => void,
  ) {}

  /** Watches the socket's status and the browser's online state, and beats; returns the stop. */
  start(): () => void {
    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      if (status === 'connected') {
        this.everConnected = true
        this.closedByServer = false
        this.stale = false
        this.probeSentAt = 0
      }
      this.updateState()
    }
    this.provider.on('status', onStatus)
    const onClosed = () => {
      this.closedByServer = true
      this.updateState()
    }
    this.provider.on('closed', onClosed)
    const onOnline = () => {
      // back online: do not wait for y-websocket's backoff (up to 10 s)
      if (navigator.onLine && !this.provider.wsconnected && this.provider.ws === null) this.provider.connect()
      this.updateState()
    }
    addEventListener('online', onOnline)
    addEventListener('offline', onOnline)
    const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS)
    return () => {
      this.provider.off('status', onStatus)
      this.provider.off('closed', onClosed)
      removeEventListener('online', onOnline)
      removeEventListener('offline', onOnline)
      clearInterval(heartbeat)
    }
  }

  /**
   * y-websocket notices a dead socket only after 30 s without messages. A socket quiet for
   * QUIET_MS gets a query-awareness (the server answers with the room's awareness); no answer
   * within PROBE_TIMEOUT_MS: offline, and the socket is closed so y-websocket reconnects.
   */
  private heartbeat() {
    const p = this.provider
    const now = Date.now()
    // a main thread busy for longer than a beat (opening a big board, a slow machine) has not
    // read the socket either: the probe's answer may be waiting in the queue, so it gets a new window
    const blocked = now - this.lastBeat > 4 * HEARTBEAT_MS
    this.lastBeat = now
    if (!p.wsconnected || !p.ws) {
      this.probeSentAt = 0
      return
    }
    if (blocked && this.probeSentAt) this.probeSentAt = now
    const quietFor = now - p.wsLastMessageReceived
    if (this.probeSentAt && p.wsLastMessageReceived >= this.probeSentAt) this.probeSentAt = 0
    if (this.probeSentAt && now - this.probeSentAt > PROBE_TIMEOUT_MS) {
      this.probeSentAt = 0
      this.stale = true
      this.updateState()
      p.ws.close()
      return
    }
    if (!this.probeSentAt && quietFor > QUIET_MS) {
      this.probeSentAt = now
      try {
        p.ws.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
      } catch {
        /* closing: the status event follows */
      }
    }
  }

  private updateState() {
    if (this.provider.wsconnected && !this.probeSentAt) this.stale = false
    const s: ConnectionState = this.closedByServer && !this.provider.wsconnected
      ? 'closed'
      : (typeof navigator !== 'undefined' && navigator.onLine === false) || this.stale
        ? 'offline'
        : this.provider.wsconnected
          ? 'connected'
          : !this.everConnected
          ? this.provider.wsUnsuccessfulReconnects > 2
            ? 'offline'
            : 'connecting'
          : this.provider.wsUnsuccessfulReconnects > 3
            ? 'offline'
            : 'reconnecting'
    if (s !== this.state) {
      this.state = s
      this.onChange(s)
    }
  }
}
