import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * One Redis for cache, rate limits, idempotency keys, locks and queues. Tests use another
 * logical database (REDIS_DB) so they never disturb a running instance on the same box.
 */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      host: env.get('REDIS_HOST'),
      port: env.get('REDIS_PORT'),
      password: env.get('REDIS_PASSWORD', ''),
      db: env.get('REDIS_DB', 0),
      keyPrefix: '',
      connectTimeout: 2000,
      maxRetriesPerRequest: 2,
      // Commands issued in the same tick leave in one socket write: a routing decision
      // sends several (limits, generations, idempotency) and one write syscall per
      // command was the largest single CPU cost in the routing benchmark.
      enableAutoPipelining: true,
      retryStrategy(times) {
        return Math.min(times * 200, 2000)
      },
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
