import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type { Logger } from '@adonisjs/core/logger'
import type { sessionUpdateValidator } from '#services/webhooks/payloads'
import { stateFromCloudonix, type CallState } from '#services/calls/call_state'
import { recordCallEvent } from '#services/calls/call_recorder'
import { appendTimeline } from '#services/calls/call_timeline'
import { publishCallState } from '#services/calls/call_events'
import type { CallDirection } from '#enums/settings'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'

/* The call log's view of a DID: its id and the target it routes to now. */
export function didOf(did: RoutableNumber | null) {
  return did ? { phoneNumberId: did.phoneNumberId, routing: did.routing } : null
}

export type SessionUpdate = Infer<typeof sessionUpdateValidator>

export function fromEpochMs(value: number | null | undefined) {
  return value ? DateTime.fromMillis(value) : null
}

/* Session directions are observed as incoming/outgoing/internal/application (§3.2). */
export function directionOf(value: string | null | undefined): CallDirection | undefined {
  switch (value?.toLowerCase()) {
    case 'incoming':
    case 'inbound':
      return 'inbound'
    case 'outgoing':
    case 'outbound':
    case 'application':
      return 'outbound'
    case 'internal':
      return 'internal'
    default:
      return undefined
  }
}

/*
 * A teardown may keep status `connected` and only add callEndTime (contract §6.1), so an
 * answered session that carries an end time has in fact completed.
 */
function stateOf(update: SessionUpdate): CallState | null {
  const state = stateFromCloudonix(update.status)
  return state === 'answered' && update.callEndTime ? 'completed' : state
}

/* The sender's time for what this update reports; undefined: when it arrived. */
function eventInstant(update: SessionUpdate, state: CallState | null) {
  if (state === 'answered') return fromEpochMs(update.callAnswerTime)
  if (state === 'initiated' || state === 'ringing') return fromEpochMs(update.callStartTime)
  if (state !== null) return fromEpochMs(update.callEndTime)
  return null
}

export async function ingestSessionUpdate(
  organizationId: number,
  update: SessionUpdate,
  logger: Logger,
  did: RoutableNumber | null = null,
) {
  const direction = directionOf(update.direction)
  const state = stateOf(update)
  const recorded = await db.transaction(async (trx) => {
    const result = await recordCallEvent(
      {
        organizationId,
        callId: update.token,
        state,
        direction,
        did: direction === 'inbound' ? didOf(did) : null,
        from: update.callerId,
        to: update.destination,
        startedAt: fromEpochMs(update.callStartTime),
        answeredAt: fromEpochMs(update.callAnswerTime),
        endedAt: fromEpochMs(update.callEndTime),
      },
      trx,
    )
    await appendTimeline(trx, result, {
      organizationId,
      source: 'session-update',
      status: update.status,
      state,
      eventId: update.eventId,
      occurredAt: eventInstant(update, state),
      details: {
        action: update.action,
        reason: update.reason,
        direction: update.direction,
        callStartTime: update.callStartTime,
        callAnswerTime: update.callAnswerTime,
        callEndTime: update.callEndTime,
      },
    })
    return result
  })

  const log = { callId: update.token, status: update.status, eventId: update.eventId }
  if (state === null) logger.info(log, 'session update status not tracked')
  const transition = recorded.transition
  if (transition?.ignored) {
    logger.info(
      { ...log, current: transition.state },
      `session update ignored (${transition.ignored})`,
    )
  }
  if (transition?.changed) {
    await publishCallState(organizationId, {
      callId: update.token,
      state: transition.state,
      previous: recorded.previous,
      source: 'session-update',
      at: DateTime.now().toISO()!,
    })
  }
  return recorded
}
