/**
 * One client's connection as the core sees it: frame intake (buffered while its room loads,
 * §2.2), first checks of a frame (§3.1), sending with the slow-consumer check (§7.2), cork,
 * pause/resume (§7.3), closing with a documented code and logging bad input once (§3.4).
 * It knows its room only through {@link ConnectionRoom}, so it has no dependency on `Room`.
 */
import { CloseCodes, type CloseCodeName } from './closeCodes.js'
import type { SyncLimits } from './limits.js'
import { errorMessage, type BadInputLog } from './logger.js'
import { RateBudget } from './rateBudget.js'
import type { SyncSocket } from './socket.js'
import type { ConnectOptions } from './managerOptions.js'

/** What a connection needs from the room it belongs to. */
export interface ConnectionRoom {
  /** One decoded-later frame of a live connection (§1, §3). */
  handle(conn: SyncConnection, frame: Uint8Array): void
  /** The connection is gone (§4.3). */
  leave(conn: SyncConnection): void
}

/** What a connection needs from its manager. */
export interface ConnectionContext {
  limits: SyncLimits
  badInput: BadInputLog
  /** §7.5: the connection is gone (the manager's per-room and per-address counts). */
  connectionClosed(conn: SyncConnection): void
}

let nextConnectionId = 1

/**
 * The transport pushes frames in with `receive` (from the first frame on: frames are buffered
 * until the room is loaded, §2.2) and reports the end of the socket with `closed()`.
 */
export class SyncConnection {
  readonly id = nextConnectionId++
  /** Awareness client ids this connection currently owns (§4.2). */
  readonly awarenessClients = new Set<number>()
  /** Reasons already logged for this connection (§3.4). */
  readonly loggedReasons = new Set<string>()
  /** Updates dropped because the connection is read-only (§6). */
  droppedUpdates = 0
  /** Updates the room's policy refused (§12). */
  refusedUpdates = 0
  state: 'pending' | 'live' | 'closed' = 'pending'
  room: ConnectionRoom | null = null
  /** §7.3: the transport was told to stop reading from this connection. */
  paused = false
  /** §4.5: every client id this connection ever announced (bounded by the per-connection cap). */
  readonly announcedClients = new Set<number>()
  private backlog: Uint8Array[] = []
  private backlogBytes = 0
  /** §7.4: messages and bytes per second. */
  private readonly budget: RateBudget

  /** Viewer (§6). */
  readonly readOnly: boolean
  readonly logFields: Record<string, unknown>
  /** §7.5: the client's address (the transport's view, e.g. behind TRUST_PROXY); null if unknown. */
  readonly address: string | null
  /** The application's data about this connection (`ConnectOptions.info`), shown to the policy (§12). */
  readonly info: Readonly<Record<string, unknown>> | undefined
  /** §4.2: who the connection acts for (`ConnectOptions.participant`); null when the application did not say. */
  readonly participant: string | null

  constructor(
    readonly socket: SyncSocket,
    readonly roomName: string,
    private readonly ctx: ConnectionContext,
    opts: ConnectOptions = {},
  ) {
    this.readOnly = opts.readOnly ?? false
    this.logFields = opts.logFields ?? {}
    this.address = opts.address ?? null
    this.info = opts.info
    this.participant = opts.participant ?? null
    this.budget = new RateBudget(ctx.limits)
  }

  isClosed(): boolean {
    return this.state === 'closed'
  }

  /** One frame from the transport. `isBinary` false means a text frame. */
  receive(data: Uint8Array, isBinary = true): void {
    if (this.state === 'closed') return
    if (!isBinary) return this.close('TEXT_FRAME', `text frame of ${data.length} bytes`)
    if (data.length > this.ctx.limits.maxMessageBytes) {
      return this.close('MESSAGE_TOO_BIG', `frame of ${data.length} bytes`)
    }
    // §7.4: every received byte counts, before any work is done on it
    const over = this.budget.chargeBytes(data.length)
    if (over) return this.close('TOO_MANY_MESSAGES', over)
    if (this.state === 'pending') {
      if (this.backlog.length >= this.ctx.limits.maxBacklogMessages) {
        return this.close('TOO_MANY_MESSAGES', `${this.backlog.length} frames while the room was loading`)
      }
      const maxBytes = Math.max(this.ctx.limits.maxBacklogBytes, 2 * this.ctx.limits.maxMessageBytes)
      if (this.backlogBytes + data.length > maxBytes) {
        return this.close('TOO_MANY_MESSAGES', `${this.backlogBytes + data.length} bytes while the room was loading`)
      }
      this.backlog.push(data)
      this.backlogBytes += data.length
      return
    }
    this.room!.handle(this, data)
  }

  /**
   * §7.4: charges the message cost of what a frame did (`MessageCost`); over budget, the
   * connection is closed with TOO_MANY_MESSAGES and false is returned (do nothing more with it).
   */
  charge(cost: number): boolean {
    const over = this.budget.chargeMessages(cost)
    if (!over) return true
    this.close('TOO_MANY_MESSAGES', over)
    return false
  }

  /** The transport reports that the socket is gone. */
  closed(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.backlog = []
    this.backlogBytes = 0
    // §7.3: a closing socket must read again (the peer's close frame), and nothing stays paused
    if (this.paused) this.resume()
    this.room?.leave(this)
    this.ctx.connectionClosed(this)
  }

  /** Closes the connection with a documented code; input errors are logged once (§3.4). */
  close(name: CloseCodeName, detail?: string): void {
    if (this.state === 'closed') return
    const info = CloseCodes[name]
    if (detail !== undefined) this.reportBadInput(name, detail)
    try {
      this.socket.close(info.code, info.reason)
    } catch {
      // the transport is already gone; nothing else to release
    }
    this.closed()
  }

  /**
   * The transport rejected a frame and is closing the socket itself (ws sends 1002/1007/1009):
   * log it like any bad input (§3.4) and leave the room.
   */
  transportError(name: CloseCodeName, detail: string): void {
    if (this.state === 'closed') return
    this.reportBadInput(name, detail)
    this.closed()
  }

  /** One log line per (connection, reason), within the global budget (§3.4). */
  private reportBadInput(name: CloseCodeName, detail: string): void {
    const info = CloseCodes[name]
    this.ctx.badInput.report(
      this.loggedReasons,
      name,
      { conn: this.id, room: this.roomName, code: info.code, detail, ...this.logFields },
      `sync: closing connection: ${info.reason}`,
    )
  }

  /** Sends unless the client fell too far behind (§7.2). */
  send(data: Uint8Array): void {
    if (this.state === 'closed') return
    if (!this.socket.isOpen()) return this.closed()
    const buffered = this.socket.bufferedAmount
    if (buffered > this.ctx.limits.maxBufferedBytes) {
      return this.close('SLOW_CONSUMER', `${buffered} bytes unsent`)
    }
    try {
      this.socket.send(data)
    } catch (err) {
      this.close('INTERNAL_ERROR', `send failed: ${errorMessage(err)}`)
    }
  }

  /** §7.3: whether the transport can stop reading (else the room closes it with QUEUE_FULL). */
  canPause(): boolean {
    return typeof this.socket.pause === 'function' && typeof this.socket.resume === 'function'
  }

  /** §7.3: stop reading from the peer (frames already received still arrive and are handled). */
  pause(): void {
    if (this.paused || this.state === 'closed' || !this.canPause()) return
    this.paused = true
    try {
      this.socket.pause!()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  resume(): void {
    if (!this.paused) return
    this.paused = false
    try {
      this.socket.resume!()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  /** Holds back writes until `uncork` so a batch of frames leaves in one write (if the transport can). */
  cork(): void {
    if (this.state !== 'closed') this.socket.cork?.()
  }

  uncork(): void {
    try {
      this.socket.uncork?.()
    } catch {
      // a dead transport is reported by its close event
    }
  }

  /** Called by the room once it is loaded: replays what arrived meanwhile, in order. */
  goLive(room: ConnectionRoom): void {
    this.state = 'live'
    const backlog = this.backlog
    this.backlog = []
    this.backlogBytes = 0
    for (const frame of backlog) {
      if (this.state !== 'live') break
      room.handle(this, frame)
    }
  }
}
