/**
 * The Redis connections of one instance (several instances, issue 13). Redis is never on the
 * write path of a room: when it is unreachable, rooms keep working on their owners, `/healthz`
 * says degraded, commands fail fast (no offline queue that would hang a request), and the
 * clients reconnect by themselves; the subscriber resubscribes when Redis is back.
 */
import { Redis, type RedisOptions } from 'ioredis'

export interface RedisLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface ClusterRedis {
  /** Commands (publish, rate-limit and failure counters). Fails fast while Redis is unreachable. */
  readonly command: Redis
  /** Pub/sub only. */
  readonly subscriber: Redis
  readonly prefix: string
  /** True while the command connection is ready. */
  isUp(): boolean
  /** A PING with a short timeout; rejects when Redis is unreachable. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export function connectRedis(url: string, prefix: string, logger: RedisLogger): ClusterRedis {
  const base: RedisOptions = {
    connectTimeout: 2000,
    // reconnect forever, at most every 2 s: Redis coming back must be noticed quickly
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  }
  const command = new Redis(url, { ...base, connectionName: 'copboard-cmd' })
  // the subscriber must queue its SUBSCRIBE until the first connect
  const subscriber = new Redis(url, { ...base, enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: 'copboard-sub' })
  let up = false
  let downSince: number | null = Date.now()
  command.on('ready', () => {
    up = true
    logger.info({ downMs: downSince === null ? 0 : Date.now() - downSince }, 'redis: connected')
    downSince = null
  })
  const down = (err?: Error) => {
    if (up || downSince === null) logger.warn({ err: err?.message }, 'redis: unreachable; rooms keep working, cross-instance events wait')
    up = false
    downSince ??= Date.now()
  }
  // one line per outage, not one per retry
  command.on('error', (err: Error) => down(err))
  command.on('close', () => down())
  subscriber.on('error', () => {})
  return {
    command,
    subscriber,
    prefix,
    isUp: () => up,
    async ping(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          command.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('redis ping timeout')), timeoutMs)
          }),
        ])
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      command.disconnect()
      subscriber.disconnect()
    },
  }
}
