/**
 * The only thing the sync core knows about a transport. The server adapts `ws` to it; unit
 * tests use an in-memory pair. Incoming frames and the close event are pushed into the
 * {@link SyncConnection} returned by `RoomManager.connect` by whoever owns the transport.
 */
export interface SyncSocket {
  /** True while frames can still be sent. */
  isOpen(): boolean
  send(data: Uint8Array): void
  /** Starts the close handshake; the transport must release the socket soon even if the peer is stuck. */
  close(code: number, reason: string): void
  /**
   * Optional: buffer sends until `uncork` (one write for a batch of frames). Every `cork` is
   * followed by exactly one `uncork`.
   */
  cork?(): void
  uncork?(): void
  /**
   * Optional (§7.3): stop reading frames from the peer (TCP backpressure reaches the sender) /
   * start again. Frames the transport already received may still be delivered after `pause`.
   * A socket without them is closed with QUEUE_FULL instead when its room's write queue is full.
   */
  pause?(): void
  resume?(): void
  /** Bytes queued by the transport but not yet written to the network (backpressure). */
  readonly bufferedAmount: number
}
