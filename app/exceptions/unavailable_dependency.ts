import env from '#start/env'
import redis from '@adonisjs/redis/services/main'

/*
 * Which backing service an error says is unreachable, if any. PostgreSQL and Redis both
 * surface bare socket errors (ECONNRESET, ECONNREFUSED…), so the database is recognised by
 * what only pg/knex produce: SQLSTATE connection classes, pg's own messages, knex's pool
 * timeout, a socket error naming DB_PORT or raised inside pg. A bare socket error with
 * nothing to go on is the database when Redis is connected (ioredis reports its own losses
 * as MaxRetriesPerRequestError or "Connection is closed", not as raw socket errors).
 */
export type UnavailableDependency = 'database' | 'service' | null

const SOCKET_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']

const PG_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
  /*
   * A COMMIT whose connection died: Lucid's managed transaction then calls ROLLBACK on the
   * finished knex transaction, and knex's complaint replaces the connection error. (Seen in
   * the R16 run with writes in flight at the cut; whether the COMMIT landed is unknown, so
   * the answer is "retry", which the idempotent writes make safe.)
   */
  'Transaction query already complete',
]

/*
 * ioredis's own words for a command it could not send or finish: the offline queue is off
 * once connected (redis_outage_middleware), a reply lost with its connection, or a client
 * already closed.
 */
const REDIS_CLIENT_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command aborted due to connection close',
  'Connection is closed.',
]

export function unavailableDependency(error: unknown): UnavailableDependency {
  if (typeof error !== 'object' || error === null) return null
  const { name, code, message, port, stack } = error as {
    name?: string
    code?: unknown
    message?: string
    port?: unknown
    stack?: string
  }
  if (name === 'MaxRetriesPerRequestError') return 'service'
  if (typeof message === 'string' && REDIS_CLIENT_MESSAGES.some((m) => message.includes(m))) {
    return 'service'
  }
  // knex could not hand out a pooled connection in time: the database is gone or saturated.
  if (name === 'KnexTimeoutError') return 'database'
  // SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect
  // now: a restart), 53300 (too many connections).
  if (typeof code === 'string' && /^(08[0-9A-Z]{3}|57P0[123]|53300)$/.test(code)) return 'database'
  // knex prefixes a failed query's message with its SQL: match anywhere in it.
  if (typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m))) {
    return 'database'
  }
  if (typeof code !== 'string' || !SOCKET_CODES.includes(code)) return null
  if (port !== undefined && Number(port) === env.get('DB_PORT')) return 'database'
  if (typeof stack === 'string' && /node_modules[\\/](pg|pg-pool|knex)[\\/]/.test(stack)) {
    return 'database'
  }
  return redisReady() ? 'database' : 'service'
}

function redisReady() {
  try {
    return redis.connection().status === 'ready'
  } catch {
    return false
  }
}
