import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import type { CallState } from '#services/calls/call_state'

export const callChannel = (organizationId: number) => `calls:${organizationId}`

export type CallStateMessage = {
  callId: string
  state: CallState
  previous: CallState
  source: 'session-update' | 'cdr' | 'compat'
  at: string
}

/*
 * Live-dashboard feed: one JSON message per state change on `calls:<organizationId>`.
 * Published after the commit, and best effort: a dashboard that misses a message re-reads
 * call_logs, whereas failing the webhook would make the sender retry a stored event.
 */
export async function publishCallState(organizationId: number, message: CallStateMessage) {
  try {
    await redis.publish(callChannel(organizationId), JSON.stringify(message))
  } catch (error) {
    logger.warn({ err: error, organizationId }, 'call state not published')
  }
}
