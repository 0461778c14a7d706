import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type { Logger } from '@adonisjs/core/logger'
import type { cdrValidator } from '#services/webhooks/payloads'
import { stateFromCloudonix, type CallState } from '#services/calls/call_state'
import { recordCallEvent } from '#services/calls/call_recorder'
import { appendTimeline } from '#services/calls/call_timeline'
import { publishCallState } from '#services/calls/call_events'
import { didOf, fromEpochMs } from '#services/webhooks/session_update_ingest'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'
import queueService from '#services/queue/queue_service'
import CdrReceivedJob from '#jobs/cdr_received_job'
import { recordOutboundCdr } from '#services/fraud/toll_fraud_guard'

export type Cdr = Infer<typeof cdrValidator>

/*
 * A CDR is written after teardown, so the call has ended: an "answered" disposition
 * (CONNECTED/ANSWER) means completed. Dispositions we do not know are parsed tolerantly:
 * billable seconds mean the call was answered, none mean it failed.
 */
export function stateOfCdr(cdr: Cdr): CallState {
  const state = stateFromCloudonix(cdr.disposition) ?? stateFromCloudonix(cdr.session.status ?? '')
  if (state === 'answered' || state === 'initiated' || state === 'ringing' || state === null) {
    return cdr.billsec > 0 || state === 'answered' ? 'completed' : 'failed'
  }
  return state
}

/**
 * Stores the one CDR of a session and finalizes its call log in the same transaction; a
 * redelivered CDR hits the (organization, session token) unique index and changes nothing.
 */
export async function ingestCdr(
  organizationId: number,
  cdr: Cdr,
  raw: unknown,
  logger: Logger,
  did: RoutableNumber | null = null,
) {
  const session = cdr.session
  const result = await db.transaction(async (trx) => {
    const now = new Date()
    const inserted = await trx
      .knexQuery()
      .table('call_detail_records')
      .insert({
        organization_id: organizationId,
        session_timestamp: cdr.timestamp ? new Date(cdr.timestamp * 1000) : now,
        session_token: session.token,
        session_id: session.id ?? null,
        call_id: cdr.call_id ?? 'unknown',
        from: cdr.from ?? 'Unknown',
        to: cdr.to ?? 'Unknown',
        disposition: cdr.disposition.toUpperCase(),
        duration: cdr.duration,
        billsec: cdr.billsec,
        domain: cdr.domain ?? null,
        subscriber: cdr.subscriber ?? null,
        cx_trunk_id: cdr.cx_trunk_id ?? null,
        application: cdr.application ?? null,
        route: cdr.route ?? null,
        rated_cost: cdr.rated_cost ?? null,
        approx_cost: cdr.approx_cost ?? null,
        sell_cost: cdr.sell_cost ?? null,
        vapp_server: cdr.vapp_server ?? null,
        call_start_time: fromEpochMs(session.callStartTime)?.toJSDate() ?? null,
        call_answer_time: fromEpochMs(session.callAnswerTime)?.toJSDate() ?? null,
        call_end_time: fromEpochMs(session.callEndTime)?.toJSDate() ?? null,
        status: session.status ?? null,
        raw_cdr: JSON.stringify(raw),
        created_at: now,
        updated_at: now,
      })
      .onConflict()
      .ignore()
      .returning('id')
    if (inserted.length === 0) return null

    const finalState = stateOfCdr(cdr)
    const recorded = await recordCallEvent(
      {
        organizationId,
        callId: session.token,
        state: finalState,
        // A CDR with a subscriber was placed by the tenant's phone: `to` is not its DID.
        did: cdr.subscriber ? null : didOf(did),
        from: cdr.from,
        to: cdr.to,
        startedAt: fromEpochMs(session.callStartTime),
        answeredAt: fromEpochMs(session.callAnswerTime),
        endedAt: fromEpochMs(session.callEndTime),
        billing: { duration: cdr.duration, billsec: cdr.billsec, disposition: cdr.disposition },
      },
      trx,
    )
    const cdrId = Number(inserted[0].id ?? inserted[0])
    await appendTimeline(trx, recorded, {
      organizationId,
      source: 'cdr',
      status: cdr.disposition.toUpperCase(),
      state: finalState,
      occurredAt: fromEpochMs(session.callEndTime),
      details: { cdrId, duration: cdr.duration, billsec: cdr.billsec },
    })
    if (recorded.row.extension_id) {
      await trx
        .from('call_detail_records')
        .where('id', cdrId)
        .update({ extension_id: recorded.row.extension_id })
    }
    return { cdrId, recorded }
  })

  if (!result) {
    logger.info({ sessionToken: session.token }, 'duplicate CDR ignored')
    return { stored: false }
  }
  const transition = result.recorded.transition
  if (transition?.changed) {
    await publishCallState(organizationId, {
      callId: session.token,
      state: transition.state,
      previous: result.recorded.previous,
      source: 'cdr',
      at: DateTime.now().toISO()!,
    })
  }
  // Inline, not in the job: the spend rule must bite within a minute even when the queue lags.
  await recordOutboundCdr(organizationId, cdr).catch((error) =>
    logger.error({ err: error, cdrId: result.cdrId }, 'toll-fraud spend check failed'),
  )
  await queueService
    .dispatch(CdrReceivedJob, { organizationId, cdrId: result.cdrId })
    .catch((error) => logger.error({ err: error, cdrId: result.cdrId }, 'CDR job not queued'))
  return { stored: true, cdrId: result.cdrId }
}
