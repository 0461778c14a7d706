import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { recordCallEvent, type CallEvent } from '#services/calls/call_recorder'
import { appendTimeline } from '#services/calls/call_timeline'
import { publishCallState } from '#services/calls/call_events'
import type { CallState } from '#services/calls/call_state'

/*
 * The seed plan's call-initiated / call-answered / call-ended / call-status webhooks. No
 * Cloudonix sender produces them (contract §0.1); they exist for integrations written
 * against OPBX and land on the same state machine as session updates.
 */

const COMPAT_STATE: Record<string, CallState> = {
  initiated: 'initiated',
  ringing: 'ringing',
  answered: 'answered',
  'in-progress': 'answered',
  completed: 'completed',
  hangup: 'completed',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'canceled',
}

export function compatState(status: string): CallState {
  return COMPAT_STATE[status]
}

export function fromUnixSeconds(value: number | undefined) {
  return value ? DateTime.fromSeconds(value) : null
}

export async function ingestCompatEvent(event: CallEvent, status: string | null = null) {
  const recorded = await db.transaction(async (trx) => {
    const result = await recordCallEvent(event, trx)
    await appendTimeline(trx, result, {
      organizationId: event.organizationId,
      source: 'compat',
      status: status ?? event.state,
      state: event.state,
      occurredAt: event.endedAt ?? event.answeredAt ?? event.startedAt,
      details: { direction: event.direction },
    })
    return result
  })
  const transition = recorded.transition
  if (transition?.changed) {
    await publishCallState(event.organizationId, {
      callId: event.callId,
      state: transition.state,
      previous: recorded.previous,
      source: 'compat',
      at: DateTime.now().toISO()!,
    })
  }
  return { state: transition?.state ?? recorded.previous, ignored: transition?.ignored ?? null }
}
