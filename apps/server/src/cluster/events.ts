/**
 * Cross-instance events over Redis pub/sub (issue 13): what one instance decides about a room
 * another instance serves — a session ended, a link revoked — closes that room's sockets on
 * every instance. No document updates travel here (one owner per room; sync-core §13).
 * Events that could not be published while Redis was down wait in a bounded outbox and go out
 * when it is back.
 */
import type { ClusterRedis, RedisLogger } from './redis.js'

export type ClusterEvent =
  /** Close every connection of a room (session ended, link revoked: they reconnect and are authorised afresh). */
  | { type: 'disconnect-room'; room: string; code: 'NORMAL' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'ROOM_NOT_FOUND' }
  /**
   * The proxy sends a room's clients to the publishing instance, but another one owns it (the
   * owner got a direct connection, or the proxy's routing changed): the owner hands it over
   * (sync-core §13.5) so ownership follows routing.
   */
  | { type: 'release-room'; room: string }

type Envelope = ClusterEvent & { from: string }

const MAX_OUTBOX = 1000

export class ClusterEvents {
  private readonly channel: string
  private readonly outbox: string[] = []
  private dropped = 0
  private readonly handlers: ((event: ClusterEvent) => void)[] = []

  constructor(
    private readonly redis: ClusterRedis,
    private readonly instanceId: string,
    private readonly logger: RedisLogger & { error(obj: object, msg: string): void },
  ) {
    this.channel = `${redis.prefix}events`
    redis.subscriber.subscribe(this.channel).catch((err: Error) => logger.warn({ err: err.message }, 'redis: subscribe failed (retried on reconnect)'))
    redis.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return
      let e: Envelope
      try {
        e = JSON.parse(message) as Envelope
      } catch {
        return
      }
      if (e.from === this.instanceId) return
      for (const h of this.handlers) {
        try {
          h(e)
        } catch (err) {
          logger.error({ err: (err as Error).message, event: e.type }, 'cluster: event handler failed')
        }
      }
    })
    redis.command.on('ready', () => void this.flush())
  }

  on(handler: (event: ClusterEvent) => void): void {
    this.handlers.push(handler)
  }

  publish(event: ClusterEvent): void {
    const message = JSON.stringify({ ...event, from: this.instanceId } satisfies Envelope)
    if (!this.redis.isUp()) return this.keep(message)
    this.redis.command.publish(this.channel, message).catch(() => this.keep(message))
  }

  private keep(message: string): void {
    if (this.outbox.length >= MAX_OUTBOX) {
      this.outbox.shift()
      this.dropped++
    }
    this.outbox.push(message)
  }

  private async flush(): Promise<void> {
    if (this.outbox.length === 0) return
    const pending = this.outbox.splice(0)
    this.logger.info({ events: pending.length, dropped: this.dropped }, 'cluster: publishing events held while Redis was down')
    this.dropped = 0
    for (const m of pending) {
      try {
        await this.redis.command.publish(this.channel, m)
      } catch {
        this.keep(m)
      }
    }
  }
}
