import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import redis from '@adonisjs/redis/services/main'
import ApiException from '#exceptions/api_exception'
import { classify } from '#services/overload/overload_guard'

/*
 * Once Redis has been gone for a moment, refuse at once. Otherwise every Redis command of
 * a request waits for the client's next failed reconnection (up to 2 s each, several per
 * routing decision), so requests hung 10–15 s, past the edge's own timeouts, in the 60 s
 * Redis outage run.
 *
 * Requests already past this check when Redis goes still issue commands. ioredis would
 * park those in its offline queue until a later reconnection round gives up on them
 * (every third attempt, 1–6 s apart), one after the other, so a routing decision admitted
 * in the first second of an outage still hung 15 s. While a connection that was ready is
 * closed, its offline queue is switched off: a command issued while Redis is away fails at
 * once and the request answers 503. Before the first connection the queue stays on, so
 * boot does not race the connect.
 */
const GRACE_MS = 1000

let downSince: number | null = null
let watching = false

function watch() {
  if (watching) return
  watching = true
  const connection = redis.connection().ioConnection
  if (connection.status !== 'ready') downSince = Date.now()
  // Toggled, not left off: duplicate() copies these options, and a subscriber duplicated
  // while Redis is up must still queue its first commands until it has connected.
  connection.on('ready', () => {
    downSince = null
    connection.options.enableOfflineQueue = true
  })
  connection.on('close', () => {
    downSince ??= Date.now()
    connection.options.enableOfflineQueue = false
  })
}

/** How long the main Redis connection has been down (0 while it is up). */
export function redisDownForMs(now = Date.now()) {
  return downSince === null ? 0 : now - downSince
}

export default class RedisOutageMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    watch()
    if (redisDownForMs() > GRACE_MS && classify(ctx.request.url()) !== 'exempt') {
      // The same answer as a Redis command failing later (handler.ts), only sooner.
      throw new ApiException(
        503,
        'E_SERVICE_UNAVAILABLE',
        'A backing service is unavailable: retry shortly',
        { details: { retryAfter: 5 }, headers: { 'Retry-After': '5' } },
      )
    }
    return next()
  }
}
