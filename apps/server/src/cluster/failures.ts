/** Failed-token attempts counted in Redis, shared by every instance (auth/access.ts). */
import type { SharedFailureStore } from '../auth/access.js'
import type { ClusterRedis } from './redis.js'

export function redisFailureStore(redis: ClusterRedis): SharedFailureStore {
  const key = (source: string) => `${redis.prefix}authfail:${source}`
  return {
    async hit(source, windowMs) {
      if (!redis.isUp()) return 0
      // the window starts with the first failure (NX: later hits do not extend it)
      const res = await redis.command.multi().incr(key(source)).pexpire(key(source), windowMs, 'NX').exec()
      return Number(res?.[0]?.[1] ?? 0)
    },
  }
}
