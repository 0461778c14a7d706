import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { nextCallState, type CallState, type Transition } from '#services/calls/call_state'
import type { CallDirection } from '#enums/settings'
import { trackLiveCall } from '#services/metrics/live_calls'

/*
 * The one writer of call_logs. Every event (session update, CDR, compatibility webhook)
 * goes through here: the row is created if missing, then locked (FOR UPDATE) and its state
 * moved only through nextCallState, so duplicated and shuffled deliveries of the same
 * events end in the same row. Timestamps come from the event, never from arrival time.
 */

export type CallEvent = {
  organizationId: number
  callId: string
  state: CallState | null
  direction?: CallDirection
  from?: string | null
  to?: string | null
  startedAt?: DateTime | null
  answeredAt?: DateTime | null
  endedAt?: DateTime | null
  /** Set by the CDR only: authoritative, overrides figures derived from session updates. */
  billing?: { duration: number; billsec: number; disposition: string }
  /** The tenant's DID the call came in on, with the target it routed to at that moment. */
  did?: { phoneNumberId: number; routing: { type: string; id: number | null } } | null
}

export type CallRow = {
  id: number
  status: CallState
  extension_id: number | null
  disposition: string | null
}

export type RecordedCall = { row: CallRow; previous: CallState; transition: Transition | null }

function seconds(from: DateTime | null | undefined, to: DateTime | null | undefined) {
  if (!from || !to) return null
  return Math.max(0, Math.round(to.diff(from, 'seconds').seconds))
}

export async function recordCallEvent(
  event: CallEvent,
  trx: TransactionClientContract,
): Promise<RecordedCall> {
  const now = DateTime.now().toJSDate()
  await trx
    .knexQuery()
    .table('call_logs')
    .insert({
      organization_id: event.organizationId,
      call_id: event.callId,
      direction: event.direction ?? 'inbound',
      from_number: event.from || 'unknown',
      to_number: event.to || 'unknown',
      status: 'initiated',
      initiated_at: (event.startedAt ?? DateTime.now()).toJSDate(),
      phone_number_id: event.did?.phoneNumberId ?? null,
      routing_target_type: event.did?.routing.type ?? null,
      routing_target_id: event.did?.routing.id ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(['organization_id', 'call_id'])
    .ignore()

  const row = await trx
    .from('call_logs')
    .where('organization_id', event.organizationId)
    .where('call_id', event.callId)
    .forUpdate()
    .firstOrFail()

  const previous = row.status as CallState
  const transition = event.state ? nextCallState(previous, event.state) : null
  const changes: Record<string, unknown> = { updated_at: now }
  if (transition?.changed) changes.status = transition.state
  if (event.direction) changes.direction = event.direction
  if (event.startedAt) changes.initiated_at = event.startedAt.toJSDate()
  if (event.answeredAt && !row.answered_at) changes.answered_at = event.answeredAt.toJSDate()
  if (event.endedAt && !row.ended_at) changes.ended_at = event.endedAt.toJSDate()
  // The first event that knows the DID sets it and its target; later ones never move them.
  if (event.did && !row.phone_number_id) {
    changes.phone_number_id = event.did.phoneNumberId
    changes.routing_target_type = event.did.routing.type
    changes.routing_target_id = event.did.routing.id
  }

  if (event.billing) {
    changes.duration_seconds = event.billing.duration
    changes.billsec_seconds = event.billing.billsec
    changes.disposition = event.billing.disposition
    if (event.from) changes.from_number = event.from
    if (event.to) changes.to_number = event.to
  } else if (!row.disposition) {
    // Recomputed from the merged row, so the figures do not depend on arrival order.
    const at = (value: unknown) => (value ? DateTime.fromJSDate(value as Date) : null)
    const ended = at(changes.ended_at ?? row.ended_at)
    const answered = at(changes.answered_at ?? row.answered_at)
    if (ended) {
      changes.duration_seconds = seconds(at(changes.initiated_at ?? row.initiated_at), ended)
      changes.billsec_seconds = answered ? seconds(answered, ended) : 0
    }
  }

  await trx.from('call_logs').where('id', row.id).update(changes)
  // The live-calls gauge follows every event, a new call's first one included (which moves
  // no state and so publishes nothing); only once the row is committed.
  const state = transition?.changed ? transition.state : previous
  trx.after('commit', () => trackLiveCall(event.organizationId, event.callId, state))
  return {
    row: { ...row, ...changes } as CallRow,
    previous,
    transition,
  }
}
