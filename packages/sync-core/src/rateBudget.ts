/**
 * §7.4 A connection's rate budget: two token buckets (messages and bytes), refilled continuously
 * at their per-second rate up to their burst size. Pure (the clock is injected) and O(1) per frame.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Takes `n` tokens if the bucket holds them; false (and nothing taken) otherwise. */
  take(n: number): boolean {
    const t = this.now()
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000)
      this.last = t
    }
    if (n > this.tokens) return false
    this.tokens -= n
    return true
  }

  get available(): number {
    return this.tokens
  }
}

export interface RateBudgetLimits {
  messagesPerSecond: number
  messageBurst: number
  bytesPerSecond: number
  byteBurst: number
  maxMessageBytes: number
}

/** What a frame costs in messages (SPEC §7.4); its bytes always count in full. */
export const MessageCost = {
  /** An update that is stored and broadcast, or an awareness change that is applied. */
  effective: 1,
  /** A state request: the server encodes (part of) the document for the answer. */
  stateRequest: 50,
  /** A query for every awareness state of the room. */
  awarenessQuery: 10,
  /** A frame that changes nothing (a redundant update, an echoed awareness state, a viewer's edit). */
  noop: 0.05,
} as const

export class RateBudget {
  private readonly messages: TokenBucket
  private readonly bytes: TokenBucket

  constructor(limits: RateBudgetLimits, now: () => number = () => performance.now()) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now)
    // one frame of the largest size must always fit into a full bucket, twice
    this.bytes = new TokenBucket(limits.bytesPerSecond, Math.max(limits.byteBurst, 2 * limits.maxMessageBytes), now)
  }

  /** Charges a received frame's bytes; null when within budget, else what ran out. */
  chargeBytes(bytes: number): string | null {
    return this.bytes.take(bytes) ? null : `byte rate exceeded (${bytes} bytes with ${Math.floor(this.bytes.available)} left)`
  }

  /** Charges the message cost of what a frame did; null when within budget, else what ran out. */
  chargeMessages(cost: number): string | null {
    return this.messages.take(cost) ? null : `message rate exceeded (${Math.floor(this.messages.available)} left)`
  }
}
