/** Per-connection and per-room bounds (SPEC.md §7). All sizes in bytes. */
export interface SyncLimits {
  /** Largest accepted frame (the transport should enforce it too, as ws maxPayload). */
  maxMessageBytes: number
  /** A connection whose unsent buffer is above this when we want to send more is closed. */
  maxBufferedBytes: number
  /** Entries in one awareness update (a query-awareness answer lists the whole room). */
  maxAwarenessEntries: number
  /** Frames a connection may send before its room has loaded; more is TOO_MANY_MESSAGES. */
  maxBacklogMessages: number
  /**
   * Bytes a connection may send before its room has loaded (besides the frame count): 256 frames
   * of the largest size would otherwise be 2 GiB held per connection. Never below two frames.
   */
  maxBacklogBytes: number
  /**
   * §7.3: accepted but not yet persisted bytes per room above which the room stops reading from
   * its connections (`SyncSocket.pause`) until the queue fell below half of it.
   */
  maxQueuedBytes: number
}

export const defaultLimits: SyncLimits = {
  maxMessageBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxAwarenessEntries: 5000,
  maxBacklogMessages: 256,
  maxBacklogBytes: 16 * 1024 * 1024,
  maxQueuedBytes: 32 * 1024 * 1024,
}
