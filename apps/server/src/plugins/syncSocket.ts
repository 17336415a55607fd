/**
 * `ws` adapted to sync-core's SyncSocket, with the per-delivery costs of a broadcast kept low
 * (issue 12): a room sends the same frame to every socket, so its WebSocket framing (a server
 * frame is unmasked: the same bytes for every peer) is built once and written to each TCP socket
 * as one buffer, and the traffic metrics are summed in plain numbers and handed to the Prometheus
 * counters once a second (and when read) instead of twice per frame.
 */
import type { WebSocket } from 'ws'
import { closeCodeName, type SyncSocket } from '@copboard/sync-core'
import { TimedHandover, type Metrics } from '../cluster/metrics.js'

const BINARY = { binary: true } as const

/** Frames up to this size are framed once and copied (larger ones: ws writes header and payload without a copy). */
const PREFRAMED_MAX_BYTES = 16 * 1024

/** An unmasked, final, binary WebSocket frame (RFC 6455 §5.2) holding `data`. */
export function binaryFrame(data: Uint8Array): Buffer {
  const n = data.byteLength
  const header = n < 126 ? 2 : n < 65536 ? 4 : 10
  const out = Buffer.allocUnsafe(header + n)
  out[0] = 0x82
  if (header === 2) out[1] = n
  else if (header === 4) {
    out[1] = 126
    out.writeUInt16BE(n, 2)
  } else {
    out[1] = 127
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2)
    out.writeUInt32BE(n >>> 0, 6)
  }
  out.set(data, header)
  return out
}

/**
 * The frames of one plugin: the last payload sent and its framing (a broadcast hands the same
 * Uint8Array to every socket in a row, in one turn), and the traffic counts not yet in the
 * metrics (handed over every METRICS_HANDOVER_MS and when the metrics are read).
 */
export class SyncTransport {
  private lastData: Uint8Array | null = null
  private lastFrame: Buffer | null = null
  private frameCacheClearScheduled = false
  private framesIn = 0
  private bytesIn = 0
  private framesOut = 0
  private bytesOut = 0
  private readonly handover = new TimedHandover(() => this.handOverCounts())
  private closed = false
  private readonly stopHandoverOnRead: () => void

  constructor(private readonly metrics: Metrics | undefined) {
    this.stopHandoverOnRead = metrics?.onTrafficRead(this.handover.now) ?? (() => {})
  }

  framed(data: Uint8Array): Buffer {
    if (data !== this.lastData) {
      this.lastData = data
      this.lastFrame = binaryFrame(data)
      if (!this.frameCacheClearScheduled) {
        this.frameCacheClearScheduled = true
        setImmediate(this.clearFrameCache)
      }
    }
    return this.lastFrame!
  }

  countIn(bytes: number): void {
    if (this.closed) return
    this.framesIn++
    this.bytesIn += bytes
    this.scheduleHandover()
  }

  countOut(bytes: number): void {
    if (this.closed) return
    this.framesOut++
    this.bytesOut += bytes
    this.scheduleHandover()
  }

  /** The plugin closes: the counts so far go to the metrics, which stop asking; later ones are not counted. */
  close(): void {
    this.clearFrameCache()
    this.handover.now()
    this.closed = true
    this.stopHandoverOnRead()
  }

  /** The frame cache must not pin a payload beyond its broadcast (nor hold a reused buffer's old bytes). */
  private readonly clearFrameCache = (): void => {
    this.frameCacheClearScheduled = false
    this.lastData = null
    this.lastFrame = null
  }

  private scheduleHandover(): void {
    if (this.metrics) this.handover.soon()
  }

  private handOverCounts(): void {
    const m = this.metrics
    if (m && this.framesIn > 0) {
      m.frames.inc({ direction: 'in' }, this.framesIn)
      m.bytes.inc({ direction: 'in' }, this.bytesIn)
    }
    if (m && this.framesOut > 0) {
      m.frames.inc({ direction: 'out' }, this.framesOut)
      m.bytes.inc({ direction: 'out' }, this.bytesOut)
    }
    this.framesIn = this.bytesIn = this.framesOut = this.bytesOut = 0
  }
}

/** The parts of ws's Sender read to know that no message is half-sent or queued (ws 8). */
interface WsSenderState {
  _state?: number
  _firstFragment?: boolean
}

export class WsSocket implements SyncSocket {
  /** The TCP socket under ws (ws keeps it as `_socket`): batched writes and pre-framed frames. */
  private readonly tcp: { cork?(): void; uncork?(): void; write?(b: Buffer): boolean } | undefined
  private readonly sender: WsSenderState | undefined
  constructor(
    private readonly ws: WebSocket,
    private readonly closeTimeoutMs: number,
    private readonly transport: SyncTransport,
    private readonly metrics: Metrics | undefined,
  ) {
    this.tcp = (ws as unknown as { _socket?: WsSocket['tcp'] })._socket
    this.sender = (ws as unknown as { _sender?: WsSenderState })._sender
  }
  isOpen(): boolean {
    return this.ws.readyState === 1 // OPEN
  }
  send(data: Uint8Array): void {
    const s = this.sender
    // ws's own path when it holds a message back (state DEFAULT is 0) or for a large frame
    if (data.byteLength <= PREFRAMED_MAX_BYTES && s?._state === 0 && s._firstFragment === true && this.tcp?.write && this.isOpen()) {
      this.tcp.write(this.transport.framed(data))
    } else this.ws.send(data, BINARY)
    this.transport.countOut(data.byteLength)
  }
  cork(): void {
    this.tcp?.cork?.()
  }
  uncork(): void {
    this.tcp?.uncork?.()
  }
  /** sync-core §7.3: ws ≥ 8 stops/starts reading the TCP socket, so the sender's window fills up. */
  pause(): void {
    this.ws.pause()
  }
  resume(): void {
    this.ws.resume()
  }
  close(code: number, reason: string): void {
    this.metrics?.rejected.inc({ reason: closeCodeName(code) ?? String(code) })
    this.ws.close(code, reason)
    // a peer that never answers the close frame (or never reads) must not pin the buffer
    const timer = setTimeout(() => this.ws.terminate(), this.closeTimeoutMs)
    timer.unref()
    this.ws.once('close', () => clearTimeout(timer))
  }
  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }
}
