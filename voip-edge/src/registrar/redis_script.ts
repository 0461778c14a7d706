/**
 * A Lua script run by its SHA1 (EVALSHA): the script text crosses the wire only once per
 * Redis server (after a NOSCRIPT, e.g. a restarted Redis), not on every REGISTER.
 */
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

export class RedisScript {
  readonly #lua: string
  readonly #sha: string

  constructor(lua: string) {
    this.#lua = lua
    this.#sha = createHash('sha1').update(lua).digest('hex')
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return redis.eval(this.#lua, keys.length, ...keys, ...args)
    }
  }
}
